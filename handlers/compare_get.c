/**
 * @file handlers/compare_get.c
 * @brief GET /compare?roles=a,b[,c...]: two to ten roles side by side,
 *        in the order given; the first is the baseline.
 *
 * 200:
 *   {"data": {
 *      "baseline": "a",
 *      "roles": [                       (in the order given)
 *        {"slug", "title", "category", "summary",
 *         "pay": 146085 | null,         (as in GET /roles)
 *         "rank": 1 | null,             (place among all roles with pay, "1, 2, 2, 4")
 *         "total_pay": null | {"amount", "currency", "statistic", "bound", "scope",
 *                              "year", "source"},
 *                                       (the highest total-compensation figure; "bound"
 *                                        is "exact", "at_least" or "below")
 *         "skills": [{"slug", "name", "demand_rank"}],
 *         "difference": {"usd": -9840 | null, "percent": -6.7 | null}},
 *                                       (against the baseline; not on the baseline
 *                                        itself; nulls unless both have pay)
 *        ...],
 *      "shared_skills": [...],          (skills every compared role needs)
 *      "unique_skills": {"a": [...], "b": [...]}},
 *                                       (per role: skills no other compared role needs)
 *    "meta": {"ranked_roles": 5, "pay_basis": "..."}}
 *
 * Every skill list is ordered by demand rank, ranked skills first, then by
 * name. Errors: 400 when roles is missing, repeated, has an empty element,
 * a duplicate, fewer than 2 or more than 10 slugs, or when another
 * parameter is given; 404 naming the first unknown slug.
 */
#include "handlers/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/app.h"
#include "handlers/role_compare.h"
#include "http/params.h"

#define ROLES_USAGE "2 to 10 role slugs separated by commas, the baseline first"

struct slug_list {
  char *buf; /* owned copy of the parameter, split in place */
  const char *slugs[COMPARE_MAX_ROLES];
  size_t n;
};

static int
invalid_roles(struct reply *rep, const char *why)
{
  reply_problem(rep, PROBLEM_INVALID_PARAMETER, "roles", "'roles' %s; it takes " ROLES_USAGE, why);
  return -1;
}

/* Finds a slug named twice; the list is short enough for pairwise checks. */
static const char *
first_duplicate(const struct slug_list *l)
{
  for (size_t i = 1; i < l->n; i++)
    for (size_t j = 0; j < i; j++)
      if (0 == strcmp(l->slugs[i], l->slugs[j]))
        return l->slugs[i];
  return NULL;
}

/* Splits the copy at the commas; the caller has counted them. */
static void
split_slugs(struct slug_list *l)
{
  char *p = l->buf;

  l->n = 0;
  for (;;) {
    char *comma = strchr(p, ',');

    l->slugs[l->n++] = p;
    if (NULL == comma)
      return;
    *comma = '\0';
    p = comma + 1;
  }
}

/* Fills @a l from the roles parameter, or fills @a rep with a 400 and returns -1. */
static int
parse_roles(const struct request *req, struct slug_list *l, struct reply *rep)
{
  const char *value;
  const char *dup;
  size_t n = 1;

  if (0 != params_single(req, "roles", &value, rep))
    return -1;
  if (NULL == value || '\0' == value[0])
    return invalid_roles(rep, "is required");
  for (const char *p = value; '\0' != *p; p++)
    n += ',' == *p ? 1 : 0;
  if (n < 2)
    return invalid_roles(rep, "names only one role");
  if (n > COMPARE_MAX_ROLES)
    return invalid_roles(rep, "names more than 10 roles");
  l->buf = strdup(value);
  if (NULL == l->buf) {
    reply_problem(rep, PROBLEM_INTERNAL, NULL, "out of memory");
    return -1;
  }
  split_slugs(l);
  for (size_t i = 0; i < l->n; i++)
    if ('\0' == l->slugs[i][0])
      return invalid_roles(rep, "has an empty element");
  dup = first_duplicate(l);
  if (NULL != dup) {
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, "roles",
                  "'roles' names '%.100s' twice; each role may appear once", dup);
    return -1;
  }
  return 0;
}

/* Adds skills and, after the baseline, the difference to each role entry. */
static json_t *
roles_json(const struct comparison *c)
{
  json_t *roles = json_array();

  for (size_t i = 0; NULL != roles && i < c->n; i++) {
    const struct compared_role *r = &c->roles[i];

    if (0 != json_object_set(r->role, "skills", r->skills)
        || (i > 0 && 0 != json_object_set_new(r->role, "difference",
                                               pay_difference_json(&c->roles[0], r)))
        || 0 != json_array_append(roles, r->role)) {
      json_decref(roles);
      roles = NULL;
    }
  }
  return roles;
}

/* For each role, the skills none of the other compared roles needs. */
static json_t *
unique_skills_json(const struct comparison *c, const struct slug_list *l)
{
  json_t *unique = json_object();

  for (size_t i = 0; NULL != unique && i < c->n; i++) {
    const json_t *others[COMPARE_MAX_ROLES];
    size_t nothers = 0;

    for (size_t j = 0; j < c->n; j++)
      if (j != i)
        others[nothers++] = c->roles[j].skills;
    if (0 != json_object_set_new(unique, l->slugs[i],
                                 skills_select(c->roles[i].skills, others, nothers,
                                               SKILLS_IN_NONE))) {
      json_decref(unique);
      unique = NULL;
    }
  }
  return unique;
}

static json_t *
shared_skills_json(const struct comparison *c)
{
  const json_t *others[COMPARE_MAX_ROLES];

  for (size_t j = 1; j < c->n; j++)
    others[j - 1] = c->roles[j].skills;
  return skills_select(c->roles[0].skills, others, c->n - 1, SKILLS_IN_ALL);
}

static json_t *
comparison_json(const struct comparison *c, const struct slug_list *l)
{
  return json_pack("{s:{s:s, s:o, s:o, s:o}, s:o}",
                   "data",
                   "baseline", l->slugs[0],
                   "roles", roles_json(c),
                   "shared_skills", shared_skills_json(c),
                   "unique_skills", unique_skills_json(c, l),
                   "meta", comparison_meta(c));
}

int
h_compare_get(const struct request *req, struct reply *rep)
{
  struct slug_list l = { .buf = NULL };
  struct comparison c;
  enum db_status status;
  int ret;

  if (0 != parse_roles(req, &l, rep)) {
    free(l.buf);
    return 0;
  }
  status = comparison_load(req_db(req), l.slugs, l.n, &c);
  if (DB_NONE == status)
    ret = reply_problem(rep, PROBLEM_ROLE_NOT_FOUND, "roles",
                        "there is no role '%.100s'; GET /roles lists them",
                        l.slugs[c.missing]);
  else if (DB_ONE != status)
    ret = reply_db_error(rep, status);
  else
    ret = reply_json(rep, 200, comparison_json(&c, &l));
  comparison_clear(&c);
  free(l.buf);
  return ret;
}
