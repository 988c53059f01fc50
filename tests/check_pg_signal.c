/**
 * @file tests/check_pg_signal.c
 * @brief Two techpayd on one throwaway PostgreSQL: a write through one is
 *        reflected by the other's cached answers (the change signal, LISTEN/
 *        NOTIFY and the snapshot check), a write by another client too, and
 *        no cached answer is served while the signal is lost. /readyz
 *        follows the database going away and coming back; /metrics shows
 *        the database series.
 *
 * Latencies are printed, never asserted: this machine is shared.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "db/pg_conn.h"
#include "tests/child.h"
#include "tests/harness.h"
#include "tests/pg_server.h"

#define TOKEN "signal-token-0123456789abcdef"
#define WRITE_HEADERS "Authorization: Bearer " TOKEN "\r\nContent-Type: application/json\r\n"
#define ROLE "/roles/ai-research-scientist"
#define SECRET "sekrit-pw-4711"
#define WRITES 100

static struct pg_server server;
static struct child_server a;
static struct child_server b;
static struct child_scratch cs;
static char conninfo[600];

static double
now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

static void
admin_exec(const char *dbname, const char *sql)
{
  char err[512];
  char info[600];
  PGconn *conn;
  PGresult *res;

  pg_server_conninfo(&server, dbname, info, sizeof info);
  conn = pg_conn_open(info, err, sizeof err);
  ck_assert_msg(NULL != conn, "%s", err);
  res = PQexec(conn, sql);
  ck_assert_msg(PGRES_COMMAND_OK == PQresultStatus(res) || PGRES_TUPLES_OK == PQresultStatus(res),
                "%s: %s", sql, PQerrorMessage(conn));
  PQclear(res);
  PQfinish(conn);
}

static void
start_two(void)
{
  /* many requests: the access log would fill the pipe nobody reads until the end */
  char *const extra[] = { "--admin-token-file", cs.token_path, "--access-log", "off", NULL };

  admin_exec("postgres", "CREATE DATABASE signal");
  pg_server_conninfo(&server, "signal", conninfo, sizeof conninfo);
  /* trust authentication ignores it; it must show nowhere */
  strcat(conninfo, " password=" SECRET);
  child_scratch_create(&cs, "unused.db", TOKEN);
  child_server_start(&a, conninfo, extra, NULL);
  child_server_start(&b, conninfo, extra, NULL);
}

static void
stop_two(void)
{
  child_server_stop(&a);
  child_server_stop(&b);
  ck_assert_ptr_null(strstr(a.err, SECRET));
  ck_assert_ptr_null(strstr(b.err, SECRET));
  child_scratch_remove(&cs);
}

/* @a method @a url with @a body through @a srv: @a want. */
static void
send_write(struct child_server *srv, const char *method, const char *url, const char *body,
           int want)
{
  struct http_response r;

  http_fetch_body(child_server_port(srv), method, url, WRITE_HEADERS, body, want, &r);
  http_response_free(&r);
}

/* GET @a url from @a srv: 200, and the body and ETag into @a body / @a etag (caller frees). */
static void
get(struct child_server *srv, const char *url, char **body, char **etag)
{
  struct http_response r;

  http_fetch(child_server_port(srv), "GET", url, "", 200, &r);
  *body = strdup(r.body);
  *etag = http_header(&r, "ETag");
  http_response_free(&r);
}

/* The value of the metric line starting with @a series on @a srv; -1 when absent. */
static double
metric(struct child_server *srv, const char *series)
{
  struct http_response r;
  char start[256];
  const char *line;
  double v = -1;

  /* at the start of a line: the HELP line names the series too */
  snprintf(start, sizeof start, "\n%s", series);
  http_fetch(child_server_port(srv), "GET", "/metrics", "", 200, &r);
  ck_assert_ptr_null(strstr(r.body, SECRET));
  line = strstr(r.body, start);
  if (NULL != line)
    v = strtod(line + strlen(start), NULL);
  http_response_free(&r);
  return v;
}

/* Polls @a srv's @a url until its body holds @a text with an ETag other
 * than @a old_etag; @return the milliseconds it took */
static double
await_fresh(struct child_server *srv, const char *url, const char *text, const char *old_etag,
            double since)
{
  for (int i = 0; i < 5000; i++) {
    char *body;
    char *etag;
    bool fresh;

    get(srv, url, &body, &etag);
    fresh = NULL != strstr(body, text) && NULL != etag && 0 != strcmp(etag, old_etag);
    free(body);
    free(etag);
    if (fresh)
      return now_ms() - since;
    sleep_ms(1);
  }
  ck_abort_msg("GET %s never showed '%s'", url, text);
  return -1;
}

static int
by_value(const void *x, const void *y)
{
  double d = *(const double *) x - *(const double *) y;

  return d < 0 ? -1 : d > 0;
}

/* A write through A, answered 2xx, is in A's next answer at once and in
 * B's cached answer soon after. */
START_TEST(test_write_reaches_the_other_replica)
{
  double lag[WRITES];
  double hits_before = metric(&b, "techpay_response_cache_hits_total ");

  for (int i = 0; i < WRITES; i++) {
    char patch[128];
    char want[64];
    char *body;
    char *etag;
    char *old;
    double t0;

    get(&b, ROLE, &body, &old);
    free(body);
    get(&b, ROLE, &body, &etag); /* a cache hit */
    ck_assert_str_eq(old, etag);
    free(body);
    free(etag);
    snprintf(want, sizeof want, "Signal title %d", i);
    snprintf(patch, sizeof patch, "{\"title\":\"%s\"}", want);
    send_write(&a, "PATCH", ROLE, patch, 200);
    t0 = now_ms();
    get(&a, ROLE, &body, &etag);
    ck_assert_msg(NULL != strstr(body, want), "the writing replica answered %s", body);
    free(body);
    free(etag);
    lag[i] = await_fresh(&b, ROLE, want, old, t0);
    free(old);
  }
  ck_assert_double_gt(metric(&b, "techpay_response_cache_hits_total "), hits_before + WRITES);
  qsort(lag, WRITES, sizeof lag[0], by_value);
  printf("pg_signal: a write through A reached B's cached answer in p50 %.2f ms, p99 %.2f ms,"
         " max %.2f ms over %d writes (each poll of B a new request)\n",
         lag[WRITES / 2], lag[WRITES * 99 / 100 - 1], lag[WRITES - 1], WRITES);
}
END_TEST

/* A write by a client that sends no notification reaches B through the
 * snapshot check. */
START_TEST(test_other_client_write_reaches)
{
  char *body;
  char *etag;
  double t0;
  double ms;

  get(&b, ROLE, &body, &etag);
  free(body);
  t0 = now_ms();
  admin_exec("signal", "UPDATE roles SET title = 'Written by psql' WHERE slug = "
                       "'ai-research-scientist'");
  ms = await_fresh(&b, ROLE, "Written by psql", etag, t0);
  printf("pg_signal: a write by another client reached B's cached answer in %.2f ms\n", ms);
  free(etag);
}
END_TEST

/* While B's signal is lost (its connection ended, none allowed to open),
 * B answers afresh, never from its cache; once it listens again, it
 * caches again. */
START_TEST(test_lost_signal_bypasses_the_cache)
{
  char *body;
  char *etag;
  double hits;

  admin_exec("postgres", "ALTER DATABASE signal ALLOW_CONNECTIONS false");
  admin_exec("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                         " WHERE application_name = 'techpayd-signal'");
  for (int i = 0; i < 2000 && 0 != metric(&b, "techpay_db_change_signal_listening "); i++)
    sleep_ms(1);
  ck_assert_double_eq(0, metric(&b, "techpay_db_change_signal_listening "));
  get(&b, ROLE, &body, &etag);
  free(body);
  free(etag);
  send_write(&a, "PATCH", ROLE, "{\"title\":\"Written while deaf\"}", 200);
  hits = metric(&b, "techpay_response_cache_hits_total ");
  get(&b, ROLE, &body, &etag);
  ck_assert_msg(NULL != strstr(body, "Written while deaf"), "B served %s", body);
  free(body);
  free(etag);
  get(&b, ROLE, &body, &etag);
  free(body);
  free(etag);
  ck_assert_double_eq(hits, metric(&b, "techpay_response_cache_hits_total "));
  admin_exec("postgres", "ALTER DATABASE signal ALLOW_CONNECTIONS true");
  for (int i = 0; i < 3000 && 1 != metric(&b, "techpay_db_change_signal_listening "); i++)
    sleep_ms(1);
  ck_assert_double_eq(1, metric(&b, "techpay_db_change_signal_listening "));
  ck_assert_double_ge(metric(&b, "techpay_db_change_signal_reconnects_total "), 1);
  get(&b, ROLE, &body, &etag);
  free(body);
  free(etag);
  hits = metric(&b, "techpay_response_cache_hits_total ");
  /* caching again; a few tries, as a watcher kept off the CPU by a busy
   * machine may let one request recompute */
  for (int i = 0; i < 50 && hits == metric(&b, "techpay_response_cache_hits_total "); i++) {
    get(&b, ROLE, &body, &etag);
    free(body);
    free(etag);
  }
  ck_assert_double_gt(metric(&b, "techpay_response_cache_hits_total "), hits);
}
END_TEST

static int
status_of(struct child_server *srv, const char *url, char **retry_after)
{
  struct http_response r;
  int status;

  ck_assert_int_eq(0, http_send(child_server_port(srv), "GET", url, "", NULL, &r));
  status = r.status;
  if (NULL != retry_after)
    *retry_after = http_header(&r, "Retry-After");
  http_response_free(&r);
  return status;
}

/* The database stopped: /readyz 503, reads 503 with Retry-After (never a
 * 500); started again: ready, and the same connections work again. */
START_TEST(test_readyz_follows_the_database)
{
  char *retry = NULL;
  int status;

  ck_assert_int_eq(200, status_of(&b, "/readyz", NULL));
  ck_assert_int_eq(0, pg_server_ctl(&server, "stop"));
  ck_assert_int_eq(503, status_of(&b, "/readyz", NULL));
  status = status_of(&b, "/roles?sort=title&limit=3", &retry);
  ck_assert_int_eq(503, status);
  ck_assert_ptr_nonnull(retry);
  free(retry);
  ck_assert_int_eq(503, status_of(&a, "/readyz", NULL));
  ck_assert_int_eq(0, pg_server_ctl(&server, "start"));
  for (int i = 0; i < 2000 && 200 != status_of(&b, "/readyz", NULL); i++)
    sleep_ms(2);
  ck_assert_int_eq(200, status_of(&b, "/readyz", NULL));
  ck_assert_int_eq(200, status_of(&b, "/roles?sort=title&limit=3", NULL));
  ck_assert_double_ge(metric(&b, "techpay_db_reconnects_total{engine=\"postgresql\"} "), 1);
}
END_TEST

/* The database series, on a replica that has answered from PostgreSQL. */
START_TEST(test_metrics_show_the_database)
{
  ck_assert_double_gt(
    metric(&b, "techpay_db_round_trip_seconds_count{engine=\"postgresql\"} "), 0);
  ck_assert_double_ge(
    metric(&b, "techpay_db_round_trip_seconds_bucket{engine=\"postgresql\",le=\"+Inf\"} "), 1);
  /* a pool connection or two, a write connection, the change signal */
  ck_assert_double_ge(metric(&b, "techpay_db_connections_open{engine=\"postgresql\"} "), 2);
  ck_assert_double_eq(0, metric(&b, "techpay_db_connections_open{engine=\"sqlite\"} "));
  ck_assert_double_ge(metric(&b, "techpay_db_reconnects_total{engine=\"postgresql\"} "), 0);
  ck_assert_double_eq(1, metric(&b, "techpay_db_change_signal_listening "));
  ck_assert_double_lt(metric(&b, "techpay_db_change_signal_age_seconds "), 60);
  ck_assert_double_ge(metric(&b, "techpay_db_change_signal_reconnects_total "), 0);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pg_signal");
  TCase *tc = tcase_create("core");
  int rc;

  pg_server_start_or_exit(&server, "check_pg_signal");
  tcase_set_timeout(tc, 120);
  tcase_add_unchecked_fixture(tc, start_two, stop_two);
  tcase_add_test(tc, test_metrics_show_the_database);
  tcase_add_test(tc, test_write_reaches_the_other_replica);
  tcase_add_test(tc, test_other_client_write_reaches);
  tcase_add_test(tc, test_lost_signal_bypasses_the_cache);
  tcase_add_test(tc, test_readyz_follows_the_database);
  suite_add_tcase(s, tc);
  rc = run_suite(s);
  pg_server_stop(&server);
  return rc;
}
