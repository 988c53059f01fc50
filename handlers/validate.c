/**
 * @file handlers/validate.c
 * @brief Request-body validation for the write routes: each route's rule
 *        table (model/rules.h) through the field-rule engine
 *        (model/body_check.h), and the checked members handed over in the
 *        structs the handlers use.
 */
#include "handlers/validate.h"

#include <string.h>

#include "http/reply.h"
#include "model/rules.h"
#include "model/text.h"

int
validate_slug(const char *s)
{
  size_t len;

  if (NULL == s)
    return -1;
  len = strlen(s);
  return len <= VALIDATE_SLUG_MAX && text_slug_shape(s, len) ? 0 : -1;
}

static int
validate_role(const json_t *body, const struct field_rule *rules, bool change,
              struct role_input *out, struct field_errors *v)
{
  struct body_value val[ROLE__COUNT];

  memset(out, 0, sizeof *out);
  if (!body_check(body, rules, ROLE__COUNT, change, val, v))
    return -1;
  out->slug = val[ROLE_SLUG].r.text;
  out->title = val[ROLE_TITLE].r.text;
  out->category = val[ROLE_CATEGORY].r.text;
  out->summary = val[ROLE_SUMMARY].r.text;
  out->has_slug = NULL != out->slug;
  out->has_title = val[ROLE_TITLE].present;
  out->has_category = val[ROLE_CATEGORY].present;
  out->has_summary = val[ROLE_SUMMARY].present;
  return body_finish(v);
}

int
validate_role_create(const json_t *body, struct role_input *out, struct field_errors *v)
{
  return validate_role(body, role_create_rules, false, out, v);
}

int
validate_role_patch(const json_t *body, struct role_input *out, struct field_errors *v)
{
  return validate_role(body, role_patch_rules, true, out, v);
}

/* A figure is about a role or, failing that, a named group. */
static void
require_role_or_subject(const struct body_value *val, struct field_errors *v)
{
  const struct body_value *role = &val[SAL_ROLE];
  const struct body_value *subject = &val[SAL_SUBJECT];

  if ((!role->present || role->null) && (!subject->present || subject->null))
    validation_add(v, "", "subject", "is required when role is null or absent");
}

static void
salary_output(const struct body_value *val, const struct body_value *src, struct salary_report *out)
{
  out->role = val[SAL_ROLE].r.text;
  out->subject = val[SAL_SUBJECT].r.text;
  out->amount = val[SAL_AMOUNT].r.number;
  out->kind = val[SAL_KIND].r.text;
  out->statistic = val[SAL_STATISTIC].r.text;
  out->bound = val[SAL_BOUND].present ? val[SAL_BOUND].r.text : salary_bounds[0];
  out->scope = val[SAL_SCOPE].r.text;
  out->has_year = val[SAL_YEAR].present && !val[SAL_YEAR].null;
  out->year = val[SAL_YEAR].r.number;
  out->note = val[SAL_NOTE].r.text;
  out->has_source = NULL != val[SAL_SOURCE].json;
  out->source_id = src[SRC_ID].r.number;
  out->section = src[SRC_SECTION].r.text;
  out->factors = (struct report_factors) {
    .location = val[SAL_LOCATION].r.text,
    .has_remote = val[SAL_REMOTE].present && !val[SAL_REMOTE].null,
    .remote = 0 != val[SAL_REMOTE].r.number,
    .has_experience = val[SAL_EXPERIENCE].present && !val[SAL_EXPERIENCE].null,
    .experience_years = val[SAL_EXPERIENCE].r.number,
    .education = val[SAL_EDUCATION].r.text,
    .industry = val[SAL_INDUSTRY].r.text,
    .company_stage = val[SAL_COMPANY_STAGE].r.text,
  };
}

int
validate_salary_create(const json_t *body, struct salary_report *out, struct field_errors *v)
{
  struct body_value val[SAL__COUNT];
  struct body_value src[SRC__COUNT];

  memset(out, 0, sizeof *out);
  memset(src, 0, sizeof src);
  if (!body_check(body, salary_rules, SAL__COUNT, false, val, v))
    return -1;
  require_role_or_subject(val, v);
  if (NULL != val[SAL_SOURCE].json)
    body_check_members(val[SAL_SOURCE].json, "source", source_rules, SRC__COUNT, src, v);
  salary_output(val, src, out);
  return body_finish(v);
}

static int
validate_skill(const json_t *body, const struct field_rule *rules, bool change,
               struct skill_input *out, struct field_errors *v)
{
  struct body_value val[SKILL__COUNT];

  memset(out, 0, sizeof *out);
  if (!body_check(body, rules, SKILL__COUNT, change, val, v))
    return -1;
  out->slug = val[SKILL_SLUG].r.text;
  out->name = val[SKILL_NAME].r.text;
  out->has_slug = NULL != out->slug;
  out->has_name = val[SKILL_NAME].present;
  out->has_demand_rank = val[SKILL_DEMAND_RANK].present;
  out->demand_rank = val[SKILL_DEMAND_RANK].r.number;
  return body_finish(v);
}

int
validate_skill_create(const json_t *body, struct skill_input *out, struct field_errors *v)
{
  return validate_skill(body, skill_create_rules, false, out, v);
}

int
validate_skill_patch(const json_t *body, struct skill_input *out, struct field_errors *v)
{
  return validate_skill(body, skill_patch_rules, true, out, v);
}

json_t *
field_errors_json(const struct field_error *items, size_t n, bool with_line)
{
  json_t *list = json_array();

  for (size_t i = 0; NULL != list && i < n; i++) {
    /* the line comes first, as the answers have always listed it */
    json_t *item = with_line
                     ? json_pack("{s:I, s:o, s:o}", "line", (json_int_t) items[i].line,
                                 "field", json_string_lossy(items[i].field),
                                 "reason", json_string_lossy(items[i].reason))
                     : json_pack("{s:o, s:o}", "field", json_string_lossy(items[i].field),
                                 "reason", json_string_lossy(items[i].reason));

    if (NULL == item || 0 != json_array_append_new(list, item)) {
      json_decref(list);
      return NULL;
    }
  }
  return list;
}

json_t *
validation_errors_json(const struct field_errors *v)
{
  return field_errors_json(v->items, v->count, false);
}
