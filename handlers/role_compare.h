/**
 * @file handlers/role_compare.h
 * @brief What GET /compare and GET /transitions share: loading several
 *        roles from one read snapshot, the pay difference between two
 *        roles, and set operations on skill lists.
 *
 * Skill lists are JSON arrays of {"slug","name","demand_rank"}, ordered
 * by demand rank (ranked skills first) and then by name. Every operation
 * here keeps that order.
 */
#ifndef TECHPAY_HANDLERS_ROLE_COMPARE_H
#define TECHPAY_HANDLERS_ROLE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "db/db.h"

/* More roles than this do not make a readable side-by-side comparison,
 * and the bound keeps one request's work small. */
#define COMPARE_MAX_ROLES 10

struct compared_role {
  json_t *role;   /* owned: slug, title, category, summary, pay, rank, total_pay */
  json_t *skills; /* owned: the skill list of the role */
  bool has_pay;
  int64_t pay_usd; /* meaningful only when has_pay */
};

struct comparison {
  struct compared_role roles[COMPARE_MAX_ROLES]; /* in the order of the slugs */
  size_t n;
  int64_t ranked_roles; /* how many roles have a pay rank at all */
  size_t missing;       /* after DB_NONE: index of the first unknown slug */
};

/**
 * Loads @a n (at most COMPARE_MAX_ROLES) roles inside one read transaction,
 * so that pay, ranks and skills all come from the same state of the data.
 * Stops at the first unknown slug.
 *
 * @param[out] c filled on DB_ONE (caller frees with comparison_clear());
 *             on any other status it holds nothing to free
 * @return DB_ONE when every role exists, DB_NONE with c->missing set, or an error
 */
enum db_status comparison_load(struct db *db, const char *const slugs[], size_t n,
                               struct comparison *c);

/** Releases what comparison_load() filled; safe on a zeroed or cleared struct. */
void comparison_clear(struct comparison *c);

/**
 * {"usd": to - from, "percent": the same relative to from, rounded to one
 * decimal}; both null unless both roles have pay.
 * @return new reference, NULL when out of memory
 */
json_t *pay_difference_json(const struct compared_role *from, const struct compared_role *to);

/** The percentage @a diff is of @a base, in tenths, rounded half away from zero. @a base > 0. */
int64_t percent_tenths(int64_t diff, int64_t base);

enum skill_match {
  SKILLS_IN_ALL,  /* keep a skill that every other list has too */
  SKILLS_IN_NONE, /* keep a skill that no other list has */
};

/**
 * The skills of @a list that match @a match against @a others, in the
 * order of @a list. With no others, SKILLS_IN_ALL and SKILLS_IN_NONE both
 * keep every skill.
 * @return new array (its items are shared with @a list), NULL when out of memory
 */
json_t *skills_select(const json_t *list, const json_t *const others[], size_t nothers,
                      enum skill_match match);

/** @return new reference: {"ranked_roles", "pay_basis"}; NULL when out of memory */
json_t *comparison_meta(const struct comparison *c);

#endif
