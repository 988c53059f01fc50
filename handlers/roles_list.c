/**
 * @file handlers/roles_list.c
 * @brief GET /roles: the ranking, filtered, sorted and paged by offset or
 *        by keyset cursor. Parameters: handlers/roles_params.h.
 *
 * Each item carries `rank`: its place by pay among the roles matching the
 * filters, highest first; equal pay shares a rank ("1, 2, 2, 4") and roles
 * without pay have none. `total_pay` is the highest total-compensation
 * figure stated for the role, as {amount, bound, scope}: a bound such as
 * "at least $250,000" stays a bound; sort=total_pay orders by its amount.
 */
#include "handlers/handlers.h"

#include <stdlib.h>

#include "db/role_query.h"
#include "handlers/app.h"
#include "handlers/cursor.h"
#include "handlers/paging.h"
#include "handlers/roles_params.h"
#include "http/params.h"

struct page {
  json_t *data;
  unsigned fields;
  int64_t wanted;                 /* rows to emit; one more was asked to learn if more exist */
  int64_t seen;
  struct ranked_role last;        /* atoms of the last emitted row, for next_cursor */
  char *cursor;                   /* encoded position of the last emitted row */
  uint64_t fingerprint;
};

static json_t *
total_pay_json(const struct ranked_role *row)
{
  if (!row->has_total_pay)
    return json_null();
  return json_pack("{s:I, s:s, s:o}", "amount", (json_int_t) row->total_pay_usd,
                   "bound", row->total_pay_bound,
                   "scope", row->total_pay_scope ? json_string_lossy(row->total_pay_scope) : json_null());
}

static int
set_field(json_t *item, unsigned fields, unsigned bit, const char *name, json_t *value)
{
  if (0 == (fields & bit)) {
    json_decref(value);
    return 0;
  }
  return json_object_set_new(item, name, value);
}

static json_t *
item_json(const struct ranked_role *row, unsigned fields)
{
  json_t *item = json_object();
  const struct role_row *r = &row->role;

  if (NULL == item
      || 0 != set_field(item, fields, FIELD_RANK, "rank", row->has_rank ? json_integer(row->rank) : json_null())
      || 0 != set_field(item, fields, FIELD_SLUG, "slug", json_string_lossy(r->slug))
      || 0 != set_field(item, fields, FIELD_TITLE, "title", json_string_lossy(r->title))
      || 0 != set_field(item, fields, FIELD_CATEGORY, "category", json_string_lossy(r->category))
      || 0 != set_field(item, fields, FIELD_SUMMARY, "summary", json_string_lossy(r->summary))
      || 0 != set_field(item, fields, FIELD_PAY, "pay", r->has_pay ? json_integer(r->pay_usd) : json_null())
      || 0 != set_field(item, fields, FIELD_PAY_BASIS, "pay_basis",
                        r->spread.basis ? json_string(r->spread.basis) : json_null())
      || 0 != set_field(item, fields, FIELD_TOTAL_PAY, "total_pay", total_pay_json(row))) {
    json_decref(item);
    return NULL;
  }
  return item;
}

static int
append_row(void *cls, const struct ranked_role *row)
{
  struct page *pg = cls;

  if (++pg->seen > pg->wanted)
    return 0; /* the probe row: there is a next page */
  /* the cursor must be made now: the row's strings die with this call */
  if (pg->seen == pg->wanted) {
    free(pg->cursor);
    pg->cursor = cursor_encode(pg->fingerprint, row->atoms, row->natoms);
    if (NULL == pg->cursor)
      return -1;
  }
  return json_array_append_new(pg->data, item_json(row, pg->fields));
}

/* Runs count and page in one snapshot, so total and rows agree.
 * *unknown_param is set when a skill or industry named does not exist. */
static enum db_status
run_query(struct db *db, struct roles_request *rr, struct page *pg, int64_t *total,
          const char **unknown_param, const char **unknown_value)
{
  enum db_status st = db_read_begin(db);

  if (DB_ONE != st)
    return st;
  st = db_role_filter_check(db, &rr->q.filter, unknown_param, unknown_value);
  if (DB_ONE == st)
    st = db_role_query_count(db, &rr->q, total);
  if (DB_ONE == st) {
    rr->q.limit = pg->wanted + 1;
    st = db_role_query_page(db, &rr->q, append_row, pg);
  }
  db_read_end(db);
  return st;
}

static int
decode_cursor(struct roles_request *rr, struct sort_value *after, json_t **holder,
              struct reply *rep)
{
  size_t n = role_query_natoms(&rr->q);

  switch (cursor_decode(rr->cursor, roles_params_fingerprint(rr), after, n, holder)) {
  case 0:
    rr->q.after = after;
    rr->q.nafter = n;
    return 0;
  case -2:
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "cursor",
                         "this cursor was made for another sort or other filters; "
                         "repeat the request it came from, changing only the cursor"), -1;
  default:
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "cursor",
                         "cursor is not one this server issued"), -1;
  }
}

static int
reply_page(const struct request *req, const struct roles_request *rr, struct page *pg,
           int64_t total, struct reply *rep)
{
  bool more = pg->seen > pg->wanted;
  struct page_links pl = {
    .limit = pg->wanted, .offset = rr->q.offset, .has_next = more,
    .next_cursor = pg->cursor, .cursor_mode = NULL != rr->cursor,
    /* past the deepest offset the next page is asked for by cursor */
    .next_by_cursor = rr->q.offset + pg->wanted > PAGING_MAX_OFFSET,
  };
  json_t *body = json_pack("{s:O, s:{s:I, s:I, s:o, s:s, s:s, s:o}}",
                           "data", pg->data,
                           "meta", "total", (json_int_t) total, "limit", (json_int_t) pg->wanted,
                           "offset", NULL != rr->cursor ? json_null() : json_integer(rr->q.offset),
                           "sort", rr->sort_text, "order", rr->order_text,
                           "next_cursor", more && pg->cursor ? json_string(pg->cursor) : json_null());

  if (NULL == body || 0 != paging_link(req, &pl, rep)) {
    json_decref(body);
    return -1;
  }
  return reply_json(rep, 200, body);
}

int
h_roles_list(const struct request *req, struct reply *rep)
{
  struct roles_request rr;
  struct sort_value after[ROLE_QUERY_MAX_ATOMS];
  json_t *holder = NULL;
  struct page pg = { .seen = 0 };
  int64_t total = 0;
  enum db_status st;
  const char *param = NULL;
  const char *value = NULL;
  int rc;

  if (0 != roles_params_read(req, &rr, rep)
      || (NULL != rr.cursor && 0 != decode_cursor(&rr, after, &holder, rep)))
    return 0;
  pg.data = json_array();
  pg.fields = rr.fields;
  pg.wanted = rr.q.limit;
  pg.fingerprint = roles_params_fingerprint(&rr);
  if (NULL == pg.data) {
    json_decref(holder);
    return -1;
  }
  st = run_query(req_db(req), &rr, &pg, &total, &param, &value);
  if (NULL != param) {
    rc = reply_problem(rep, PROBLEM_INVALID_PARAMETER, param,
                       "there is no %s '%.80s'", param, value);
  } else if (st < DB_NONE) {
    rc = reply_db_error(rep, st);
  } else {
    rc = reply_page(req, &rr, &pg, total, rep);
  }
  json_decref(pg.data);
  json_decref(holder);
  free(pg.cursor);
  return rc;
}
