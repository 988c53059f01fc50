/**
 * @file db/pg_translate.c
 * @brief SQLite's ?N parameters as PostgreSQL's $N (see db/pg_translate.h).
 */
#include "db/pg_translate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
pg_sql_translate(const char *sql, int *nparams, bool *seen)
{
  size_t len = strlen(sql);
  char *out = malloc(len * 2 + 1); /* "?" becomes at most "$NN" next to its digits */
  char *o = out;
  char quote = 0;
  int next = 1;

  *nparams = 0;
  if (NULL == out)
    return NULL;
  for (const char *p = sql; '\0' != *p; p++) {
    if (0 != quote) {
      quote = *p == quote ? 0 : quote;
      *o++ = *p;
    } else if ('\'' == *p || '"' == *p) {
      quote = *p;
      *o++ = *p;
    } else if ('-' == p[0] && '-' == p[1]) {
      size_t n = strcspn(p, "\n");

      memcpy(o, p, n);
      o += n;
      p += n - 1;
    } else if ('?' == *p) {
      char *end;
      long n = strtol(p + 1, &end, 10);

      if (end == p + 1)
        n = next;
      if (n < 1 || (size_t) n > len) { /* not one of ours: left for the server to refuse */
        *o++ = *p;
        continue;
      }
      seen[n - 1] = true;
      next = (int) n + 1;
      if (n > *nparams)
        *nparams = (int) n;
      o += sprintf(o, "$%ld", n);
      p = end - 1;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
  return out;
}
