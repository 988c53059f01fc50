/**
 * @file handlers/pay_groups.h
 * @brief The matching reports split by one dimension: each value's count
 *        (facets) and, when asked, its distribution (group_by). Reports
 *        that do not state the dimension are counted apart. Not an endpoint.
 */
#ifndef TECHPAY_HANDLERS_PAY_GROUPS_H
#define TECHPAY_HANDLERS_PAY_GROUPS_H

#include "handlers/pay_set.h"
#include "handlers/pay_stats.h"

struct pay_group {
  char *key;            /* the value as the filter spells it, owned */
  int rank;             /* orders before the key (the experience bands) */
  int64_t n;
  int64_t *amounts;     /* sorted, n of them, inside pay_groups.amounts; NULL for counts */
  struct pay_dist dist; /* with distributions only */
};

struct pay_groups {
  struct pay_group *g;  /* in (rank, key) order */
  size_t n, cap;
  int64_t unstated;     /* reports that do not state the dimension */
  int64_t *amounts;     /* every group's amounts, one run per group */
};

/**
 * Splits @a set by @a dim; with @a dists, sorts each group's amounts and
 * computes its distribution. @return 0, or -1 when out of memory
 * (@a out is freed either way by pay_groups_free()).
 */
int pay_groups_make(const struct pay_set *set, enum pay_dim dim, bool dists,
                    struct pay_groups *out);

void pay_groups_free(struct pay_groups *groups);

/**
 * Facets: {"<dimension>": [{"value": ..., "n": ...}, ...], ...} for every
 * dimension, with {"value": null} for the reports that state none; each
 * dimension's counts add up to the set's n. @return new reference or NULL
 */
json_t *pay_facets_json(const struct pay_set *set);

#endif
