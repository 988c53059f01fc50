/**
 * @file handlers/factor_params.c
 * @brief The pay-factor filters of a list (see handlers/factor_params.h).
 */
#include "handlers/factor_params.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db/catalog.h"
#include "handlers/problems.h"
#include "handlers/validate.h"
#include "http/params.h"
#include "model/country.h"
#include "model/vocab.h"
#include "util/number.h"

static const char *const booleans[] = { "false", "true", NULL };

static int
read_location(const struct request *req, struct factor_filter *f, struct reply *rep)
{
  const char *v;

  if (0 != params_single(req, "location", &v, rep))
    return -1;
  if (NULL != v && LOCATION_OK != location_check(v, strlen(v)))
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "location",
                         "'location' must be an assigned ISO 3166-1 alpha-2 country code,"
                         " optionally with an ISO 3166-2 subdivision, in upper case: GB, US,"
                         " US-WA, DE-BE"), -1;
  f->location = v;
  return 0;
}

/* "N" (N..N), "N-M" (N..M) or "N-" (N and more), whole years. */
static int
read_experience(const struct request *req, struct factor_filter *f, struct reply *rep)
{
  const char *v;
  const char *dash;
  uint64_t lo;
  uint64_t hi = MODEL_EXPERIENCE_MAX;

  if (0 != params_single(req, "experience", &v, rep))
    return -1;
  if (NULL == v)
    return 0;
  dash = strchr(v, '-');
  if (0 != number_parse_digits(v, NULL == dash ? strlen(v) : (size_t) (dash - v),
                               MODEL_EXPERIENCE_MAX, &lo)
      || (NULL != dash && '\0' != dash[1]
          && 0 != number_parse_digits(dash + 1, strlen(dash + 1), MODEL_EXPERIENCE_MAX, &hi)))
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "experience",
                         "'experience' must be whole years from 0 to %d: a range 3-5, an open"
                         " range 10- (ten and more), or one number", MODEL_EXPERIENCE_MAX), -1;
  if (NULL == dash)
    hi = lo;
  if (lo > hi)
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "experience",
                         "'experience' must not start (%" PRIu64 ") above its end (%" PRIu64 ")",
                         lo, hi), -1;
  f->has_experience = true;
  f->experience_min = (int64_t) lo;
  f->experience_max = (int64_t) hi;
  return 0;
}

static int
optional_choice(const struct request *req, const char *name, const char *const choices[],
                const char **out, struct reply *rep)
{
  int i = -1;

  if (0 != params_choice(req, name, choices, -1, &i, rep))
    return -1;
  *out = i < 0 ? NULL : choices[i];
  return 0;
}

int
factor_params_read(const struct request *req, struct factor_params *p, struct reply *rep)
{
  struct factor_filter *f = &p->filter;
  int remote = -1;

  memset(p, 0, sizeof *p);
  if (0 != read_location(req, f, rep) || 0 != params_choice(req, "remote", booleans, -1,
                                                             &remote, rep)
      || 0 != read_experience(req, f, rep)
      || 0 != optional_choice(req, "education", report_educations, &f->education, rep)
      || 0 != params_single(req, "industry", &p->industry, rep)
      || 0 != optional_choice(req, "company_stage", report_company_stages, &f->company_stage,
                              rep))
    return -1;
  f->has_remote = remote >= 0;
  f->remote = 1 == remote;
  if (NULL != p->industry && 0 != validate_slug(p->industry))
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "industry",
                         "'industry' must be an industry slug; GET /industries lists them"), -1;
  return 0;
}

enum db_status
factor_params_resolve(struct db *db, struct factor_params *p, struct reply *rep)
{
  enum db_status st;

  if (NULL == p->industry)
    return DB_ONE;
  st = db_industry_id(db, p->industry, &p->filter.industry_id);
  p->filter.has_industry = DB_ONE == st;
  if (DB_NONE == st)
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, "industry",
                  "there is no industry '%.100s'; GET /industries lists them", p->industry);
  return st;
}

void
factor_params_text(const struct factor_params *p, char *out, size_t size)
{
  const struct factor_filter *f = &p->filter;

  snprintf(out, size, "%s|%d%d|%d:%" PRId64 "-%" PRId64 "|%s|%s|%s",
           f->location ? f->location : "", f->has_remote, f->remote, f->has_experience,
           f->experience_min, f->experience_max, f->education ? f->education : "",
           p->industry ? p->industry : "", f->company_stage ? f->company_stage : "");
}
