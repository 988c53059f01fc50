/**
 * @file handlers/salaries_post.c
 * @brief POST /salaries: adds one salary observation, in the shape GET
 *        /salaries serves. 201 with Location /salaries/{id}. The role's
 *        pay follows at once (the schema's triggers).
 *
 * Without a source the observation is attributed to the source that
 * stands for API entries, created on first use in the same transaction.
 */
#include "handlers/handlers.h"

#include "db/audit.h"
#include "db/catalog.h"
#include "db/salary_write.h"
#include "db/source_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"
#include "http/params.h"

/* The role and the source the body names must exist: 422 naming each
 * that does not, as for any other invalid member. */
static enum db_status
resolve(const struct request *req, const struct salary_input *in, struct salary_new *s,
        struct validation *v)
{
  enum db_status st = DB_ONE;

  v->count = 0;
  v->total = 0;
  if (NULL != in->role) {
    st = db_role_id(req_db(req), in->role, &s->role_id);
    s->has_role = DB_ONE == st;
    if (DB_NONE == st)
      write_field_error(v, "role", "there is no role '%s'; GET /roles lists them", in->role);
    if (st < DB_NONE)
      return st;
  }
  if (in->has_source) {
    st = db_source_exists(req_db(req), in->source_id);
    if (DB_NONE == st)
      write_field_error(v, "source.id", "there is no source %lld; GET /sources lists them",
                        (long long) in->source_id);
    if (st < DB_NONE)
      return st;
    s->source_id = in->source_id;
    s->section = in->section;
  }
  if (0 != v->total)
    return DB_NONE;
  if (!in->has_source) {
    s->section = DB_API_SECTION_ENTERED;
    return db_api_source(req_db(req), &s->source_id);
  }
  return DB_ONE;
}

static enum db_status
add_salary(const struct request *req, struct reply *rep, const void *cls,
           struct write_result *w)
{
  const struct salary_input *in = cls;
  struct salary_new s = { .has_role = false };
  struct validation v;
  int64_t id = 0;
  enum db_status st = resolve(req, in, &s, &v);

  if (DB_NONE == st)
    return write_refuse(w, reply_invalid_body(rep, &v));
  s.subject = in->subject;
  s.amount_usd = in->amount;
  s.kind = in->kind;
  s.statistic = in->statistic;
  s.bound = in->bound;
  s.scope = in->scope;
  s.has_year = in->has_year;
  s.year = in->year;
  s.note = in->note;
  if (DB_ONE == st)
    st = db_salary_insert(req_db(req), &s, &id);
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_SALARY, id, 0, &w->after);
  write_result_id(w, id);
  return st;
}

int
h_salaries_post(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { NULL };
  static const struct write_op op = {
    .apply = add_salary, .show = h_salaries_get, .status = 201, .collection = "/salaries",
  };
  struct salary_input in;
  struct validation v;

  if (0 != params_only(req, allowed, rep))
    return 0;
  if (0 != validate_salary_create(req->json, &in, &v))
    return reply_invalid_body(rep, &v);
  return write_run(req, rep, &op, &in);
}
