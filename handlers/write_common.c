/**
 * @file handlers/write_common.c
 * @brief The steps every write shares.
 */
#include "handlers/write_common.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/catalog.h"
#include "db/skill_write.h"
#include "db/write.h"
#include "handlers/app.h"
#include "handlers/handlers.h"
#include "http/params.h"
#include "util/number.h"

/* The largest id write_parse_id() accepts: 2^53, so ids survive JSON. */
#define MAX_ID ((int64_t) 1 << 53)

static int
attach_errors(struct reply *rep, json_t *errors)
{
  if (NULL == errors || 0 != json_object_set_new(rep->body, "errors", errors)) {
    reply_clear(rep);
    return -1;
  }
  return 0;
}

int
reply_invalid_body(struct reply *rep, const struct field_errors *v)
{
  size_t shown = v->count;

  if (v->total > shown) {
    if (0 != reply_problem(rep, PROBLEM_INVALID_BODY, NULL,
                           "the body has %zu problems; the first %zu are listed in errors",
                           (size_t) v->total, shown))
      return -1;
    if (0 != json_object_set_new(rep->body, "total_errors", json_integer((json_int_t) v->total))) {
      reply_clear(rep);
      return -1;
    }
  } else if (0 != reply_problem(rep, PROBLEM_INVALID_BODY, NULL,
                                "the body has %zu problem%s; see errors", v->total,
                                1 == v->total ? "" : "s")) {
    return -1;
  }
  return attach_errors(rep, validation_errors_json(v));
}

void
write_field_error(struct field_errors *v, const char *field, const char *reason_fmt, ...)
{
  struct field_error *e;
  va_list ap;

  if (NULL == (e = field_errors_next(v)))
    return;
  snprintf(e->field, sizeof e->field, "%s", field);
  va_start(ap, reason_fmt);
  vsnprintf(e->reason, sizeof e->reason, reason_fmt, ap);
  va_end(ap);
}

int
write_begin(const struct request *req, struct reply *rep)
{
  enum db_status st = db_write_begin(req_db(req));

  if (DB_ONE == st)
    return 0;
  reply_db_error(rep, st);
  return -1;
}

int
write_abort(const struct request *req, struct reply *rep, enum db_status status)
{
  db_write_rollback(req_db(req));
  return reply_db_error(rep, status);
}

int
write_commit(const struct request *req, struct reply *rep, const char *before,
             const char *after)
{
  struct audit_entry e = {
    /* every write route needs a token, so the daemon has named it */
    .token_id = NULL != req->token_id ? req->token_id : "unknown",
    .method = req->method,
    .route = NULL != req->route_pattern ? req->route_pattern : req->path,
    .target = req->path,
    .before = before,
    .after = after,
  };
  enum db_status st = db_audit_add(req_db(req), &e);

  if (DB_ONE == st)
    st = db_write_commit(req_db(req)); /* rolls back itself when it fails */
  if (DB_ONE == st)
    return 0;
  write_abort(req, rep, st);
  return -1;
}

int
write_show(const struct request *req, struct reply *rep, write_show_fn show, const char *arg,
           unsigned status, const char *location, const char *summary)
{
  struct request get = *req;
  int rc;

  /* The written resource, exactly as GET serves it. */
  get.method = "GET";
  get.args[0] = arg;
  get.nargs = 1;
  get.nparams = 0;
  get.json = NULL;
  rc = show(&get, rep);
  if (0 != rc || 200 != rep->status) {
    json_t *data = NULL != summary ? json_loads(summary, 0, NULL) : NULL;

    reply_clear(rep);
    if (NULL == data || 0 != reply_json(rep, status, json_pack("{s:o}", "data", data)))
      return -1;
  }
  rep->status = status;
  if (NULL != location && 0 != reply_header(rep, "Location", "%s", location))
    return -1;
  return 0;
}

int64_t
write_parse_id(const char *s)
{
  uint64_t n;

  return 0 == number_parse_canonical(s, MAX_ID, &n) ? (int64_t) n : 0;
}

enum db_status
write_link_ends(const struct request *req, struct reply *rep, struct write_result *w,
                int64_t *role_id, int64_t *skill_id)
{
  enum db_status st = db_role_id(req_db(req), req->args[0], role_id);

  if (DB_NONE == st) {
    reply_problem(rep, PROBLEM_ROLE_NOT_FOUND, NULL,
                  "there is no role '%.100s'; GET /roles lists them", req->args[0]);
    return write_refuse(w, 0);
  }
  if (DB_ONE == st)
    st = db_skill_id(req_db(req), req->args[1], skill_id);
  if (DB_NONE == st) {
    reply_problem(rep, PROBLEM_SKILL_NOT_FOUND, NULL,
                  "there is no skill '%.100s'; GET /skills lists them", req->args[1]);
    return write_refuse(w, 0);
  }
  return st;
}

enum db_status
write_refuse(struct write_result *w, int reply_rc)
{
  w->refused = true;
  w->refusal_rc = reply_rc;
  return DB_ONE;
}

void
write_result_id(struct write_result *w, int64_t id)
{
  snprintf(w->id_text, sizeof w->id_text, "%" PRId64, id);
  w->arg = w->id_text;
}

static int
write_answer(const struct request *req, struct reply *rep, const struct write_op *op,
             struct write_result *w)
{
  char location[160];

  if (NULL != op->answer)
    return op->answer(req, rep, w);
  if (NULL == op->show)
    return reply_empty(rep, 204);
  if (NULL != op->collection)
    snprintf(location, sizeof location, "%s/%s", op->collection, w->arg);
  return write_show(req, rep, op->show, w->arg, op->status,
                    NULL != op->collection ? location : NULL, w->after);
}

/* The route's params, path and body. @return true to go on, else with the handler's rc */
static bool
write_read(const struct request *req, struct reply *rep, const struct write_op *op,
           union write_input *in, int *rc)
{
  struct field_errors v;
  int invalid = 0;

  *rc = 0;
  if (NULL != op->params && !op->params(req, rep, in, rc))
    return false;
  if (NULL != op->validate_role)
    invalid = op->validate_role(req->json, &in->role, &v);
  else if (NULL != op->validate_skill)
    invalid = op->validate_skill(req->json, &in->skill, &v);
  else if (NULL != op->validate_salary)
    invalid = op->validate_salary(req->json, &in->salary, &v);
  if (0 != invalid)
    *rc = reply_invalid_body(rep, &v);
  return 0 == invalid;
}

/* The steps inside the transaction, with the audit summaries between them. */
static enum db_status
write_apply(const struct request *req, struct reply *rep, const struct write_op *op,
            const union write_input *in, struct write_result *w)
{
  struct db *db = req_db(req);
  enum db_status st = NULL != op->check ? op->check(req, rep, in, w) : DB_ONE;

  if (DB_ONE == st && !w->refused && op->audit_before)
    st = db_audit_summary(db, op->audit, w->id, w->id2, &w->before);
  if (DB_ONE == st && !w->refused)
    st = op->write(req, rep, in, w);
  if (DB_ONE == st && !w->refused && !w->unchanged && op->audit_after)
    st = db_audit_summary(db, op->audit, w->id, w->id2, &w->after);
  return st;
}

int
write_run(const struct request *req, struct reply *rep, const struct write_op *op)
{
  union write_input in;
  struct write_result w = { .arg = NULL };
  enum db_status st;
  int rc = 0;

  if (!write_read(req, rep, op, &in, &rc))
    return rc;
  if (0 != write_begin(req, rep))
    return 0;
  st = write_apply(req, rep, op, &in, &w);
  if (DB_ONE != st) {
    /* a row the write relies on vanished mid-way: a fault, not a 404 */
    rc = write_abort(req, rep, DB_NONE == st ? DB_HARD : st);
  } else if (w.refused || w.unchanged) {
    db_write_rollback(req_db(req));
    rc = w.refused ? w.refusal_rc : write_answer(req, rep, op, &w);
  } else if (0 == write_commit(req, rep, w.before, w.after)) {
    rc = write_answer(req, rep, op, &w);
  }
  json_decref(w.body);
  free(w.before);
  free(w.after);
  return rc;
}

enum db_status
write_rank_free(const struct request *req, struct reply *rep, int64_t rank, int64_t self,
                struct write_result *w)
{
  char holder[VALIDATE_SLUG_MAX + 1];
  enum db_status st = db_skill_rank_holder(req_db(req), rank, self, holder, sizeof holder);

  if (DB_ONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_CONFLICT, NULL,
                                         "demand rank %lld is held by the skill '%s';"
                                         " ranks are unique", (long long) rank, holder));
  return DB_NONE == st ? DB_ONE : st;
}
