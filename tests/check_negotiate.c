/**
 * @file tests/check_negotiate.c
 * @brief Accept, Accept-Encoding and If-None-Match parsing, Link rewriting,
 *        CORS origin validation, the body hash behind entity tags, and
 *        over HTTP, each route negotiated by the media types it serves.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "http/cors.h"
#include "http/entity.h"
#include "http/negotiate.h"
#include "http/router.h"
#include "tests/harness.h"

START_TEST(accept_quality_of_one_type)
{
  ck_assert_uint_eq(1000, negotiate_accept_q(NULL, "text/csv"));
  ck_assert_uint_eq(1000, negotiate_accept_q("", "text/csv"));
  ck_assert_uint_eq(1000, negotiate_accept_q("text/csv", "text/csv"));
  ck_assert_uint_eq(0, negotiate_accept_q("application/json", "text/csv"));
  ck_assert_uint_eq(500, negotiate_accept_q("text/*;q=0.5", "text/csv"));
  ck_assert_uint_eq(100, negotiate_accept_q("*/*; q=0.1", "text/csv"));
  ck_assert_uint_eq(1000, negotiate_accept_q("TEXT/CSV", "text/csv"));
  ck_assert_uint_eq(700, negotiate_accept_q("text/csv;charset=utf-8;q=0.7", "text/csv"));
  ck_assert_uint_eq(250, negotiate_accept_q("text/csv ; q=0.25", "text/csv"));
  ck_assert_uint_eq(1000, negotiate_accept_q("text/csv;q=1.000", "text/csv"));
  /* the most specific range decides, whatever the order */
  ck_assert_uint_eq(0, negotiate_accept_q("*/*, text/csv;q=0", "text/csv"));
  ck_assert_uint_eq(0, negotiate_accept_q("text/csv;q=0, text/*", "text/csv"));
  ck_assert_uint_eq(300, negotiate_accept_q("text/*;q=0.3, */*", "text/csv"));
  /* malformed elements are skipped */
  ck_assert_uint_eq(0, negotiate_accept_q("text/csv;q=2, application/json", "text/csv"));
  ck_assert_uint_eq(0, negotiate_accept_q("text/csv;q=0.5x, application/json", "text/csv"));
  ck_assert_uint_eq(0, negotiate_accept_q("text/csv;q=1.5, application/json", "text/csv"));
  ck_assert_uint_eq(0, negotiate_accept_q("*/csv, application/json", "text/csv"));
  ck_assert_uint_eq(1000, negotiate_accept_q("garbage", "text/csv")); /* nothing readable */
  /* a quoted parameter may hold a comma */
  ck_assert_uint_eq(0, negotiate_accept_q("application/json;x=\"a,text/csv\"", "text/csv"));
}
END_TEST

static int
choose(const char *accept, bool csv_offered)
{
  enum representation repr = REPR_JSON;

  if (0 != negotiate_representation(accept, csv_offered, &repr))
    return -1;
  return (int) repr;
}

START_TEST(choosing_json_or_csv)
{
  ck_assert_int_eq(REPR_JSON, choose(NULL, true));
  ck_assert_int_eq(REPR_JSON, choose("*/*", true));
  ck_assert_int_eq(REPR_CSV, choose("text/csv", true));
  ck_assert_int_eq(-1, choose("text/csv", false));
  ck_assert_int_eq(-1, choose("image/png", true));
  ck_assert_int_eq(-1, choose("application/json;q=0", true));
  ck_assert_int_eq(REPR_JSON, choose("text/csv, application/json", true)); /* tie: JSON */
  ck_assert_int_eq(REPR_CSV, choose("text/csv;q=0.9, application/json;q=0.5", true));
  ck_assert_int_eq(REPR_JSON, choose("application/problem+json", true));
  ck_assert_int_eq(REPR_JSON, choose("application/*", false));
  ck_assert_int_eq(REPR_CSV, choose("text/*", true));
  ck_assert_int_eq(-1, choose("text/*", false));
  ck_assert_int_eq(REPR_JSON, choose("text/html,application/xhtml+xml,application/xml;q=0.9,"
                                     "*/*;q=0.8", true));
}
END_TEST

START_TEST(gzip_acceptance)
{
  ck_assert(!negotiate_gzip(NULL));
  ck_assert(!negotiate_gzip(""));
  ck_assert(negotiate_gzip("gzip"));
  ck_assert(negotiate_gzip("GZIP"));
  ck_assert(negotiate_gzip("x-gzip"));
  ck_assert(negotiate_gzip("gzip, deflate, br"));
  ck_assert(negotiate_gzip("br, gzip;q=0.5"));
  ck_assert(negotiate_gzip("*"));
  ck_assert(!negotiate_gzip("gzip;q=0"));
  ck_assert(!negotiate_gzip("gzip;q=0.000"));
  ck_assert(!negotiate_gzip("deflate, br"));
  ck_assert(!negotiate_gzip("identity"));
  ck_assert(!negotiate_gzip("*;q=0"));
  ck_assert(!negotiate_gzip("*, gzip;q=0")); /* named beats * */
  ck_assert(negotiate_gzip("gzip;q=0, gzip;q=1"));
  ck_assert(!negotiate_gzip("gzip;q=nope"));
}
END_TEST

START_TEST(if_none_match)
{
  const char *tag = "\"00ff00ff00ff00ff\"";

  ck_assert(!negotiate_etag_matches(NULL, tag));
  ck_assert(!negotiate_etag_matches("", tag));
  ck_assert(negotiate_etag_matches("\"00ff00ff00ff00ff\"", tag));
  ck_assert(negotiate_etag_matches("W/\"00ff00ff00ff00ff\"", tag));
  ck_assert(negotiate_etag_matches("\"a\", W/\"b\",\"00ff00ff00ff00ff\"", tag));
  ck_assert(negotiate_etag_matches("*", tag));
  ck_assert(negotiate_etag_matches(" * ", tag));
  ck_assert(!negotiate_etag_matches("\"00ff00ff00ff00fe\"", tag));
  ck_assert(!negotiate_etag_matches("00ff00ff00ff00ff", tag)); /* unquoted */
  ck_assert(!negotiate_etag_matches("\"00ff00ff00ff00ff", tag)); /* unterminated */
  ck_assert(!negotiate_etag_matches("\"00ff00ff00ff00ff-gz\"", tag));
  ck_assert(!negotiate_etag_matches("\"00ff00ff00ff00ff\"", "\"00ff00ff00ff00ff-gz\""));
  ck_assert(negotiate_etag_matches("junk, \"00ff00ff00ff00ff\"", tag));
}
END_TEST

START_TEST(links_keep_the_format)
{
  char *s;

  s = negotiate_link_with_format("</roles?limit=2&offset=2>; rel=\"next\"", "csv");
  ck_assert_str_eq("</roles?limit=2&offset=2&format=csv>; rel=\"next\"", s);
  free(s);
  s = negotiate_link_with_format("</roles>; rel=\"first\", </roles?offset=4>; rel=\"prev\"", "json");
  ck_assert_str_eq("</roles?format=json>; rel=\"first\", </roles?offset=4&format=json>; rel=\"prev\"", s);
  free(s);
  s = negotiate_link_with_format("no link here", "csv");
  ck_assert_str_eq("no link here", s);
  free(s);
}
END_TEST

START_TEST(cors_origins)
{
  static const char *const good[] = {
    "*", "https://example.com", "http://localhost:8080", "https://a-b.example.co.uk:443",
    "http://127.0.0.1:3000", "http://[::1]:8080", "app+x://host",
  };
  static const char *const bad[] = {
    "", "**", "example.com", "https://", "https://example.com/", "https://example.com/path",
    "https://exa mple.com", "https://example.com\r\nX: y", "https://example.com:",
    "https://example.com:0", "https://example.com:65536", "https://example.com:80a",
    "https://user@example.com", "null", "https://[::1", "1http://x", " https://example.com",
  };

  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    ck_assert_msg(cors_origin_valid(good[i]), "%s", good[i]);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_msg(!cors_origin_valid(bad[i]), "%s", bad[i]);
}
END_TEST

START_TEST(body_hash)
{
  char a[100];
  char b[100];

  memset(a, 'x', sizeof a);
  memcpy(b, a, sizeof b);
  ck_assert(entity_hash(a, sizeof a) == entity_hash(b, sizeof b));
  /* every length and every byte position counts, tails included */
  for (size_t n = 0; n < 20; n++)
    ck_assert(entity_hash(a, n) != entity_hash(a, n + 1));
  for (size_t i = 0; i < sizeof b; i++) {
    b[i] = 'y';
    ck_assert_msg(entity_hash(a, sizeof a) != entity_hash(b, sizeof b), "byte %zu", i);
    b[i] = 'x';
  }
}
END_TEST

/* GET /metrics serves the Prometheus text format only: what admits it is
 * answered in it, anything else is a 406 naming it. */
START_TEST(metrics_negotiate_their_own_media_type)
{
  static const struct { const char *accept; int status; } cases[] = {
    { NULL, 200 },
    { "text/plain", 200 },
    { "text/plain; version=0.0.4", 200 },
    { "text/*", 200 },
    { "*/*", 200 },
    /* what Prometheus sends */
    { "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
      "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", 200 },
    { "application/openmetrics-text; version=1.0.0", 406 },
    { "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
      "q=0.75", 406 },
    { "application/json", 406 },
    { "text/plain;q=0, */*", 406 },
  };
  struct test_server ts;
  struct http_response r;
  json_t *problem;

  test_server_start(&ts, 1);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char headers[512] = "";

    if (NULL != cases[i].accept)
      snprintf(headers, sizeof headers, "Accept: %s\r\n", cases[i].accept);
    http_fetch(ts.port, "GET", "/metrics", headers, cases[i].status, &r);
    if (200 == cases[i].status) {
      http_assert_header(&r, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ck_assert_msg(0 == strncmp(r.body, "# ", 2), "%s: %.80s", headers, r.body);
    } else {
      http_assert_header(&r, "Content-Type", "application/problem+json; charset=utf-8");
      problem = http_json(&r);
      ck_assert_str_eq("/problems/not-acceptable",
                       json_string_value(json_object_get(problem, "type")));
      ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(problem, "detail")),
                                   "served as text/plain; version=0.0.4,"));
      json_decref(problem);
    }
    http_response_free(&r);
  }
  /* format= picks JSON or CSV, neither of which is served here */
  http_fetch(ts.port, "GET", "/metrics?format=json", "", 400, &r);
  problem = http_json(&r);
  ck_assert_str_eq("/problems/invalid-parameter",
                   json_string_value(json_object_get(problem, "type")));
  ck_assert_str_eq("format", json_string_value(json_object_get(problem, "parameter")));
  json_decref(problem);
  http_response_free(&r);
  test_server_stop(&ts);
}
END_TEST

/* The route table names the type /metrics is sent in. */
START_TEST(the_route_table_names_what_metrics_serve)
{
  struct route_match m;

  ck_assert_int_eq(ROUTE_FOUND, route_find("GET", "/metrics", &m));
  ck_assert_str_eq("text/plain; version=0.0.4", m.route->media);
  ck_assert_int_eq(ROUTE_FOUND, route_find("GET", "/roles", &m));
  ck_assert_ptr_null(m.route->media);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("negotiate");
  TCase *tc = tcase_create("negotiate");

  tcase_add_test(tc, accept_quality_of_one_type);
  tcase_add_test(tc, choosing_json_or_csv);
  tcase_add_test(tc, gzip_acceptance);
  tcase_add_test(tc, if_none_match);
  tcase_add_test(tc, links_keep_the_format);
  tcase_add_test(tc, cors_origins);
  tcase_add_test(tc, body_hash);
  tcase_add_test(tc, the_route_table_names_what_metrics_serve);
  suite_add_tcase(s, tc);
  tc = tcase_create("routes");
  tcase_add_test(tc, metrics_negotiate_their_own_media_type);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
