/**
 * @file tests/check_validate.c
 * @brief Request-body validation of the write routes: a table of bodies,
 *        valid and invalid, with the problems each must produce; text
 *        rules that JSON text cannot express (NUL, bad UTF-8, lengths in
 *        characters); the error list; and every observation GET /salaries
 *        serves, which must validate unchanged.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "handlers/validate.h"
#include "tests/harness.h"

enum target { ROLE_CREATE, ROLE_PATCH, SALARY, SKILL_CREATE, SKILL_PATCH };

/* A problem that must be reported: the exact field and a fragment of the reason. */
struct want {
  const char *field;
  const char *reason;
};

/*
 * A body (JSON text, with ' for ") and what validating it must give: the
 * number of problems (0: valid) and some of them.
 */
struct body_case {
  enum target target;
  const char *body;
  size_t total;
  struct want want[4];
};

#define ROLE_OK "'slug':'cloud-architect','title':'Cloud Architect','category':'Cloud'," \
                "'summary':'Designs cloud systems.'"
#define SALARY_KS "'kind':'base','statistic':'average'"
#define SALARY_OK "'role':'cloud-architect','amount':150000," SALARY_KS
#define SOURCE_OK "'source':{'id':2,'section':'Salaries'}"
#define AMOUNT_RANGE "must be a whole number from 1 to 99999999"
#define YEAR_RANGE "must be a whole number from 1900 to 2100 or null"
#define RANK_RANGE "must be a whole number from 1 to 1000 or null"
#define NOT_SLUG "lowercase letters and digits in words joined by single hyphens"
#define FIXED_SLUG "slug is the identifier; it cannot be changed"

static const struct body_case cases[] = {
  /* the body itself */
  { ROLE_CREATE, "[]", 1, { { "", "the body must be a JSON object" } } },
  { SALARY, "'amount'", 1, { { "", "the body must be a JSON object" } } },
  { SKILL_PATCH, "null", 1, { { "", "the body must be a JSON object" } } },

  /* POST /roles */
  { ROLE_CREATE, "{" ROLE_OK "}", 0, { { NULL, NULL } } },
  { ROLE_CREATE, "{'slug':'c3po','title':'T','category':'C','summary':'Two\\nlines\\tand a tab.'}",
    0, { { NULL, NULL } } },
  { ROLE_CREATE, "{}", 4, { { "slug", "is required" }, { "title", "is required" },
                            { "category", "is required" }, { "summary", "is required" } } },
  { ROLE_CREATE, "{" ROLE_OK ",'pay':1,'rank':2}", 2,
    { { "pay", "unknown field" }, { "rank", "unknown field" } } },
  { ROLE_CREATE, "{'slug':'Cloud-Architect','title':'T','category':'C','summary':'S'}", 1,
    { { "slug", NOT_SLUG } } },
  { ROLE_CREATE, "{'slug':'-cloud','title':'T','category':'C','summary':'S'}", 1,
    { { "slug", NOT_SLUG } } },
  { ROLE_CREATE, "{'slug':'cloud-','title':'T','category':'C','summary':'S'}", 1,
    { { "slug", NOT_SLUG } } },
  { ROLE_CREATE, "{'slug':'cloud--architect','title':'T','category':'C','summary':'S'}", 1,
    { { "slug", NOT_SLUG } } },
  { ROLE_CREATE, "{'slug':'cloud_architect','title':'T','category':'C','summary':'S'}", 1,
    { { "slug", NOT_SLUG } } },
  { ROLE_CREATE, "{'slug':'caf\\u00e9','title':'T','category':'C','summary':'S'}", 1,
    { { "slug", NOT_SLUG } } },
  { ROLE_CREATE, "{'slug':'','title':'T','category':'C','summary':'S'}", 1,
    { { "slug", "must be 1 to 80 characters long, not 0" } } },
  { ROLE_CREATE, "{'slug':7,'title':'T','category':'C','summary':'S'}", 1,
    { { "slug", "must be a string" } } },
  { ROLE_CREATE, "{'slug':'a','title':' Cloud','category':'C','summary':'S'}", 1,
    { { "title", "must not start or end with whitespace" } } },
  { ROLE_CREATE, "{'slug':'a','title':'Cloud ','category':'C','summary':'S'}", 1,
    { { "title", "must not start or end with whitespace" } } },
  { ROLE_CREATE, "{'slug':'a','title':'Cloud\\u3000','category':'C','summary':'S'}", 1,
    { { "title", "must not start or end with whitespace" } } },
  { ROLE_CREATE, "{'slug':'a','title':'Cloud\\tArchitect','category':'C','summary':'S'}", 1,
    { { "title", "must not contain control characters" } } },
  { ROLE_CREATE, "{'slug':'a','title':'Cloud\\u007fArchitect','category':'C','summary':'S'}", 1,
    { { "title", "must not contain control characters" } } },
  { ROLE_CREATE, "{'slug':'a','title':'Cloud\\u0085Architect','category':'C','summary':'S'}", 1,
    { { "title", "must not contain control characters" } } },
  { ROLE_CREATE, "{'slug':'a','title':'','category':'C','summary':'S'}", 1,
    { { "title", "must be 1 to 200 characters long, not 0" } } },
  { ROLE_CREATE, "{'slug':'a','title':null,'category':'C','summary':'S'}", 1,
    { { "title", "must be a string" } } },
  { ROLE_CREATE, "{'slug':'a','title':'T','category':['Cloud'],'summary':'S'}", 1,
    { { "category", "must be a string" } } },
  { ROLE_CREATE, "{'slug':'a','title':'T','category':'','summary':'S'}", 1,
    { { "category", "must be 1 to 80 characters long" } } },
  { ROLE_CREATE, "{'slug':'a','title':'T','category':'C','summary':'Line\\r\\nbreak'}", 1,
    { { "summary", "must not contain control characters other than newline and tab" } } },
  { ROLE_CREATE, "{'slug':'a','title':'T','category':'C','summary':'Ends in a newline\\n'}", 1,
    { { "summary", "must not start or end with whitespace" } } },
  { ROLE_CREATE, "{'slug':'a','title':'T','category':'C','summary':{}}", 1,
    { { "summary", "must be a string" } } },
  /* missing slug + bad title + unknown field: all three at once */
  { ROLE_CREATE, "{'title':'','category':'C','summary':'S','salary':1}", 3,
    { { "slug", "is required" }, { "title", "characters long" }, { "salary", "unknown field" } } },

  /* PATCH /roles/{slug} */
  { ROLE_PATCH, "{'title':'Cloud Architect'}", 0, { { NULL, NULL } } },
  { ROLE_PATCH, "{'category':'Cloud','summary':'New text.'}", 0, { { NULL, NULL } } },
  { ROLE_PATCH, "{}", 1, { { "", "must give at least one of: title, category, summary" } } },
  { ROLE_PATCH, "{'slug':'new-slug','title':'T'}", 1, { { "slug", FIXED_SLUG } } },
  { ROLE_PATCH, "{'slug':'new-slug'}", 2,
    { { "slug", FIXED_SLUG }, { "", "must give at least one of" } } },
  { ROLE_PATCH, "{'title':null}", 1, { { "title", "must be a string" } } },
  { ROLE_PATCH, "{'summary':' padded'}", 1,
    { { "summary", "must not start or end with whitespace" } } },
  { ROLE_PATCH, "{'title':'T','bogus':true}", 1, { { "bogus", "unknown field" } } },

  /* POST /salaries */
  { SALARY, "{" SALARY_OK "}", 0, { { NULL, NULL } } },
  { SALARY, "{'role':null,'subject':'Doctors','amount':100000," SALARY_KS ",'bound':'below'}",
    0, { { NULL, NULL } } },
  { SALARY, "{'subject':'Doctors','amount':1," SALARY_KS "}", 0, { { NULL, NULL } } },
  { SALARY, "{" SALARY_OK ",'currency':'USD','bound':'at_least','scope':'Senior',"
            "'year':2024,'note':'Stated as\\n\\\"$250,000+\\\".','id':99," SOURCE_OK "}",
    0, { { NULL, NULL } } },
  { SALARY, "{'role':'a','amount':99999999," SALARY_KS ",'scope':null,'year':null,'note':null}",
    0, { { NULL, NULL } } },
  { SALARY, "{'role':'a','amount':1.5," SALARY_KS "}", 1, { { "amount", AMOUNT_RANGE } } },
  { SALARY, "{'role':'a','amount':150000.0," SALARY_KS "}", 1, { { "amount", AMOUNT_RANGE } } },
  { SALARY, "{'role':'a','amount':1e9," SALARY_KS "}", 1, { { "amount", AMOUNT_RANGE } } },
  { SALARY, "{'role':'a','amount':-5," SALARY_KS "}", 1, { { "amount", AMOUNT_RANGE } } },
  { SALARY, "{'role':'a','amount':0," SALARY_KS "}", 1, { { "amount", AMOUNT_RANGE } } },
  { SALARY, "{'role':'a','amount':100000000," SALARY_KS "}", 1, { { "amount", AMOUNT_RANGE } } },
  { SALARY, "{'role':'a','amount':9223372036854775807," SALARY_KS "}", 1,
    { { "amount", AMOUNT_RANGE } } },
  { SALARY, "{'role':'a','amount':'150000'," SALARY_KS "}", 1, { { "amount", AMOUNT_RANGE } } },
  { SALARY, "{'role':'a','amount':true," SALARY_KS "}", 1, { { "amount", AMOUNT_RANGE } } },
  { SALARY, "{'role':'a','amount':null," SALARY_KS "}", 1, { { "amount", AMOUNT_RANGE } } },
  { SALARY, "{'role':'a'," SALARY_KS "}", 1, { { "amount", "is required" } } },
  { SALARY, "{" SALARY_OK ",'currency':'EUR'}", 1, { { "currency", "must be \"USD\"" } } },
  { SALARY, "{" SALARY_OK ",'currency':'usd'}", 1, { { "currency", "must be \"USD\"" } } },
  { SALARY, "{" SALARY_OK ",'currency':null}", 1, { { "currency", "must be \"USD\"" } } },
  { SALARY, "{'role':'a','amount':1,'kind':'bonus','statistic':'median'}", 1,
    { { "kind", "must be one of: base, total" } } },
  { SALARY, "{'role':'a','amount':1,'statistic':'median'}", 1, { { "kind", "is required" } } },
  { SALARY, "{'role':'a','amount':1,'kind':'total','statistic':'mean'}", 1,
    { { "statistic", "must be one of: average, median, minimum, maximum, individual, p25, p75" } } },
  { SALARY, "{'role':'a','amount':1,'kind':'total','statistic':'p50'}", 1,
    { { "statistic", "must be one of:" } } },
  { SALARY, "{'role':'a','amount':1,'kind':'total'}", 1, { { "statistic", "is required" } } },
  { SALARY, "{" SALARY_OK ",'bound':'approximately'}", 1,
    { { "bound", "must be one of: exact, at_least, below" } } },
  { SALARY, "{" SALARY_OK ",'bound':null}", 1, { { "bound", "must be one of:" } } },
  { SALARY, "{" SALARY_OK ",'scope':''}", 1, { { "scope", "must be 1 to 200 characters" } } },
  { SALARY, "{" SALARY_OK ",'scope':5}", 1, { { "scope", "must be a string or null" } } },
  { SALARY, "{" SALARY_OK ",'year':1899}", 1, { { "year", YEAR_RANGE } } },
  { SALARY, "{" SALARY_OK ",'year':2101}", 1, { { "year", YEAR_RANGE } } },
  { SALARY, "{" SALARY_OK ",'year':2024.5}", 1, { { "year", YEAR_RANGE } } },
  { SALARY, "{" SALARY_OK ",'year':'2024'}", 1, { { "year", YEAR_RANGE } } },
  { SALARY, "{" SALARY_OK ",'note':''}", 1, { { "note", "must be 1 to 1000 characters" } } },
  { SALARY, "{" SALARY_OK ",'note':'a\\u0000b'}", 1, { { "note", "NUL" } } },
  { SALARY, "{" SALARY_OK ",'note':'bell\\u0007'}", 1,
    { { "note", "must not contain control characters other than newline and tab" } } },
  { SALARY, "{'role':null,'amount':1," SALARY_KS "}", 1,
    { { "subject", "is required when role is null or absent" } } },
  { SALARY, "{'role':null,'subject':null,'amount':1," SALARY_KS "}", 1,
    { { "subject", "is required when role is null or absent" } } },
  { SALARY, "{'amount':1," SALARY_KS "}", 1, { { "subject", "is required when role is null" } } },
  { SALARY, "{'role':'Cloud Architect','amount':1," SALARY_KS "}", 1, { { "role", NOT_SLUG } } },
  { SALARY, "{'role':5,'amount':1," SALARY_KS "}", 1, { { "role", "must be a string or null" } } },
  { SALARY, "{'subject':5,'amount':1," SALARY_KS "}", 1,
    { { "subject", "must be a string or null" } } },
  { SALARY, "{" SALARY_OK ",'source':'overview'}", 1, { { "source", "must be an object" } } },
  { SALARY, "{" SALARY_OK ",'source':null}", 1, { { "source", "must be an object" } } },
  { SALARY, "{" SALARY_OK ",'source':{}}", 2,
    { { "source.id", "is required" }, { "source.section", "is required" } } },
  { SALARY, "{" SALARY_OK ",'source':{'id':0,'section':'S'}}", 1,
    { { "source.id", "must be a whole number of at least 1" } } },
  { SALARY, "{" SALARY_OK ",'source':{'id':'2','section':'S'}}", 1,
    { { "source.id", "must be a whole number of at least 1" } } },
  { SALARY, "{" SALARY_OK ",'source':{'id':2,'section':' S'}}", 1,
    { { "source.section", "must not start or end with whitespace" } } },
  { SALARY, "{" SALARY_OK ",'source':{'id':2,'section':'S','slug':5,'title':null}}", 0,
    { { NULL, NULL } } },
  { SALARY, "{" SALARY_OK ",'source':{'id':2,'section':'S','page':3}}", 1,
    { { "source.page", "unknown field" } } },
  { SALARY, "{" SALARY_OK ",'id':'anything','role_id':3}", 1, { { "role_id", "unknown field" } } },
  /* no role or subject + bad amount + unknown field: all three at once */
  { SALARY, "{'amount':1.5," SALARY_KS ",'currency_code':'USD'}", 3,
    { { "subject", "is required" }, { "amount", AMOUNT_RANGE },
      { "currency_code", "unknown field" } } },
  { SALARY, "{'role':'A','amount':-1,'kind':'','statistic':'','bound':'','year':0,"
            "'source':{'id':-1,'x':1},'y':2}", 10,
    { { "source.section", "is required" }, { "source.x", "unknown field" },
      { "y", "unknown field" }, { "bound", "must be one of" } } },

  /* POST /skills */
  { SKILL_CREATE, "{'slug':'python','name':'Python','demand_rank':1}", 0, { { NULL, NULL } } },
  { SKILL_CREATE, "{'slug':'python','name':'Python','demand_rank':null}", 0, { { NULL, NULL } } },
  { SKILL_CREATE, "{'slug':'python','name':'Python','demand_rank':1000}", 0, { { NULL, NULL } } },
  { SKILL_CREATE, "{'slug':'python','name':'Python'}", 0, { { NULL, NULL } } },
  { SKILL_CREATE, "{}", 2, { { "slug", "is required" }, { "name", "is required" } } },
  { SKILL_CREATE, "{'slug':'Python','name':'Python'}", 1, { { "slug", NOT_SLUG } } },
  { SKILL_CREATE, "{'slug':'python','name':''}", 1, { { "name", "must be 1 to 100 characters" } } },
  { SKILL_CREATE, "{'slug':'python','name':'Py\\nthon'}", 1,
    { { "name", "must not contain control characters" } } },
  { SKILL_CREATE, "{'slug':'python','name':'Python','demand_rank':0}", 1,
    { { "demand_rank", RANK_RANGE } } },
  { SKILL_CREATE, "{'slug':'python','name':'Python','demand_rank':1001}", 1,
    { { "demand_rank", RANK_RANGE } } },
  { SKILL_CREATE, "{'slug':'python','name':'Python','demand_rank':2.5}", 1,
    { { "demand_rank", RANK_RANGE } } },
  { SKILL_CREATE, "{'slug':'python','name':'Python','demand_rank':'3'}", 1,
    { { "demand_rank", RANK_RANGE } } },
  { SKILL_CREATE, "{'slug':'python','name':'Python','shares':[],'role_count':3}", 2,
    { { "shares", "unknown field" }, { "role_count", "unknown field" } } },

  /* PATCH /skills/{slug} */
  { SKILL_PATCH, "{'name':'Python 3'}", 0, { { NULL, NULL } } },
  { SKILL_PATCH, "{'demand_rank':null}", 0, { { NULL, NULL } } },
  { SKILL_PATCH, "{}", 1, { { "", "must give at least one of: name, demand_rank" } } },
  { SKILL_PATCH, "{'slug':'py'}", 2, { { "slug", FIXED_SLUG }, { "", "at least one of" } } },
  { SKILL_PATCH, "{'name':'Python '}", 1, { { "name", "must not start or end with whitespace" } } },
  { SKILL_PATCH, "{'name':null}", 1, { { "name", "must be a string" } } },
  { SKILL_PATCH, "{'demand_rank':-1,'rank':1}", 2,
    { { "demand_rank", RANK_RANGE }, { "rank", "unknown field" } } },
};

/* Parses @a text with ' standing for "; aborts the test when it is not JSON. */
static json_t *
load(const char *text)
{
  char *copy = strdup(text);
  json_error_t err;
  json_t *j;

  ck_assert_ptr_nonnull(copy);
  for (char *p = copy; '\0' != *p; p++) {
    if ('\'' == *p)
      *p = '"';
  }
  j = json_loads(copy, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
  ck_assert_msg(NULL != j, "%s: %s", copy, err.text);
  free(copy);
  return j;
}

static int
validate(enum target t, const json_t *body, struct field_errors *v)
{
  struct role_input role;
  struct salary_input salary;
  struct skill_input skill;

  switch (t) {
  case ROLE_CREATE: return validate_role_create(body, &role, v);
  case ROLE_PATCH: return validate_role_patch(body, &role, v);
  case SALARY: return validate_salary_create(body, &salary, v);
  case SKILL_CREATE: return validate_skill_create(body, &skill, v);
  case SKILL_PATCH: return validate_skill_patch(body, &skill, v);
  }
  ck_abort_msg("unknown target %d", (int) t);
  return -2;
}

/* Every kept problem, one a line, for failure messages. */
static const char *
describe(const struct field_errors *v)
{
  static char text[4096];
  size_t used = 0;

  text[0] = '\0';
  for (size_t i = 0; i < v->count && used < sizeof text; i++)
    used += (size_t) snprintf(text + used, sizeof text - used, "\n  '%s': %s",
                              v->items[i].field, v->items[i].reason);
  return text;
}

/* Asserts that @a v holds a problem with @a field whose reason contains @a reason. */
static void
assert_problem(const struct field_errors *v, const char *field, const char *reason)
{
  for (size_t i = 0; i < v->count; i++) {
    if (0 == strcmp(field, v->items[i].field) && NULL != strstr(v->items[i].reason, reason))
      return;
  }
  ck_abort_msg("no problem '%s': ...%s... among%s", field, reason, describe(v));
}

/* Validates @a body (JSON text, ' for ") and asserts exactly @a total problems. */
static void
assert_total(enum target t, const char *body, size_t total, struct field_errors *v)
{
  json_t *j = load(body);
  int rc = validate(t, j, v);

  ck_assert_msg(total == v->total, "%s: %zu problems, want %zu:%s", body, (size_t) v->total, total,
                describe(v));
  ck_assert_int_eq(0 == total ? 0 : -1, rc);
  ck_assert_uint_eq(v->total < VALIDATION_MAX_ERRORS ? v->total : VALIDATION_MAX_ERRORS,
                    v->count);
  json_decref(j);
}

START_TEST(body_table)
{
  const struct body_case *c = &cases[_i];
  struct field_errors v;

  assert_total(c->target, c->body, c->total, &v);
  for (size_t k = 0; k < sizeof c->want / sizeof c->want[0] && NULL != c->want[k].field; k++)
    assert_problem(&v, c->want[k].field, c->want[k].reason);
}
END_TEST

/* One value of member @a name in a body that is otherwise valid. */
struct member_case {
  enum target target;
  const char *base; /* the other members, JSON text with ' for " */
  const char *name;
  size_t longest;   /* in characters */
};

static const struct member_case sized[] = {
  { ROLE_CREATE, "'title':'T','category':'C','summary':'S'", "slug", 80 },
  { ROLE_CREATE, "'slug':'a','category':'C','summary':'S'", "title", 200 },
  { ROLE_CREATE, "'slug':'a','title':'T','summary':'S'", "category", 80 },
  { ROLE_CREATE, "'slug':'a','title':'T','category':'C'", "summary", 2000 },
  { SALARY, SALARY_OK, "scope", 200 },
  { SALARY, SALARY_OK, "note", 1000 },
  { SALARY, "'amount':1," SALARY_KS, "subject", 200 },
  { SALARY, SALARY_OK ",'source':{'id':1}", "source.section", 200 },
  { SKILL_CREATE, "'slug':'python'", "name", 100 },
};

/*
 * Validates the body of @a c with @a value (stolen) as its member; a
 * dotted name ("source.section") sets a member of a nested object.
 */
static int
validate_with(const struct member_case *c, json_t *value, struct field_errors *v)
{
  const char *dot = strchr(c->name, '.');
  char text[256];
  json_t *body;
  json_t *parent;
  int rc;

  snprintf(text, sizeof text, "{%s}", c->base);
  body = load(text);
  parent = body;
  if (NULL != dot) {
    snprintf(text, sizeof text, "%.*s", (int) (dot - c->name), c->name);
    parent = json_object_get(body, text);
    ck_assert_ptr_nonnull(parent);
  }
  ck_assert_int_eq(0, json_object_set_new(parent, NULL != dot ? dot + 1 : c->name, value));
  rc = validate(c->target, body, v);
  json_decref(body);
  return rc;
}

/* @a n copies of @a unit */
static json_t *
repeated(const char *unit, size_t n)
{
  size_t len = strlen(unit);
  char *s = malloc(len * n + 1);
  json_t *j;

  ck_assert_ptr_nonnull(s);
  for (size_t i = 0; i < n; i++)
    memcpy(s + i * len, unit, len);
  s[len * n] = '\0';
  j = json_string(s);
  free(s);
  ck_assert_ptr_nonnull(j);
  return j;
}

/* Longest accepted, one more refused; lengths count characters, not bytes. */
START_TEST(lengths_count_characters)
{
  const struct member_case *c = &sized[_i];
  const size_t longest = c->longest;
  const bool slug = 0 == strcmp("slug", c->name);
  struct field_errors v;
  char reason[64];

  ck_assert_int_eq(0, validate_with(c, repeated("a", longest), &v));
  ck_assert_int_eq(-1, validate_with(c, repeated("a", longest + 1), &v));
  ck_assert_uint_eq(1, v.total);
  snprintf(reason, sizeof reason, "must be 1 to %zu characters long, not %zu", longest,
           longest + 1);
  assert_problem(&v, c->name, reason);
  if (slug)
    return; /* slugs are ASCII: one byte, one character */
  /* two bytes each: the byte count is twice the limit, the character count is not */
  ck_assert_int_eq(0, validate_with(c, repeated("\xc3\xa9", longest), &v));
  ck_assert_int_eq(-1, validate_with(c, repeated("\xe2\x82\xac", longest + 1), &v));
  assert_problem(&v, c->name, reason);
  ck_assert_int_eq(0, validate_with(c, repeated("\xf0\x9f\x92\xb6", longest), &v));
}
END_TEST

/* Strings that JSON text cannot carry, built directly: every text member refuses them. */
START_TEST(bad_bytes_in_text)
{
  static const struct { const char *bytes; size_t len; const char *reason; } bad[] = {
    { "a\0b", 3, "must not contain NUL characters" },
    { "a\xff" "b", 3, "must be valid UTF-8" },
    { "\xc0\xaf", 2, "must be valid UTF-8" },         /* overlong '/' */
    { "a\xed\xa0\x80", 4, "must be valid UTF-8" },    /* a surrogate */
    { "a\xf4\x90\x80\x80", 5, "must be valid UTF-8" }, /* above U+10FFFF */
    { "a\xe2\x82", 3, "must be valid UTF-8" },        /* cut short */
    { "a\x80", 2, "must be valid UTF-8" },            /* a lone continuation byte */
    { "\xc2\xa0" "a", 3, "must not start or end with whitespace" }, /* no-break space */
    { "a\x1b[0m", 5, "must not contain control characters" },
  };
  const struct member_case *c = &sized[_i];
  struct field_errors v;

  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    json_t *s = json_stringn_nocheck(bad[k].bytes, bad[k].len);

    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(-1, validate_with(c, s, &v));
    ck_assert_uint_eq(1, v.total);
    if (0 == strcmp("slug", c->name))
      assert_problem(&v, c->name, NOT_SLUG);
    else
      assert_problem(&v, c->name, bad[k].reason);
  }
}
END_TEST

START_TEST(slugs)
{
  static const char *const good[] = {
    "a", "cloud-architect", "c3po", "a-b-c", "2024", "machine-learning-engineer",
  };
  static const char *const bad[] = {
    "", "-a", "a-", "a--b", "A", "Cloud", "a_b", "a b", "a.b", "a/b", "caf\xc3\xa9", " a", "a\n",
  };
  char longest[VALIDATE_SLUG_MAX + 2];

  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    ck_assert_msg(0 == validate_slug(good[i]), "'%s' refused", good[i]);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_msg(-1 == validate_slug(bad[i]), "'%s' accepted", bad[i]);
  ck_assert_int_eq(-1, validate_slug(NULL));
  memset(longest, 'a', sizeof longest);
  longest[VALIDATE_SLUG_MAX] = '\0';
  ck_assert_int_eq(0, validate_slug(longest));
  longest[VALIDATE_SLUG_MAX] = 'a';
  longest[VALIDATE_SLUG_MAX + 1] = '\0';
  ck_assert_int_eq(-1, validate_slug(longest));
}
END_TEST

START_TEST(every_choice_is_accepted)
{
  static const char *const *const lists[] = { salary_kinds, salary_statistics, salary_bounds };
  static const char *const names[] = { "kind", "statistic", "bound" };
  struct salary_input in;
  struct field_errors v;

  for (size_t l = 0; l < 3; l++) {
    for (size_t k = 0; NULL != lists[l][k]; k++) {
      json_t *body = load("{" SALARY_OK "}");

      ck_assert_int_eq(0, json_object_set_new(body, names[l], json_string(lists[l][k])));
      ck_assert_int_eq(0, validate_salary_create(body, &in, &v));
      json_decref(body);
    }
  }
  /* the statistics the read API filters by, and the new ones */
  ck_assert_str_eq("average", salary_statistics[0]);
  ck_assert_str_eq("individual", salary_statistics[4]);
  ck_assert_str_eq("p25", salary_statistics[5]);
  ck_assert_str_eq("p75", salary_statistics[6]);
  ck_assert_ptr_null(salary_statistics[7]);
  ck_assert_str_eq("exact", salary_bounds[0]);
}
END_TEST

START_TEST(role_members_are_borrowed)
{
  json_t *body = load("{" ROLE_OK "}");
  struct role_input in;
  struct field_errors v;

  ck_assert_int_eq(0, validate_role_create(body, &in, &v));
  ck_assert_ptr_eq(json_string_value(json_object_get(body, "slug")), in.slug);
  ck_assert_ptr_eq(json_string_value(json_object_get(body, "summary")), in.summary);
  ck_assert_str_eq("Cloud Architect", in.title);
  ck_assert_str_eq("Cloud", in.category);
  ck_assert(in.has_slug && in.has_title && in.has_category && in.has_summary);
  json_decref(body);

  body = load("{'summary':'New.'}");
  ck_assert_int_eq(0, validate_role_patch(body, &in, &v));
  ck_assert(!in.has_slug && !in.has_title && !in.has_category && in.has_summary);
  ck_assert_ptr_null(in.title);
  ck_assert_str_eq("New.", in.summary);
  json_decref(body);
}
END_TEST

START_TEST(salary_members_and_defaults)
{
  json_t *body = load("{'role':'data-scientist','amount':123456,'kind':'total',"
                      "'statistic':'p75','year':2023," SOURCE_OK "}");
  struct salary_input in;
  struct field_errors v;

  ck_assert_int_eq(0, validate_salary_create(body, &in, &v));
  ck_assert_str_eq("data-scientist", in.role);
  ck_assert_ptr_null(in.subject);
  ck_assert_int_eq(123456, in.amount);
  ck_assert_ptr_eq(salary_kinds[1], in.kind); /* the static entry, not the body's */
  ck_assert_ptr_eq(salary_statistics[6], in.statistic);
  ck_assert_ptr_eq(salary_bounds[0], in.bound); /* absent: exact */
  ck_assert_ptr_null(in.scope);
  ck_assert(in.has_year);
  ck_assert_int_eq(2023, in.year);
  ck_assert_ptr_null(in.note);
  ck_assert(in.has_source);
  ck_assert_int_eq(2, in.source_id);
  ck_assert_str_eq("Salaries", in.section);
  json_decref(body);

  body = load("{'role':null,'subject':'Doctors','amount':1," SALARY_KS ",'year':null}");
  ck_assert_int_eq(0, validate_salary_create(body, &in, &v));
  ck_assert_ptr_null(in.role);
  ck_assert_str_eq("Doctors", in.subject);
  ck_assert(!in.has_year);
  ck_assert(!in.has_source);
  ck_assert_ptr_null(in.section);
  json_decref(body);
}
END_TEST

START_TEST(skill_rank_null_is_a_change)
{
  json_t *body = load("{'demand_rank':null}");
  struct skill_input in;
  struct field_errors v;

  ck_assert_int_eq(0, validate_skill_patch(body, &in, &v));
  ck_assert(in.has_demand_rank);
  ck_assert_int_eq(0, in.demand_rank);
  ck_assert(!in.has_name && !in.has_slug);
  json_decref(body);
  body = load("{'slug':'aws','name':'AWS','demand_rank':7}");
  ck_assert_int_eq(0, validate_skill_create(body, &in, &v));
  ck_assert_str_eq("aws", in.slug);
  ck_assert_str_eq("AWS", in.name);
  ck_assert(in.has_demand_rank);
  ck_assert_int_eq(7, in.demand_rank);
  json_decref(body);
}
END_TEST

/* Two observations exactly as GET /salaries serves them from the seed. */
static const char *const exported[] = {
  "{\"id\": 6, \"amount\": 250000, \"currency\": \"USD\", \"kind\": \"total\", \"statistic\":"
  " \"minimum\", \"bound\": \"at_least\", \"scope\": \"Senior machine learning engineers at elite"
  " tech companies (Google, Microsoft, Apple, Amazon)\", \"year\": 2024, \"note\": \"Stated as"
  " \\\"$250,000+\\\" total annual compensation: an open-ended lower bound, not a point value.\","
  " \"source\": {\"id\": 2, \"slug\": \"highest-paying-ml-jobs-2024\", \"title\": \"Highest Paying"
  " Machine Learning Jobs in 2024\", \"section\": \"Machine Learning Engineer Average Base Salary:"
  " $146,085\"}, \"role\": \"machine-learning-engineer\", \"subject\": null}",
  "{\"id\": 7, \"amount\": 100000, \"currency\": \"USD\", \"kind\": \"base\", \"statistic\":"
  " \"average\", \"bound\": \"below\", \"scope\": null, \"year\": 2024, \"note\": \"Comparison only:"
  " the text says these professionals earn on average under $100k.\", \"source\": {\"id\": 2,"
  " \"slug\": \"highest-paying-ml-jobs-2024\", \"title\": \"Highest Paying Machine Learning Jobs"
  " in 2024\", \"section\": \"AI Research Scientist Average Base Salary: $136,245\"},"
  " \"role\": null, \"subject\": \"Experienced doctors and lawyers\"}",
};

START_TEST(exported_salary_imports_unchanged)
{
  json_error_t err;
  json_t *body = json_loads(exported[_i], JSON_REJECT_DUPLICATES, &err);
  struct salary_input in;
  struct field_errors v;

  ck_assert_msg(NULL != body, "%s", err.text);
  ck_assert_msg(0 == validate_salary_create(body, &in, &v), "%s", describe(&v));
  ck_assert_int_eq(json_integer_value(json_object_get(body, "amount")), in.amount);
  ck_assert_str_eq(json_string_value(json_object_get(body, "bound")), in.bound);
  ck_assert_int_eq(2, in.source_id);
  ck_assert_int_eq(2024, in.year);
  json_decref(body);
}
END_TEST

/* Every observation the read API serves, straight from a seeded database. */
START_TEST(seed_salaries_import_unchanged)
{
  static const char *const query[] = { "limit=500", NULL };
  struct scratch_db sd;
  struct db *db;
  struct reply rep;
  json_t *data;
  size_t i;
  json_t *item;

  scratch_db_connect(&sd, &db);
  handler_call(db, h_salaries_list, NULL, query, &rep);
  ck_assert_uint_eq(200, rep.status);
  data = json_object_get(rep.body, "data");
  ck_assert_uint_gt(json_array_size(data), 0);
  json_array_foreach(data, i, item) {
    struct salary_input in;
    struct field_errors v;

    ck_assert_msg(0 == validate_salary_create(item, &in, &v), "observation %zu:%s", i,
                  describe(&v));
    ck_assert_int_eq(json_integer_value(json_object_get(item, "amount")), in.amount);
    ck_assert_str_eq(json_string_value(json_object_get(item, "statistic")), in.statistic);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(item, "source"), "id")),
                     in.source_id);
  }
  reply_clear(&rep);
  scratch_db_disconnect(&sd, db);
}
END_TEST

START_TEST(errors_as_json)
{
  json_t *body = load("{'amount':0," SALARY_KS ",'role':'a'}");
  struct field_errors v;
  json_t *list;
  char *text;

  ck_assert_int_eq(-1, validate(SALARY, body, &v));
  list = validation_errors_json(&v);
  ck_assert_ptr_nonnull(list);
  text = json_dumps(list, JSON_COMPACT);
  ck_assert_str_eq("[{\"field\":\"amount\",\"reason\":\"must be a whole number from 1 to 99999999\"}]",
                   text);
  free(text);
  json_decref(list);
  json_decref(body);

  v.count = 0;
  v.total = 0;
  list = validation_errors_json(&v);
  ck_assert_uint_eq(0, json_array_size(list));
  json_decref(list);
}
END_TEST

START_TEST(count_is_capped_total_is_not)
{
  json_t *body = json_object();
  struct field_errors v;
  json_t *list;
  char key[16];

  for (int i = 0; i < 40; i++) {
    snprintf(key, sizeof key, "extra%d", i);
    ck_assert_int_eq(0, json_object_set_new(body, key, json_true()));
  }
  ck_assert_int_eq(-1, validate(ROLE_CREATE, body, &v));
  ck_assert_uint_eq(44, v.total); /* four missing members, forty unknown */
  ck_assert_uint_eq(VALIDATION_MAX_ERRORS, v.count);
  assert_problem(&v, "slug", "is required");
  list = validation_errors_json(&v);
  ck_assert_uint_eq(VALIDATION_MAX_ERRORS, json_array_size(list));
  json_decref(list);
  json_decref(body);
}
END_TEST

/* Field names echo the body's keys, so they are cut to fit and kept valid UTF-8. */
START_TEST(field_names_stay_valid)
{
  json_t *body = load("{" ROLE_OK "}");
  json_t *key = repeated("\xc3\xa9", 40); /* 80 bytes */
  struct field_errors v;
  json_t *list;

  ck_assert_int_eq(0, json_object_set_new(body, json_string_value(key), json_true()));
  ck_assert_int_eq(0, json_object_set_new_nocheck(body, "bad\xff", json_true()));
  ck_assert_int_eq(-1, validate(ROLE_CREATE, body, &v));
  ck_assert_uint_eq(2, v.total);
  ck_assert_uint_eq(62, strlen(v.items[0].field)); /* 31 whole characters fit in 63 bytes */
  ck_assert_int_eq(0, strncmp(json_string_value(key), v.items[0].field, 62));
  ck_assert_str_eq("bad?", v.items[1].field);
  list = validation_errors_json(&v);
  ck_assert_ptr_nonnull(list);
  ck_assert_uint_eq(2, json_array_size(list));
  json_decref(list);
  json_decref(key);
  json_decref(body);
}
END_TEST

START_TEST(each_call_starts_afresh)
{
  json_t *bad = load("{}");
  json_t *good = load("{" ROLE_OK "}");
  struct role_input in;
  struct field_errors v;

  ck_assert_int_eq(-1, validate_role_create(bad, &in, &v));
  ck_assert_uint_eq(4, v.total);
  ck_assert_int_eq(0, validate_role_create(good, &in, &v));
  ck_assert_uint_eq(0, v.total);
  ck_assert_uint_eq(0, v.count);
  ck_assert_int_eq(-1, validate_role_create(NULL, &in, &v));
  ck_assert_uint_eq(1, v.total);
  assert_problem(&v, "", "the body must be a JSON object");
  json_decref(bad);
  json_decref(good);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("validate");
  TCase *tc = tcase_create("validate");
  const int ncases = (int) (sizeof cases / sizeof cases[0]);
  const int nsized = (int) (sizeof sized / sizeof sized[0]);
  const int nexported = (int) (sizeof exported / sizeof exported[0]);

  tcase_add_loop_test(tc, body_table, 0, ncases);
  tcase_add_loop_test(tc, lengths_count_characters, 0, nsized);
  tcase_add_loop_test(tc, bad_bytes_in_text, 0, nsized);
  tcase_add_test(tc, slugs);
  tcase_add_test(tc, every_choice_is_accepted);
  tcase_add_test(tc, role_members_are_borrowed);
  tcase_add_test(tc, salary_members_and_defaults);
  tcase_add_test(tc, skill_rank_null_is_a_change);
  tcase_add_loop_test(tc, exported_salary_imports_unchanged, 0, nexported);
  tcase_add_test(tc, seed_salaries_import_unchanged);
  tcase_add_test(tc, errors_as_json);
  tcase_add_test(tc, count_is_capped_total_is_not);
  tcase_add_test(tc, field_names_stay_valid);
  tcase_add_test(tc, each_call_starts_afresh);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
