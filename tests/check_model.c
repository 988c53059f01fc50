/**
 * @file tests/check_model.c
 * @brief The field-rule engine seen from both of its readers: a salary
 *        report with a bad value gives the same message whether it comes
 *        as a POST /salaries body or as an import row (which then quotes
 *        the value), the pay factors read alike from a body, a CSV row
 *        and an NDJSON line, the country table, and the digit-only number
 *        reader.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "handlers/validate.h"
#include "model/country.h"
#include "model/import_rows.h"
#include "tests/harness.h"
#include "util/number.h"

/* One bad value, as a JSON member and as a CSV cell. */
struct same_case {
  const char *field;
  const char *json;   /* the member's JSON text */
  const char *cell;   /* the CSV cell */
  bool quoted;        /* the import quotes the value after the message */
};

static const struct same_case same[] = {
  { "amount", "0", "0", true },
  { "amount", "100000000", "100000000", true },
  { "kind", "\"net\"", "net", true },
  { "statistic", "\"mode\"", "mode", true },
  { "bound", "\"about\"", "about", true },
  { "currency", "\"EUR\"", "EUR", true },
  { "year", "1899", "1899", true },
  { "role", "\"Cloud_Architect\"", "Cloud_Architect", true },
  { "role", "\"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" "\"",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false },
  { "scope", "\" padded\"", " padded", false },
  { "subject", "\"tab\\there\"", "tab\there", false },
  { "location", "\"gb\"", "gb", true },
  { "location", "\"XX\"", "XX", true },
  { "location", "\"US-WASH\"", "US-WASH", true },
  { "location", "\"US_WA\"", "US_WA", true },
  { "location", "\"US-\"", "US-", true },
  { "remote", "\"yes\"", "yes", true },
  { "experience_years", "61", "61", true },
  { "education", "\"college\"", "college", true },
  { "industry", "\"Fin_Tech\"", "Fin_Tech", true },
  { "company_stage", "\"seed\"", "seed", true },
};

/* The defaults of a valid report; the case's member replaces its own. */
static const char *const base_fields[] = { "amount", "kind", "statistic", "role" };
static const char *const base_json[] = { "100", "\"base\"", "\"median\"", "\"cloud-architect\"" };
static const char *const base_cells[] = { "100", "base", "median", "cloud-architect" };

static void
body_reason(const struct same_case *c, char *out, size_t size)
{
  char text[512] = "{";
  struct salary_input in;
  struct field_errors v;
  json_t *body;
  bool own = false;

  for (size_t i = 0; i < 4; i++) {
    bool mine = 0 == strcmp(base_fields[i], c->field);

    own |= mine;
    snprintf(text + strlen(text), sizeof text - strlen(text), "%s\"%s\":%s", 1 == strlen(text) ? "" : ",",
             base_fields[i], mine ? c->json : base_json[i]);
  }
  if (!own)
    snprintf(text + strlen(text), sizeof text - strlen(text), ",\"%s\":%s", c->field, c->json);
  strcat(text, "}");
  body = json_loads(text, 0, NULL);
  ck_assert_ptr_nonnull(body);
  ck_assert_int_eq(-1, validate_salary_create(body, &in, &v));
  ck_assert_uint_eq(1, v.count);
  ck_assert_str_eq(c->field, v.items[0].field);
  snprintf(out, size, "%s", v.items[0].reason);
  json_decref(body);
}

static int
keep_error(void *cls, const struct salary_report *row, const struct field_error *errors,
           size_t n_errors)
{
  struct field_error *out = cls;

  ck_assert_ptr_null(row);
  ck_assert_uint_eq(1, n_errors);
  *out = errors[0];
  return 0;
}

static void
row_reason(const struct same_case *c, char *out, size_t size)
{
  char csv[512] = "";
  struct field_error e;
  struct import_parser *p = import_parser_new(IMPORT_CSV, keep_error, &e);
  bool own = false;

  ck_assert_ptr_nonnull(p);
  for (size_t i = 0; i < 4; i++)
    snprintf(csv + strlen(csv), sizeof csv - strlen(csv), "%s%s", 0 == i ? "" : ",",
             base_fields[i]);
  for (size_t i = 0; i < 4; i++)
    own |= 0 == strcmp(base_fields[i], c->field);
  if (!own)
    snprintf(csv + strlen(csv), sizeof csv - strlen(csv), ",%s", c->field);
  strcat(csv, "\n");
  for (size_t i = 0; i < 4; i++)
    snprintf(csv + strlen(csv), sizeof csv - strlen(csv), "%s%s", 0 == i ? "" : ",",
             0 == strcmp(base_fields[i], c->field) ? c->cell : base_cells[i]);
  if (!own)
    snprintf(csv + strlen(csv), sizeof csv - strlen(csv), ",%s", c->cell);
  strcat(csv, "\n");
  ck_assert_int_eq(IMPORT_CONTINUE, import_parser_feed(p, csv, strlen(csv)));
  ck_assert_int_eq(IMPORT_CONTINUE, import_parser_finish(p));
  ck_assert_uint_eq(1, import_parser_errors(p)->total);
  ck_assert_str_eq(c->field, e.field);
  snprintf(out, size, "%s", e.reason);
  import_parser_free(p);
}

/* The case's report as one NDJSON line: its message, as the row's, may quote the value. */
static void
ndjson_reason(const struct same_case *c, char *out, size_t size)
{
  char line[512] = "{";
  struct field_error e;
  struct import_parser *p = import_parser_new(IMPORT_NDJSON, keep_error, &e);
  bool own = false;

  ck_assert_ptr_nonnull(p);
  for (size_t i = 0; i < 4; i++) {
    bool mine = 0 == strcmp(base_fields[i], c->field);

    own |= mine;
    snprintf(line + strlen(line), sizeof line - strlen(line), "%s\"%s\":%s",
             0 == i ? "" : ",", base_fields[i], mine ? c->json : base_json[i]);
  }
  if (!own)
    snprintf(line + strlen(line), sizeof line - strlen(line), ",\"%s\":%s", c->field, c->json);
  strcat(line, "}\n");
  ck_assert_int_eq(IMPORT_CONTINUE, import_parser_feed(p, line, strlen(line)));
  ck_assert_int_eq(IMPORT_CONTINUE, import_parser_finish(p));
  ck_assert_uint_eq(1, import_parser_errors(p)->total);
  ck_assert_str_eq(c->field, e.field);
  snprintf(out, size, "%s", e.reason);
  import_parser_free(p);
}

START_TEST(body_and_row_say_the_same)
{
  const struct same_case *c = &same[_i];
  char body[200];
  char row[200];
  size_t n;

  body_reason(c, body, sizeof body);
  ndjson_reason(c, row, sizeof row);
  /* NDJSON can say null, as a body can: the same words, quoting the value when refused for it */
  n = strlen(body);
  if (0 != strncmp(body, row, n) && n > 8 && 0 == strcmp(body + n - 8, " or null"))
    n -= 8;
  ck_assert_msg(0 == strncmp(body, row, n), "%s: body \"%s\", ndjson \"%s\"", c->field, body, row);
  row_reason(c, row, sizeof row);
  n = strlen(body);
  /* a CSV cell cannot be null (an empty one is absent): the row's message does not offer it */
  if (n > 8 && 0 == strcmp(body + n - 8, " or null"))
    body[n -= 8] = '\0';
  ck_assert_msg(0 == strncmp(body, row, n), "%s: body \"%s\", row \"%s\"", c->field, body, row);
  if (c->quoted)
    ck_assert_msg(0 == strncmp(row + n, ", not \"", 7), "%s: row \"%s\"", c->field, row);
  else
    ck_assert_str_eq(body, row);
}
END_TEST

static int
keep_row(void *cls, const struct salary_report *row, const struct field_error *errors,
         size_t n_errors)
{
  struct report_factors *out = cls;

  ck_assert_msg(NULL != row, "refused: %s: %s", n_errors > 0 ? errors[0].field : "",
                n_errors > 0 ? errors[0].reason : "");
  *out = row->factors;
  /* the strings live as long as the row: keep copies of what is checked */
  if (NULL != out->location)
    out->location = strcmp(out->location, "US-WA") == 0 ? "US-WA" : "other";
  if (NULL != out->industry)
    out->industry = strcmp(out->industry, "fintech") == 0 ? "fintech" : "other";
  return 0;
}

static void
expect_factors(const struct report_factors *f)
{
  ck_assert_str_eq("US-WA", f->location);
  ck_assert(f->has_remote && f->remote);
  ck_assert(f->has_experience);
  ck_assert_int_eq(5, f->experience_years);
  ck_assert_str_eq("master", f->education);
  ck_assert_str_eq("fintech", f->industry);
  ck_assert_str_eq("startup", f->company_stage);
}

static void
parse_one(enum import_format format, const char *text, struct report_factors *f)
{
  struct import_parser *p = import_parser_new(format, keep_row, f);

  memset(f, 0, sizeof *f);
  ck_assert_int_eq(IMPORT_CONTINUE, import_parser_feed(p, text, strlen(text)));
  ck_assert_int_eq(IMPORT_CONTINUE, import_parser_finish(p));
  ck_assert_uint_eq(0, import_parser_errors(p)->total);
  import_parser_free(p);
}

/* The six factors, good, read alike by every path; absent and null are "not stated". */
START_TEST(factors_on_every_path)
{
  static const char member[] =
    "\"amount\":100,\"kind\":\"base\",\"statistic\":\"individual\",\"role\":\"cloud-architect\","
    "\"location\":\"US-WA\",\"remote\":true,\"experience_years\":5,\"education\":\"master\","
    "\"industry\":\"fintech\",\"company_stage\":\"startup\"";
  char text[600];
  struct report_factors f;
  struct salary_input in;
  struct field_errors v;
  json_t *body;

  snprintf(text, sizeof text, "{%s}", member);
  body = json_loads(text, 0, NULL);
  ck_assert_int_eq(0, validate_salary_create(body, &in, &v));
  expect_factors(&in.factors);
  json_decref(body);
  /* compact (the shortcut) and spaced with an escape (jansson) */
  snprintf(text, sizeof text, "{%s}\n", member);
  parse_one(IMPORT_NDJSON, text, &f);
  expect_factors(&f);
  snprintf(text, sizeof text, "{%s, \"note\": \"a\\u0020b\"}\n", member);
  parse_one(IMPORT_NDJSON, text, &f);
  expect_factors(&f);
  parse_one(IMPORT_CSV, "amount,kind,statistic,role,location,remote,experience_years,education,"
            "industry,company_stage\n100,base,individual,cloud-architect,US-WA,true,5,master,"
            "fintech,startup\n", &f);
  expect_factors(&f);
  /* an export of before: none of the columns */
  parse_one(IMPORT_CSV, "amount,kind,statistic,role\n100,base,individual,cloud-architect\n", &f);
  ck_assert(NULL == f.location && !f.has_remote && !f.has_experience && NULL == f.education
            && NULL == f.industry && NULL == f.company_stage);
  /* empty cells and nulls: not stated; false and 0 are values */
  parse_one(IMPORT_CSV, "amount,kind,statistic,role,location,remote,experience_years,education\n"
            "100,base,individual,cloud-architect,,false,0,\n", &f);
  ck_assert(NULL == f.location && f.has_remote && !f.remote && f.has_experience
            && 0 == f.experience_years && NULL == f.education);
  parse_one(IMPORT_NDJSON, "{\"amount\":100,\"kind\":\"base\",\"statistic\":\"individual\","
            "\"role\":\"cloud-architect\",\"location\":null,\"remote\":false,"
            "\"experience_years\":null,\"education\":null,\"industry\":null,"
            "\"company_stage\":null}\n", &f);
  ck_assert(NULL == f.location && f.has_remote && !f.remote && !f.has_experience
            && NULL == f.industry && NULL == f.company_stage);
}
END_TEST

/* The table holds the 249 assigned codes and nothing else; Debian's
 * iso-codes, when installed, is the independent list. */
START_TEST(assigned_countries)
{
  FILE *f = fopen("/usr/share/iso-codes/json/iso_3166-1.json", "r");
  int assigned = 0;
  char cc[3] = "AA";

  for (char a = 'A'; a <= 'Z'; a++)
    for (char b = 'A'; b <= 'Z'; b++) {
      cc[0] = a;
      cc[1] = b;
      assigned += country_assigned(cc);
    }
  ck_assert_int_eq(249, assigned);
  ck_assert(country_assigned("GB") && country_assigned("US") && country_assigned("SS"));
  ck_assert(!country_assigned("UK") && !country_assigned("EU") && !country_assigned("XK"));
  ck_assert_int_eq(LOCATION_OK, location_check("DE-BE", 5));
  ck_assert_int_eq(LOCATION_OK, location_check("FR-75C", 6));
  ck_assert_int_eq(LOCATION_NO_COUNTRY, location_check("UK-LND", 6));
  ck_assert_int_eq(LOCATION_BAD_FORM, location_check("US-", 3));
  ck_assert_int_eq(LOCATION_BAD_FORM, location_check("US-wa", 5));
  if (NULL != f) {
    json_t *doc = json_loadf(f, 0, NULL);
    json_t *list = json_object_get(doc, "3166-1");
    size_t i;
    json_t *entry;

    fclose(f);
    ck_assert_int_eq(249, (int) json_array_size(list));
    json_array_foreach(list, i, entry)
      ck_assert_msg(country_assigned(json_string_value(json_object_get(entry, "alpha_2"))),
                    "%zu", i);
    json_decref(doc);
  }
}
END_TEST

START_TEST(digits_with_a_cap)
{
  uint64_t v = 7;

  ck_assert_int_eq(0, number_parse_digits("0042", 4, 100, &v));
  ck_assert_uint_eq(42, v);
  ck_assert_int_eq(0, number_parse_digits("100", 3, 100, &v));
  ck_assert_uint_eq(100, v);
  ck_assert_int_eq(-1, number_parse_digits("101", 3, 100, &v));
  ck_assert_int_eq(-1, number_parse_digits("", 0, 100, &v));
  ck_assert_int_eq(-1, number_parse_digits("+1", 2, 100, &v));
  ck_assert_int_eq(-1, number_parse_digits("1 ", 2, 100, &v));
  ck_assert_int_eq(-1, number_parse_digits("1e2", 3, 1000, &v));
  ck_assert_int_eq(0, number_parse_digits("18446744073709551615", 20, UINT64_MAX, &v));
  ck_assert_uint_eq(UINT64_MAX, v);
  ck_assert_int_eq(-1, number_parse_digits("18446744073709551616", 20, UINT64_MAX, &v));
  ck_assert_int_eq(-1, number_parse_digits("99999999999999999999999", 23, UINT64_MAX, &v));
  ck_assert_uint_eq(UINT64_MAX, v); /* untouched on failure */
}
END_TEST

/* Query values and path ids: one spelling per number. */
START_TEST(canonical_numbers)
{
  uint64_t v = 7;

  ck_assert(number_is_canonical("0"));
  ck_assert(number_is_canonical("10"));
  ck_assert(number_is_canonical("123456789012345678901234567890")); /* any length */
  ck_assert(!number_is_canonical(""));
  ck_assert(!number_is_canonical("01"));
  ck_assert(!number_is_canonical("00"));
  ck_assert(!number_is_canonical("+1"));
  ck_assert(!number_is_canonical("1 "));
  ck_assert(!number_is_canonical("-0"));
  ck_assert_int_eq(0, number_parse_canonical("0", 5, &v));
  ck_assert_uint_eq(0, v);
  ck_assert_int_eq(0, number_parse_canonical("9007199254740992", UINT64_C(1) << 53, &v));
  ck_assert_uint_eq(UINT64_C(1) << 53, v);
  ck_assert_int_eq(-1, number_parse_canonical("9007199254740993", UINT64_C(1) << 53, &v));
  ck_assert_int_eq(-1, number_parse_canonical("042", 100, &v));
  ck_assert_int_eq(-1, number_parse_canonical("", 100, &v));
  ck_assert_int_eq(-1, number_parse_canonical("4x", 100, &v));
  ck_assert_uint_eq(UINT64_C(1) << 53, v); /* untouched on failure */
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("model");
  TCase *tc = tcase_create("model");

  tcase_add_loop_test(tc, body_and_row_say_the_same, 0, (int) (sizeof same / sizeof same[0]));
  tcase_add_test(tc, factors_on_every_path);
  tcase_add_test(tc, assigned_countries);
  tcase_add_test(tc, digits_with_a_cap);
  tcase_add_test(tc, canonical_numbers);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
