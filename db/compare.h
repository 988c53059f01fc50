/**
 * @file db/compare.h
 * @brief One role as the comparison endpoints need it: its summary, its
 *        place in the overall pay ranking and its highest total-compensation
 *        figure, in a single query. Its skills come from db_role_skills().
 *
 * The row handed to the callback is borrowed: every string in it is valid
 * only during that call.
 */
#ifndef TECHPAY_DB_COMPARE_H
#define TECHPAY_DB_COMPARE_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "db/roles.h"

struct compare_role_row {
  struct role_row role;
  /* Position in the ranking of every role with pay, highest first; equal
   * pay shares a position and the next one is skipped ("1, 2, 2, 4").
   * Roles without pay have no position. */
  bool has_rank;
  int64_t rank;
  int64_t ranked_roles;     /* how many roles have pay, i.e. the lowest possible rank */
  /* The role's highest total-compensation observation, as stated: its
   * bound says whether the amount is exact or only a floor or ceiling. */
  bool has_total;
  struct salary_row total;  /* meaningful only when has_total */
};

/** Returns 0 to accept the row, -1 to fail the query with DB_HARD. */
typedef int (*db_compare_role_cb)(void *cls, const struct compare_role_row *row);

/**
 * Looks up one role by slug (bound, never pasted into SQL) and calls @a cb
 * once if it exists. Run it inside db_read_begin()/db_read_end() together
 * with the other roles of a comparison, so that ranks and pay agree.
 *
 * @param[out] role_id the role's id, for db_role_skills()
 * @return DB_ONE, DB_NONE when there is no such role, or an error
 */
enum db_status db_compare_role(struct db *db, const char *slug, int64_t *role_id,
                               db_compare_role_cb cb, void *cls);

#endif
