/**
 * @file db/sql_text.c
 * @brief Growing statement texts (see db/sql_text.h).
 */
#include "db/sql_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void
sql_add(struct sql_text *b, const char *fmt, ...)
{
  va_list ap;
  int n;

  for (;;) {
    if (b->failed)
      return;
    va_start(ap, fmt);
    n = vsnprintf(b->text ? b->text + b->len : NULL, b->text ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
      b->failed = true;
    } else if (NULL != b->text && (size_t) n < b->cap - b->len) {
      b->len += (size_t) n;
      return;
    } else {
      size_t cap = b->cap ? b->cap * 2 : 4096;
      char *grown;

      while (cap < b->len + (size_t) n + 1)
        cap *= 2;
      grown = realloc(b->text, cap);
      if (NULL == grown)
        b->failed = true;
      else
        b->text = grown, b->cap = cap;
    }
  }
}
