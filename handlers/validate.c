/**
 * @file handlers/validate.c
 * @brief Request-body validation for the write routes.
 *
 * Each route is a table of member rules. One pass checks every rule (so a
 * body with three mistakes gets three errors, not one at a time), then
 * every member the table does not name is reported as unknown. A rule
 * reports at most one problem for its member, the first it finds.
 */
#include "handlers/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

const char *const salary_kinds[] = { "base", "total", NULL };
const char *const salary_statistics[] = {
  "average", "median", "minimum", "maximum", "individual", "p25", "p75", NULL,
};
const char *const salary_bounds[] = { "exact", "at_least", "below", NULL };

static const char *const currencies[] = { "USD", NULL };

enum rule_kind {
  RULE_TEXT,    /* a string of min..max characters */
  RULE_SLUG,    /* a string that validate_slug() accepts */
  RULE_INTEGER, /* a JSON integer from min to max */
  RULE_CHOICE,  /* one of the strings in choices */
  RULE_OBJECT,  /* an object; its members are checked by the caller */
  RULE_FIXED,   /* the identifier: never accepted in a change */
  RULE_IGNORED, /* server-owned: any value, not used */
};

#define R_REQUIRED 0x1u  /* absent is an error */
#define R_NULLABLE 0x2u  /* null is accepted and means "none" */
#define R_MULTILINE 0x4u /* text may hold newlines and tabs */

struct rule {
  const char *name;
  enum rule_kind kind;
  unsigned flags;
  int64_t min;
  int64_t max;
  const char *const *choices;
};

#define TEXT(n, f, lo, hi) { .name = (n), .kind = RULE_TEXT, .flags = (f), .min = (lo), .max = (hi) }
#define SLUG(n, f) { .name = (n), .kind = RULE_SLUG, .flags = (f) }
#define INTEGER(n, f, lo, hi) { .name = (n), .kind = RULE_INTEGER, .flags = (f), .min = (lo), .max = (hi) }
#define CHOICE(n, f, list) { .name = (n), .kind = RULE_CHOICE, .flags = (f), .choices = (list) }
#define OBJECT(n, f) { .name = (n), .kind = RULE_OBJECT, .flags = (f) }
#define FIXED(n) { .name = (n), .kind = RULE_FIXED }
#define IGNORED(n) { .name = (n), .kind = RULE_IGNORED }

/* What a rule found in its member. */
struct value {
  bool present;       /* the member was given, null included */
  bool null;          /* it was null (and the rule allows that) */
  const char *text;   /* RULE_TEXT, RULE_SLUG: borrowed; RULE_CHOICE: the static entry */
  int64_t number;     /* RULE_INTEGER */
  const json_t *json; /* RULE_OBJECT */
};

enum { ROLE_SLUG, ROLE_TITLE, ROLE_CATEGORY, ROLE_SUMMARY, ROLE__COUNT };

static const struct rule role_create_rules[ROLE__COUNT] = {
  [ROLE_SLUG] = SLUG("slug", R_REQUIRED),
  [ROLE_TITLE] = TEXT("title", R_REQUIRED, 1, 200),
  [ROLE_CATEGORY] = TEXT("category", R_REQUIRED, 1, 80),
  [ROLE_SUMMARY] = TEXT("summary", R_REQUIRED | R_MULTILINE, 1, 2000),
};

static const struct rule role_patch_rules[ROLE__COUNT] = {
  [ROLE_SLUG] = FIXED("slug"),
  [ROLE_TITLE] = TEXT("title", 0, 1, 200),
  [ROLE_CATEGORY] = TEXT("category", 0, 1, 80),
  [ROLE_SUMMARY] = TEXT("summary", R_MULTILINE, 1, 2000),
};

enum {
  SAL_ID, SAL_ROLE, SAL_SUBJECT, SAL_AMOUNT, SAL_CURRENCY, SAL_KIND, SAL_STATISTIC,
  SAL_BOUND, SAL_SCOPE, SAL_YEAR, SAL_NOTE, SAL_SOURCE, SAL__COUNT
};

/* The shape GET /salaries serves; null only where it serves null. */
static const struct rule salary_rules[SAL__COUNT] = {
  [SAL_ID] = IGNORED("id"),
  [SAL_ROLE] = SLUG("role", R_NULLABLE),
  [SAL_SUBJECT] = TEXT("subject", R_NULLABLE, 1, 200),
  [SAL_AMOUNT] = INTEGER("amount", R_REQUIRED, 1, VALIDATE_AMOUNT_MAX),
  [SAL_CURRENCY] = CHOICE("currency", 0, currencies),
  [SAL_KIND] = CHOICE("kind", R_REQUIRED, salary_kinds),
  [SAL_STATISTIC] = CHOICE("statistic", R_REQUIRED, salary_statistics),
  [SAL_BOUND] = CHOICE("bound", 0, salary_bounds),
  [SAL_SCOPE] = TEXT("scope", R_NULLABLE, 1, 200),
  [SAL_YEAR] = INTEGER("year", R_NULLABLE, 1900, 2100),
  [SAL_NOTE] = TEXT("note", R_NULLABLE | R_MULTILINE, 1, 1000),
  [SAL_SOURCE] = OBJECT("source", 0),
};

enum { SRC_ID, SRC_SECTION, SRC_SLUG, SRC_TITLE, SRC__COUNT };

static const struct rule source_rules[SRC__COUNT] = {
  [SRC_ID] = INTEGER("id", R_REQUIRED, 1, INT64_MAX),
  [SRC_SECTION] = TEXT("section", R_REQUIRED, 1, 200),
  [SRC_SLUG] = IGNORED("slug"),
  [SRC_TITLE] = IGNORED("title"),
};

enum { SKILL_SLUG, SKILL_NAME, SKILL_DEMAND_RANK, SKILL__COUNT };

static const struct rule skill_create_rules[SKILL__COUNT] = {
  [SKILL_SLUG] = SLUG("slug", R_REQUIRED),
  [SKILL_NAME] = TEXT("name", R_REQUIRED, 1, 100),
  [SKILL_DEMAND_RANK] = INTEGER("demand_rank", R_NULLABLE, 1, 1000),
};

static const struct rule skill_patch_rules[SKILL__COUNT] = {
  [SKILL_SLUG] = FIXED("slug"),
  [SKILL_NAME] = TEXT("name", 0, 1, 100),
  [SKILL_DEMAND_RANK] = INTEGER("demand_rank", R_NULLABLE, 1, 1000),
};

/* ---- UTF-8 ---------------------------------------------------------- */

/*
 * Decodes the code point at s[*i] and moves *i past it.
 * @return the code point, or -1 (and *i unchanged) when the bytes there
 *         are not UTF-8: overlong forms, surrogates and values above
 *         U+10FFFF included
 */
static int32_t
utf8_next(const unsigned char *s, size_t len, size_t *i)
{
  uint32_t cp;
  size_t n = utf8_decode(s + *i, len - *i, &cp);

  if (0 == n)
    return -1;
  *i += n;
  return (int32_t) cp;
}

static bool
is_space(int32_t cp)
{
  return (cp >= 0x09 && cp <= 0x0d) || 0x20 == cp || 0x85 == cp || 0xa0 == cp
         || 0x1680 == cp || (cp >= 0x2000 && cp <= 0x200a) || 0x2028 == cp
         || 0x2029 == cp || 0x202f == cp || 0x205f == cp || 0x3000 == cp || 0xfeff == cp;
}

/* C0, DEL and C1; NUL is reported on its own. */
static bool
is_control(int32_t cp)
{
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

struct text_facts {
  size_t chars;    /* code points */
  bool invalid;    /* not UTF-8 (the other facts are then incomplete) */
  bool nul;
  bool control;    /* a control character that is not allowed */
  bool edge_space; /* starts or ends with whitespace */
};

static void
scan_text(const char *s, size_t len, bool multiline, struct text_facts *f)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t i = 0;
  int32_t cp = -1;

  memset(f, 0, sizeof *f);
  while (i < len) {
    cp = utf8_next(u, len, &i);
    if (cp < 0) {
      f->invalid = true;
      return;
    }
    if (0 == f->chars && is_space(cp))
      f->edge_space = true;
    f->chars++;
    if (0 == cp)
      f->nul = true;
    else if (is_control(cp) && !(multiline && ('\n' == cp || '\t' == cp)))
      f->control = true;
  }
  if (cp >= 0 && is_space(cp))
    f->edge_space = true;
}

/* ---- errors --------------------------------------------------------- */

/*
 * Appends @a s to dst[used..] in whole characters, as long as they fit,
 * with '?' for bytes that are not UTF-8 (a field name may be any key of
 * the body). @return the new length
 */
static size_t
append_utf8(char *dst, size_t size, size_t used, const char *s)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t len = strlen(s);
  size_t i = 0;

  while (i < len) {
    size_t at = i;

    if (utf8_next(u, len, &i) < 0) {
      i = at + 1;
      if (used + 1 >= size)
        break;
      dst[used++] = '?';
      continue;
    }
    if (used + (i - at) >= size)
      break;
    memcpy(dst + used, s + at, i - at);
    used += i - at;
  }
  dst[used] = '\0';
  return used;
}

static void add_error(struct validation *v, const char *prefix, const char *name,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Records a problem with member @a name of the object at @a prefix ("" for the body). */
static void
add_error(struct validation *v, const char *prefix, const char *name, const char *fmt, ...)
{
  struct field_error *e;
  size_t used;
  va_list ap;

  v->total++;
  if (v->count >= VALIDATION_MAX_ERRORS)
    return;
  e = &v->errors[v->count++];
  used = append_utf8(e->field, sizeof e->field, 0, prefix);
  if ('\0' != prefix[0] && '\0' != name[0])
    used = append_utf8(e->field, sizeof e->field, used, ".");
  append_utf8(e->field, sizeof e->field, used, name);
  va_start(ap, fmt);
  vsnprintf(e->reason, sizeof e->reason, fmt, ap);
  va_end(ap);
}

/* ---- member rules --------------------------------------------------- */

static const char *
or_null(const struct rule *r)
{
  return 0 != (r->flags & R_NULLABLE) ? " or null" : "";
}

static void
check_text(const json_t *j, const struct rule *r, struct value *out, char *reason, size_t size)
{
  bool multiline = 0 != (r->flags & R_MULTILINE);
  struct text_facts f;

  if (!json_is_string(j)) {
    snprintf(reason, size, "must be a string%s", or_null(r));
    return;
  }
  scan_text(json_string_value(j), json_string_length(j), multiline, &f);
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
  else
    out->text = json_string_value(j);
}

/* ^[a-z0-9]+(-[a-z0-9]+)*$, over @a len bytes */
static bool
slug_shape(const char *s, size_t len)
{
  bool after_hyphen = true; /* the start behaves like a hyphen: no hyphen may follow */

  for (size_t i = 0; i < len; i++) {
    char c = s[i];

    if ('-' == c) {
      if (after_hyphen)
        return false;
      after_hyphen = true;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      after_hyphen = false;
    } else {
      return false;
    }
  }
  return len > 0 && !after_hyphen;
}

int
validate_slug(const char *s)
{
  size_t len;

  if (NULL == s)
    return -1;
  len = strlen(s);
  return len <= VALIDATE_SLUG_MAX && slug_shape(s, len) ? 0 : -1;
}

static void
check_slug(const json_t *j, const struct rule *r, struct value *out, char *reason, size_t size)
{
  size_t len;

  if (!json_is_string(j)) {
    snprintf(reason, size, "must be a string%s", or_null(r));
    return;
  }
  len = json_string_length(j);
  if (0 == len)
    snprintf(reason, size, "must be 1 to %d characters long, not 0", VALIDATE_SLUG_MAX);
  else if (!slug_shape(json_string_value(j), len))
    snprintf(reason, size, "must be lowercase letters and digits in words joined by single"
             " hyphens, e.g. cloud-architect");
  else if (len > VALIDATE_SLUG_MAX)
    snprintf(reason, size, "must be 1 to %d characters long, not %zu", VALIDATE_SLUG_MAX, len);
  else
    out->text = json_string_value(j);
}

static void
check_integer(const json_t *j, const struct rule *r, struct value *out, char *reason,
              size_t size)
{
  if (json_is_integer(j)) {
    int64_t n = (int64_t) json_integer_value(j);

    if (n >= r->min && n <= r->max) {
      out->number = n;
      return;
    }
  }
  if (INT64_MAX == r->max)
    snprintf(reason, size, "must be a whole number of at least %lld%s", (long long) r->min,
             or_null(r));
  else
    snprintf(reason, size, "must be a whole number from %lld to %lld%s", (long long) r->min,
             (long long) r->max, or_null(r));
}

static void
check_choice(const json_t *j, const struct rule *r, struct value *out, char *reason,
             size_t size)
{
  size_t used;

  for (size_t k = 0; json_is_string(j) && NULL != r->choices[k]; k++) {
    if (json_string_length(j) == strlen(r->choices[k])
        && 0 == strcmp(json_string_value(j), r->choices[k])) {
      out->text = r->choices[k];
      return;
    }
  }
  if (NULL == r->choices[1]) {
    snprintf(reason, size, "must be \"%s\"", r->choices[0]);
    return;
  }
  used = (size_t) snprintf(reason, size, "must be one of:");
  for (size_t k = 0; NULL != r->choices[k] && used < size; k++)
    used += (size_t) snprintf(reason + used, size - used, "%s %s", 0 == k ? "" : ",",
                              r->choices[k]);
}

/* Checks one member (NULL when absent) against its rule. */
static void
check_member(const json_t *j, const char *prefix, const struct rule *r, struct value *out,
             struct validation *v)
{
  char reason[sizeof v->errors[0].reason] = "";

  memset(out, 0, sizeof *out);
  if (NULL == j) {
    if (0 != (r->flags & R_REQUIRED))
      add_error(v, prefix, r->name, "is required");
    return;
  }
  out->present = true;
  if (json_is_null(j) && 0 != (r->flags & R_NULLABLE)) {
    out->null = true;
    return;
  }
  switch (r->kind) {
  case RULE_TEXT: check_text(j, r, out, reason, sizeof reason); break;
  case RULE_SLUG: check_slug(j, r, out, reason, sizeof reason); break;
  case RULE_INTEGER: check_integer(j, r, out, reason, sizeof reason); break;
  case RULE_CHOICE: check_choice(j, r, out, reason, sizeof reason); break;
  case RULE_OBJECT:
    if (json_is_object(j))
      out->json = j;
    else
      snprintf(reason, sizeof reason, "must be an object%s", or_null(r));
    break;
  case RULE_FIXED:
    snprintf(reason, sizeof reason, "%s is the identifier; it cannot be changed", r->name);
    break;
  case RULE_IGNORED: break;
  }
  if ('\0' != reason[0])
    add_error(v, prefix, r->name, "%s", reason);
}

static bool
has_rule(const struct rule *rules, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++) {
    if (0 == strcmp(rules[i].name, name))
      return true;
  }
  return false;
}

/* Checks every rule against object @a obj, then reports the members no rule names. */
static void
check_members(const json_t *obj, const char *prefix, const struct rule *rules, size_t n,
              struct value *values, struct validation *v)
{
  /* Iteration needs a non-const handle; it changes nothing. */
  json_t *o = (json_t *) obj;
  const char *key;
  json_t *member;

  for (size_t i = 0; i < n; i++)
    check_member(json_object_get(obj, rules[i].name), prefix, &rules[i], &values[i], v);
  json_object_foreach(o, key, member) {
    if (!has_rule(rules, n, key))
      add_error(v, prefix, key, "unknown field");
  }
}

/* A change must change something: one member at least that the change may set. */
static void
require_change(const struct rule *rules, const struct value *values, size_t n,
               struct validation *v)
{
  char names[sizeof v->errors[0].reason] = "";
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
  add_error(v, "", "", "must give at least one of: %s", names);
}

/* Resets @a v; @return true when @a body is an object to check further. */
static bool
begin(const json_t *body, struct validation *v)
{
  v->count = 0;
  v->total = 0;
  if (json_is_object(body))
    return true;
  add_error(v, "", "", "the body must be a JSON object");
  return false;
}

static int
finish(const struct validation *v)
{
  return 0 == v->total ? 0 : -1;
}

/* ---- routes --------------------------------------------------------- */

static int
validate_role(const json_t *body, const struct rule *rules, bool change,
              struct role_input *out, struct validation *v)
{
  struct value val[ROLE__COUNT];

  memset(out, 0, sizeof *out);
  if (!begin(body, v))
    return -1;
  check_members(body, "", rules, ROLE__COUNT, val, v);
  if (change)
    require_change(rules, val, ROLE__COUNT, v);
  out->slug = val[ROLE_SLUG].text;
  out->title = val[ROLE_TITLE].text;
  out->category = val[ROLE_CATEGORY].text;
  out->summary = val[ROLE_SUMMARY].text;
  out->has_slug = NULL != out->slug;
  out->has_title = val[ROLE_TITLE].present;
  out->has_category = val[ROLE_CATEGORY].present;
  out->has_summary = val[ROLE_SUMMARY].present;
  return finish(v);
}

int
validate_role_create(const json_t *body, struct role_input *out, struct validation *v)
{
  return validate_role(body, role_create_rules, false, out, v);
}

int
validate_role_patch(const json_t *body, struct role_input *out, struct validation *v)
{
  return validate_role(body, role_patch_rules, true, out, v);
}

/* A figure is about a role or, failing that, a named group. */
static void
require_role_or_subject(const struct value *val, struct validation *v)
{
  const struct value *role = &val[SAL_ROLE];
  const struct value *subject = &val[SAL_SUBJECT];

  if ((!role->present || role->null) && (!subject->present || subject->null))
    add_error(v, "", "subject", "is required when role is null or absent");
}

static void
salary_output(const struct value *val, const struct value *src, struct salary_input *out)
{
  out->role = val[SAL_ROLE].text;
  out->subject = val[SAL_SUBJECT].text;
  out->amount = val[SAL_AMOUNT].number;
  out->kind = val[SAL_KIND].text;
  out->statistic = val[SAL_STATISTIC].text;
  out->bound = val[SAL_BOUND].present ? val[SAL_BOUND].text : salary_bounds[0];
  out->scope = val[SAL_SCOPE].text;
  out->has_year = val[SAL_YEAR].present && !val[SAL_YEAR].null;
  out->year = val[SAL_YEAR].number;
  out->note = val[SAL_NOTE].text;
  out->has_source = NULL != val[SAL_SOURCE].json;
  out->source_id = src[SRC_ID].number;
  out->section = src[SRC_SECTION].text;
}

int
validate_salary_create(const json_t *body, struct salary_input *out, struct validation *v)
{
  struct value val[SAL__COUNT];
  struct value src[SRC__COUNT];

  memset(out, 0, sizeof *out);
  memset(src, 0, sizeof src);
  if (!begin(body, v))
    return -1;
  check_members(body, "", salary_rules, SAL__COUNT, val, v);
  require_role_or_subject(val, v);
  if (NULL != val[SAL_SOURCE].json)
    check_members(val[SAL_SOURCE].json, "source", source_rules, SRC__COUNT, src, v);
  salary_output(val, src, out);
  return finish(v);
}

static int
validate_skill(const json_t *body, const struct rule *rules, bool change,
               struct skill_input *out, struct validation *v)
{
  struct value val[SKILL__COUNT];

  memset(out, 0, sizeof *out);
  if (!begin(body, v))
    return -1;
  check_members(body, "", rules, SKILL__COUNT, val, v);
  if (change)
    require_change(rules, val, SKILL__COUNT, v);
  out->slug = val[SKILL_SLUG].text;
  out->name = val[SKILL_NAME].text;
  out->has_slug = NULL != out->slug;
  out->has_name = val[SKILL_NAME].present;
  out->has_demand_rank = val[SKILL_DEMAND_RANK].present;
  out->demand_rank = val[SKILL_DEMAND_RANK].number;
  return finish(v);
}

int
validate_skill_create(const json_t *body, struct skill_input *out, struct validation *v)
{
  return validate_skill(body, skill_create_rules, false, out, v);
}

int
validate_skill_patch(const json_t *body, struct skill_input *out, struct validation *v)
{
  return validate_skill(body, skill_patch_rules, true, out, v);
}

json_t *
validation_errors_json(const struct validation *v)
{
  json_t *list = json_array();

  for (size_t i = 0; NULL != list && i < v->count; i++) {
    json_t *item = json_pack("{s:s, s:s}", "field", v->errors[i].field,
                             "reason", v->errors[i].reason);

    if (NULL == item || 0 != json_array_append_new(list, item)) {
      json_decref(list);
      return NULL;
    }
  }
  return list;
}
