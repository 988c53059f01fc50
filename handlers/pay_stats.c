/**
 * @file handlers/pay_stats.c
 * @brief Percentiles, median and mean of sorted amounts, and their JSON.
 */
#include "handlers/pay_stats.h"

#include <stdio.h>
#include <stdlib.h>

/* The report at rank ceil(p x n / 100), as (n * p + 99) / 100 in 0006. */
static int64_t
nearest_rank(const int64_t *sorted, int64_t n, int64_t p)
{
  return sorted[(n * p + 99) / 100 - 1];
}

void
pay_dist_compute(const int64_t *sorted, int64_t n, int64_t min_reports, struct pay_dist *d)
{
  int64_t sum = 0;

  *d = (struct pay_dist) { .n = n, .suppressed = n < 1 || n < min_reports };
  if (d->suppressed)
    return;
  for (int64_t i = 0; i < n; i++)
    sum += sorted[i];
  d->p10 = nearest_rank(sorted, n, 10);
  d->p25 = nearest_rank(sorted, n, 25);
  d->p50 = (sorted[(n + 1) / 2 - 1] + sorted[(n + 2) / 2 - 1] + 1) / 2;
  d->p75 = nearest_rank(sorted, n, 75);
  d->p90 = nearest_rank(sorted, n, 90);
  d->min = sorted[0];
  d->max = sorted[n - 1];
  d->mean = (2 * sum + n) / (2 * n);
}

const char *
pay_suppressed_reason(int64_t n, int64_t min_reports, char *buf, size_t size)
{
  if (n < 1)
    return "no matching reports";
  if (n >= min_reports)
    return NULL;
  snprintf(buf, size, "fewer than %lld matching reports (min_reports): no figure is shown so"
           " that none reveals a report", (long long) min_reports);
  return buf;
}

static json_t *
figure(const struct pay_dist *d, int64_t v)
{
  return d->suppressed ? json_null() : json_integer(v);
}

json_t *
pay_dist_json(const struct pay_dist *d, int64_t min_reports, const char *group_key,
              json_t *group)
{
  char buf[160];
  const char *reason = pay_suppressed_reason(d->n, min_reports, buf, sizeof buf);
  json_t *o = json_object();

  if (NULL == o) {
    json_decref(group);
    return NULL;
  }
  if (NULL != group_key)
    json_object_set_new(o, group_key, group);
  if (0 != json_object_set_new(o, "n", json_integer(d->n))
      || 0 != json_object_set_new(o, "suppressed", json_boolean(d->suppressed))
      || 0 != json_object_set_new(o, "reason", reason ? json_string(reason) : json_null())
      || 0 != json_object_set_new(o, "p10", figure(d, d->p10))
      || 0 != json_object_set_new(o, "p25", figure(d, d->p25))
      || 0 != json_object_set_new(o, "p50", figure(d, d->p50))
      || 0 != json_object_set_new(o, "p75", figure(d, d->p75))
      || 0 != json_object_set_new(o, "p90", figure(d, d->p90))
      || 0 != json_object_set_new(o, "min", figure(d, d->min))
      || 0 != json_object_set_new(o, "max", figure(d, d->max))
      || 0 != json_object_set_new(o, "mean", figure(d, d->mean))) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static int
cmp_amount(const void *a, const void *b)
{
  int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;

  return (x > y) - (x < y);
}

void
pay_sort_amounts(int64_t *amounts, size_t n)
{
  size_t i = 1;

  while (i < n && amounts[i - 1] <= amounts[i]) /* the snapshot's subsets come sorted */
    i++;
  if (i < n) /* and so never with a NULL base */
    qsort(amounts, n, sizeof *amounts, cmp_amount);
}

int64_t
pay_standing_tenths(const int64_t *sorted, int64_t n, int64_t amount)
{
  int64_t below = 0, equal = 0;
  int64_t lo = 0, hi = n;

  while (lo < hi) { /* first index not below amount */
    int64_t mid = lo + (hi - lo) / 2;

    if (sorted[mid] < amount)
      lo = mid + 1;
    else
      hi = mid;
  }
  below = lo;
  while (below + equal < n && sorted[below + equal] == amount)
    equal++;
  /* 1000 x (below + equal / 2) / n, rounded half up: (2000 b + 1000 e + n) / 2n */
  return (2000 * below + 1000 * equal + n) / (2 * n);
}
