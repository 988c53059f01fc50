/**
 * @file db/skills.h
 * @brief Queries about skills: the list with demand ranks, stated shares,
 *        the roles needing each and what those roles pay; one skill with
 *        its roles ranked by pay.
 *
 * Rows are handed to a callback one at a time; every string in a row is
 * borrowed and valid only during that call.
 */
#ifndef TECHPAY_DB_SKILLS_H
#define TECHPAY_DB_SKILLS_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "db/roles.h"

enum skill_sort { SKILL_SORT_DEMAND, SKILL_SORT_PAY, SKILL_SORT_NAME };

struct skill_share_row {
  const char *metric;    /* "listing_share" | "usage_share" */
  double percent;
  const char *qualifier; /* "exact" | "nearly" | "about" | "over" */
  const char *scope;     /* NULL when the source states none */
  struct source_ref source;
};

/*
 * A skill with its pay figures, and at most one of its shares. A skill
 * with several shares arrives on consecutive rows: @a first marks the row
 * that starts a new skill, the later ones repeat its fields and carry the
 * next share.
 */
struct skill_row {
  bool first;
  int64_t id;
  const char *slug;
  const char *name;
  bool has_demand_rank;   /* false: the ranked list does not name it */
  int64_t demand_rank;
  int64_t role_count;     /* roles the sources say need it */
  bool has_avg_pay;       /* false: none of those roles has pay */
  int64_t avg_pay;        /* whole USD, mean pay of those roles */
  int64_t pay_premium;    /* avg_pay minus the mean pay of all roles with pay; valid with has_avg_pay */
  bool has_source;
  struct source_ref source;
  bool has_share;
  struct skill_share_row share;
};

/* A role needing a skill, with its place in that skill's pay ranking. */
struct skill_role_row {
  struct role_row role;
  bool has_rank;          /* false for roles without pay */
  int64_t rank;           /* RANK() over pay, highest first: ties share, then skip */
  struct source_ref source; /* where the document ties the skill to the role */
};

/** Callbacks return 0 to go on, -1 to stop (the query then returns DB_HARD). */
typedef int (*db_skill_cb)(void *cls, const struct skill_row *row);
typedef int (*db_skill_role_cb)(void *cls, const struct skill_role_row *row);

enum db_status db_skills_count(struct db *db, int64_t *total);

/**
 * The mean pay of every role with pay, rounded to whole USD: the baseline
 * each pay_premium is measured against. DB_NONE when no role has pay.
 */
enum db_status db_skills_pay_baseline(struct db *db, int64_t *mean);

/** Calls @a cb for each row of the page of skills; DB_NONE when the page is empty. */
enum db_status db_skills_list(struct db *db, enum skill_sort sort, int64_t limit,
                              int64_t offset, db_skill_cb cb, void *cls);

/**
 * One skill by slug, on one row per share (one row when it has none).
 * @param[out] skill_id the skill's id for db_skill_roles()
 * @return DB_NONE when there is no such skill
 */
enum db_status db_skill_get(struct db *db, const char *slug, int64_t *skill_id,
                            db_skill_cb cb, void *cls);

/**
 * The first @a limit roles needing the skill: pay highest first, roles
 * without pay last by title.
 * @param[out] rows how many there were
 * @return DB_ONE, DB_NONE when no role needs it, or an error
 */
enum db_status db_skill_roles(struct db *db, int64_t skill_id, int64_t limit,
                              db_skill_role_cb cb, void *cls, int64_t *rows);

#endif
