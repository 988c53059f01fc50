/**
 * @file db/salary_query.h
 * @brief The salary observations behind GET /salaries: filtered, ordered by
 *        amount (then id, in the same direction), paged by offset or by
 *        keyset, with a total that is counted only as far as it is cheap.
 *
 * Every query examines a bounded number of index entries, whatever the
 * filters and however many rows the table holds: a page reads at most
 * SALARY_SCAN_MAX figures past its offset (or its keyset position), and a
 * total counts at most SALARY_COUNT_MAX + 1. When the filters match few of
 * the figures read, a page can hold fewer than its limit, even none, and
 * still say where the next one starts.
 */
#ifndef TECHPAY_DB_SALARY_QUERY_H
#define TECHPAY_DB_SALARY_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/catalog.h"
#include "db/db.h"
#include "db/report_factors.h"
#include "db/roles.h"

/* Figures one page may read past its offset: a few milliseconds. */
#define SALARY_SCAN_MAX 10000
/* A total above this is reported as a lower bound, not counted on. */
#define SALARY_COUNT_MAX 10000

/* Filters of the salary list; an absent filter matches everything. */
struct salary_filter {
  bool has_role;
  int64_t role_id;
  const char *kind;      /* NULL: any; else an entry of db_salary_kinds */
  const char *statistic; /* NULL: any; else an entry of db_salary_statistics */
  bool has_min;
  int64_t min_usd;       /* amount_usd >= min_usd */
  bool has_max;
  int64_t max_usd;       /* amount_usd <= max_usd */
  bool has_source;
  int64_t source_id;
  struct factor_filter factors; /* never narrowed by an index: checked per row */
};

/* The values the schema allows (salaries CHECK), NULL-terminated: the
 * role's figures are read as one run per combination of them. */
extern const char *const db_salary_kinds[];
extern const char *const db_salary_statistics[];
extern const char *const db_salary_bounds[];

struct salary_query {
  struct salary_filter filter;
  enum sort_order order;
  int64_t limit;
  int64_t offset;       /* matches to skip; 0 with a keyset position */
  bool has_after;       /* only figures after (after_amount, after_id) in the order */
  int64_t after_amount;
  int64_t after_id;
};

struct salary_total {
  bool exact;    /* false: more figures than SALARY_COUNT_MAX were read */
  int64_t count; /* the total when exact, otherwise a lower bound */
};

struct salary_page {
  int64_t rows;        /* figures handed to the callback */
  bool more;           /* the figures after next_* may match */
  int64_t next_amount; /* the position the next page starts after */
  int64_t next_id;
};

/**
 * Counts the figures matching the filter of @a q (as far as
 * SALARY_COUNT_MAX) into @a total, and calls @a cb for each figure of the
 * page @a q asks for, in order.
 * @return DB_ONE (with @a total and @a page filled; page->rows may be 0),
 *         or an error
 */
enum db_status db_salaries_query(struct db *db, const struct salary_query *q,
                                 db_observation_cb cb, void *cls, struct salary_total *total,
                                 struct salary_page *page);

/**
 * The query plans (EXPLAIN QUERY PLAN, one line each) of the total's
 * count and of the page's reading for @a q, into @a out: tests check that
 * every one of them seeks an index.
 */
enum db_status db_salaries_plan(struct db *db, const struct salary_query *q, char *out,
                                size_t size);

#endif
