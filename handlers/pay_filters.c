/**
 * @file handlers/pay_filters.c
 * @brief Reading the report filters of GET /pay and its relatives: each
 *        bad value is a 400 that names its parameter and says what it
 *        accepts, before any query runs.
 */
#include "handlers/pay_filters.h"

#include <string.h>

#include "db/catalog.h"
#include "handlers/problems.h"
#include "http/params.h"

const char *const pay_educations[] = {
  "high_school", "associate", "bachelor", "master", "phd", NULL,
};
const char *const pay_company_stages[] = { "startup", "growth", "established", NULL };
static const char *const booleans[] = { "false", "true", NULL };

#define EXPERIENCE_MAX 60

static bool
is_upper(char c)
{
  return c >= 'A' && c <= 'Z';
}

/* "GB", or a country with its subdivision: "US-WA", "DE-BE", "FR-75C". */
static bool
location_valid(const char *s)
{
  size_t len = strlen(s);

  if (len < 2 || !is_upper(s[0]) || !is_upper(s[1]))
    return false;
  if (2 == len)
    return true;
  if ('-' != s[2] || len < 4 || len > 6)
    return false;
  for (size_t i = 3; i < len; i++)
    if (!is_upper(s[i]) && !(s[i] >= '0' && s[i] <= '9'))
      return false;
  return true;
}

/* Whole years 0-60 written without sign or leading zero; -1 when not. */
static int
years(const char *s, size_t len)
{
  int v = 0;

  if (0 == len || len > 2 || (len > 1 && '0' == s[0]))
    return -1;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v <= EXPERIENCE_MAX ? v : -1;
}

static int
read_experience(const struct request *req, struct pay_filter *f, struct reply *rep)
{
  const char *v;
  const char *dash;
  int lo, hi = -1;

  f->exp_min = f->exp_max = -1;
  if (0 != params_single(req, "experience", &v, rep))
    return -1;
  if (NULL == v)
    return 0;
  dash = strchr(v, '-');
  lo = years(v, NULL != dash ? (size_t) (dash - v) : strlen(v));
  if (NULL != dash && '\0' != dash[1])
    hi = years(dash + 1, strlen(dash + 1));
  if (NULL == dash || lo < 0 || ('\0' != dash[1] && hi < 0))
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "experience",
                         "'experience' must be a range of whole years 0-60, such as 3-5, or"
                         " an open one such as 10- (ten and more)"), -1;
  if (hi >= 0 && hi < lo)
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "experience",
                         "'experience' %d-%d is an empty range: the first number must not"
                         " exceed the second", lo, hi), -1;
  f->exp_min = lo;
  f->exp_max = hi;
  return 0;
}

static int
read_choice(const struct request *req, const char *name, const char *const choices[],
            const char *accepted, const char **out, struct reply *rep)
{
  const char *v;

  *out = NULL;
  if (0 != params_single(req, name, &v, rep))
    return -1;
  if (NULL == v)
    return 0;
  for (size_t i = 0; NULL != choices[i]; i++)
    if (0 == strcmp(v, choices[i]))
      return *out = choices[i], 0;
  return reply_problem(rep, PROBLEM_INVALID_PARAMETER, name, "'%s' must be one of %s", name,
                       accepted), -1;
}

static int
read_roles(const struct request *req, struct pay_params *p, struct reply *rep)
{
  for (unsigned i = 0; i < req->nparams; i++) {
    const char *v = req->params[i].value;

    if (0 != strcmp(req->params[i].key, "role"))
      continue;
    if ('\0' == v[0])
      return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "role",
                           "'role' must be a role slug; GET /roles lists them"), -1;
    if (p->nroles == PAY_ROLES_MAX)
      return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "role",
                           "at most %d roles may be asked for at once", PAY_ROLES_MAX), -1;
    p->roles[p->nroles++] = v;
  }
  return 0;
}

static int
read_place(const struct request *req, struct pay_filter *f, struct reply *rep)
{
  int remote = -1;

  if (0 != params_single(req, "location", &f->location, rep)
      || 0 != params_choice(req, "remote", booleans, -1, &remote, rep))
    return -1;
  f->remote = remote;
  if (NULL != f->location && !location_valid(f->location))
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "location",
                         "'location' must be an ISO 3166-1 alpha-2 country in upper case"
                         " (GB), optionally with its ISO 3166-2 subdivision (US-WA)"), -1;
  return 0;
}

int
pay_filters_read_factors(const struct request *req, struct pay_filter *f, const char **industry,
                         struct reply *rep)
{
  if (0 != read_place(req, f, rep)
      || 0 != read_experience(req, f, rep)
      || 0 != read_choice(req, "education", pay_educations,
                          "high_school, associate, bachelor, master, phd", &f->education, rep)
      || 0 != read_choice(req, "company_stage", pay_company_stages,
                          "startup, growth, established", &f->company_stage, rep)
      || 0 != params_single(req, "industry", industry, rep)
      || 0 != params_uint(req, "year", 0, 1900, 2100, &f->year, rep))
    return -1;
  if (NULL != *industry && '\0' == (*industry)[0])
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "industry",
                         "'industry' must be an industry slug; GET /industries lists them"), -1;
  return 0;
}

int
pay_filters_read(const struct request *req, struct pay_params *p, struct reply *rep)
{
  struct pay_filter *f = &p->filter;

  memset(p, 0, sizeof *p);
  if (0 != read_roles(req, p, rep)
      || 0 != params_single(req, "category", &f->category, rep)
      || 0 != pay_filters_read_factors(req, f, &p->industry, rep))
    return -1;
  if (p->nroles > 0 && NULL != f->category)
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "category",
                         "use either role or category, not both"), -1;
  if (NULL != f->category && '\0' == f->category[0])
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "category",
                         "'category' must be a role category; GET /roles shows them"), -1;
  return 0;
}

static enum db_status
resolve_roles(struct db *db, struct pay_params *p, struct reply *rep)
{
  enum db_status status = DB_ONE;

  for (unsigned i = 0; i < p->nroles && DB_ONE == status; i++) {
    status = db_role_id(db, p->roles[i], &p->filter.role_ids[i]);
    if (DB_NONE == status)
      reply_problem(rep, PROBLEM_ROLE_NOT_FOUND, "role",
                    "there is no role '%.100s'; GET /roles lists them", p->roles[i]);
  }
  p->filter.nroles = p->nroles;
  return status;
}

enum db_status
pay_filters_resolve(struct db *db, struct pay_params *p, struct reply *rep)
{
  enum db_status status = resolve_roles(db, p, rep);

  if (DB_ONE == status && NULL != p->filter.category) {
    status = db_pay_category_exists(db, p->filter.category);
    if (DB_NONE == status)
      reply_problem(rep, PROBLEM_INVALID_PARAMETER, "category",
                    "no role has the category '%.100s'; GET /roles shows the categories",
                    p->filter.category);
  }
  if (DB_ONE == status && NULL != p->industry) {
    status = db_pay_industry_id(db, p->industry, &p->filter.industry_id);
    p->filter.has_industry = true;
    if (DB_NONE == status)
      reply_problem(rep, PROBLEM_INVALID_PARAMETER, "industry",
                    "there is no industry '%.100s'; GET /industries lists them", p->industry);
  }
  return status;
}
