/**
 * @file handlers/audit_list.c
 * @brief GET /audit?limit=&offset=|cursor=: the audit trail, newest first.
 *        Each item: id, at, token_id, method, route, target, before, after
 *        (the summaries as JSON objects, null when the write created or
 *        deleted the resource). Needs a token; never cached. Paged by
 *        offset (at most PAGING_MAX_OFFSET) or by the cursor of the page
 *        before, which reaches entries of any age.
 */
#include "handlers/handlers.h"

#include <stdlib.h>

#include "db/audit.h"
#include "handlers/app.h"
#include "handlers/cursor.h"
#include "handlers/paging.h"
#include "http/params.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500

struct audit_page {
  json_t *data;
  int64_t wanted; /* entries to show; one more is asked for to learn if there are more */
  int64_t seen;
  int64_t last_id;
};

/* A stored summary back as JSON; text that is not JSON stays a string. */
static json_t *
summary_json(const char *text)
{
  json_t *j;

  if (NULL == text)
    return json_null();
  j = json_loads(text, JSON_DECODE_ANY, NULL);
  return NULL != j ? j : json_string_lossy(text);
}

static int
append_entry(void *cls, const struct audit_row *row)
{
  struct audit_page *pg = cls;
  json_t *item;

  if (++pg->seen > pg->wanted)
    return 0; /* the probe: there is a next page */
  pg->last_id = row->id;
  item = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                   "id", (json_int_t) row->id,
                   "at", json_string_lossy(row->at),
                   "token_id", json_string_lossy(row->token_id),
                   "method", json_string_lossy(row->method),
                   "route", json_string_lossy(row->route),
                   "target", json_string_lossy(row->target),
                   "before", summary_json(row->before),
                   "after", summary_json(row->after));
  return json_array_append_new(pg->data, item);
}

static uint64_t
fingerprint(void)
{
  return cursor_hash(CURSOR_HASH_INIT, "audit");
}

/* The id the page starts below: the cursor's, or past the newest. */
static int
read_position(const char *cursor, int64_t *before_id, struct reply *rep)
{
  struct sort_value at;
  json_t *holder = NULL;

  *before_id = INT64_MAX;
  if (NULL == cursor)
    return 0;
  if (0 != cursor_decode(cursor, fingerprint(), &at, 1, &holder) || SV_INT != at.type) {
    json_decref(holder);
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "cursor",
                         "cursor is not one this server issued for /audit"), -1;
  }
  json_decref(holder);
  *before_id = at.i;
  return 0;
}

static int
read_query(const struct request *req, int64_t *limit, int64_t *offset, const char **cursor,
           int64_t *before_id, struct reply *rep)
{
  const char *offset_text;

  if (0 != params_uint(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, limit, rep)
      || 0 != paging_offset(req, true, offset, rep)
      || 0 != params_single(req, "offset", &offset_text, rep)
      || 0 != params_single(req, "cursor", cursor, rep))
    return -1;
  if (NULL != *cursor && NULL != offset_text)
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "cursor",
                         "use either cursor or offset, not both"), -1;
  return read_position(*cursor, before_id, rep);
}

static int
reply_page(const struct request *req, const struct audit_page *pg, int64_t offset,
           const char *cursor, int64_t total, struct reply *rep)
{
  struct sort_value at = { .type = SV_INT, .i = pg->last_id };
  char *next = pg->seen > pg->wanted ? cursor_encode(fingerprint(), &at, 1) : NULL;
  struct page_links pl = {
    .limit = pg->wanted, .offset = offset, .has_next = NULL != next, .next_cursor = next,
    .cursor_mode = NULL != cursor, .next_by_cursor = offset + pg->wanted > PAGING_MAX_OFFSET,
  };
  json_t *body = json_pack("{s:O, s:{s:I, s:I, s:o, s:o}}", "data", pg->data,
                           "meta", "total", (json_int_t) total, "limit", (json_int_t) pg->wanted,
                           "offset", NULL != cursor ? json_null() : json_integer(offset),
                           "next_cursor", NULL != next ? json_string(next) : json_null());
  int rc = -1;

  /* a next page whose cursor could not be made is out of memory */
  if ((pg->seen <= pg->wanted || NULL != next) && NULL != body && 0 == paging_link(req, &pl, rep)) {
    rc = reply_json(rep, 200, body);
    body = NULL;
  }
  json_decref(body);
  free(next);
  return rc;
}

int
h_audit_list(const struct request *req, struct reply *rep)
{
  struct audit_page pg = { .seen = 0 };
  const char *cursor = NULL;
  int64_t offset, before_id, total = 0;
  enum db_status st;
  int rc;

  if (0 != read_query(req, &pg.wanted, &offset, &cursor, &before_id, rep))
    return 0;
  pg.data = json_array();
  if (NULL == pg.data)
    return -1;
  st = db_read_begin(req_db(req));
  if (DB_ONE == st) {
    /* needs a token and counts along the table's own B-tree: kept exact */
    st = db_audit_count(req_db(req), &total);
    if (DB_ONE == st)
      st = db_audit_list(req_db(req), before_id, pg.wanted + 1, offset, append_entry, &pg);
    db_read_end(req_db(req));
  }
  rc = st < DB_NONE ? reply_db_error(rep, st) : reply_page(req, &pg, offset, cursor, total, rep);
  json_decref(pg.data);
  return rc;
}
