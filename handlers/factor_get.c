/**
 * @file handlers/factor_get.c
 * @brief GET /factors/{slug}: how much one factor moves pay, measured on
 *        the individual reports: each value's median relative to the
 *        median of every matching report, with the count of each. The
 *        same filters as GET /pay; a value below min_reports shows only
 *        its count, as does an overall median that is suppressed.
 */
#include "handlers/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/pay_groups.h"
#include "handlers/problems.h"

/* The factors of /factors that a report states, and the dimension of each. */
static const struct {
  const char *slug;
  const char *name;
  enum pay_dim dim;
} measured[] = {
  { "location", "Location", DIM_COUNTRY },
  { "education", "Education", DIM_EDUCATION },
  { "experience", "Experience", DIM_EXPERIENCE },
  { "industry", "Industry", DIM_INDUSTRY },
  { "company-stage", "Company Stage", DIM_COMPANY_STAGE },
};
#define NMEASURED (sizeof measured / sizeof measured[0])

/* p50 / overall to three decimals, rounded half up, or null when either is hidden. */
static json_t *
relative(const struct pay_dist *value, const struct pay_dist *overall)
{
  if (value->suppressed || overall->suppressed)
    return json_null();
  return json_real((double) ((2000 * value->p50 + overall->p50) / (2 * overall->p50)) / 1000.0);
}

static json_t *
value_json(const struct pay_group *g, const struct pay_dist *overall, int64_t min_reports)
{
  char buf[160];
  const char *reason = pay_suppressed_reason(g->n, min_reports, buf, sizeof buf);

  return json_pack("{s:s, s:I, s:b, s:o, s:o, s:o}", "value", g->key, "n", (json_int_t) g->n,
                   "suppressed", g->dist.suppressed,
                   "reason", reason ? json_string(reason) : json_null(),
                   "p50", g->dist.suppressed ? json_null() : json_integer(g->dist.p50),
                   "relative", relative(&g->dist, overall));
}

static int
overall_dist(const struct pay_set *set, struct pay_dist *d)
{
  int64_t *amounts = malloc((set->n ? set->n : 1) * sizeof *amounts);

  if (NULL == amounts)
    return -1;
  for (size_t i = 0; i < set->n; i++)
    amounts[i] = pay_set_entry(set, i)->amount;
  pay_sort_amounts(amounts, set->n);
  pay_dist_compute(amounts, (int64_t) set->n, set->min_reports, d);
  free(amounts);
  return 0;
}

static json_t *
meta_json(size_t f, const struct pay_set *set, const struct pay_dist *overall, int64_t unstated)
{
  return json_pack("{s:s, s:s, s:s, s:{s:I, s:b, s:o}, s:I, s:s, s:I}",
                   "factor", measured[f].slug, "name", measured[f].name,
                   "dimension", pay_dim_names[measured[f].dim],
                   "overall", "n", (json_int_t) overall->n, "suppressed", overall->suppressed,
                   "p50", overall->suppressed ? json_null() : json_integer(overall->p50),
                   "unstated", (json_int_t) unstated,
                   "method", "relative = p50 of the value / p50 of every matching report, to"
                   " three decimals, rounded half up; " PAY_METHOD,
                   "min_reports", (json_int_t) set->min_reports);
}

static int
reply_factor(size_t f, const struct pay_set *set, struct reply *rep)
{
  struct pay_groups gr = { .g = NULL };
  struct pay_dist overall;
  json_t *data = json_array();
  int rc = -1;

  if (NULL != data && 0 == overall_dist(set, &overall)
      && 0 == pay_groups_make(set, measured[f].dim, true, &gr)) {
    rc = 0;
    for (size_t i = 0; 0 == rc && i < gr.n; i++)
      rc = json_array_append_new(data, value_json(&gr.g[i], &overall, set->min_reports));
    if (0 == rc)
      rc = reply_json(rep, 200, json_pack("{s:O, s:o}", "data", data, "meta",
                                          meta_json(f, set, &overall, gr.unstated)));
  }
  pay_groups_free(&gr);
  json_decref(data);
  return rc;
}

int
h_factor_get(const struct request *req, struct reply *rep)
{
  const char *slug = req->args[0];
  struct pay_set set;
  size_t f = 0;
  int rc;

  while (f < NMEASURED && 0 != strcmp(measured[f].slug, slug))
    f++;
  if (f == NMEASURED)
    return reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                         "there is no measurable factor '%.100s'; GET /factors lists them"
                         " (location, education, experience, industry, company-stage)", slug);
  if (0 != pay_set_load(req, DIM_INDUSTRY == measured[f].dim, &set, rep))
    return 0;
  rc = reply_factor(f, &set, rep);
  pay_set_free(&set);
  return rc;
}
