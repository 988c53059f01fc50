/**
 * @file db/text_arena.h
 * @brief A growable block of NUL-terminated strings, addressed by offset:
 *        a batch of import rows keeps its strings here, because the
 *        parser's own are gone once its row callback returns.
 *
 * Offsets, not pointers, stay valid when the block grows. Both the import
 * session (db/import_write.c) and the file reader of `techpayd import`
 * batch rows this way.
 */
#ifndef TECHPAY_DB_TEXT_ARENA_H
#define TECHPAY_DB_TEXT_ARENA_H

#include <stddef.h>

/* Offsets text_arena_put() answers besides a real one. */
#define TEXT_ARENA_NULL ((ptrdiff_t) -1)   /* the text was NULL */
#define TEXT_ARENA_NOMEM ((ptrdiff_t) -2)  /* out of memory */

struct text_arena {
  char *text;        /* owned; freed by text_arena_free() */
  size_t len;
  size_t cap;
  size_t first_cap;  /* the size of the first allocation */
};

/**
 * Copies @a text (with its NUL) to the end of @a a.
 * @return its offset, TEXT_ARENA_NULL for NULL, TEXT_ARENA_NOMEM when out of memory
 */
ptrdiff_t text_arena_put(struct text_arena *a, const char *text);

/** The string at @a at, or NULL for a negative offset (borrowed from @a a). */
const char *text_arena_get(const struct text_arena *a, ptrdiff_t at);

/** Forgets every string but keeps the memory for the next batch. */
void text_arena_clear(struct text_arena *a);

/** Frees the memory; @a a may be used again afterwards. */
void text_arena_free(struct text_arena *a);

#endif
