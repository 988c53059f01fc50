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

/**
 * Runs @a sql with ?1 bound to @a text for a single integer (an id looked
 * up by its slug), as db_rows_int().
 */
enum db_status db_rows_int_by_text(struct db *db, const char *sql, const char *what,
                                   const char *text, int64_t *out);

/** Binds an integer, or SQL NULL when @a present is false (an absent filter). */
int db_rows_bind_opt_int(struct db_stmt *stmt, int index, bool present, int64_t value);

/** Binds text, or SQL NULL when @a text is NULL (an absent filter). */
int db_rows_bind_opt_text(struct db_stmt *stmt, int index, const char *text);

/*
 * The callback adapter of a query: defines `struct ctx_name` holding the
 * caller's typed callback and its closure, and `static int name(stmt, ctx)`
 * for db_rows_each() that reads one row with `read(stmt, &row)` and hands
 * it on. The callback types differ per row type, so a macro rather than one
 * function through a cast function pointer (which C leaves undefined).
 */
#define DB_ROWS_ADAPTER(name, ctx_name, row_type, cb_type, read) \
  struct ctx_name {                                               \
    cb_type cb;                                                   \
    void *cls;                                                    \
  };                                                              \
  static int name(struct db_stmt *stmt, void *ctx)                \
  {                                                               \
    const struct ctx_name *c = ctx;                               \
    row_type row;                                                 \
                                                                  \
    read(stmt, &row);                                             \
    return c->cb(c->cls, &row);                                   \
  }

/* The same for rows that come in groups (struct db_rows_group below): the
 * context also keeps the group, and `read(stmt, &row, &group)` may use it. */
#define DB_ROWS_GROUP_ADAPTER(name, ctx_name, row_type, cb_type, read) \
  struct ctx_name {                                                     \
    cb_type cb;                                                         \
    void *cls;                                                          \
    struct db_rows_group group;                                         \
  };                                                                    \
  static int name(struct db_stmt *stmt, void *ctx)                      \
  {                                                                     \
    struct ctx_name *c = ctx;                                           \
    row_type row;                                                       \
                                                                        \
    read(stmt, &row, &c->group);                                        \
    return c->cb(c->cls, &row);                                         \
  }

/*
 * A reader of a row whose columns map one to one, in SELECT order, onto
 * fields: COLUMNS(C) lists `C(kind, field)` once, so a field cannot read
 * the wrong column index. Kinds: int64, double, text, text_or_null;
 * opt_int and opt_double also set `has_<field>` (false for SQL NULL);
 * int_or_minus_one reads a small int field, -1 for SQL NULL.
 * Defines `static void name(struct db_stmt *stmt, row_type *row)`.
 */
#define DB_COL_int64(f) row->f = db_column_int64(stmt, col++);
#define DB_COL_double(f) row->f = db_column_double(stmt, col++);
#define DB_COL_text(f) row->f = db_column_text(stmt, col++);
#define DB_COL_text_or_null(f) row->f = db_column_text_or_null(stmt, col++);
#define DB_COL_opt_int(f) row->has_##f = db_rows_opt_int(stmt, col++, &row->f);
#define DB_COL_int_or_minus_one(f) \
  row->f = db_column_is_null(stmt, col) ? -1 : (int) db_column_int64(stmt, col); \
  col++;
#define DB_COL_opt_double(f) \
  row->has_##f = !db_column_is_null(stmt, col); \
  row->f = db_column_double(stmt, col++);
#define DB_COL(kind, field) DB_COL_##kind(field)
#define DB_ROWS_READER(name, row_type, COLUMNS)   \
  static void name(struct db_stmt *stmt, row_type *row) \
  {                                                     \
    int col = 0;                                        \
                                                        \
    *row = (row_type) { 0 };                            \
    COLUMNS(DB_COL)                                     \
  }

/*
 * The two texts of a query whose only difference is a case-blind order on
 * column @a col: SQLite's NOCASE is lower() under PostgreSQL's C collation
 * (docs/postgresql.md). Defines `name_sql` and `name_pg` from QUERY(order).
 */
#define DB_NOCASE_TEXTS(name, QUERY, col)                      \
  static const char name##_sql[] = QUERY(col " COLLATE NOCASE"); \
  static const char name##_pg[] = QUERY("lower(" col ")")

#endif
