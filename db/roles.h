/**
 * @file db/roles.h
 * @brief Queries about roles: rankings and one role with its evidence.
 *
 * Rows are handed to a callback one at a time; every string in a row is
 * borrowed and valid only during that call.
 */
#ifndef TECHPAY_DB_ROLES_H
#define TECHPAY_DB_ROLES_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

enum sort_order { SORT_ASC, SORT_DESC };

struct role_row {
  const char *slug;
  const char *title;
  const char *category;
  const char *summary;
  bool has_pay;
  int64_t pay_usd; /* meaningful only when has_pay */
  struct pay_spread {
    const char *basis; /* "published_average", "reported_median", or NULL (no pay, or not read) */
    int64_t n;         /* individual base reports */
    bool has_spread;   /* the percentiles below count: n >= the pay rule's minimum */
    int64_t p25, p50, p75;
  } spread;            /* filled by the queries of one role (detail, comparison) */
};

struct source_ref {
  int64_t id;
  const char *slug;
  const char *title;
  const char *section;
};

struct salary_row {
  int64_t id;
  int64_t amount_usd;
  const char *kind;      /* "base" | "total" */
  const char *statistic; /* "average" | "median" | "minimum" | "maximum" */
  const char *bound;     /* "exact" | "at_least" | "below" */
  const char *scope;     /* NULL when the source states none */
  bool has_year;
  int64_t year;
  const char *note;      /* NULL when none */
  struct source_ref source;
};

struct role_skill_row {
  const char *slug;
  const char *name;
  bool has_demand_rank;
  int64_t demand_rank;
  struct source_ref source;
};

/** Callbacks return 0 to go on, -1 to stop (the query then returns DB_HARD). */
typedef int (*db_role_cb)(void *cls, const struct role_row *row);
typedef int (*db_source_cb)(void *cls, const struct source_ref *row);
typedef int (*db_salary_cb)(void *cls, const struct salary_row *row);
typedef int (*db_role_skill_cb)(void *cls, const struct role_skill_row *row);


/**
 * Looks up one role by slug and calls @a cb once if it exists.
 * @param[out] role_id the role's id for the detail queries below
 */
enum db_status db_role_get(struct db *db, const char *slug, int64_t *role_id,
                           db_role_cb cb, void *cls);
enum db_status db_role_mentions(struct db *db, int64_t role_id, db_source_cb cb, void *cls);
/**
 * The role's first @a limit salary figures, by kind, statistic, amount (highest first).
 * @param[out] rows how many there were
 */
enum db_status db_role_salaries(struct db *db, int64_t role_id, int64_t limit,
                                db_salary_cb cb, void *cls, int64_t *rows);
enum db_status db_role_skills(struct db *db, int64_t role_id, db_role_skill_cb cb, void *cls);

#endif
