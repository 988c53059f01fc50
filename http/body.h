/**
 * @file http/body.h
 * @brief Request bodies of the write routes: the media type and size are
 *        checked from the headers before a byte is read (so an oversized
 *        body is refused without reading it), then the body is gathered up
 *        to the limit and parsed.
 */
#ifndef TECHPAY_HTTP_BODY_H
#define TECHPAY_HTTP_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "http/reply.h"

enum body_kind {
  BODY_NONE,   /* the route reads no body; one sent is discarded */
  BODY_JSON,   /* application/json */
  BODY_IMPORT, /* text/csv or application/x-ndjson */
};

struct request_body {
  char *data;      /* owned; NUL-terminated */
  size_t len;
  size_t cap;
  bool too_large;  /* more arrived than the limit: the rest is dropped */
};

/**
 * Checks Content-Type and Content-Length against what the route reads.
 * @param content_length the header's value or NULL
 * @return 0, or -1 with a 413 or 415 problem in @a rep
 */
int body_check_headers(enum body_kind kind, const char *content_type, const char *content_length,
                       size_t max, struct reply *rep);

/** Appends @a len bytes, or marks the body too large past @a max. @return 0, -1 when out of memory */
int body_append(struct request_body *b, const char *data, size_t len, size_t max);

/** Frees the bytes; @a b can be reused. */
void body_clear(struct request_body *b);

/**
 * Parses the body as one JSON value (duplicate keys refused).
 * @param[out] out new reference on success
 * @return 0, or -1 with a 400 problem naming the line and column in @a rep
 */
int body_parse_json(const struct request_body *b, json_t **out, struct reply *rep);

/** The media type's essence ("text/csv"), lower-cased into @a out. */
void body_media_type(const char *content_type, char *out, size_t size);

#endif
