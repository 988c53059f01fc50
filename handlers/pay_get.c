/**
 * @file handlers/pay_get.c
 * @brief GET /pay: the distribution of the matching individual reports,
 *        optionally with facet counts, or with group_by one distribution
 *        per value of a dimension, filtered by min_n, sorted and paged.
 *
 * The cost is one pass over the matching reports of the in-memory snapshot
 * (handlers/pay_snapshot.h; the store when there is none), bounded by the
 * number of reports; answers are cached by URL and data version like
 * every read.
 */
#include "handlers/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/pay_groups.h"
#include "handlers/problems.h"
#include "http/params.h"

#define GROUPS_DEFAULT_LIMIT 100
#define GROUPS_MAX_LIMIT 1000
#define GROUPS_MAX_OFFSET 1000000
#define MIN_N_MAX 1000000000

static const char *const sort_names[] = {
  "group", "n", "p10", "p25", "p50", "p75", "p90", "min", "max", "mean", NULL,
};
static const char *const order_names[] = { "asc", "desc", NULL };
static const char *const booleans[] = { "false", "true", NULL };

struct group_request {
  int dim;            /* -1: no group_by */
  int64_t min_n;
  int sort, order;
  int64_t limit, offset;
  bool facets;
};

static int
read_request(const struct request *req, struct group_request *g, struct reply *rep)
{
  int facets = 0;

  if (0 != params_choice(req, "group_by", pay_dim_names, -1, &g->dim, rep)
      || 0 != params_uint(req, "min_n", 0, 0, MIN_N_MAX, &g->min_n, rep)
      || 0 != params_choice(req, "sort", sort_names, 0, &g->sort, rep)
      || 0 != params_choice(req, "order", order_names, 0, &g->order, rep)
      || 0 != params_uint(req, "limit", GROUPS_DEFAULT_LIMIT, 1, GROUPS_MAX_LIMIT, &g->limit, rep)
      || 0 != params_uint(req, "offset", 0, 0, GROUPS_MAX_OFFSET, &g->offset, rep)
      || 0 != params_choice(req, "facets", booleans, 0, &facets, rep))
    return -1;
  g->facets = 1 == facets;
  if (g->dim < 0 && g->facets)
    return 0;
  if (g->dim >= 0 && g->facets)
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "facets",
                         "facets are counted for one distribution: leave out group_by"), -1;
  return 0;
}

static json_t *
meta_json(const struct pay_set *set)
{
  return json_pack("{s:s, s:s, s:I}", "method", PAY_METHOD, "currency", "USD", "min_reports",
                   (json_int_t) set->min_reports);
}

static int
reply_one(const struct pay_set *set, bool facets, struct reply *rep)
{
  int64_t *amounts = malloc((set->n ? set->n : 1) * sizeof *amounts);
  struct pay_dist d;
  json_t *data;

  if (NULL == amounts)
    return -1;
  for (size_t i = 0; i < set->n; i++)
    amounts[i] = pay_set_entry(set, i)->amount;
  pay_sort_amounts(amounts, set->n);
  pay_dist_compute(amounts, (int64_t) set->n, set->min_reports, &d);
  free(amounts);
  data = pay_dist_json(&d, set->min_reports, NULL, NULL);
  if (NULL != data && facets && 0 != json_object_set_new(data, "facets", pay_facets_json(set)))
    json_decref(data), data = NULL;
  if (NULL == data)
    return -1;
  return reply_json(rep, 200, json_pack("{s:o, s:o}", "data", data, "meta", meta_json(set)));
}

/* The sort of the groups, per thread: qsort takes no context. */
static _Thread_local const struct group_request *sorting;

static int64_t
figure(const struct pay_group *g, int sort)
{
  const struct pay_dist *d = &g->dist;
  const int64_t v[] = { 0, d->n, d->p10, d->p25, d->p50, d->p75, d->p90, d->min, d->max,
                        d->mean };

  return v[sort];
}

/* Suppressed groups have no figure: they come after the others in either order. */
static int
cmp_groups(const void *a, const void *b)
{
  const struct pay_group *x = a, *y = b;
  int s = sorting->sort;

  if (s >= 2 && x->dist.suppressed != y->dist.suppressed)
    return x->dist.suppressed ? 1 : -1;
  if (s >= 1 && !(s >= 2 && x->dist.suppressed) && figure(x, s) != figure(y, s)) {
    int c = figure(x, s) < figure(y, s) ? -1 : 1;

    return 1 == sorting->order ? -c : c;
  }
  if (x->rank != y->rank)
    return (x->rank < y->rank ? -1 : 1) * (0 == s && 1 == sorting->order ? -1 : 1);
  return strcmp(x->key, y->key) * (0 == s && 1 == sorting->order ? -1 : 1);
}

static json_t *
groups_meta(const struct pay_set *set, const struct group_request *g, size_t kept,
            int64_t unstated)
{
  json_t *meta = meta_json(set);

  if (NULL != meta
      && 0 != json_object_update_new(meta, json_pack(
           "{s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "group_by", pay_dim_names[g->dim],
           "min_n", (json_int_t) g->min_n, "sort", sort_names[g->sort],
           "order", order_names[g->order], "limit", (json_int_t) g->limit,
           "offset", (json_int_t) g->offset, "total", (json_int_t) kept,
           "n", (json_int_t) set->n, "unstated", (json_int_t) unstated)))
    json_decref(meta), meta = NULL;
  return meta;
}

static int
reply_groups(const struct pay_set *set, const struct group_request *g, struct reply *rep)
{
  struct pay_groups gr = { .g = NULL };
  json_t *data = json_array();
  size_t kept = 0;
  int rc = -1;

  if (NULL != data && 0 == pay_groups_make(set, (enum pay_dim) g->dim, true, &gr)) {
    for (size_t i = 0; i < gr.n; i++) { /* min_n leaves smaller groups out */
      if (gr.g[i].n >= g->min_n)
        gr.g[kept++] = gr.g[i];
      else
        free(gr.g[i].key);
    }
    gr.n = kept;
    sorting = g;
    if (gr.n > 1) /* qsort may not be given a NULL base, even for none */
      qsort(gr.g, gr.n, sizeof *gr.g, cmp_groups);
    rc = 0;
    for (size_t i = (size_t) g->offset; 0 == rc && i < gr.n
         && i < (size_t) (g->offset + g->limit); i++)
      rc = json_array_append_new(data, pay_dist_json(&gr.g[i].dist, set->min_reports, "group",
                                                     json_string(gr.g[i].key)));
    if (0 == rc)
      rc = reply_json(rep, 200, json_pack("{s:O, s:o}", "data", data, "meta",
                                          groups_meta(set, g, kept, gr.unstated)));
  }
  pay_groups_free(&gr);
  json_decref(data);
  return rc;
}

int
h_pay_get(const struct request *req, struct reply *rep)
{
  struct group_request g = { .dim = -1 };
  struct pay_set set;
  bool names;
  int rc;

  if (0 != read_request(req, &g, rep))
    return 0;
  names = g.facets || DIM_ROLE == g.dim || DIM_CATEGORY == g.dim || DIM_INDUSTRY == g.dim;
  if (0 != pay_set_load(req, names, &set, rep))
    return 0;
  rc = g.dim < 0 ? reply_one(&set, g.facets, rep) : reply_groups(&set, &g, rep);
  pay_set_free(&set);
  return rc;
}
