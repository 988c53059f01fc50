/**
 * @file tests/check_http.c
 * @brief The real daemon on a free port, spoken to over HTTP: every status
 *        code the API promises, headers, keep-alive, cache invalidation.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/daemon.h"
#include "tests/harness.h"

static struct test_server ts;

static void
setup(void)
{
  test_server_start(&ts, 1);
}

static void
teardown(void)
{
  test_server_stop(&ts);
}

static json_t *
get_json(const char *target, int want_status, const char *want_type)
{
  struct http_response r;
  char *ct;
  json_t *j;

  ck_assert_int_eq(0, http_request(ts.port, "GET", target, &r));
  ck_assert_msg(want_status == r.status, "%s: status %d, body %s", target, r.status, r.body);
  ct = http_header(&r, "Content-Type");
  ck_assert_ptr_nonnull(ct);
  ck_assert_str_eq(want_type, ct);
  free(ct);
  j = http_json(&r);
  http_response_free(&r);
  return j;
}

static json_t *
get_problem(const char *target, int want_status)
{
  json_t *p = get_json(target, want_status, "application/problem+json; charset=utf-8");

  ck_assert_int_eq(want_status, json_integer_value(json_object_get(p, "status")));
  ck_assert_ptr_nonnull(json_string_value(json_object_get(p, "type")));
  ck_assert_ptr_nonnull(json_string_value(json_object_get(p, "title")));
  ck_assert_ptr_nonnull(json_string_value(json_object_get(p, "detail")));
  return p;
}

START_TEST(ranking_by_pay)
{
  json_t *j = get_json("/roles?sort=pay", 200, "application/json; charset=utf-8");
  json_t *first = json_array_get(json_object_get(j, "data"), 0);

  ck_assert_str_eq("machine-learning-engineer", json_string_value(json_object_get(first, "slug")));
  ck_assert_int_eq(146085, json_integer_value(json_object_get(first, "pay")));
  ck_assert_str_eq("pay", json_string_value(json_object_get(json_object_get(j, "meta"), "sort")));
  json_decref(j);
}
END_TEST

START_TEST(role_detail_and_health)
{
  json_t *j = get_json("/roles/data-science-manager", 200, "application/json; charset=utf-8");

  ck_assert_int_eq(135091, json_integer_value(json_object_get(json_object_get(j, "data"), "pay")));
  json_decref(j);
  j = get_json("/healthz", 200, "application/json; charset=utf-8");
  ck_assert_str_eq("ok", json_string_value(json_object_get(j, "status")));
  json_decref(j);
}
END_TEST

START_TEST(client_errors_are_problems)
{
  json_t *p;

  p = get_problem("/nothing-here", 404);
  ck_assert_str_eq("/nothing-here", json_string_value(json_object_get(p, "instance")));
  json_decref(p);
  json_decref(get_problem("/roles/no-such-role", 404));
  json_decref(get_problem("/roles/%27%20OR%201%3D1%20--", 404));
  p = get_problem("/roles?sort=bogus", 400);
  ck_assert_str_eq("sort", json_string_value(json_object_get(p, "parameter")));
  json_decref(p);
  json_decref(get_problem("/roles?order=sideways", 400));
  json_decref(get_problem("/roles?limit=abc", 400));
  json_decref(get_problem("/roles?limit=100000", 400));
  json_decref(get_problem("/roles?offset=-3", 400));
  json_decref(get_problem("/roles?color=red", 400));
  json_decref(get_problem("/roles?sort=pay&sort=title", 400));
  json_decref(get_problem("/healthz?verbose=1", 400));
}
END_TEST

START_TEST(invalid_utf8_in_parameter_name_still_gives_json)
{
  json_t *p = get_problem("/roles?%C0%AF%FF=1", 400);

  ck_assert_ptr_nonnull(json_string_value(json_object_get(p, "parameter")));
  json_decref(p);
}
END_TEST

START_TEST(too_many_parameters)
{
  char target[2048] = "/roles?";

  for (int i = 0; i < 40; i++) {
    char kv[16];

    snprintf(kv, sizeof kv, "p%d=1&", i);
    strcat(target, kv);
  }
  json_decref(get_problem(target, 400));
}
END_TEST

START_TEST(wrong_method_is_405_with_allow)
{
  struct http_response r;
  char *allow;
  char *ct;

  ck_assert_int_eq(0, http_request(ts.port, "DELETE", "/sources/1", &r));
  ck_assert_int_eq(405, r.status);
  allow = http_header(&r, "Allow");
  ck_assert_ptr_nonnull(allow);
  ck_assert_str_eq("GET, HEAD, OPTIONS", allow);
  ct = http_header(&r, "Content-Type");
  ck_assert_str_eq("application/problem+json; charset=utf-8", ct);
  free(allow);
  free(ct);
  http_response_free(&r);
}
END_TEST

START_TEST(long_path_is_414)
{
  char target[700] = "/roles/";

  memset(target + 7, 'x', 600);
  target[607] = '\0';
  json_decref(get_problem(target, 414));
}
END_TEST

START_TEST(reals_are_written_short)
{
  struct http_response r;

  ck_assert_int_eq(0, http_request(ts.port, "GET",
                                   "/compare?roles=machine-learning-engineer,ai-research-scientist", &r));
  ck_assert_int_eq(200, r.status);
  /* not the 17-digit "-6.7000000000000002" */
  ck_assert_msg(NULL != strstr(r.body, "\"percent\":-6.7}"), "%s", r.body);
  http_response_free(&r);
}
END_TEST

START_TEST(head_has_headers_but_no_body)
{
  struct http_response r;
  char *ct;

  ck_assert_int_eq(0, http_request(ts.port, "HEAD", "/roles?sort=pay", &r));
  ck_assert_int_eq(200, r.status);
  ct = http_header(&r, "Content-Type");
  ck_assert_str_eq("application/json; charset=utf-8", ct);
  ck_assert_uint_eq(0, r.body_len);
  free(ct);
  http_response_free(&r);
}
END_TEST

/* Reads one response whose length is given by Content-Length. */
static int
read_one(int fd, char *buf, size_t size)
{
  size_t len = 0;

  for (;;) {
    char *end;
    ssize_t n = recv(fd, buf + len, size - len - 1, 0);

    if (n <= 0)
      return -1;
    len += (size_t) n;
    buf[len] = '\0';
    end = strstr(buf, "\r\n\r\n");
    if (NULL != end) {
      const char *cl = strstr(buf, "Content-Length: ");

      if (NULL != cl && len >= (size_t) (end + 4 - buf) + (size_t) atol(cl + 16))
        return atoi(buf + 9);
    }
  }
}

START_TEST(keep_alive_serves_several_requests_on_one_connection)
{
  static const char req[] = "GET /roles?sort=pay&limit=2 HTTP/1.1\r\nHost: x\r\n\r\n";
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(ts.port) };
  char *buf = malloc(65536);
  int fd = socket(AF_INET, SOCK_STREAM, 0);

  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert_int_eq(0, connect(fd, (struct sockaddr *) &sa, sizeof sa));
  for (int i = 0; i < 3; i++) {
    ck_assert_int_eq((ssize_t) strlen(req), send(fd, req, strlen(req), MSG_NOSIGNAL));
    ck_assert_int_eq(200, read_one(fd, buf, 65536));
    ck_assert_ptr_null(strstr(buf, "Connection: close"));
  }
  close(fd);
  free(buf);
}
END_TEST

START_TEST(another_process_s_change_shows_within_the_poll)
{
  json_t *j;

  j = get_json("/roles?sort=pay&limit=1", 200, "application/json; charset=utf-8");
  ck_assert_str_eq("machine-learning-engineer",
                   json_string_value(json_object_get(json_array_get(json_object_get(j, "data"), 0), "slug")));
  json_decref(j);
  /* another process's write, as an import or the sqlite3 shell would make it */
  scratch_db_exec(&ts.db,
    "INSERT INTO salaries (role_id, amount_usd, kind, statistic, source_id, section)"
    " SELECT id, 300000, 'base', 'average', 1, 'test' FROM roles WHERE slug = 'cloud-architect'");
  http_await_body(ts.port, "/roles?sort=pay&limit=1", "cloud-architect");
  j = get_json("/roles?sort=pay&limit=1", 200, "application/json; charset=utf-8");
  ck_assert_str_eq("cloud-architect",
                   json_string_value(json_object_get(json_array_get(json_object_get(j, "data"), 0), "slug")));
  json_decref(j);
}
END_TEST

static int
connect_to(uint16_t port)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
  int fd = socket(AF_INET, SOCK_STREAM, 0);

  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert_int_eq(0, connect(fd, (struct sockaddr *) &sa, sizeof sa));
  return fd;
}

static void
restart(void)
{
  ts.srv = app_server_start(&(struct server_options) { .bind = "127.0.0.1", .port = 0,
                                                       .threads = 1, .max_connections = 8,
                                                       .timeout_s = 5 },
                            ts.db.path, false, (char[256]) { 0 }, 256);
  ck_assert_ptr_nonnull(ts.srv);
}

START_TEST(stop_with_an_idle_keep_alive_connection_open)
{
  static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  char buf[4096];
  int fd = connect_to(ts.port);
  struct http_response r;

  ck_assert_int_eq((ssize_t) strlen(req), send(fd, req, strlen(req), MSG_NOSIGNAL));
  ck_assert_int_eq(200, read_one(fd, buf, sizeof buf));
  /* an idle keep-alive client must not hold the stop for the grace period */
  server_stop(ts.srv, 60000);
  restart();
  ck_assert_int_ne(-1, http_request(server_port(ts.srv), "GET", "/healthz", &r));
  ck_assert_int_eq(200, r.status);
  http_response_free(&r);
  close(fd);
}
END_TEST

static void *
stop_in_background(void *srv)
{
  server_stop(srv, 10000);
  return NULL;
}

START_TEST(a_connection_accepted_before_the_stop_is_answered)
{
  static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  struct timespec pause = { 0, 200 * 1000 * 1000 };
  char buf[4096];
  int fd = connect_to(ts.port);
  pthread_t stopper;

  nanosleep(&pause, NULL); /* accepted, but silent when the stop begins */
  ck_assert_int_eq(0, pthread_create(&stopper, NULL, stop_in_background, ts.srv));
  nanosleep(&pause, NULL);
  ck_assert_int_eq((ssize_t) strlen(req), send(fd, req, strlen(req), MSG_NOSIGNAL));
  ck_assert_int_eq(200, read_one(fd, buf, sizeof buf));
  ck_assert_ptr_nonnull(strstr(buf, "Connection: close"));
  pthread_join(stopper, NULL);
  close(fd);
  restart();
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("http");
  TCase *tc = tcase_create("http");

  tcase_set_timeout(tc, 30);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, ranking_by_pay);
  tcase_add_test(tc, role_detail_and_health);
  tcase_add_test(tc, client_errors_are_problems);
  tcase_add_test(tc, invalid_utf8_in_parameter_name_still_gives_json);
  tcase_add_test(tc, too_many_parameters);
  tcase_add_test(tc, wrong_method_is_405_with_allow);
  tcase_add_test(tc, long_path_is_414);
  tcase_add_test(tc, head_has_headers_but_no_body);
  tcase_add_test(tc, reals_are_written_short);
  tcase_add_test(tc, keep_alive_serves_several_requests_on_one_connection);
  tcase_add_test(tc, another_process_s_change_shows_within_the_poll);
  tcase_add_test(tc, stop_with_an_idle_keep_alive_connection_open);
  tcase_add_test(tc, a_connection_accepted_before_the_stop_is_answered);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
