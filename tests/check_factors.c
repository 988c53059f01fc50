/**
 * @file tests/check_factors.c
 * @brief The five pay factors of a salary report over real HTTP: written
 *        by POST /salaries and by POST /import (CSV and NDJSON) and
 *        `techpayd import`, refused field by field with nothing written,
 *        served by GET /salaries, filtered on, exported as CSV columns and
 *        imported again; files from before the factors still import.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/daemon.h"
#include "tests/child.h"
#include "tests/harness.h"

#define TOKEN "a-test-token-0123456789"
#define AUTH "Authorization: Bearer " TOKEN "\r\n"
#define JSON_CT "Content-Type: application/json\r\n"
#define CSV_CT "Content-Type: text/csv\r\n"
#define NDJSON_CT "Content-Type: application/x-ndjson\r\n"
#define ROLE "\"amount\":150000,\"kind\":\"base\",\"statistic\":\"individual\",\"role\":\"cloud-architect\""

static struct test_server ts;

static void
setup(void)
{
  struct server_options opts = {
    .bind = "127.0.0.1", .threads = 2, .max_connections = 64, .timeout_s = 10,
    .access_log_off = true,
  };

  test_server_start_with_token(&ts, &opts, TOKEN);
}

static void
teardown(void)
{
  test_server_stop(&ts);
}

static long long
count_where(const char *cond)
{
  char sql[400];

  snprintf(sql, sizeof sql, "SELECT count(*) FROM salaries WHERE %s", cond);
  return scratch_db_scalar(&ts.db, sql);
}

static void
post(const char *target, const char *headers, const char *body, int want)
{
  struct http_response r;

  http_fetch_body(ts.port, "POST", target, headers, body, want, &r);
  http_response_free(&r);
}

/* The body of a refused write names @a field with a reason holding @a words. */
static void
post_refused(const char *target, const char *headers, const char *body, const char *field,
             const char *words)
{
  struct http_response r;
  char want[200];

  http_fetch_body(ts.port, "POST", target, headers, body, 422, &r);
  snprintf(want, sizeof want, "\"field\":\"%s\"", field);
  ck_assert_msg(NULL != strstr(r.body, want), "%s: %s", field, r.body);
  ck_assert_msg(NULL != strstr(r.body, words), "%s: %s", words, r.body);
  http_response_free(&r);
}

/* The number of items GET @a target answers. */
static size_t
items(const char *target)
{
  struct http_response r;
  json_t *j;
  size_t n;

  http_fetch(ts.port, "GET", target, "", 200, &r);
  j = http_json(&r);
  n = json_array_size(json_object_get(j, "data"));
  json_decref(j);
  http_response_free(&r);
  return n;
}

static void
bad_parameter(const char *target, const char *parameter)
{
  struct http_response r;
  char want[100];

  http_fetch(ts.port, "GET", target, "", 400, &r);
  snprintf(want, sizeof want, "\"parameter\":\"%s\"", parameter);
  ck_assert_msg(NULL != strstr(r.body, want), "%s: %s", target, r.body);
  http_response_free(&r);
}

/* A factor filter pages on by cursor, and its cursor is bound to it. */
static void
cursor_bound_to_factors(void)
{
  struct http_response r;
  json_t *j;
  char target[400];
  const char *cursor;

  http_fetch(ts.port, "GET", "/salaries?location=US&limit=2", "", 200, &r);
  j = http_json(&r);
  cursor = json_string_value(json_object_get(json_object_get(j, "meta"), "next_cursor"));
  ck_assert_ptr_nonnull(cursor);
  snprintf(target, sizeof target, "/salaries?location=US&limit=2&cursor=%s", cursor);
  ck_assert_uint_eq(1, items(target));
  snprintf(target, sizeof target, "/salaries?location=US-WA&limit=2&cursor=%s", cursor);
  bad_parameter(target, "cursor");
  snprintf(target, sizeof target, "/salaries?limit=2&cursor=%s", cursor);
  bad_parameter(target, "cursor");
  json_decref(j);
  http_response_free(&r);
}

START_TEST(a_report_with_every_factor)
{
  struct http_response r;
  json_t *j;
  json_t *d;

  /* the seed documents state no figure per factor: none is invented */
  ck_assert_int_eq(0, count_where("location IS NOT NULL OR remote IS NOT NULL"
                                  " OR experience_years IS NOT NULL OR education IS NOT NULL"
                                  " OR industry_id IS NOT NULL OR company_stage IS NOT NULL"));
  ck_assert_uint_eq(0, items("/salaries?location=US"));
  http_fetch_body(ts.port, "POST", "/salaries", AUTH JSON_CT,
                  "{" ROLE ",\"location\":\"US-WA\",\"remote\":true,\"experience_years\":5,"
                  "\"education\":\"master\",\"industry\":\"finance\",\"company_stage\":\"startup\"}",
                  201, &r);
  j = http_json(&r);
  d = json_object_get(j, "data");
  ck_assert_str_eq("US-WA", json_string_value(json_object_get(d, "location")));
  ck_assert(json_is_true(json_object_get(d, "remote")));
  ck_assert_int_eq(5, json_integer_value(json_object_get(d, "experience_years")));
  ck_assert_str_eq("master", json_string_value(json_object_get(d, "education")));
  ck_assert_str_eq("finance", json_string_value(json_object_get(d, "industry")));
  ck_assert_str_eq("startup", json_string_value(json_object_get(d, "company_stage")));
  json_decref(j);
  http_response_free(&r);
  ck_assert_int_eq(1, count_where("location = 'US-WA' AND remote = 1 AND experience_years = 5"
                                  " AND industry_id = (SELECT id FROM industries"
                                  " WHERE slug = 'finance')"));
  /* none stated: all null, as every seed figure */
  http_fetch_body(ts.port, "POST", "/salaries", AUTH JSON_CT, "{" ROLE ",\"remote\":null}", 201,
                  &r);
  j = http_json(&r);
  d = json_object_get(j, "data");
  ck_assert(json_is_null(json_object_get(d, "location")));
  ck_assert(json_is_null(json_object_get(d, "remote")));
  ck_assert(json_is_null(json_object_get(d, "industry")));
  json_decref(j);
  http_response_free(&r);
}
END_TEST

START_TEST(bad_factors_are_refused_and_nothing_is_written)
{
  long long before = count_where("true");

  post_refused("/salaries", AUTH JSON_CT, "{" ROLE ",\"location\":\"us-wa\"}", "location",
               "ISO 3166-1 alpha-2");
  post_refused("/salaries", AUTH JSON_CT, "{" ROLE ",\"location\":\"UK\"}", "location",
               "assigned");
  post_refused("/salaries", AUTH JSON_CT, "{" ROLE ",\"remote\":1}", "remote",
               "must be true or false");
  post_refused("/salaries", AUTH JSON_CT, "{" ROLE ",\"experience_years\":61}",
               "experience_years", "from 0 to 60");
  post_refused("/salaries", AUTH JSON_CT, "{" ROLE ",\"experience_years\":2.5}",
               "experience_years", "whole number");
  post_refused("/salaries", AUTH JSON_CT, "{" ROLE ",\"education\":\"college\"}", "education",
               "high_school, associate, bachelor, master, phd");
  post_refused("/salaries", AUTH JSON_CT, "{" ROLE ",\"company_stage\":\"seed\"}",
               "company_stage", "startup, growth, established");
  post_refused("/salaries", AUTH JSON_CT, "{" ROLE ",\"industry\":\"space-mining\"}", "industry",
               "GET /industries");
  post_refused("/import", AUTH CSV_CT,
               "amount,kind,statistic,role,location,industry\r\n"
               "1000,base,individual,cloud-architect,GB,finance\r\n"
               "1000,base,individual,cloud-architect,US-WASH,finance\r\n",
               "location", "not \\\"US-WASH\\\"");
  post_refused("/import", AUTH CSV_CT,
               "amount,kind,statistic,role,remote\r\n1000,base,individual,cloud-architect,yes\r\n",
               "remote", "must be true or false, not \\\"yes\\\"");
  post_refused("/import", AUTH NDJSON_CT,
               "{" ROLE ",\"industry\":\"finance\"}\n{" ROLE ",\"industry\":\"space-mining\"}\n",
               "industry", "no industry has the slug space-mining");
  post_refused("/import", AUTH NDJSON_CT, "{" ROLE ",\"experience_years\":-1}\n",
               "experience_years", "from 0 to 60");
  ck_assert_int_eq(before, count_where("true"));
}
END_TEST

/* Rows with the factors, from both formats; then an old file, without them. */
static void
import_factor_rows(void)
{
  post("/import", AUTH CSV_CT,
       "amount,kind,statistic,role,location,remote,experience_years,education,industry,"
       "company_stage\r\n"
       "150000,base,individual,cloud-architect,US,false,3,bachelor,finance,growth\r\n"
       "160000,base,individual,cloud-architect,US-WA,true,5,master,healthcare,startup\r\n"
       "170000,base,individual,cloud-architect,US-CA,false,12,phd,finance,established\r\n"
       "90000,base,individual,cloud-architect,GB,,,,,\r\n", 201);
  post("/import", AUTH NDJSON_CT,
       "{\"amount\":95000,\"kind\":\"base\",\"statistic\":\"individual\",\"role\":\"cloud-architect\","
       "\"location\":\"DE-BE\",\"remote\":true,\"experience_years\":10,\"education\":\"master\","
       "\"industry\":\"automotive\",\"company_stage\":\"growth\"}\n"
       "{\"amount\": 99000, \"kind\": \"base\", \"statistic\": \"individual\","
       " \"role\": \"cloud-architect\", \"location\": \"USA\"}\n", 422);
  post("/import", AUTH NDJSON_CT,
       "{\"amount\":95000,\"kind\":\"base\",\"statistic\":\"individual\",\"role\":\"cloud-architect\","
       "\"location\":\"DE-BE\",\"remote\":true,\"experience_years\":10,\"education\":\"master\","
       "\"industry\":\"automotive\",\"company_stage\":\"growth\"}\n", 201);
  post("/import", AUTH CSV_CT, "amount,kind,statistic,role\r\n80000,base,individual,cloud-architect\r\n",
       201);
}

START_TEST(the_list_filters_by_every_factor)
{
  import_factor_rows();
  ck_assert_uint_eq(3, items("/salaries?location=US"));      /* US-WA and US-CA too */
  ck_assert_uint_eq(1, items("/salaries?location=US-WA"));
  ck_assert_uint_eq(1, items("/salaries?location=DE"));
  ck_assert_uint_eq(0, items("/salaries?location=FR"));
  ck_assert_uint_eq(2, items("/salaries?remote=true"));
  ck_assert_uint_eq(2, items("/salaries?remote=false"));
  ck_assert_uint_eq(2, items("/salaries?experience=3-5"));
  ck_assert_uint_eq(2, items("/salaries?experience=10-"));
  ck_assert_uint_eq(1, items("/salaries?experience=12"));
  ck_assert_uint_eq(2, items("/salaries?education=master"));
  ck_assert_uint_eq(2, items("/salaries?industry=finance"));
  ck_assert_uint_eq(0, items("/salaries?industry=government"));
  ck_assert_uint_eq(1, items("/salaries?company_stage=startup"));
  ck_assert_uint_eq(1, items("/salaries?location=US&remote=false&experience=10-&industry=finance"
                             "&role=cloud-architect&kind=base"));
  {
    char target[120];

    /* a small source is sorted whole: the factors are checked there too */
    snprintf(target, sizeof target, "/salaries?source=%lld&location=US&education=phd",
             scratch_db_scalar(&ts.db, "SELECT source_id FROM salaries WHERE location = 'US-CA'"));
    ck_assert_uint_eq(1, items(target));
  }
  cursor_bound_to_factors();
  bad_parameter("/salaries?location=us", "location");
  bad_parameter("/salaries?location=XX", "location");
  bad_parameter("/salaries?location=US-", "location");
  bad_parameter("/salaries?remote=yes", "remote");
  bad_parameter("/salaries?experience=9-3", "experience");
  bad_parameter("/salaries?experience=61", "experience");
  bad_parameter("/salaries?experience=-3", "experience");
  bad_parameter("/salaries?experience=a-b", "experience");
  bad_parameter("/salaries?education=college", "education");
  bad_parameter("/salaries?industry=Finance", "industry");
  bad_parameter("/salaries?industry=space-mining", "industry");
  bad_parameter("/salaries?company_stage=seed", "company_stage");
  bad_parameter("/salaries?remote=true&remote=false", "remote");
}
END_TEST

/* The CSV export carries the factors as columns, and imports again as it was. */
START_TEST(the_export_imports_again_with_its_factors)
{
  struct http_response csv;
  struct http_response nd;
  long long stated;

  import_factor_rows();
  stated = count_where("location IS NOT NULL");
  http_fetch(ts.port, "GET", "/salaries?format=csv&limit=500&role=cloud-architect", "", 200, &csv);
  ck_assert_msg(NULL != strstr(csv.body, ",role,subject,location,remote,experience_years,"
                                         "education,industry,company_stage\r\n"), "%s", csv.body);
  ck_assert_ptr_nonnull(strstr(csv.body, ",US-CA,false,12,phd,finance,established\r\n"));
  post("/import", AUTH CSV_CT, csv.body, 201);
  ck_assert_int_eq(2 * stated, count_where("location IS NOT NULL"));
  ck_assert_int_eq(2, count_where("location = 'US-CA' AND remote = 0 AND experience_years = 12"
                                  " AND education = 'phd' AND company_stage = 'established'"));
  /* the JSON items, one per line, are NDJSON rows */
  http_fetch(ts.port, "GET", "/salaries?limit=500&location=DE", "", 200, &nd);
  {
    json_t *j = http_json(&nd);
    json_t *item;
    size_t i;
    char lines[8192] = "";

    json_array_foreach(json_object_get(j, "data"), i, item) {
      char *line = json_dumps(item, JSON_COMPACT | JSON_PRESERVE_ORDER);

      snprintf(lines + strlen(lines), sizeof lines - strlen(lines), "%s\n", line);
      free(line);
    }
    json_decref(j);
    post("/import", AUTH NDJSON_CT, lines, 201);
  }
  ck_assert_int_eq(4, count_where("location = 'DE-BE' AND remote = 1"));
  http_response_free(&nd);
  http_response_free(&csv);
}
END_TEST

static void
run_import(struct child_run *r, char *const args[], int want)
{
  child_run(r, args, NULL);
  ck_assert_msg(want == r->status, "exit %d, want %d: %s%s", r->status, want, r->out, r->err);
}

/* techpayd import reads the sample files of the repository, and refuses a bad factor. */
START_TEST(the_command_line_imports_the_samples)
{
  struct child_scratch sc;
  char bad[300];
  char db_flag[310];
  struct child_run r;
  FILE *f;

  child_scratch_create(&sc, "cli.db", NULL);
  snprintf(bad, sizeof bad, "%s/bad.csv", sc.db.dir);
  snprintf(db_flag, sizeof db_flag, "--db=%s", sc.db.path);
  run_import(&r, (char *[]) { "import", SOURCE_ROOT "/examples/reports.csv", db_flag, NULL }, 0);
  run_import(&r, (char *[]) { "import", SOURCE_ROOT "/examples/reports.ndjson", db_flag, NULL }, 0);
  ck_assert_int_lt(0, scratch_db_scalar(&sc.db, "SELECT count(*) FROM salaries"
                                                " WHERE industry_id IS NOT NULL"));
  /* the two files hold the same rows */
  ck_assert_int_eq(0, scratch_db_scalar(&sc.db,
                                        "SELECT count(*) FROM (SELECT amount_usd, location,"
                                        " remote, experience_years, education, industry_id,"
                                        " company_stage, count(*) % 2 AS odd FROM salaries"
                                        " WHERE note LIKE 'Generated%' GROUP BY 1, 2, 3, 4, 5,"
                                        " 6, 7) AS per_row WHERE odd = 1"));
  f = fopen(bad, "w");
  fputs("amount,kind,statistic,role,education\n100000,base,individual,cloud-architect,mba\n", f);
  fclose(f);
  run_import(&r, (char *[]) { "import", bad, db_flag, NULL }, 1);
  ck_assert_msg(NULL != strstr(r.err, "line 2: education:"), "%s", r.err);
  unlink(bad);
  child_scratch_remove(&sc);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("factors");
  TCase *tc = tcase_create("http");
  TCase *cli = tcase_create("cli");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 30 * (double) timeout_multiplier());
  tcase_add_test(tc, a_report_with_every_factor);
  tcase_add_test(tc, bad_factors_are_refused_and_nothing_is_written);
  tcase_add_test(tc, the_list_filters_by_every_factor);
  tcase_add_test(tc, the_export_imports_again_with_its_factors);
  suite_add_tcase(s, tc);
  tcase_set_timeout(cli, 60 * (double) timeout_multiplier());
  tcase_add_test(cli, the_command_line_imports_the_samples);
  suite_add_tcase(s, cli);
  return run_suite(s);
}
