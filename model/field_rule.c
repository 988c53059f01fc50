/**
 * @file model/field_rule.c
 * @brief The checks of one value against its rule, and their messages.
 */
#include "model/field_rule.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model/country.h"
#include "model/text.h"
#include "model/vocab.h"

/* How many bytes of a bad value a message quotes. */
#define QUOTE_MAX 32

struct field_value
field_value_of_json(const json_t *j)
{
  struct field_value out = { .type = json_typeof(j) };

  if (JSON_STRING == out.type) {
    out.s = json_string_value(j);
    out.n = json_string_length(j);
  } else if (JSON_INTEGER == out.type) {
    out.i = (int64_t) json_integer_value(j);
  } else if (JSON_REAL == out.type) {
    out.real = json_real_value(j);
  }
  return out;
}

static const char *
or_null(bool mention_null)
{
  return mention_null ? " or null" : "";
}

void
rule_expectation(const struct field_rule *r, bool mention_null, char *out, size_t size)
{
  size_t used;

  switch (r->kind) {
  case RULE_INTEGER:
    if (INT64_MAX == r->max)
      snprintf(out, size, "must be a whole number of at least %lld%s", (long long) r->min,
               or_null(mention_null));
    else
      snprintf(out, size, "must be a whole number from %lld to %lld%s", (long long) r->min,
               (long long) r->max, or_null(mention_null));
    return;
  case RULE_CHOICE:
    if (NULL == r->choices[1]) {
      snprintf(out, size, "must be \"%s\"", r->choices[0]);
      return;
    }
    used = (size_t) snprintf(out, size, "must be one of:");
    for (size_t k = 0; NULL != r->choices[k] && used < size; k++)
      used += (size_t) snprintf(out + used, size - used, "%s %s", 0 == k ? "" : ",",
                                r->choices[k]);
    return;
  case RULE_OBJECT:
    snprintf(out, size, "must be an object%s", or_null(mention_null));
    return;
  case RULE_BOOLEAN:
    snprintf(out, size, "must be true or false%s", or_null(mention_null));
    return;
  case RULE_LOCATION:
    snprintf(out, size, "must be an ISO 3166-1 alpha-2 country code, optionally with an"
             " ISO 3166-2 subdivision, in upper case: GB, US-WA, DE-BE%s", or_null(mention_null));
    return;
  case RULE_TEXT:
  case RULE_SLUG:
  case RULE_FIXED:
  case RULE_IGNORED:
    break;
  }
  snprintf(out, size, "must be a string%s", or_null(mention_null));
}

static enum rule_verdict
check_text(const struct field_rule *r, const struct field_value *v, struct rule_result *out,
           char *reason, size_t size)
{
  bool multiline = 0 != (r->flags & R_MULTILINE);
  struct text_facts f;

  text_scan(v->s, v->n, multiline, &f);
  if (f.invalid)
    snprintf(reason, size, "must be valid UTF-8");
  else if (f.nul)
    snprintf(reason, size, "must not contain NUL characters");
  else if (f.control)
    snprintf(reason, size, "must not contain control characters%s",
             multiline ? " other than newline and tab" : "");
  else if (f.edge_space)
    snprintf(reason, size, "must not start or end with whitespace");
  else if ((int64_t) f.chars < r->min || (int64_t) f.chars > r->max)
    snprintf(reason, size, "must be %lld to %lld characters long, not %zu",
             (long long) r->min, (long long) r->max, f.chars);
  else {
    out->text = v->s;
    return RULE_OK;
  }
  return RULE_BAD;
}

static enum rule_verdict
check_slug(const struct field_rule *r, const struct field_value *v, struct rule_result *out,
           char *reason, size_t size)
{
  if (0 == v->n) {
    snprintf(reason, size, "must be 1 to %lld characters long, not 0", (long long) r->max);
    return RULE_BAD;
  }
  if (!text_slug_shape(v->s, v->n)) {
    snprintf(reason, size, "must be lowercase letters and digits in words joined by single"
             " hyphens, e.g. cloud-architect");
    return RULE_BAD_VALUE;
  }
  if ((int64_t) v->n > r->max) {
    snprintf(reason, size, "must be 1 to %lld characters long, not %zu", (long long) r->max,
             v->n);
    return RULE_BAD;
  }
  out->text = v->s;
  return RULE_OK;
}

static enum rule_verdict
check_choice(const struct field_rule *r, const struct field_value *v, struct rule_result *out)
{
  for (size_t k = 0; JSON_STRING == v->type && NULL != r->choices[k]; k++) {
    if (v->n == strlen(r->choices[k]) && 0 == memcmp(v->s, r->choices[k], v->n)) {
      out->text = r->choices[k];
      return RULE_OK;
    }
  }
  return RULE_BAD_VALUE;
}

static enum rule_verdict
check_location(const struct field_value *v, struct rule_result *out, char *reason, size_t size)
{
  switch (location_check(v->s, v->n)) {
  case LOCATION_OK:
    out->text = v->s;
    return RULE_OK;
  case LOCATION_NO_COUNTRY:
    snprintf(reason, size, "must start with a country code that ISO 3166-1 has assigned"
             " (GB, US, DE, ...)");
    return RULE_BAD_VALUE;
  case LOCATION_BAD_FORM:
    break;
  }
  rule_expectation(&(struct field_rule) { .kind = RULE_LOCATION }, false, reason, size);
  return RULE_BAD_VALUE;
}

enum rule_verdict
rule_check(const struct field_rule *r, const struct field_value *v, bool mention_null,
           struct rule_result *out, char *reason, size_t size)
{
  enum rule_verdict verdict = RULE_BAD_VALUE;

  memset(out, 0, sizeof *out);
  switch (r->kind) {
  case RULE_TEXT:
  case RULE_SLUG:
    if (JSON_STRING != v->type)
      break;
    return RULE_TEXT == r->kind ? check_text(r, v, out, reason, size)
                                : check_slug(r, v, out, reason, size);
  case RULE_INTEGER:
    if (JSON_INTEGER == v->type && v->i >= r->min && v->i <= r->max) {
      out->number = v->i;
      return RULE_OK;
    }
    break;
  case RULE_CHOICE:
    verdict = check_choice(r, v, out);
    break;
  case RULE_BOOLEAN:
    if (JSON_TRUE == v->type || JSON_FALSE == v->type) {
      out->number = JSON_TRUE == v->type;
      return RULE_OK;
    }
    break;
  case RULE_LOCATION:
    if (JSON_STRING == v->type)
      return check_location(v, out, reason, size);
    break;
  case RULE_OBJECT:
    if (JSON_OBJECT == v->type)
      return RULE_OK;
    break;
  case RULE_FIXED:
    snprintf(reason, size, "%s is the identifier; it cannot be changed", r->name);
    return RULE_BAD;
  case RULE_IGNORED:
    return RULE_OK;
  }
  if (RULE_OK != verdict)
    rule_expectation(r, mention_null, reason, size);
  return verdict;
}

const struct field_rule *
rule_find(const struct field_rule *rules, size_t n, const char *name, size_t len)
{
  for (size_t i = 0; i < n; i++) {
    if (strlen(rules[i].name) == len && 0 == memcmp(rules[i].name, name, len))
      return &rules[i];
  }
  return NULL;
}

void
field_value_describe(const struct field_value *v, char *out, size_t size)
{
  char quoted[QUOTE_MAX + 4];

  switch (v->type) {
  case JSON_STRING:
    text_sanitize(quoted, v->s, v->n, QUOTE_MAX);
    snprintf(out, size, "\"%s\"", quoted);
    return;
  case JSON_INTEGER: snprintf(out, size, "%" PRId64, v->i); return;
  case JSON_REAL: snprintf(out, size, "%.17g", v->real); return;
  case JSON_TRUE: snprintf(out, size, "true"); return;
  case JSON_FALSE: snprintf(out, size, "false"); return;
  case JSON_NULL: snprintf(out, size, "null"); return;
  case JSON_ARRAY: snprintf(out, size, "an array"); return;
  case JSON_OBJECT: snprintf(out, size, "an object"); return;
  }
}
