/**
 * @file handlers/paging.h
 * @brief The Link header (RFC 8288) of a paged list: rel="next" and
 *        rel="prev" URLs that repeat the request's other parameters.
 */
#ifndef TECHPAY_HANDLERS_PAGING_H
#define TECHPAY_HANDLERS_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "http/reply.h"
#include "http/request.h"

/* Deeper offsets cost more than they are worth (the rows before them are
 * read and dropped): past this, a list that has cursors is paged by them. */
#define PAGING_MAX_OFFSET 10000

struct page_links {
  int64_t limit;
  int64_t offset;          /* of this page (offset paging) */
  bool has_next;
  const char *next_cursor; /* keyset paging: next link uses it instead of an offset */
  bool cursor_mode;        /* the request used a cursor: no prev link */
  bool next_by_cursor;     /* an offset page whose next link still takes the cursor */
};

/**
 * The offset parameter, 0 when absent, at most PAGING_MAX_OFFSET; beyond
 * it a 400 naming `offset` that points to the cursor when the list has one
 * (@a has_cursor). @return 0, or -1 with @a rep filled
 */
int paging_offset(const struct request *req, bool has_cursor, int64_t *offset, struct reply *rep);

/**
 * Adds a Link header to @a rep when there is a next or previous page.
 * Request values are percent-encoded, so nothing from the query can break
 * out of the header.
 * @return 0, or -1 when out of memory
 */
int paging_link(const struct request *req, const struct page_links *pl, struct reply *rep);

#endif
