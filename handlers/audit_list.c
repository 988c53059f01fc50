/**
 * @file handlers/audit_list.c
 * @brief GET /audit?limit=&offset=: the audit trail, newest first. Each
 *        item: id, at, token_id, method, route, target, before, after
 *        (the summaries as JSON objects, null when the write created or
 *        deleted the resource). Needs a token; never cached.
 */
#include "handlers/handlers.h"

#include "db/audit.h"
#include "http/params.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500
#define MAX_OFFSET 1000000000

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
  json_t *item = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                           "id", (json_int_t) row->id,
                           "at", json_string_lossy(row->at),
                           "token_id", json_string_lossy(row->token_id),
                           "method", json_string_lossy(row->method),
                           "route", json_string_lossy(row->route),
                           "target", json_string_lossy(row->target),
                           "before", summary_json(row->before),
                           "after", summary_json(row->after));

  return json_array_append_new(cls, item);
}

int
h_audit_list(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { "limit", "offset", NULL };
  int64_t limit;
  int64_t offset;
  int64_t total = 0;
  json_t *data;
  enum db_status st;

  if (0 != params_only(req, allowed, rep)
      || 0 != params_uint(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, &limit, rep)
      || 0 != params_uint(req, "offset", 0, 0, MAX_OFFSET, &offset, rep))
    return 0;
  data = json_array();
  if (NULL == data)
    return -1;
  st = db_read_begin(req->db);
  if (DB_ONE == st) {
    st = db_audit_count(req->db, &total);
    if (DB_ONE == st)
      st = db_audit_list(req->db, limit, offset, append_entry, data);
    db_read_end(req->db);
  }
  if (st < DB_NONE) {
    json_decref(data);
    return reply_db_error(rep, st);
  }
  return reply_json(rep, 200,
                    json_pack("{s:o, s:{s:I, s:I, s:I}}",
                              "data", data,
                              "meta",
                              "total", (json_int_t) total,
                              "limit", (json_int_t) limit,
                              "offset", (json_int_t) offset));
}
