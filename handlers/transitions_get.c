/**
 * @file handlers/transitions_get.c
 * @brief GET /transitions?from=a&to=b: what moving from role a to role b
 *        means for pay and skills.
 *
 * 200:
 *   {"data": {
 *      "from": {"slug", "title", "category", "summary", "pay", "rank", "total_pay"},
 *      "to":   {...the same fields...},
 *                                  (as the role entries of GET /compare, without skills:
 *                                   the three lists below partition them)
 *      "pay_difference": {"usd": 10994 | null, "percent": 8.1 | null},
 *                                  (to - from, percent of from's pay rounded to one
 *                                   decimal; nulls unless both have pay)
 *      "skills_to_learn": [{"slug", "name", "demand_rank"}],  (b needs, a lacks)
 *      "skills_not_needed": [...],                              (a has, b does not need)
 *      "shared_skills": [...]},                                 (both need)
 *    "meta": {"ranked_roles": 5, "pay_basis": "..."}}
 *
 * Every skill list is ordered by demand rank, ranked skills first, then by
 * name. Errors: 400 when from or to is missing, empty or repeated, when
 * they are the same role, or when another parameter is given; 404 naming
 * the unknown slug.
 */
#include "handlers/handlers.h"

#include <string.h>

#include "handlers/app.h"
#include "handlers/role_compare.h"
#include "http/params.h"

/* The value of a required slug parameter, or a 400 naming it and -1. */
static int
required_slug(const struct request *req, const char *name, const char **value,
              struct reply *rep)
{
  if (0 != params_single(req, name, value, rep))
    return -1;
  if (NULL == *value || '\0' == (*value)[0]) {
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, name,
                  "'%s' is required: the slug of a role (GET /roles lists them)", name);
    return -1;
  }
  return 0;
}

static json_t *
transition_json(const struct comparison *c)
{
  const struct compared_role *from = &c->roles[0];
  const struct compared_role *to = &c->roles[1];
  const json_t *from_skills[] = { from->skills };
  const json_t *to_skills[] = { to->skills };

  return json_pack("{s:{s:O, s:O, s:o, s:o, s:o, s:o}, s:o}",
                   "data",
                   "from", from->role,
                   "to", to->role,
                   "pay_difference", pay_difference_json(from, to),
                   "skills_to_learn", skills_select(to->skills, from_skills, 1, SKILLS_IN_NONE),
                   "skills_not_needed", skills_select(from->skills, to_skills, 1, SKILLS_IN_NONE),
                   "shared_skills", skills_select(from->skills, to_skills, 1, SKILLS_IN_ALL),
                   "meta", comparison_meta(c));
}

int
h_transitions_get(const struct request *req, struct reply *rep)
{
  const char *slugs[2];
  struct comparison c;
  enum db_status status;
  int ret;

  if (0 != required_slug(req, "from", &slugs[0], rep)
      || 0 != required_slug(req, "to", &slugs[1], rep))
    return 0;
  if (0 == strcmp(slugs[0], slugs[1]))
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "to",
                         "'from' and 'to' are both '%.100s'; a transition needs two different roles",
                         slugs[0]);
  status = comparison_load(req_db(req), slugs, 2, &c);
  if (DB_NONE == status)
    ret = reply_problem(rep, PROBLEM_ROLE_NOT_FOUND, 0 == c.missing ? "from" : "to",
                        "there is no role '%.100s'; GET /roles lists them", slugs[c.missing]);
  else if (DB_ONE != status)
    ret = reply_db_error(rep, status);
  else
    ret = reply_json(rep, 200, transition_json(&c));
  comparison_clear(&c);
  return ret;
}
