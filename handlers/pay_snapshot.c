/**
 * @file handlers/pay_snapshot.c
 * @brief The in-memory, sorted reports of one data version, shared
 *        read-only by the pool threads, and the filtering of them.
 *
 * Reports are kept in ascending amount, so every subset picked in order
 * is sorted too: a distribution needs no sort. One role is read through
 * by_role (positions in ascending amount, role after role), so its cost
 * is its own reports, not all of them.
 */
#include "handlers/pay_snapshot.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model/vocab.h"

struct pay_snapshot {
  int64_t version;
  unsigned refs;         /* under the holder's lock; the holder's own is one */
  struct pay_set all;    /* rows in ascending amount; names by id */
  uint32_t *by_role;     /* positions in all.rows of each role's reports */
  size_t *role_start;    /* by_role[role_start[k] .. role_start[k + 1]) is all.roles[k]'s */
};

struct pay_snapshots {
  pthread_mutex_t lock;
  bool building;
  struct pay_snapshot *current;
};

struct pay_snapshots *
pay_snapshots_new(void)
{
  struct pay_snapshots *h = calloc(1, sizeof *h);

  if (NULL == h)
    return NULL;
  pthread_mutex_init(&h->lock, NULL);
  return h;
}

static void
snapshot_free(struct pay_snapshot *s)
{
  if (NULL == s)
    return;
  pay_set_free(&s->all);
  free(s->by_role);
  free(s->role_start);
  free(s);
}

void
pay_snapshots_free(struct pay_snapshots *h)
{
  if (NULL == h)
    return;
  snapshot_free(h->current);
  pthread_mutex_destroy(&h->lock);
  free(h);
}

static int
cmp_key(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

  return (x > y) - (x < y);
}

/* Sorts by amount through keys (amount, position), then moves the entries
 * into place cycle by cycle: qsort of the entries themselves would take a
 * second copy of them all as its buffer. */
static int
sort_by_amount(struct pay_entry *rows, size_t n)
{
  uint64_t *key = malloc((n ? n : 1) * sizeof *key);

  if (NULL == key)
    return -1;
  for (size_t i = 0; i < n; i++)
    key[i] = (uint64_t) rows[i].amount << 32 | i;
  qsort(key, n, sizeof *key, cmp_key);
  for (size_t i = 0; i < n; i++) { /* the position to take from, in the low half */
    struct pay_entry moved = rows[i];
    size_t j = i;

    if ((uint32_t) key[i] == i)
      continue;
    while ((uint32_t) key[j] != i) {
      size_t from = (uint32_t) key[j];

      rows[j] = rows[from];
      key[j] = j;
      j = from;
    }
    rows[j] = moved;
    key[j] = j;
  }
  free(key);
  return 0;
}

/* The index of role @a id in @a set's roles (by id), or -1. */
static ptrdiff_t
role_index(const struct pay_set *set, int64_t id)
{
  size_t lo = 0, hi = set->nroles;

  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;

    if (set->roles[mid].id == id)
      return (ptrdiff_t) mid;
    if (set->roles[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* by_role by counting: one pass to count, one to place in amount order. */
static int
index_roles(struct pay_snapshot *s)
{
  size_t nr = s->all.nroles;
  int32_t *of = malloc((s->all.n ? s->all.n : 1) * sizeof *of);
  size_t *next = calloc(nr + 1, sizeof *next);

  s->role_start = calloc(nr + 1, sizeof *s->role_start);
  s->by_role = malloc((s->all.n ? s->all.n : 1) * sizeof *s->by_role);
  if (NULL == of || NULL == next || NULL == s->role_start || NULL == s->by_role) {
    free(of), free(next);
    return -1;
  }
  for (size_t i = 0; i < s->all.n; i++) {
    of[i] = (int32_t) role_index(&s->all, s->all.rows[i].role_id);
    if (of[i] >= 0)
      s->role_start[of[i] + 1]++;
  }
  for (size_t k = 0; k < nr; k++)
    s->role_start[k + 1] += s->role_start[k];
  memcpy(next, s->role_start, (nr + 1) * sizeof *next);
  for (size_t i = 0; i < s->all.n; i++)
    if (of[i] >= 0)
      s->by_role[next[of[i]]++] = (uint32_t) i;
  free(of), free(next);
  return 0;
}

static struct pay_snapshot *
build(struct db *db, int64_t version, enum db_status *status)
{
  struct pay_snapshot *s = calloc(1, sizeof *s);

  *status = DB_HARD;
  if (NULL == s)
    return NULL;
  s->version = version;
  *status = db_read_begin(db);
  if (DB_ONE == *status) {
    *status = pay_set_read_all(db, &s->all);
    db_read_end(db);
  }
  if (*status < DB_NONE || s->all.n > UINT32_MAX) {
    *status = *status < DB_NONE ? *status : DB_HARD;
    snapshot_free(s);
    return NULL;
  }
  if (0 != sort_by_amount(s->all.rows, s->all.n) || 0 != index_roles(s)) {
    *status = DB_HARD;
    snapshot_free(s);
    return NULL;
  }
  return s;
}

static void
unref_locked(struct pay_snapshot *s)
{
  if (NULL != s && 0 == --s->refs)
    snapshot_free(s);
}

/* Installs @a s (NULL: the build failed). */
static void
install(struct pay_snapshots *h, struct pay_snapshot *s)
{
  pthread_mutex_lock(&h->lock);
  h->building = false;
  if (NULL != s) {
    s->refs = 2; /* the holder's and the builder's */
    h->current = s;
  }
  pthread_mutex_unlock(&h->lock);
}

const struct pay_snapshot *
pay_snapshot_get(struct pay_snapshots *h, struct db *db, int64_t version, enum db_status *status)
{
  struct pay_snapshot *s;

  pthread_mutex_lock(&h->lock);
  s = h->current;
  if (NULL != s && s->version >= version) {
    s->refs++;
    pthread_mutex_unlock(&h->lock);
    *status = DB_ONE;
    return s;
  }
  if (h->building) { /* another request builds it: read the store meanwhile */
    pthread_mutex_unlock(&h->lock);
    *status = DB_NONE;
    return NULL;
  }
  h->building = true;
  /* the old one is of no further use: gone once its readers are done,
   * so that two are never held at once */
  h->current = NULL;
  unref_locked(s);
  pthread_mutex_unlock(&h->lock);
  s = build(db, version, status);
  install(h, s);
  return s;
}

void
pay_snapshot_release(struct pay_snapshots *h, const struct pay_snapshot *s)
{
  if (NULL == s)
    return;
  pthread_mutex_lock(&h->lock);
  unref_locked((struct pay_snapshot *) s);
  pthread_mutex_unlock(&h->lock);
}

/* A filter with its texts turned into what the entries hold. */
struct match {
  const struct pay_filter *f;
  int8_t education, stage; /* indexes in the vocabularies; -1: no such value */
  bool country;            /* location names a country: its subdivisions match too */
};

static int8_t
vocab_index(const char *const list[], const char *v)
{
  for (int8_t i = 0; NULL != list[i]; i++)
    if (0 == strcmp(list[i], v))
      return i;
  return -1;
}

/* The conditions of db/pay_query.c's SQL; an unstated factor never matches a filter on it. */
static bool
matches(const struct match *m, const struct pay_entry *e)
{
  const struct pay_filter *f = m->f;

  if (NULL != f->location
      && (m->country ? 0 != strncmp(e->location, f->location, 2)
                     : 0 != strncmp(e->location, f->location, sizeof e->location)))
    return false;
  if ((f->remote >= 0 && e->remote != f->remote)
      || (f->exp_min >= 0 && e->experience < f->exp_min)
      || (f->exp_max >= 0 && (e->experience < 0 || e->experience > f->exp_max)))
    return false;
  if ((NULL != f->education && (m->education < 0 || e->education != m->education))
      || (NULL != f->company_stage && (m->stage < 0 || e->stage != m->stage)))
    return false;
  return (!f->has_industry || e->industry_id == f->industry_id)
         && (f->year <= 0 || e->year == f->year);
}

/* Room for @a cap positions at once: growing by doubling would hold the
 * old and the new block together. The positions are into the snapshot's
 * own rows, which a request never copies. */
static uint32_t *
reserve(const struct pay_snapshot *s, struct pay_set *set, size_t cap)
{
  uint32_t *pick = malloc((cap ? cap : 1) * sizeof *pick);

  set->pick = pick;
  set->rows = s->all.rows, set->rows_borrowed = true;
  return pick;
}

static bool
role_wanted(const struct pay_filter *f, const struct pay_name *role)
{
  bool named = 0 == f->nroles;

  for (unsigned i = 0; i < f->nroles && !named; i++)
    named = f->role_ids[i] == role->id;
  return named && (NULL == f->category
                   || (NULL != role->category && 0 == strcmp(role->category, f->category)));
}

/* Through the roles asked for, role by role: each run is in amount order,
 * so only more than one role leaves the whole to be sorted. */
static int
select_by_role(const struct pay_snapshot *s, const struct match *m, struct pay_set *set)
{
  size_t most = 0;
  uint32_t *pick;

  for (size_t k = 0; k < s->all.nroles; k++)
    if (role_wanted(m->f, &s->all.roles[k]))
      most += s->role_start[k + 1] - s->role_start[k];
  if (NULL == (pick = reserve(s, set, most)))
    return -1;
  for (size_t k = 0; k < s->all.nroles; k++) {
    if (!role_wanted(m->f, &s->all.roles[k]))
      continue;
    for (size_t j = s->role_start[k]; j < s->role_start[k + 1]; j++)
      if (matches(m, &s->all.rows[s->by_role[j]]))
        pick[set->n++] = s->by_role[j];
  }
  return 0;
}

/* Every role: counted first, so that the copy is made once at its size. */
static int
select_all(const struct pay_snapshot *s, const struct match *m, struct pay_set *set)
{
  size_t count = 0;
  uint32_t *pick;

  for (size_t i = 0; i < s->all.n; i++)
    count += matches(m, &s->all.rows[i]);
  if (NULL == (pick = reserve(s, set, count)))
    return -1;
  for (size_t i = 0; i < s->all.n; i++)
    if (matches(m, &s->all.rows[i]))
      pick[set->n++] = (uint32_t) i;
  return 0;
}

static bool
filters_nothing(const struct pay_filter *f)
{
  return NULL == f->location && f->remote < 0 && f->exp_min < 0 && f->exp_max < 0
         && NULL == f->education && !f->has_industry && NULL == f->company_stage && f->year <= 0;
}

int
pay_snapshot_select(const struct pay_snapshot *s, const struct pay_filter *f, struct pay_set *set)
{
  struct match m = { .f = f, .education = -1, .stage = -1 };
  bool by_role = 0 != f->nroles || NULL != f->category;

  memset(set, 0, sizeof *set);
  set->min_reports = s->all.min_reports;
  set->roles = s->all.roles, set->nroles = s->all.nroles;
  set->industries = s->all.industries, set->nindustries = s->all.nindustries;
  set->names_borrowed = true;
  if (!by_role && filters_nothing(f)) { /* every report: the snapshot's own rows */
    set->rows = s->all.rows, set->n = s->all.n, set->rows_borrowed = true;
    return 0;
  }
  m.country = NULL != f->location && 2 == strlen(f->location);
  if (NULL != f->education)
    m.education = vocab_index(report_educations, f->education);
  if (NULL != f->company_stage)
    m.stage = vocab_index(report_company_stages, f->company_stage);
  return by_role ? select_by_role(s, &m, set) : select_all(s, &m, set);
}
