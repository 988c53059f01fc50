/**
 * @file db/pg_translate.h
 * @brief The one rewrite a portable SQL text needs for libpq: its
 *        parameters. Internal to db/.
 */
#ifndef TECHPAY_DB_PG_TRANSLATE_H
#define TECHPAY_DB_PG_TRANSLATE_H

#include <stdbool.h>

/** Copies @a sql with each ?N (and a bare ?, numbered on) as $N, leaving
 * quoted literals, quoted names and comments alone. @return a new text
 * (the caller frees it), the largest N in @a nparams, and in @a seen (as
 * long as the text) seen[N - 1] set for each N the text names */
char *pg_sql_translate(const char *sql, int *nparams, bool *seen);

#endif
