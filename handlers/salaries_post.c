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

#include <stdio.h>
#include <stdlib.h>

#include "db/audit.h"
#include "db/catalog.h"
#include "db/salary_write.h"
#include "db/source_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

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

int
h_salaries_post(const struct request *req, struct reply *rep)
{
  struct salary_input in;
  struct validation v;
  struct salary_new s = { .has_role = false };
  char *after = NULL;
  char arg[24];
  char location[48];
  int64_t id = 0;
  enum db_status st;
  int rc;

  if (0 != validate_salary_create(req->json, &in, &v))
    return reply_invalid_body(rep, &v);
  if (0 != write_begin(req, rep))
    return 0;
  st = resolve(req, &in, &s, &v);
  if (DB_NONE == st) {
    db_write_rollback(req_db(req));
    return reply_invalid_body(rep, &v);
  }
  s.subject = in.subject;
  s.amount_usd = in.amount;
  s.kind = in.kind;
  s.statistic = in.statistic;
  s.bound = in.bound;
  s.scope = in.scope;
  s.has_year = in.has_year;
  s.year = in.year;
  s.note = in.note;
  if (DB_ONE == st)
    st = db_salary_insert(req_db(req), &s, &id);
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_SALARY, id, 0, &after);
  if (DB_ONE != st) {
    free(after);
    return write_abort(req, rep, st < DB_NONE ? st : DB_HARD);
  }
  if (0 != write_commit(req, rep, NULL, after)) {
    free(after);
    return 0;
  }
  snprintf(arg, sizeof arg, "%lld", (long long) id);
  snprintf(location, sizeof location, "/salaries/%lld", (long long) id);
  rc = write_show(req, rep, h_salaries_get, arg, 201, location, after);
  free(after);
  return rc;
}
