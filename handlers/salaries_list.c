/**
 * @file handlers/salaries_list.c
 * @brief GET /salaries: every salary figure as the sources state it, with
 *        its bound and provenance, filtered and ordered by amount, paged by
 *        offset (at most PAGING_MAX_OFFSET) or by keyset cursor.
 *
 * Each request costs a bounded amount of work however many figures there
 * are (db/salary_query.h): `meta.total` is exact up to SALARY_COUNT_MAX and
 * null beyond, with `meta.total_at_least` a lower bound either way; a page
 * may be short, even empty, when the filters match few of the figures it
 * may read, and `next_cursor` then says where to go on.
 */
#include "handlers/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "db/salary_query.h"
#include "handlers/app.h"
#include "handlers/cursor.h"
#include "handlers/factor_params.h"
#include "handlers/paging.h"
#include "handlers/role_json.h"
#include "handlers/validate.h"
#include "http/params.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500
/* The schema keeps amounts below this (salaries.amount_usd CHECK). */
#define MAX_AMOUNT 100000000

/* One sort key for now; the list leaves room for more without a new parameter. */
static const char *const sort_names[] = { "amount", NULL };
static const char *const order_names[] = { [SORT_ASC] = "asc", [SORT_DESC] = "desc", NULL };

struct salaries_request {
  struct salary_query q;
  const char *role;   /* the requested slug, borrowed; NULL when absent */
  const char *cursor; /* borrowed; NULL when absent */
  int sort;
  struct factor_params factors;
};

/* An optional choice: NULL when absent, else the matching static string. */
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

static int
optional_amount(const struct request *req, const char *name, bool *has, int64_t *out,
                struct reply *rep)
{
  if (0 != params_uint(req, name, -1, 0, MAX_AMOUNT, out, rep))
    return -1;
  *has = *out >= 0;
  return 0;
}

static int
read_paging(const struct request *req, struct salaries_request *sr, struct reply *rep)
{
  const char *offset;
  int order = SORT_DESC;

  if (0 != params_choice(req, "sort", sort_names, 0, &sr->sort, rep)
      || 0 != params_choice(req, "order", order_names, SORT_DESC, &order, rep)
      || 0 != params_uint(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, &sr->q.limit, rep)
      || 0 != paging_offset(req, true, &sr->q.offset, rep)
      || 0 != params_single(req, "offset", &offset, rep)
      || 0 != params_single(req, "cursor", &sr->cursor, rep))
    return -1;
  sr->q.order = (enum sort_order) order;
  if (NULL != sr->cursor && NULL != offset)
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "cursor",
                         "use either cursor or offset, not both"), -1;
  return 0;
}

/* Reads and checks every parameter; on failure @a rep holds the 400. */
static int
read_query(const struct request *req, struct salaries_request *sr, struct reply *rep)
{
  struct salary_filter *f = &sr->q.filter;
  int64_t source_id = 0;

  if (0 != params_single(req, "role", &sr->role, rep)
      || 0 != params_uint(req, "source", 0, 1, VALIDATE_SOURCE_ID_MAX, &source_id, rep)
      || 0 != optional_choice(req, "kind", db_salary_kinds, &f->kind, rep)
      || 0 != optional_choice(req, "statistic", db_salary_statistics, &f->statistic, rep)
      || 0 != optional_amount(req, "min", &f->has_min, &f->min_usd, rep)
      || 0 != optional_amount(req, "max", &f->has_max, &f->max_usd, rep)
      || 0 != factor_params_read(req, &sr->factors, rep)
      || 0 != read_paging(req, sr, rep))
    return -1;
  /* An unknown document id is a valid filter that matches nothing (as in /data-notes). */
  f->has_source = source_id > 0;
  f->source_id = source_id;
  if (NULL != sr->role && '\0' == sr->role[0])
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "role",
                         "'role' must be a role slug; GET /roles lists them"), -1;
  /* An empty range is a mistake, not a question with no answer. */
  if (f->has_min && f->has_max && f->min_usd > f->max_usd)
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "min",
                         "'min' (%lld) must not exceed 'max' (%lld)",
                         (long long) f->min_usd, (long long) f->max_usd), -1;
  return 0;
}

/* What a cursor is bound to: the filters and the order, not the page size. */
static uint64_t
fingerprint(const struct salaries_request *sr)
{
  const struct salary_filter *f = &sr->q.filter;
  uint64_t h = cursor_hash(CURSOR_HASH_INIT, "salaries");
  char num[128];

  h = cursor_hash(h, sort_names[sr->sort]);
  h = cursor_hash(h, order_names[sr->q.order]);
  h = cursor_hash(h, sr->role ? sr->role : "");
  h = cursor_hash(h, f->kind ? f->kind : "");
  h = cursor_hash(h, f->statistic ? f->statistic : "");
  snprintf(num, sizeof num, "%d:%" PRId64 ":%d:%" PRId64 ":%d:%" PRId64, f->has_min, f->min_usd,
           f->has_max, f->max_usd, f->has_source, f->source_id);
  /* without a factor filter, the cursors issued before there were any still hold */
  if (!db_factor_filter_any(&sr->factors.filter) && NULL == sr->factors.industry)
    return cursor_hash(h, num);
  h = cursor_hash(h, num);
  factor_params_text(&sr->factors, num, sizeof num);
  return cursor_hash(h, num);
}

static int
decode_cursor(struct salaries_request *sr, struct reply *rep)
{
  struct sort_value at[2];
  json_t *holder = NULL;
  int rc = cursor_decode(sr->cursor, fingerprint(sr), at, 2, &holder);

  json_decref(holder); /* integers only: nothing borrowed from it */
  if (-2 == rc)
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "cursor",
                         "this cursor was made for other filters or another order; repeat the "
                         "request it came from, changing only the cursor"), -1;
  if (0 != rc || SV_INT != at[0].type || SV_INT != at[1].type)
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "cursor",
                         "cursor is not one this server issued"), -1;
  sr->q.has_after = true;
  sr->q.after_amount = at[0].i;
  sr->q.after_id = at[1].i;
  return 0;
}

static int
append_observation(void *cls, const struct observation_row *row)
{
  return json_array_append_new(cls, observation_json(row));
}

/*
 * The role and industry lookups, the total and the page, all from one snapshot.
 * @param[out] role_known false when the role filter names no role
 * @param[out] industry_known false when the industry filter names no
 *             industry (@a rep then holds the 400)
 */
static enum db_status
load_page(struct db *db, struct salaries_request *sr, json_t *data, struct salary_total *total,
          struct salary_page *page, bool *role_known, bool *industry_known, struct reply *rep)
{
  enum db_status status = db_read_begin(db);

  *role_known = true;
  *industry_known = true;
  if (DB_ONE != status)
    return status;
  if (NULL != sr->role) {
    status = db_role_id(db, sr->role, &sr->q.filter.role_id);
    sr->q.filter.has_role = DB_ONE == status;
    *role_known = DB_NONE != status;
  }
  if (DB_ONE == status) {
    status = factor_params_resolve(db, &sr->factors, rep);
    *industry_known = DB_NONE != status;
    sr->q.filter.factors = sr->factors.filter;
  }
  if (DB_ONE == status)
    status = db_salaries_query(db, &sr->q, append_observation, data, total, page);
  db_read_end(db);
  return status;
}

static json_t *
meta_json(const struct salaries_request *sr, const struct salary_total *total, const char *next)
{
  return json_pack("{s:o, s:I, s:I, s:o, s:s, s:s, s:o}",
                   "total", total->exact ? json_integer(total->count) : json_null(),
                   "total_at_least", (json_int_t) total->count,
                   "limit", (json_int_t) sr->q.limit,
                   "offset", NULL != sr->cursor ? json_null() : json_integer(sr->q.offset),
                   "sort", sort_names[sr->sort],
                   "order", order_names[sr->q.order],
                   "next_cursor", NULL != next ? json_string(next) : json_null());
}

static int
reply_page(const struct request *req, const struct salaries_request *sr, json_t *data,
           const struct salary_total *total, const struct salary_page *page, struct reply *rep)
{
  struct sort_value at[2] = {
    { .type = SV_INT, .i = page->next_amount }, { .type = SV_INT, .i = page->next_id },
  };
  char *next = page->more ? cursor_encode(fingerprint(sr), at, 2) : NULL;
  /* a short page, or one at the deepest offset, goes on by cursor */
  struct page_links pl = {
    .limit = sr->q.limit, .offset = sr->q.offset, .has_next = NULL != next,
    .next_cursor = next, .cursor_mode = NULL != sr->cursor,
    .next_by_cursor = page->rows < sr->q.limit || sr->q.offset + sr->q.limit > PAGING_MAX_OFFSET,
  };
  json_t *meta = page->more && NULL == next ? NULL : meta_json(sr, total, next);
  int rc = -1;

  if (NULL != meta && 0 == paging_link(req, &pl, rep))
    rc = reply_json(rep, 200, json_pack("{s:O, s:o}", "data", data, "meta", meta));
  else
    json_decref(meta);
  free(next);
  return rc;
}

int
h_salaries_list(const struct request *req, struct reply *rep)
{
  struct salaries_request sr = { .role = NULL };
  struct salary_total total = { .exact = true };
  struct salary_page page = { .rows = 0 };
  bool role_known;
  bool industry_known;
  enum db_status status;
  json_t *data;
  int rc;

  if (0 != read_query(req, &sr, rep) || (NULL != sr.cursor && 0 != decode_cursor(&sr, rep)))
    return 0;
  data = json_array();
  if (NULL == data)
    return -1;
  status = load_page(req_db(req), &sr, data, &total, &page, &role_known, &industry_known, rep);
  if (status < DB_NONE)
    rc = reply_db_error(rep, status);
  else if (!industry_known)
    rc = 0;
  else if (!role_known)
    rc = reply_problem(rep, PROBLEM_ROLE_NOT_FOUND, "role",
                       "there is no role '%.100s'; GET /roles lists them", sr.role);
  else
    rc = reply_page(req, &sr, data, &total, &page, rep);
  json_decref(data);
  return rc;
}
