/**
 * @file tests/check_cors.c
 * @brief What browsers may do with a token, over real HTTP: without
 *        --cors-write-origin no page of another origin may send one
 *        (preflights allow reads only) or read a write's answer; with it,
 *        that one origin may, and nothing changes for the others.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/daemon.h"
#include "tests/harness.h"

#define TOKEN "a-test-token-0123456789"
#define AUTH "Authorization: Bearer " TOKEN "\r\n"
#define WRITER "https://admin.example.com:8443"
#define STRANGER "https://evil.example"
#define SALARY "{\"role\":\"cloud-architect\",\"amount\":152000,\"kind\":\"base\"," \
               "\"statistic\":\"individual\",\"year\":2025}"

static struct test_server ts;

/* A server with a token, and @a write_origin (NULL: none). */
static void
start(const char *write_origin)
{
  struct server_options opts = {
    .bind = "127.0.0.1", .threads = 1, .max_connections = 16, .timeout_s = 5,
    .access_log_off = true, .cors_write_origin = write_origin,
  };

  test_server_start_with_token(&ts, &opts, TOKEN);
}

static void
stop(void)
{
  test_server_stop(&ts);
}

/* POST @a target with @a headers and a JSON @a body; asserts the status. */
static void
post(const char *target, const char *headers, const char *body, int want,
     struct http_response *r)
{
  char *raw = NULL;

  ck_assert_int_lt(0, asprintf(&raw, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: "
                               "application/json\r\nContent-Length: %zu\r\nConnection: close"
                               "\r\n\r\n%s", target, headers, strlen(body), body));
  ck_assert_int_eq(0, http_raw(ts.port, raw, r));
  free(raw);
  ck_assert_msg(want == r->status, "POST %s: %d, want %d: %.300s", target, r->status, want,
                r->body);
}

/* The preflight a browser sends before a script's POST with a token. */
static void
preflight(const char *target, const char *origin, struct http_response *r)
{
  char headers[512];

  snprintf(headers, sizeof headers, "%s%s%sAccess-Control-Request-Method: POST\r\n"
           "Access-Control-Request-Headers: authorization, content-type, idempotency-key\r\n",
           NULL != origin ? "Origin: " : "", NULL != origin ? origin : "",
           NULL != origin ? "\r\n" : "");
  http_fetch(ts.port, "OPTIONS", target, headers, 204, r);
}

/* A preflight that allows reading only: GET and HEAD, no token headers. */
static void
assert_read_preflight(const struct http_response *r, const char *methods, const char *origin)
{
  char *headers = http_header(r, "Access-Control-Allow-Headers");

  http_assert_header(r, "Access-Control-Allow-Origin", origin);
  http_assert_header(r, "Access-Control-Allow-Methods", methods);
  ck_assert_str_eq("If-None-Match, Accept, X-Request-Id", headers);
  free(headers);
}

START_TEST(without_a_write_origin_preflights_allow_reads_only)
{
  struct http_response r;

  start(NULL);
  preflight("/roles", STRANGER, &r);
  assert_read_preflight(&r, "GET, HEAD, OPTIONS", "*");
  http_assert_header(&r, "Allow", "GET, HEAD, POST, OPTIONS"); /* what HTTP serves there */
  http_assert_header(&r, "Vary", NULL);
  http_response_free(&r);
  preflight("/import", STRANGER, &r);
  assert_read_preflight(&r, "OPTIONS", "*");
  http_assert_header(&r, "Allow", "POST, OPTIONS");
  http_response_free(&r);
  preflight("/roles/cloud-architect", NULL, &r);
  assert_read_preflight(&r, "GET, HEAD, OPTIONS", "*");
  http_response_free(&r);
  stop();
}
END_TEST

START_TEST(without_a_write_origin_no_page_reads_a_token_answer)
{
  struct http_response r;

  start(NULL);
  post("/salaries", "Origin: " STRANGER "\r\n" AUTH, SALARY, 201, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", NULL);
  http_response_free(&r);
  post("/salaries", "Origin: " STRANGER "\r\n", SALARY, 401, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", NULL);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/audit", "Origin: " STRANGER "\r\n" AUTH, 200, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", NULL);
  http_response_free(&r);
  /* reads are as open as before */
  http_fetch(ts.port, "GET", "/roles", "Origin: " STRANGER "\r\n", 200, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", "*");
  http_response_free(&r);
  stop();
}
END_TEST

START_TEST(the_write_origin_may_send_a_token)
{
  struct http_response r;
  char *headers;

  start(WRITER);
  preflight("/roles", WRITER, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", WRITER);
  http_assert_header(&r, "Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
  headers = http_header(&r, "Access-Control-Allow-Headers");
  ck_assert_str_eq("Authorization, Content-Type, Idempotency-Key, If-None-Match, Accept, "
                   "X-Request-Id", headers);
  free(headers);
  http_assert_header(&r, "Vary", "Origin");
  http_response_free(&r);
  preflight("/import", WRITER, &r);
  http_assert_header(&r, "Access-Control-Allow-Methods", "POST, OPTIONS");
  http_response_free(&r);
  post("/salaries", "Origin: " WRITER "\r\n" AUTH, SALARY, 201, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", WRITER);
  http_assert_header(&r, "Vary", "Origin");
  http_response_free(&r);
  post("/salaries", "Origin: " WRITER "\r\n", SALARY, 401, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", WRITER);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/audit", "Origin: " WRITER "\r\n" AUTH, 200, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", WRITER);
  http_response_free(&r);
  stop();
}
END_TEST

/* Only that exact origin: another one, a near miss or none preflights as a reader. */
START_TEST(other_origins_still_preflight_as_readers)
{
  static const char *const others[] = {
    STRANGER, "https://admin.example.com", "http://admin.example.com:8443",
    "https://admin.example.com:8443.evil.example", "null", NULL,
  };
  struct http_response r;

  start(WRITER);
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
    preflight("/roles", others[i], &r);
    assert_read_preflight(&r, "GET, HEAD, OPTIONS", "*");
    http_assert_header(&r, "Vary", "Origin");
    http_response_free(&r);
  }
  /* reads keep the read origin */
  http_fetch(ts.port, "GET", "/roles", "Origin: " WRITER "\r\n", 200, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", "*");
  http_response_free(&r);
  stop();
}
END_TEST

START_TEST(the_write_origin_is_one_origin)
{
  struct server_options opts = {
    .bind = "127.0.0.1", .threads = 1, .max_connections = 4, .timeout_s = 5,
    .cors_write_origin = "*",
  };
  struct scratch_db db;
  char err[256] = "";

  scratch_db_create(&db);
  ck_assert_ptr_null(app_server_start(&opts, db.path, false, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "write origin"));
  opts.cors_write_origin = "https://admin.example.com/path";
  ck_assert_ptr_null(app_server_start(&opts, db.path, false, err, sizeof err));
  scratch_db_remove(&db);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("cors");
  TCase *tc = tcase_create("cors");

  tcase_add_test(tc, without_a_write_origin_preflights_allow_reads_only);
  tcase_add_test(tc, without_a_write_origin_no_page_reads_a_token_answer);
  tcase_add_test(tc, the_write_origin_may_send_a_token);
  tcase_add_test(tc, other_origins_still_preflight_as_readers);
  tcase_add_test(tc, the_write_origin_is_one_origin);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
