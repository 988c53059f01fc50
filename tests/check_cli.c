/**
 * @file tests/check_cli.c
 * @brief The techpayd binary as an operator meets it: exit codes, one-line
 *        errors, start-up refusals that leave the database untouched, and a
 *        clean stop on SIGTERM.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/child.h"
#include "tests/harness.h"

static struct scratch_db sd;

static void
setup(void)
{
  scratch_db_path(&sd, "cli.db");
}

static void
teardown(void)
{
  scratch_db_remove(&sd);
}

static int
count_lines(const char *s)
{
  int n = 0;

  for (; *s; s++)
    n += '\n' == *s;
  return n;
}

START_TEST(version_and_help)
{
  struct child_run r;

  child_run(&r, (char *[]) { "--version", NULL }, NULL);
  ck_assert_int_eq(0, r.status);
  ck_assert_ptr_nonnull(strstr(r.out, "techpayd 0."));
  child_run(&r, (char *[]) { "--help", NULL }, NULL);
  ck_assert_int_eq(0, r.status);
  ck_assert_ptr_nonnull(strstr(r.out, "--port"));
  ck_assert_ptr_nonnull(strstr(r.out, "TECHPAY_DB"));
}
END_TEST

static char *const usage_errors[][3] = {
  { "--port", "0", NULL },
  { "--port", "70000", NULL },
  { "--bogus", NULL, NULL },
  { "--threads", "zero", NULL },
  { "--bind", NULL, NULL },
  { "--log-format", "xml", NULL },
  { "--log-level", "loud", NULL },
  { "--access-log", "maybe", NULL },
  { "--drain-timeout", "-5", NULL },
};

START_TEST(usage_errors_exit_2_with_one_line)
{
  struct child_run r;

  child_run(&r, usage_errors[_i], NULL);
  ck_assert_int_eq(2, r.status);
  ck_assert_int_eq(1, count_lines(r.err));
  ck_assert_ptr_nonnull(strstr(r.err, "techpayd: "));
  ck_assert_ptr_nonnull(strstr(r.err, usage_errors[_i][0]));
  ck_assert_int_ne(0, access(sd.path, F_OK)); /* nothing was created */
}
END_TEST

START_TEST(bad_environment_exits_2)
{
  struct child_run r;

  child_run(&r, (char *[]) { NULL }, (char *[]) { "TECHPAY_PORT=eighty", NULL });
  ck_assert_int_eq(2, r.status);
  ck_assert_ptr_nonnull(strstr(r.err, "TECHPAY_PORT"));
}
END_TEST

START_TEST(port_in_use_is_one_clear_line)
{
  struct child_run r;
  int holder;
  char port[8];

  snprintf(port, sizeof port, "%u", child_free_port(&holder));
  child_run(&r, (char *[]) { "--bind", "127.0.0.1", "--port", port, "--db", sd.path, NULL }, NULL);
  close(holder);
  ck_assert_int_eq(1, r.status);
  ck_assert_msg(NULL != strstr(r.err, "Address already in use"), "%s", r.err);
  ck_assert_msg(NULL != strstr(r.err, port), "%s", r.err);
}
END_TEST

START_TEST(newer_database_refused_and_untouched)
{
  sqlite3 *conn;
  struct child_run r;

  child_run(&r, (char *[]) { "migrate", "--db", sd.path, NULL }, NULL);
  ck_assert_msg(0 == r.status, "%s", r.err);
  ck_assert_int_eq(SQLITE_OK, sqlite3_open(sd.path, &conn));
  ck_assert_int_eq(SQLITE_OK, sqlite3_exec(conn, "PRAGMA journal_mode = DELETE;"
    "INSERT INTO schema_migrations VALUES (99, 'future', 'fnv1a64:1', '2099-01-01T00:00:00Z')",
    NULL, NULL, NULL));
  sqlite3_close(conn);
  child_refuses_to_start(sd.path, "newer than this techpayd");
}
END_TEST

START_TEST(text_file_refused_and_untouched)
{
  FILE *f = fopen(sd.path, "w");

  fputs("name,salary\nalice,1\n", f);
  fclose(f);
  child_refuses_to_start(sd.path, "not a SQLite database");
}
END_TEST

START_TEST(healthcheck_fails_without_a_server)
{
  struct child_run r;
  char port[8];

  snprintf(port, sizeof port, "%u", child_free_port(NULL));
  child_run(&r, (char *[]) { "healthcheck", "--port", port, NULL }, NULL);
  ck_assert_int_eq(1, r.status);
  ck_assert_ptr_nonnull(strstr(r.err, "cannot connect"));
}
END_TEST

START_TEST(migrate_status_lists_migrations)
{
  struct child_run r;

  child_run(&r, (char *[]) { "migrate", "--status", "--db", sd.path, NULL }, NULL);
  ck_assert_int_eq(0, r.status);
  ck_assert_ptr_nonnull(strstr(r.out, "pending"));
  ck_assert_int_ne(0, access(sd.path, F_OK)); /* status never creates */
  child_run(&r, (char *[]) { "migrate", "--db", sd.path, NULL }, NULL);
  ck_assert_int_eq(0, r.status);
  child_run(&r, (char *[]) { "migrate", "--status", "--db", sd.path, NULL }, NULL);
  ck_assert_int_eq(0, r.status);
  ck_assert_ptr_null(strstr(r.out, "pending"));
  ck_assert_ptr_nonnull(strstr(r.out, "0002     seed"));
}
END_TEST

START_TEST(serves_then_stops_cleanly_on_sigterm)
{
  char port[8];
  int out_fd;
  int err_fd;
  pid_t pid;
  struct http_response resp = { 0 };
  char err[4096];
  int up = 0;

  snprintf(port, sizeof port, "%u", child_free_port(NULL));
  pid = child_spawn((char *[]) { "--bind", "127.0.0.1", "--port", port, "--threads", "2", NULL },
              (char *[]) { (char *) "TECHPAY_DB=", NULL }, &out_fd, &err_fd);
  (void) pid;
  /* TECHPAY_DB= (empty) is a usage error: the server must not start */
  ck_assert_int_eq(2, child_wait(pid));
  close(out_fd);
  close(err_fd);

  {
    char env_db[320];

    snprintf(env_db, sizeof env_db, "TECHPAY_DB=%s", sd.path);
    pid = child_spawn((char *[]) { "--bind", "127.0.0.1", "--port", port, NULL },
                (char *[]) { env_db, NULL }, &out_fd, &err_fd);
  }
  for (int i = 0; i < 200 && !up; i++) {
    struct timespec ts = { 0, 20 * 1000 * 1000 };

    if (0 == http_request((uint16_t) atoi(port), "GET", "/roles?sort=pay&limit=1", &resp)) {
      up = 200 == resp.status;
      ck_assert_ptr_nonnull(strstr(resp.body, "machine-learning-engineer"));
      http_response_free(&resp);
    } else {
      nanosleep(&ts, NULL);
    }
  }
  ck_assert_msg(up, "server did not come up");
  ck_assert_int_eq(0, access(sd.path, F_OK)); /* created from TECHPAY_DB */
  {
    struct child_run hc;

    child_run(&hc, (char *[]) { "healthcheck", "--bind", "127.0.0.1", "--port", port, NULL }, NULL);
    ck_assert_msg(0 == hc.status, "%s", hc.err);
  }
  kill(pid, SIGTERM);
  ck_assert_int_eq(0, child_wait(pid));
  child_slurp(err_fd, err, sizeof err);
  close(out_fd);
  ck_assert_msg(NULL != strstr(err, "stopped"), "%s", err);
}
END_TEST

START_TEST(operations_logging_drain_and_checkpoint)
{
  /* a route that reads no body: the server waits for it before its 405 */
  static const char stuck[] = "POST /industries HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n";
  struct child_server srv;
  char wal[320];
  int fd;
  struct http_response r;
  struct timespec t0;
  struct timespec t1;
  double waited;
  struct stat st;

  child_server_start(&srv, sd.path, (char *[]) { "--drain-timeout", "1", NULL }, NULL);
  ck_assert_int_eq(0, http_raw(child_server_port(&srv),
                               "GET /roles?sort=pay&limit=1 HTTP/1.1\r\nHost: x\r\n"
                               "X-Request-Id: cli-trace-7\r\nConnection: close\r\n\r\n", &r));
  ck_assert_int_eq(200, r.status);
  http_response_free(&r);
  /* a request whose body never comes stays in flight past the drain timeout */
  fd = connect_local_or_fail(child_server_port(&srv));
  ck_assert_int_eq((ssize_t) strlen(stuck), send(fd, stuck, strlen(stuck), MSG_NOSIGNAL));
  {
    struct timespec settle = { 0, 200 * 1000 * 1000 };

    nanosleep(&settle, NULL);
  }
  clock_gettime(CLOCK_MONOTONIC, &t0);
  child_server_stop(&srv);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  close(fd);
  waited = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
  ck_assert_msg(waited >= 0.9 && waited < 5, "stopped after %.2f s", waited);
  /* stdout: access lines only; stderr: the messages */
  ck_assert_msg(NULL != strstr(srv.out, "\"request_id\":\"cli-trace-7\""), "%s", srv.out);
  ck_assert_msg(NULL != strstr(srv.out, "\"route\":\"/roles\",\"status\":200,"), "%s", srv.out);
  ck_assert_msg(NULL != strstr(srv.out, "\"method\":\"POST\""), "%s", srv.out);
  /* cut off: no answer */
  ck_assert_msg(NULL != strstr(srv.out, "\"status\":0,"), "%s", srv.out);
  ck_assert_ptr_null(strstr(srv.out, "techpayd:"));
  ck_assert_msg(NULL != strstr(srv.err, "techpayd: info: config bind=127.0.0.1 port="),
                "%s", srv.err);
  ck_assert_msg(NULL != strstr(srv.err, " drain_timeout=1"), "%s", srv.err);
  ck_assert_msg(NULL != strstr(srv.err, "1 request(s) still in flight were cut off"),
                "%s", srv.err);
  ck_assert_msg(NULL != strstr(srv.err, "WAL checkpoint"), "%s", srv.err);
  ck_assert_ptr_null(strstr(srv.err, "\"request_id\""));
  /* the stopped server left one self-contained file */
  snprintf(wal, sizeof wal, "%s-wal", sd.path);
  ck_assert_msg(0 != stat(wal, &st) || 0 == st.st_size, "%s has %ld bytes", wal, (long) st.st_size);
}
END_TEST

START_TEST(quiet_below_info_and_text_format)
{
  struct child_server srv;
  struct http_response r;

  child_server_start(&srv, sd.path, (char *[]) { "--log-level", "warning", NULL }, NULL);
  ck_assert_int_eq(0, http_request(child_server_port(&srv), "GET", "/roles", &r));
  http_response_free(&r);
  child_server_stop(&srv);
  ck_assert_msg('\0' == srv.out[0], "%s", srv.out);
  ck_assert_msg(NULL == strstr(srv.err, ": info: "), "%s", srv.err);

  child_server_start(&srv, sd.path,
                     (char *[]) { "--log-format", "text", "--access-log", "on", NULL }, NULL);
  ck_assert_int_eq(0, http_request(child_server_port(&srv), "GET", "/roles/cloud-architect", &r));
  http_response_free(&r);
  child_server_stop(&srv);
  ck_assert_msg(NULL != strstr(srv.out, " 127.0.0.1 \"GET /roles/cloud-architect\" 200 "),
                "%s", srv.out);
  ck_assert_msg(NULL != strstr(srv.out, "us route=/roles/{slug} id="), "%s", srv.out);
  ck_assert_msg(NULL != strstr(srv.err, "log_format=text"), "%s", srv.err);

  child_server_start(&srv, sd.path, (char *[]) { "--access-log", "off", NULL }, NULL);
  ck_assert_int_eq(0, http_request(child_server_port(&srv), "GET", "/roles", &r));
  http_response_free(&r);
  child_server_stop(&srv);
  ck_assert_msg('\0' == srv.out[0], "%s", srv.out);
  ck_assert_msg(NULL != strstr(srv.err, "access_log=off"), "%s", srv.err);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("cli");
  TCase *tc = tcase_create("cli");

  if (NULL == getenv("TECHPAYD")) {
    fprintf(stderr, "TECHPAYD must name the techpayd binary (meson test sets it)\n");
    return EXIT_FAILURE;
  }
  tcase_set_timeout(tc, 30);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, version_and_help);
  tcase_add_loop_test(tc, usage_errors_exit_2_with_one_line, 0,
                      (int) (sizeof usage_errors / sizeof usage_errors[0]));
  tcase_add_test(tc, bad_environment_exits_2);
  tcase_add_test(tc, port_in_use_is_one_clear_line);
  tcase_add_test(tc, newer_database_refused_and_untouched);
  tcase_add_test(tc, text_file_refused_and_untouched);
  tcase_add_test(tc, migrate_status_lists_migrations);
  tcase_add_test(tc, healthcheck_fails_without_a_server);
  tcase_add_test(tc, serves_then_stops_cleanly_on_sigterm);
  tcase_add_test(tc, operations_logging_drain_and_checkpoint);
  tcase_add_test(tc, quiet_below_info_and_text_format);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
