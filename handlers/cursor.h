/**
 * @file handlers/cursor.h
 * @brief Opaque keyset cursors: the sort position of the last row of a
 *        page, bound to the sort and filters it was made for.
 *
 * A cursor is base64url of {"f":"<fingerprint>","a":[values]}. The
 * fingerprint is a hash of the canonical sort and filters, so a cursor
 * used with another sort or other filters is refused rather than silently
 * paging through a different ranking. Values keep their JSON types
 * (integer, real, string): a cursor never turns a number into text.
 */
#ifndef TECHPAY_HANDLERS_CURSOR_H
#define TECHPAY_HANDLERS_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "db/role_query.h"
#include "util/hash.h"

/** @return a malloc'd cursor for @a values, or NULL when out of memory */
char *cursor_encode(uint64_t fingerprint, const struct sort_value *values, size_t n);

/**
 * Decodes @a text made for @a fingerprint with @a n values.
 * @param[out] holder owns the strings the values point to: json_decref() it
 * @return 0; -1 when malformed; -2 when made for another sort or filters
 */
int cursor_decode(const char *text, uint64_t fingerprint, struct sort_value *values,
                  size_t n, json_t **holder);

/** FNV-1a over @a s, folded into @a h (start with cursor_hash_init). */
uint64_t cursor_hash(uint64_t h, const char *s);
#define CURSOR_HASH_INIT HASH_INIT

#endif
