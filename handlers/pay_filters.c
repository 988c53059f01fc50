/**
 * @file handlers/pay_filters.c
 * @brief Reading the report filters of GET /pay and its relatives: each
 *        bad value is a 400 that names its parameter and says what it
 *        accepts, before any query runs.
 */
#include "handlers/pay_filters.h"

#include <string.h>

#include "db/catalog.h"
#include "handlers/factor_params.h"
#include "handlers/problems.h"
#include "http/params.h"
#include "model/vocab.h"

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

int
pay_filters_read_factors(const struct request *req, struct pay_filter *f, const char **industry,
                         struct reply *rep)
{
  struct factor_params fp;
  const struct factor_filter *ff = &fp.filter;

  /* the same parameters, rules and messages as GET /salaries' filters */
  if (0 != factor_params_read(req, &fp, rep)
      || 0 != params_uint(req, "year", 0, 1900, 2100, &f->year, rep))
    return -1;
  f->location = ff->location;
  f->remote = ff->has_remote ? ff->remote : -1;
  f->exp_min = ff->has_experience ? ff->experience_min : -1;
  /* "10-": no upper end, which is what the schema's own bound says too */
  f->exp_max = ff->has_experience && ff->experience_max < MODEL_EXPERIENCE_MAX
                 ? ff->experience_max : -1;
  f->education = ff->education;
  f->company_stage = ff->company_stage;
  *industry = fp.industry;
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
    status = db_industry_id(db, p->industry, &p->filter.industry_id);
    p->filter.has_industry = true;
    if (DB_NONE == status)
      reply_problem(rep, PROBLEM_INVALID_PARAMETER, "industry",
                    "there is no industry '%.100s'; GET /industries lists them", p->industry);
  }
  return status;
}
