/**
 * @file handlers/pay_groups.c
 * @brief Splitting reports by a dimension in time linear in their number
 *        (plus sorting each group's amounts): each report's value is
 *        looked up in a small hash table of the values seen, the amounts
 *        are placed group by group by counting, then each run is sorted.
 */
#include "handlers/pay_groups.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"

struct key_table {
  int32_t *slot;  /* group index + 1; 0: empty */
  size_t cap;     /* a power of two, at least twice the groups */
};

static int
grow_table(struct key_table *t, const struct pay_groups *out)
{
  size_t cap = t->cap ? t->cap * 2 : 64;
  int32_t *slot = calloc(cap, sizeof *slot);

  if (NULL == slot)
    return -1;
  for (size_t i = 0; i < out->n; i++) {
    size_t h = (size_t) hash_str(HASH_INIT, out->g[i].key) & (cap - 1);

    while (0 != slot[h])
      h = (h + 1) & (cap - 1);
    slot[h] = (int32_t) i + 1;
  }
  free(t->slot);
  t->slot = slot, t->cap = cap;
  return 0;
}

static int
add_group(struct pay_groups *out, const char *key, int rank)
{
  if (out->n == out->cap) {
    size_t cap = out->cap ? out->cap * 2 : 16;
    struct pay_group *grown = realloc(out->g, cap * sizeof *grown);

    if (NULL == grown)
      return -1;
    out->g = grown, out->cap = cap;
  }
  out->g[out->n] = (struct pay_group) { .key = strdup(key), .rank = rank };
  return NULL == out->g[out->n++].key ? -1 : 0;
}

/* The index of @a key's group, made when new; -1 when out of memory. */
static int32_t
intern(struct key_table *t, struct pay_groups *out, const char *key, int rank)
{
  size_t h;

  if (2 * (out->n + 1) > t->cap && 0 != grow_table(t, out))
    return -1;
  h = (size_t) hash_str(HASH_INIT, key) & (t->cap - 1);
  for (; 0 != t->slot[h]; h = (h + 1) & (t->cap - 1))
    if (0 == strcmp(out->g[t->slot[h] - 1].key, key))
      return t->slot[h] - 1;
  if (0 != add_group(out, key, rank))
    return -1;
  t->slot[h] = (int32_t) out->n;
  return (int32_t) out->n - 1;
}

/* Each report's group (-1: unstated) into @a gid, counting each group. */
static int
assign(const struct pay_set *set, enum pay_dim dim, int32_t *gid, struct pay_groups *out)
{
  struct key_table t = { .slot = NULL };
  char buf[16];
  int rank, rc = 0;

  for (size_t i = 0; i < set->n && 0 == rc; i++) {
    const char *key = pay_entry_key(set, pay_set_entry(set, i), dim, buf, sizeof buf, &rank);

    gid[i] = NULL == key ? -1 : intern(&t, out, key, rank);
    if (NULL == key)
      out->unstated++;
    else if (gid[i] < 0)
      rc = -1;
    else
      out->g[gid[i]].n++;
  }
  free(t.slot);
  return rc;
}

static int
distribute(const struct pay_set *set, const int32_t *gid, struct pay_groups *out)
{
  int64_t *next = calloc(out->n + 1, sizeof *next);
  int64_t at = 0;

  out->amounts = malloc((set->n ? set->n : 1) * sizeof *out->amounts);
  if (NULL == next || NULL == out->amounts) {
    free(next);
    return -1;
  }
  for (size_t k = 0; k < out->n; k++)
    next[k] = at, out->g[k].amounts = out->amounts + at, at += out->g[k].n;
  for (size_t i = 0; i < set->n; i++)
    if (gid[i] >= 0)
      out->amounts[next[gid[i]]++] = pay_set_entry(set, i)->amount;
  for (size_t k = 0; k < out->n; k++) {
    pay_sort_amounts(out->g[k].amounts, (size_t) out->g[k].n);
    pay_dist_compute(out->g[k].amounts, out->g[k].n, set->min_reports, &out->g[k].dist);
  }
  free(next);
  return 0;
}

static int
cmp_group(const void *a, const void *b)
{
  const struct pay_group *x = a, *y = b;

  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return strcmp(x->key, y->key);
}

int
pay_groups_make(const struct pay_set *set, enum pay_dim dim, bool dists,
                struct pay_groups *out)
{
  int32_t *gid = malloc((set->n ? set->n : 1) * sizeof *gid);
  int rc;

  memset(out, 0, sizeof *out);
  if (NULL == gid)
    return -1;
  rc = assign(set, dim, gid, out);
  if (0 == rc && dists)
    rc = distribute(set, gid, out);
  free(gid);
  if (0 == rc && out->n > 1) /* the amounts stay with their group: each holds its own pointer */
    qsort(out->g, out->n, sizeof *out->g, cmp_group);
  return rc;
}

void
pay_groups_free(struct pay_groups *groups)
{
  for (size_t i = 0; i < groups->n; i++)
    free(groups->g[i].key);
  free(groups->g);
  free(groups->amounts);
  memset(groups, 0, sizeof *groups);
}

static json_t *
facet_json(const struct pay_groups *gr)
{
  json_t *list = json_array();

  for (size_t i = 0; NULL != list && i < gr->n; i++)
    if (0 != json_array_append_new(list, json_pack("{s:s, s:I}", "value", gr->g[i].key, "n",
                                                   (json_int_t) gr->g[i].n)))
      json_decref(list), list = NULL;
  if (NULL != list && gr->unstated > 0
      && 0 != json_array_append_new(list, json_pack("{s:n, s:I}", "value", "n",
                                                    (json_int_t) gr->unstated)))
    json_decref(list), list = NULL;
  return list;
}

json_t *
pay_facets_json(const struct pay_set *set)
{
  json_t *facets = json_object();

  for (int d = 0; NULL != facets && d < DIM__COUNT; d++) {
    struct pay_groups gr;
    json_t *one = 0 == pay_groups_make(set, (enum pay_dim) d, false, &gr) ? facet_json(&gr)
                                                                         : NULL;

    pay_groups_free(&gr);
    if (NULL == one || 0 != json_object_set_new(facets, pay_dim_names[d], one))
      json_decref(facets), facets = NULL;
  }
  return facets;
}
