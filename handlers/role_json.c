/**
 * @file handlers/role_json.c
 * @brief JSON shapes of roles and sources.
 */
#include "handlers/role_json.h"

#include <stdarg.h>

#include "http/reply.h"

json_t *
role_json_summary(const struct role_row *row)
{
  return json_pack("{s:o, s:o, s:o, s:o, s:o}",
                   "slug", json_string_lossy(row->slug),
                   "title", json_string_lossy(row->title),
                   "category", json_string_lossy(row->category),
                   "summary", json_string_lossy(row->summary),
                   "pay", row->has_pay ? json_integer(row->pay_usd) : json_null());
}

json_t *
source_json(const struct source_ref *src)
{
  return json_pack("{s:I, s:o, s:o, s:o}",
                   "id", (json_int_t) src->id,
                   "slug", json_string_lossy(src->slug),
                   "title", json_string_lossy(src->title),
                   "section", json_string_lossy(src->section));
}

json_t *
json_string_or_null(const char *s)
{
  return NULL == s ? json_null() : json_string_lossy(s);
}

json_t *
number_json(double value)
{
  /* Within +-2^53 every whole double is exact and the cast is defined;
   * NaN fails both comparisons and is refused by json_real(). */
  if (value >= -9007199254740992.0 && value <= 9007199254740992.0) {
    json_int_t whole = (json_int_t) value;

    if ((double) whole == value)
      return json_integer(whole);
  }
  return json_real(value);
}

json_t *
salary_json(const struct salary_row *row)
{
  return json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                   "id", (json_int_t) row->id,
                   "amount", (json_int_t) row->amount_usd,
                   "currency", "USD",
                   "kind", json_string_lossy(row->kind),
                   "statistic", json_string_lossy(row->statistic),
                   "bound", json_string_lossy(row->bound),
                   "scope", json_string_or_null(row->scope),
                   "year", row->has_year ? json_integer(row->year) : json_null(),
                   "note", json_string_or_null(row->note),
                   "source", source_json(&row->source));
}

json_t *
skill_json(const struct skill_row *row)
{
  return json_pack("{s:o, s:o, s:o, s:[], s:I, s:o, s:o, s:o}",
                   "slug", json_string_lossy(row->slug),
                   "name", json_string_lossy(row->name),
                   "demand_rank", row->has_demand_rank ? json_integer(row->demand_rank)
                                                        : json_null(),
                   "shares",
                   "role_count", (json_int_t) row->role_count,
                   "avg_pay", row->has_avg_pay ? json_integer(row->avg_pay) : json_null(),
                   "pay_premium", row->has_avg_pay ? json_integer(row->pay_premium)
                                                   : json_null(),
                   "source", row->has_source ? source_json(&row->source) : json_null());
}

int
skill_json_add_share(json_t *skill, const struct skill_share_row *share)
{
  json_t *item = json_pack("{s:o, s:o, s:o, s:o, s:o}",
                           "metric", json_string_lossy(share->metric),
                           "percent", number_json(share->percent),
                           "qualifier", json_string_lossy(share->qualifier),
                           "scope", json_string_or_null(share->scope),
                           "source", source_json(&share->source));

  if (NULL == item)
    return -1;
  return json_array_append_new(json_object_get(skill, "shares"), item);
}

bool
embedded_salaries_full(const json_t *salaries)
{
  return json_array_size(salaries) >= EMBEDDED_SALARIES_MAX;
}

json_t *
salaries_more_json(int64_t rows, const char *query_fmt, ...)
{
  va_list ap;
  json_t *more;

  if (rows <= EMBEDDED_SALARIES_MAX)
    return json_null();
  va_start(ap, query_fmt);
  more = json_vsprintf(query_fmt, ap);
  va_end(ap);
  return more;
}

/* The pay factors of a report, null where it states none, in the order
 * the CSV export makes its columns. */
static int
factors_add(json_t *item, const struct report_factors *f)
{
  return json_object_set_new(item, "location", json_string_or_null(f->location))
         || json_object_set_new(item, "remote", f->has_remote ? json_boolean(f->remote)
                                                               : json_null())
         || json_object_set_new(item, "experience_years",
                                f->has_experience ? json_integer(f->experience_years)
                                                  : json_null())
         || json_object_set_new(item, "education", json_string_or_null(f->education))
         || json_object_set_new(item, "industry", json_string_or_null(f->industry))
         || json_object_set_new(item, "company_stage", json_string_or_null(f->company_stage));
}

json_t *
observation_json(const struct observation_row *row)
{
  json_t *item = salary_json(&row->salary);

  if (NULL == item
      || 0 != json_object_set_new(item, "role", json_string_or_null(row->role_slug))
      || 0 != json_object_set_new(item, "subject", json_string_or_null(row->subject))
      || 0 != factors_add(item, &row->factors)) {
    json_decref(item);
    return NULL;
  }
  return item;
}

json_t *
source_doc_json(const struct source_doc_row *row)
{
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I}}",
                   "id", (json_int_t) row->id,
                   "slug", json_string_lossy(row->slug),
                   "title", json_string_lossy(row->title),
                   "kind", json_string_lossy(row->kind),
                   "year", row->has_year ? json_integer(row->year) : json_null(),
                   "origin", json_string_lossy(row->origin),
                   "summary", json_string_lossy(row->summary),
                   "counts",
                   "roles", (json_int_t) row->roles,
                   "salaries", (json_int_t) row->salaries,
                   "skills", (json_int_t) row->skills,
                   "data_notes", (json_int_t) row->data_notes);
}

int
role_json_add_pay_basis(json_t *role, const struct role_row *row)
{
  const struct pay_spread *ps = &row->spread;
  json_t *reports = ps->has_spread
                      ? json_pack("{s:I, s:I, s:I, s:I}", "n", (json_int_t) ps->n,
                                  "p25", (json_int_t) ps->p25, "p50", (json_int_t) ps->p50,
                                  "p75", (json_int_t) ps->p75)
                      : json_null();

  if (0 != json_object_set_new(role, "pay_basis",
                               NULL != ps->basis ? json_string(ps->basis) : json_null()))
    return json_decref(reports), -1;
  return json_object_set_new(role, "pay_reports", reports);
}

json_t *
role_skill_brief_json(const struct role_skill_row *row)
{
  return json_pack("{s:o, s:o, s:o}",
                   "slug", json_string_lossy(row->slug),
                   "name", json_string_lossy(row->name),
                   "demand_rank", row->has_demand_rank ? json_integer(row->demand_rank)
                                                        : json_null());
}

json_t *
role_skill_json(const struct role_skill_row *row)
{
  json_t *item = role_skill_brief_json(row);

  if (NULL != item && 0 != json_object_set_new(item, "source", source_json(&row->source))) {
    json_decref(item);
    return NULL;
  }
  return item;
}
