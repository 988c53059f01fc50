/**
 * @file db/text_arena.c
 * @brief The strings of a batch of rows, copied into one growing block.
 */
#include "db/text_arena.h"

#include <stdlib.h>
#include <string.h>

ptrdiff_t
text_arena_put(struct text_arena *a, const char *text)
{
  size_t len;
  ptrdiff_t at = (ptrdiff_t) a->len;

  if (NULL == text)
    return TEXT_ARENA_NULL;
  len = strlen(text) + 1;
  if (a->len + len > a->cap) {
    size_t cap = a->cap > 0 ? a->cap : (a->first_cap > 0 ? a->first_cap : 16384);
    char *grown;

    while (cap < a->len + len)
      cap *= 2;
    if (NULL == (grown = realloc(a->text, cap)))
      return TEXT_ARENA_NOMEM;
    a->text = grown;
    a->cap = cap;
  }
  memcpy(a->text + a->len, text, len);
  a->len += len;
  return at;
}

const char *
text_arena_get(const struct text_arena *a, ptrdiff_t at)
{
  return at < 0 ? NULL : a->text + at;
}

void
text_arena_clear(struct text_arena *a)
{
  a->len = 0;
}

void
text_arena_free(struct text_arena *a)
{
  free(a->text);
  a->text = NULL;
  a->len = 0;
  a->cap = 0;
}
