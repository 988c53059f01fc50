/**
 * @file tests/check_budget.c
 * @brief The query time budget (--query-timeout) of the real techpayd:
 *        a read that runs over it answers a 503 query-timeout problem,
 *        while writes and imports, however long they take, are never cut
 *        short by it.
 *
 * No timing is asserted: the budget is 1 ms, the expensive read ranks
 * 20,000 roles (tens of milliseconds on any machine), and the writes take
 * far longer than 1 ms; what is checked is the answer each one gets.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/child.h"
#include "tests/harness.h"

#define TOKEN "a-budget-test-token-0123456789"
#define AUTH "Authorization: Bearer " TOKEN "\r\n"
#define EXPENSIVE "/roles?sort=total_pay&limit=5"

static struct scratch_db sd;
static char token_path[320];

#define srv child_server

/* 20,000 roles with pay: ranking them all is the read that runs long. */
static void
setup(void)
{
  FILE *f;

  scratch_db_create(&sd);
  scratch_db_exec(&sd,
                  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
                  " INSERT INTO roles (slug, title, category, summary, pay_usd, pay_basis)"
                  " SELECT 'budget-role-' || substr(CAST(100000 + i AS TEXT), 2), 'Budget Role ' || substr(CAST(100000 + i AS TEXT), 2), 'Budget',"
                  " 'A role made to be ranked.', 50000 + (i * 7919) % 200000, 'published_average'"
                  " FROM n");
  snprintf(token_path, sizeof token_path, "%s/tokens", sd.dir);
  f = fopen(token_path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(TOKEN "\n", f);
  fclose(f);
}

static void
teardown(void)
{
  unlink(token_path);
  scratch_db_remove(&sd);
}

static void
srv_start(struct srv *s, char *budget)
{
  char *args[] = { "--admin-token-file", token_path, "--access-log", "off",
                   "--query-timeout", budget, NULL };

  child_server_start(s, sd.path, args, NULL);
}

static void
srv_stop(struct srv *s)
{
  child_server_stop(s);
}

/* @a method @a target (with @a body of @a type, authorised, when not NULL). */
static void
send_req(const struct srv *s, const char *method, const char *target, const char *type,
         const char *body, struct http_response *r)
{
  char *raw = NULL;
  int n;

  if (NULL == body)
    n = asprintf(&raw, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                 method, target);
  else
    n = asprintf(&raw, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n" AUTH "Content-Type: %s\r\n"
                 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                 method, target, type, strlen(body), body);
  ck_assert_int_lt(0, n);
  ck_assert_msg(0 == http_raw((uint16_t) atoi(s->port), raw, r), "%s %s: no answer", method,
                target);
  free(raw);
}

static void
expect_status(const struct srv *s, const char *method, const char *target, const char *type,
              const char *body, int want)
{
  struct http_response r;

  send_req(s, method, target, type, body, &r);
  ck_assert_msg(want == r.status, "%s %s: %d, want %d: %.400s", method, target, r.status, want,
                r.body);
  http_response_free(&r);
}

/* Rows of individual reports for cloud-architect: an import of some length. */
static char *
import_csv(unsigned rows)
{
  static const char header[] = "amount,kind,statistic,role,note\n";
  size_t size = sizeof header + (size_t) rows * 80;
  char *csv = malloc(size);
  size_t len;

  ck_assert_ptr_nonnull(csv);
  len = (size_t) snprintf(csv, size, "%s", header);
  for (unsigned i = 0; i < rows; i++)
    len += (size_t) snprintf(csv + len, size - len,
                             "%u,base,individual,cloud-architect,budget test row %u\n",
                             90000 + (i * 37) % 90000, i);
  return csv;
}

START_TEST(a_read_over_the_budget_is_a_503_problem)
{
  struct srv s;
  struct http_response r;
  json_t *p;
  char *retry;

  srv_start(&s, "1");
  for (int i = 0; i < 2; i++) { /* not cached: asked again, it runs again */
    send_req(&s, "GET", EXPENSIVE, NULL, NULL, &r);
    ck_assert_msg(503 == r.status, "%d: %.300s", r.status, r.body);
    ck_assert_ptr_nonnull(strstr(r.headers, "Content-Type: application/problem+json"));
    http_assert_header(&r, "Cache-Control", "no-store");
    retry = http_header(&r, "Retry-After");
    ck_assert_ptr_nonnull(retry);
    free(retry);
    p = http_json(&r);
    ck_assert_str_eq("/problems/query-timeout", json_string_value(json_object_get(p, "type")));
    ck_assert_str_eq("Query over its time budget", json_string_value(json_object_get(p, "title")));
    ck_assert_int_eq(503, json_integer_value(json_object_get(p, "status")));
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(p, "detail")),
                                 "time budget of 1 ms"));
    json_decref(p);
    http_response_free(&r);
  }
  expect_status(&s, "GET", "/healthz", NULL, NULL, 200);
  srv_stop(&s);
  ck_assert_msg(NULL != strstr(s.err, "stopped after its time budget of 1 ms"), "%s", s.err);
  /* without a budget the same read is answered */
  srv_start(&s, "0");
  expect_status(&s, "GET", EXPENSIVE, NULL, NULL, 200);
  srv_stop(&s);
}
END_TEST

START_TEST(writes_and_imports_are_never_cut_short)
{
  static const char salary[] =
    "{\"role\":\"cloud-architect\",\"amount\":151000,\"kind\":\"base\","
    "\"statistic\":\"individual\",\"year\":2025}";
  char *csv = import_csv(20000);
  struct srv s;
  struct http_response r;
  char *location;
  json_t *j;

  srv_start(&s, "1");
  send_req(&s, "POST", "/import", "text/csv", csv, &r);
  ck_assert_msg(201 == r.status, "%d: %.300s", r.status, r.body);
  j = http_json(&r);
  ck_assert_int_eq(20000, json_integer_value(json_object_get(json_object_get(j, "data"), "rows")));
  json_decref(j);
  http_response_free(&r);
  /* recomputing the pay of a role with 20,000 reports makes these long writes */
  send_req(&s, "POST", "/salaries", "application/json", salary, &r);
  ck_assert_msg(201 == r.status, "%d: %.300s", r.status, r.body);
  location = http_header(&r, "Location");
  ck_assert_ptr_nonnull(location);
  http_response_free(&r);
  expect_status(&s, "DELETE", location, "application/json", "", 204);
  free(location);
  srv_stop(&s);
  free(csv);
  ck_assert_ptr_null(strstr(s.err, "time budget"));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("budget");
  TCase *tc = tcase_create("budget");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, a_read_over_the_budget_is_a_503_problem);
  tcase_add_test(tc, writes_and_imports_are_never_cut_short);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
