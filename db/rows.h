/**
 * @file db/rows.h
 * @brief Stepping through result rows and reading the columns every query
 *        file shares (a provenance reference); internal to db/.
 */
#ifndef TECHPAY_DB_ROWS_H
#define TECHPAY_DB_ROWS_H

#include <stdbool.h>
#include <stdint.h>

#include "db/catalog.h"
#include "db/report_factors.h"
#include "db/stmt.h"
#include "db/roles.h"

/** Reads one row; returns 0 to go on, -1 to stop the query with DB_HARD. */
typedef int (*db_row_fn)(struct db_stmt *stmt, void *ctx);

/**
 * Steps @a stmt (borrowed, bound by the caller) to the end, handing each
 * row to @a each, then always resets it.
 * @param what names the query in the log when a step fails
 * @param[out] rows the number of rows (may be NULL)
 * @return DB_ONE when there were rows, DB_NONE when none, or an error
 */
enum db_status db_rows_each(struct db_stmt *stmt, const char *what, db_row_fn each, void *ctx,
                            int64_t *rows);

/**
 * Steps @a stmt once for a single integer (a count), then resets it.
 * @return DB_ONE with *out set, DB_NONE when there is no row, or an error
 */
enum db_status db_rows_int(struct db_stmt *stmt, const char *what, int64_t *out);

/* A salary observation as GET /salaries lists it, read by db_rows_observation(). */
#define OBSERVATION_SELECT \
  "SELECT sa.id, sa.amount_usd, sa.kind, sa.statistic, sa.bound, sa.scope, sa.year, sa.note," \
  " s.id, s.slug, s.title, sa.section, r.slug, sa.subject, " DB_FACTOR_SELECT \
  " FROM salaries sa JOIN sources s ON s.id = sa.source_id" \
  " LEFT JOIN roles r ON r.id = sa.role_id" DB_FACTOR_JOIN

/** Reads the columns of OBSERVATION_SELECT (strings borrowed). */
void db_rows_observation(struct db_stmt *stmt, struct observation_row *row);

/** Reads id, slug, title, section from four columns starting at @a first (strings borrowed). */
void db_rows_source(struct db_stmt *stmt, int first, struct source_ref *src);

/* The pay rule's columns of roles, in the order db_rows_pay_spread() reads them. */
#define PAY_SPREAD_COLUMNS "pay_basis, pay_n, pay_p25, pay_p50, pay_p75"

/** Reads PAY_SPREAD_COLUMNS starting at column @a first (strings borrowed). */
void db_rows_pay_spread(struct db_stmt *stmt, int first, struct pay_spread *spread);

/** True when column @a col is not SQL NULL; stores its integer in *out (0 when NULL). */
bool db_rows_opt_int(struct db_stmt *stmt, int col, int64_t *out);

/*
 * Rows that come in groups (a skill with its shares, an industry with its
 * roles): the query orders them by the group's id, and a row starts a new
 * group when its id differs from the row before.
 */
struct db_rows_group {
  bool any;        /* a row was seen */
  int64_t last_id; /* the group of the last row seen */
};

/** Whether the row of group @a id starts a group; remembers @a id. */
bool db_rows_group_starts(struct db_rows_group *g, int64_t id);

/** Binds an integer, or SQL NULL when @a present is false (an absent filter). */
int db_rows_bind_opt_int(struct db_stmt *stmt, int index, bool present, int64_t value);

/** Binds text, or SQL NULL when @a text is NULL (an absent filter). */
int db_rows_bind_opt_text(struct db_stmt *stmt, int index, const char *text);

#endif
