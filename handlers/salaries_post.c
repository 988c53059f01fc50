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

#include "db/catalog.h"
#include "db/salary_write.h"
#include "db/source_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

/* The industry a report names must exist, as its role must. */
static enum db_status
resolve_industry(const struct request *req, const struct salary_input *in,
                 struct salary_new *s, struct field_errors *v)
{
  enum db_status st;

  if (NULL == in->factors.industry)
    return DB_ONE;
  st = db_industry_id(req_db(req), in->factors.industry, &s->industry_id);
  if (DB_NONE == st)
    write_field_error(v, "industry", "there is no industry '%s'; GET /industries lists them",
                      in->factors.industry);
  return st < DB_NONE ? st : DB_ONE;
}

/* The role, the source and the industry the body names must exist: 422
 * naming each that does not, as for any other invalid member. */
static enum db_status
resolve(const struct request *req, const struct salary_input *in, struct salary_new *s,
        struct field_errors *v)
{
  enum db_status st = DB_ONE;

  field_errors_clear(v, VALIDATION_MAX_ERRORS);
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
  if (DB_ONE != (st = resolve_industry(req, in, s, v)))
    return st;
  if (0 != v->total)
    return DB_NONE;
  if (!in->has_source) {
    s->section = DB_API_SECTION_ENTERED;
    return db_api_source(req_db(req), &s->source_id);
  }
  return DB_ONE;
}

static enum db_status
add_salary(const struct request *req, struct reply *rep, const union write_input *in,
           struct write_result *w)
{
  const struct salary_input *salary = &in->salary;
  struct salary_new s = { .has_role = false, .industry_id = 0 };
  struct field_errors v;
  enum db_status st = resolve(req, salary, &s, &v);

  if (DB_NONE == st)
    return write_refuse(w, reply_invalid_body(rep, &v));
  s.subject = salary->subject;
  s.amount_usd = salary->amount;
  s.kind = salary->kind;
  s.statistic = salary->statistic;
  s.bound = salary->bound;
  s.scope = salary->scope;
  s.has_year = salary->has_year;
  s.year = salary->year;
  s.note = salary->note;
  s.factors = salary->factors;
  if (DB_ONE == st)
    st = db_salary_insert(req_db(req), &s, &w->id);
  write_result_id(w, w->id);
  return st;
}

WRITE_ROUTE(h_salaries_post, .validate_salary = validate_salary_create, .write = add_salary,
            .audit = AUDIT_SALARY, .audit_after = true,
            .show = h_salaries_get, .status = 201, .collection = "/salaries")
