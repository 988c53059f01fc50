/**
 * @file model/body_check.c
 * @brief JSON bodies through the field-rule engine.
 */
#include "model/body_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/text.h"

void
validation_add(struct field_errors *v, const char *prefix, const char *name, const char *fmt, ...)
{
  struct field_error *e;
  size_t used;
  va_list ap;

  if (NULL == (e = field_errors_next(v)))
    return;
  used = text_append_chars(e->field, sizeof e->field, 0, prefix);
  if ('\0' != prefix[0] && '\0' != name[0])
    used = text_append_chars(e->field, sizeof e->field, used, ".");
  text_append_chars(e->field, sizeof e->field, used, name);
  va_start(ap, fmt);
  vsnprintf(e->reason, sizeof e->reason, fmt, ap);
  va_end(ap);
}

/* Checks one member (NULL when absent) against its rule. */
static void
check_member(const json_t *j, const char *prefix, const struct field_rule *r,
             struct body_value *out, struct field_errors *v)
{
  char reason[sizeof v->items[0].reason];
  struct field_value fv;

  memset(out, 0, sizeof *out);
  if (NULL == j) {
    if (0 != (r->flags & R_REQUIRED))
      validation_add(v, prefix, r->name, "is required");
    return;
  }
  out->present = true;
  if (json_is_null(j) && 0 != (r->flags & R_NULLABLE)) {
    out->null = true;
    return;
  }
  fv = field_value_of_json(j);
  if (RULE_OK != rule_check(r, &fv, 0 != (r->flags & R_NULLABLE), &out->r, reason,
                            sizeof reason))
    validation_add(v, prefix, r->name, "%s", reason);
  else if (RULE_OBJECT == r->kind)
    out->json = j;
}

void
body_check_members(const json_t *obj, const char *prefix, const struct field_rule *rules,
                   size_t n, struct body_value *values, struct field_errors *v)
{
  /* Iteration needs a non-const handle; it changes nothing. */
  json_t *o = (json_t *) obj;
  const char *key;
  json_t *member;

  for (size_t i = 0; i < n; i++)
    check_member(json_object_get(obj, rules[i].name), prefix, &rules[i], &values[i], v);
  json_object_foreach(o, key, member) {
    if (NULL == rule_find(rules, n, key, strlen(key)))
      validation_add(v, prefix, key, "unknown field");
  }
}

void
body_require_change(const struct field_rule *rules, const struct body_value *values, size_t n,
                    struct field_errors *v)
{
  char names[sizeof v->items[0].reason] = "";
  size_t used = 0;

  for (size_t i = 0; i < n; i++) {
    if (RULE_FIXED == rules[i].kind || RULE_IGNORED == rules[i].kind)
      continue;
    if (values[i].present)
      return;
    if (used < sizeof names)
      used += (size_t) snprintf(names + used, sizeof names - used, "%s%s",
                                0 == used ? "" : ", ", rules[i].name);
  }
  validation_add(v, "", "", "must give at least one of: %s", names);
}

bool
body_check(const json_t *body, const struct field_rule *rules, size_t n, bool change,
           struct body_value *values, struct field_errors *v)
{
  field_errors_clear(v, VALIDATION_MAX_ERRORS);
  if (!json_is_object(body)) {
    validation_add(v, "", "", "the body must be a JSON object");
    return false;
  }
  body_check_members(body, "", rules, n, values, v);
  if (change)
    body_require_change(rules, values, n, v);
  return true;
}

int
body_finish(const struct field_errors *v)
{
  return 0 == v->total ? 0 : -1;
}
