/**
 * @file db/sql_text.h
 * @brief A statement's text assembled from fixed fragments, growing as
 *        needed; internal to db/. Values never go into it: they are bound.
 */
#ifndef TECHPAY_DB_SQL_TEXT_H
#define TECHPAY_DB_SQL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct sql_text {
  char *text;     /* the caller frees it */
  size_t len;
  size_t cap;
  bool failed;    /* out of memory: the text is incomplete, do not run it */
  bool pg;        /* PostgreSQL: no INDEXED BY (its planner picks), typed parameters, 0/1 */
};

/** Appends the formatted fragment to @a b (nothing once it has failed). */
void sql_add(struct sql_text *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
