/**
 * @file db/role_query.h
 * @brief The filtered, sorted, paged ranking of roles behind GET /roles.
 *
 * Filters combine with AND. Sorting is by up to ROLE_QUERY_MAX_KEYS keys,
 * always ending with the slug, so the order is total and paging by offset
 * or by keyset never repeats or skips a role. Every key is turned into
 * "atoms": SQL expressions that are never NULL (a missing pay becomes a
 * 0/1 "is missing" atom plus a 0 placeholder), so that a keyset cursor can
 * compare plain values and never meets a NULL.
 */
#ifndef TECHPAY_DB_ROLE_QUERY_H
#define TECHPAY_DB_ROLE_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/roles.h"

#define ROLE_QUERY_MAX_KEYS 3
#define ROLE_QUERY_MAX_SKILLS 16
/* Three atoms per pay-like key, one for the others, plus the slug. */
#define ROLE_QUERY_MAX_ATOMS (3 * ROLE_QUERY_MAX_KEYS + 1)

enum role_key { ROLE_KEY_PAY, ROLE_KEY_TITLE, ROLE_KEY_TOTAL_PAY, ROLE_KEY_RELEVANCE };

struct role_sort_key {
  enum role_key key;
  bool desc;
};

struct role_filter {
  const char *category;                      /* exact, case-insensitive; NULL: any */
  const char *skills[ROLE_QUERY_MAX_SKILLS]; /* skill slugs the role must all need */
  size_t nskills;
  const char *industry;                      /* industry slug; NULL: any */
  bool has_min_pay;
  int64_t min_pay;
  bool has_max_pay;
  int64_t max_pay;
  const char *fts_query; /* an FTS5 query built by the caller from safe tokens; NULL: none */
  int has_pay;           /* -1 any, 0 only roles without pay, 1 only with */
};

enum sort_value_type { SV_INT, SV_REAL, SV_TEXT };

struct sort_value {
  enum sort_value_type type;
  int64_t i;
  double r;
  const char *s; /* borrowed */
};

struct role_query {
  struct role_filter filter;
  struct role_sort_key keys[ROLE_QUERY_MAX_KEYS];
  size_t nkeys;
  int64_t limit;
  int64_t offset;
  const struct sort_value *after; /* keyset: only rows after this position; NULL: none */
  size_t nafter;                  /* must equal role_query_natoms() when set */
};

struct ranked_role {
  struct role_row role;
  bool has_rank;          /* false for roles without pay */
  int64_t rank;           /* by pay among the matching roles; ties share a rank: 1, 2, 2, 4 */
  bool has_total_pay;
  int64_t total_pay_usd;  /* the role's highest total-compensation figure */
  const char *total_pay_bound;
  const char *total_pay_scope; /* NULL when unstated */
  struct sort_value atoms[ROLE_QUERY_MAX_ATOMS]; /* this row's position, for a cursor */
  size_t natoms;
};

typedef int (*db_ranked_role_cb)(void *cls, const struct ranked_role *row);

/** How many atoms the sort of @a q has (the length of a cursor for it). */
size_t role_query_natoms(const struct role_query *q);

/**
 * Checks that every skill and the industry of @a f exist.
 * @param[out] unknown_param set to "skill" or "industry" when one does not
 * @param[out] unknown_value the slug that does not exist (borrowed from @a f)
 * @return DB_ONE when all exist, DB_NONE when one does not, < 0 on error
 */
enum db_status db_role_filter_check(struct db *db, const struct role_filter *f,
                                    const char **unknown_param, const char **unknown_value);

/** Counts the roles matching the filter of @a q. */
enum db_status db_role_query_count(struct db *db, const struct role_query *q, int64_t *total);

/** Calls @a cb for each role of the page; DB_NONE when the page is empty. */
enum db_status db_role_query_page(struct db *db, const struct role_query *q,
                                  db_ranked_role_cb cb, void *cls);

#endif
