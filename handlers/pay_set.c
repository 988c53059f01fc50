/**
 * @file handlers/pay_set.c
 * @brief Loading the matching reports of a pay request, and what each
 *        dimension's value of a report is.
 */
#include "handlers/pay_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/catalog.h"
#include "handlers/app.h"
#include "handlers/handlers.h"
#include "handlers/pay_snapshot.h"
#include "model/vocab.h"

const char *const pay_dim_names[] = {
  [DIM_ROLE] = "role", [DIM_CATEGORY] = "category", [DIM_LOCATION] = "location",
  [DIM_COUNTRY] = "country", [DIM_REMOTE] = "remote", [DIM_EXPERIENCE] = "experience",
  [DIM_EDUCATION] = "education", [DIM_INDUSTRY] = "industry",
  [DIM_COMPANY_STAGE] = "company_stage", [DIM_YEAR] = "year", [DIM__COUNT] = NULL,
};

/* The experience bands: lowest years of each, and the filter spelling. */
static const int band_from[] = { 0, 2, 5, 10, 15 };
static const char *const band_names[] = { "0-1", "2-4", "5-9", "10-14", "15+" };
#define NBANDS (sizeof band_from / sizeof band_from[0])

static int8_t
index_of(const char *const list[], const char *v)
{
  if (NULL != v)
    for (int8_t i = 0; NULL != list[i]; i++)
      if (0 == strcmp(list[i], v))
        return i;
  return -1;
}

_Static_assert(sizeof(struct pay_entry) == 24, "a report is packed in 24 bytes");

/* What the schema's checks allow always fits; anything else is refused. */
static bool
fits(const struct pay_report *r)
{
  return r->amount_usd >= 0 && r->amount_usd <= UINT32_MAX && r->role_id >= 0
         && r->role_id <= INT32_MAX && r->industry_id >= 0 && r->industry_id <= INT32_MAX
         && r->year >= 0 && r->year <= INT16_MAX && r->experience_years <= INT8_MAX
         && (NULL == r->location || strlen(r->location) <= sizeof ((struct pay_entry *) 0)->location);
}

static int
add_report(void *cls, const struct pay_report *r)
{
  struct pay_set *set = cls;
  struct pay_entry *e;

  if (set->n == set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 1024;
    struct pay_entry *grown = realloc(set->rows, cap * sizeof *grown);

    if (NULL == grown)
      return -1;
    set->rows = grown, set->cap = cap;
  }
  if (!fits(r))
    return -1;
  e = &set->rows[set->n++];
  *e = (struct pay_entry) {
    .amount = (uint32_t) r->amount_usd, .role_id = (int32_t) r->role_id,
    .industry_id = (int32_t) r->industry_id, .year = (int16_t) r->year,
    .experience = (int8_t) r->experience_years, .remote = (int8_t) r->remote,
    .education = index_of(report_educations, r->education),
    .stage = index_of(report_company_stages, r->company_stage),
  };
  if (NULL != r->location)
    memcpy(e->location, r->location, strlen(r->location)); /* fits(): at most six */
  return 0;
}

static int
add_name(struct pay_name **list, size_t *n, size_t *cap, int64_t id, const char *slug,
         const char *category)
{
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 64;
    struct pay_name *grown = realloc(*list, c * sizeof *grown);

    if (NULL == grown)
      return -1;
    *list = grown, *cap = c;
  }
  (*list)[*n] = (struct pay_name) { .id = id, .slug = strdup(slug),
                                    .category = category ? strdup(category) : NULL };
  (*n)++;
  return NULL == (*list)[*n - 1].slug || (category && NULL == (*list)[*n - 1].category) ? -1 : 0;
}

static int
add_role(void *cls, int64_t id, const char *slug, const char *category)
{
  struct pay_set *s = cls;

  return add_name(&s->roles, &s->nroles, &s->roles_cap, id, slug, category);
}

static int
add_industry(void *cls, int64_t id, const char *slug, const char *category)
{
  struct pay_set *s = cls;

  (void) category;
  return add_name(&s->industries, &s->nindustries, &s->industries_cap, id, slug, NULL);
}

static enum db_status
load_with(struct db *db, const struct pay_filter *f, bool names, struct pay_set *set)
{
  enum db_status status = db_pay_min_reports(db, &set->min_reports);

  if (DB_NONE == status) /* the setting is part of the schema; be safe without it */
    set->min_reports = 1, status = DB_ONE;
  if (DB_ONE == status && names)
    status = db_pay_roles(db, add_role, set);
  if (status >= DB_NONE && names)
    status = db_pay_industries(db, add_industry, set);
  if (status >= DB_NONE)
    status = db_pay_reports(db, f, add_report, set);
  return status;
}

static enum db_status
load(struct db *db, struct pay_params *p, bool names, struct pay_set *set, struct reply *rep)
{
  enum db_status status = pay_filters_resolve(db, p, rep);

  if (DB_ONE != status)
    return status;
  return load_with(db, &p->filter, names, set);
}

enum db_status
pay_set_read_all(struct db *db, struct pay_set *set)
{
  struct pay_filter all = { .remote = -1, .exp_min = -1, .exp_max = -1 };

  return load_with(db, &all, true, set);
}

/* The snapshot of the request's data version, when the server keeps one. */
static struct pay_snapshots *
snapshots_of(const struct request *req)
{
  const struct app_shared *shared = req->shared;

  return NULL != shared && req->has_data_version ? shared->pay : NULL;
}

/* The snapshot of the request's version into *snap; NULL while another
 * request builds it (then the store is read as without one). */
static enum db_status
snapshot_of(const struct request *req, struct pay_snapshots *h, const struct pay_snapshot **snap)
{
  enum db_status status = DB_NONE;

  *snap = NULL != h ? pay_snapshot_get(h, req_db(req), req->data_version, &status) : NULL;
  return NULL != *snap ? DB_ONE : status;
}

int
pay_set_load(const struct request *req, bool names, struct pay_set *set, struct reply *rep)
{
  struct pay_snapshots *h = snapshots_of(req);
  const struct pay_snapshot *snap;
  struct pay_params p;
  enum db_status status;
  bool problem;

  memset(set, 0, sizeof *set);
  if (0 != pay_filters_read(req, &p, rep))
    return -1;
  status = snapshot_of(req, h, &snap);
  if (status >= DB_NONE)
    status = db_read_begin(req_db(req));
  if (DB_ONE == status) {
    status = NULL != snap ? pay_filters_resolve(req_db(req), &p, rep)
                          : load(req_db(req), &p, names, set, rep);
    db_read_end(req_db(req));
  }
  problem = NULL != rep->body; /* an unknown role, category or industry */
  if (NULL != snap && DB_ONE == status && !problem
      && 0 != pay_snapshot_select(snap, &p.filter, set))
    status = DB_HARD;
  if (NULL != snap) /* released with the set */
    set->holder = h, set->snapshot = snap;
  if (status >= DB_NONE && !problem)
    return 0;
  if (!problem)
    reply_db_error(rep, status);
  pay_set_free(set);
  return -1;
}

static void
free_names(struct pay_name *list, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free(list[i].slug), free(list[i].category);
  free(list);
}

void
pay_set_free(struct pay_set *set)
{
  if (!set->rows_borrowed)
    free(set->rows);
  free(set->pick);
  if (!set->names_borrowed) {
    free_names(set->roles, set->nroles);
    free_names(set->industries, set->nindustries);
  }
  if (NULL != set->snapshot)
    pay_snapshot_release(set->holder, set->snapshot);
  memset(set, 0, sizeof *set);
}

static const struct pay_name *
find_name(const struct pay_name *list, size_t n, int64_t id)
{
  size_t lo = 0, hi = n;

  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;

    if (list[mid].id == id)
      return &list[mid];
    if (list[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static const char *
band(int years, int *rank)
{
  size_t b = NBANDS - 1;

  while (b > 0 && years < band_from[b])
    b--;
  *rank = (int) b;
  return band_names[b];
}

const char *
pay_entry_key(const struct pay_set *set, const struct pay_entry *e, enum pay_dim dim,
              char *buf, size_t size, int *rank)
{
  const struct pay_name *nm;

  *rank = 0;
  switch (dim) {
  case DIM_ROLE:
  case DIM_CATEGORY:
    nm = find_name(set->roles, set->nroles, e->role_id);
    return NULL == nm ? NULL : DIM_ROLE == dim ? nm->slug : nm->category;
  case DIM_INDUSTRY:
    nm = find_name(set->industries, set->nindustries, e->industry_id);
    return NULL == nm ? NULL : nm->slug;
  case DIM_LOCATION:
    if ('\0' == e->location[0])
      return NULL;
    snprintf(buf, size, "%.*s", (int) sizeof e->location, e->location);
    return buf;
  case DIM_COUNTRY:
    if ('\0' == e->location[0])
      return NULL;
    snprintf(buf, size, "%.2s", e->location);
    return buf;
  case DIM_REMOTE:
    return e->remote < 0 ? NULL : e->remote ? "true" : "false";
  case DIM_EXPERIENCE:
    return e->experience < 0 ? NULL : band(e->experience, rank);
  case DIM_EDUCATION: /* in the order of the levels, as the bands */
    *rank = e->education;
    return e->education < 0 ? NULL : report_educations[e->education];
  case DIM_COMPANY_STAGE:
    *rank = e->stage;
    return e->stage < 0 ? NULL : report_company_stages[e->stage];
  case DIM_YEAR:
    if (0 == e->year)
      return NULL;
    snprintf(buf, size, "%d", e->year);
    return buf;
  default:
    return NULL;
  }
}
