/**
 * @file tests/check_ops.c
 * @brief Operating the server, over real HTTP: readiness, the Prometheus
 *        metrics, the access log (captured in a temporary file) and
 *        request ids on every kind of answer.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "db/migrate.h"
#include "db/migrations.h"
#include "http/access_log.h"
#include "http/daemon.h"
#include "util/log.h"
#include "http/request_id.h"
#include "tests/harness.h"
#include "tests/test_engine.h"

#define PROMETHEUS_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* A server on a fresh, migrated database whose access log goes to a
 * temporary file. */
struct ops_server {
  struct scratch_db db;
  struct server *srv;
  uint16_t port;
  FILE *log;
};

static struct ops_server os;

static void
ops_start(struct ops_server *o, enum log_format format, bool log_off)
{
  struct server_options opts = {
    .bind = "127.0.0.1",
    .threads = 1, /* one thread: a request completes before the next is read */
    .max_connections = 16,
    .timeout_s = 5,
    .log_format = format,
    .access_log_off = log_off,
  };
  char err[256];

  scratch_db_create(&o->db);
  log_threshold = LOG_INFO; /* access lines are info */
  o->log = tmpfile();
  ck_assert_ptr_nonnull(o->log);
  opts.access_log = o->log;
  o->srv = app_server_start(&opts, o->db.path, false, err, sizeof err);
  ck_assert_msg(NULL != o->srv, "%s", err);
  o->port = server_port(o->srv);
}

static void
ops_stop(struct ops_server *o)
{
  server_stop(o->srv, 2000);
  o->srv = NULL;
  fclose(o->log);
  scratch_db_remove(&o->db);
  log_threshold = LOG_ERROR;
}

static void
setup(void)
{
  ops_start(&os, LOG_FORMAT_JSON, false);
}

static void
teardown(void)
{
  ops_stop(&os);
}

/* ------------------------------------------------------------------ metrics */

/* The body of GET /metrics (malloc'd), after checking its content type. */
static char *
scrape(uint16_t port)
{
  struct http_response r;
  char *ct;
  char *text;

  http_fetch(port, "GET", "/metrics", "", 200, &r);
  ct = http_header(&r, "Content-Type");
  ck_assert_ptr_nonnull(ct);
  ck_assert_str_eq(PROMETHEUS_TYPE, ct);
  free(ct);
  text = strdup(r.body);
  http_response_free(&r);
  return text;
}

/* The value of the sample whose name and labels are exactly @a series
 * ("name{labels}"), or -1 when there is none. */
static double
sample(const char *text, const char *series)
{
  size_t len = strlen(series);

  for (const char *line = text; NULL != line && '\0' != *line;) {
    if (0 == strncmp(line, series, len) && ' ' == line[len])
      return strtod(line + len + 1, NULL);
    line = strchr(line, '\n');
    if (NULL != line)
      line++;
  }
  return -1;
}

/* A counter: 0 while its series is absent. */
static double
counter(const char *text, const char *series)
{
  double v = sample(text, series);

  return v < 0 ? 0 : v;
}

/* The sum of every sample of @a name whose labels contain @a label_part. */
static double
sum_samples(const char *text, const char *name, const char *label_part)
{
  double sum = 0;
  size_t len = strlen(name);

  for (const char *line = text; NULL != line && '\0' != *line;) {
    const char *end = strchr(line, '\n');

    if (0 == strncmp(line, name, len) && '{' == line[len]) {
      const char *close = strstr(line, "\"} "); /* patterns hold braces too */
      char labels[512];

      ck_assert_ptr_nonnull(close);
      snprintf(labels, sizeof labels, "%.*s", (int) (close + 1 - line), line);
      if (NULL != strstr(labels, label_part))
        sum += strtod(close + 3, NULL);
    }
    line = NULL != end ? end + 1 : NULL;
  }
  return sum;
}

START_TEST(metrics_count_requests_by_route_pattern)
{
  static const char roles_200[] =
    "techpay_http_requests_total{route=\"/roles/{slug}\",method=\"GET\",status=\"200\"}";
  static const char roles_404[] =
    "techpay_http_requests_total{route=\"/roles/{slug}\",method=\"GET\",status=\"404\"}";
  static const char unmatched[] =
    "techpay_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}";
  static const char preflight[] =
    "techpay_http_requests_total{route=\"/roles\",method=\"OPTIONS\",status=\"204\"}";
  struct http_response r;
  char *before = scrape(os.port);
  char *after;

  http_fetch(os.port, "GET", "/roles/cloud-architect", "", 200, &r);
  http_response_free(&r);
  http_fetch(os.port, "GET", "/roles/machine-learning-engineer", "", 200, &r);
  http_response_free(&r);
  http_fetch(os.port, "GET", "/roles/no-such-role", "", 404, &r);
  http_response_free(&r);
  http_fetch(os.port, "GET", "/zz-random-path-4711", "", 404, &r);
  http_response_free(&r);
  http_fetch(os.port, "OPTIONS", "/roles", "", 204, &r);
  http_response_free(&r);
  after = scrape(os.port);
  ck_assert_double_eq(counter(before, roles_200) + 2, counter(after, roles_200));
  ck_assert_double_eq(counter(before, roles_404) + 1, counter(after, roles_404));
  ck_assert_double_eq(counter(before, unmatched) + 1, counter(after, unmatched));
  ck_assert_double_eq(counter(before, preflight) + 1, counter(after, preflight));
  /* the scrape before this one counts too */
  ck_assert_double_ge(counter(after, "techpay_http_requests_total{route=\"/metrics\","
                                     "method=\"GET\",status=\"200\"}"), 1);
  /* labels are patterns, never what was asked for */
  ck_assert_ptr_null(strstr(after, "cloud-architect"));
  ck_assert_ptr_null(strstr(after, "no-such-role"));
  ck_assert_ptr_null(strstr(after, "zz-random-path"));
  ck_assert_ptr_nonnull(strstr(after, "# TYPE techpay_http_requests_total counter\n"));
  free(before);
  free(after);
}
END_TEST

START_TEST(duration_histogram_is_cumulative_and_matches_the_counter)
{
  static const char *const les[] = {
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
    "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf",
  };
  static const char count_series[] =
    "techpay_http_request_duration_seconds_count{route=\"/roles/{slug}\"}";
  static const char db_count_series[] =
    "techpay_db_query_duration_seconds_count{route=\"/roles/{slug}\"}";
  struct http_response r;
  char series[256];
  char *before = scrape(os.port);
  char *text;
  double previous = 0;
  double count;

  for (int i = 0; i < 3; i++) {
    http_fetch(os.port, "GET", "/roles/cloud-architect", "", 200, &r);
    http_response_free(&r);
  }
  http_fetch(os.port, "HEAD", "/roles/cloud-architect", "", 200, &r);
  http_response_free(&r);
  text = scrape(os.port);
  ck_assert_ptr_nonnull(strstr(text, "# TYPE techpay_http_request_duration_seconds histogram\n"));
  for (size_t i = 0; i < sizeof les / sizeof les[0]; i++) {
    double v;

    snprintf(series, sizeof series,
             "techpay_http_request_duration_seconds_bucket{route=\"/roles/{slug}\",le=\"%s\"}",
             les[i]);
    v = sample(text, series);
    ck_assert_msg(v >= previous, "%s is %g, below the previous bucket's %g", series, v, previous);
    previous = v;
  }
  /* metrics are process-wide: compare with the scrape before */
  count = sample(text, count_series);
  ck_assert_double_eq(counter(before, count_series) + 4, count);
  ck_assert_double_eq(previous, count); /* +Inf holds every observation */
  ck_assert_double_eq(count, sum_samples(text, "techpay_http_requests_total",
                                         "route=\"/roles/{slug}\""));
  ck_assert_double_gt(sample(text, "techpay_http_request_duration_seconds_sum"
                                   "{route=\"/roles/{slug}\"}"), 0);
  /* the first request ran the handler, the others were cache hits; on
   * PostgreSQL a busy machine may have kept the change signal from
   * confirming in time, and a request then ran its handler too (a bypass) */
  ck_assert_double_le(counter(text, "techpay_response_cache_misses_total")
                        - counter(before, "techpay_response_cache_misses_total"), 1);
  ck_assert_double_eq(counter(before, db_count_series)
                        + counter(text, "techpay_response_cache_misses_total")
                        - counter(before, "techpay_response_cache_misses_total")
                        + counter(text, "techpay_response_cache_bypasses_total")
                        - counter(before, "techpay_response_cache_bypasses_total"),
                      sample(text, db_count_series));
  if (!test_engine_is_postgresql())
    ck_assert_double_eq(counter(before, db_count_series) + 1, sample(text, db_count_series));
  ck_assert_double_eq(sample(text, db_count_series),
                      sample(text, "techpay_db_query_duration_seconds_bucket"
                                   "{route=\"/roles/{slug}\",le=\"+Inf\"}"));
  free(before);
  free(text);
}
END_TEST

START_TEST(cache_hits_and_misses_are_counted)
{
  struct http_response r;
  char *before = scrape(os.port);
  char *after;
  double misses;
  double hits;
  double bypasses;

  http_fetch(os.port, "GET", "/roles?sort=title&limit=3", "", 200, &r);
  http_response_free(&r);
  http_fetch(os.port, "GET", "/roles?sort=title&limit=3", "", 200, &r);
  http_response_free(&r);
  http_fetch(os.port, "GET", "/roles?sort=title&limit=3", "", 200, &r);
  http_response_free(&r);
  after = scrape(os.port);
  misses = counter(after, "techpay_response_cache_misses_total")
           - counter(before, "techpay_response_cache_misses_total");
  hits = counter(after, "techpay_response_cache_hits_total")
         - counter(before, "techpay_response_cache_hits_total");
  bypasses = counter(after, "techpay_response_cache_bypasses_total")
             - counter(before, "techpay_response_cache_bypasses_total");
  /* a cached answer is served only while the data version is known: on
   * PostgreSQL a change signal a busy machine kept from confirming in time
   * makes a request run without the cache, counted as a bypass */
  ck_assert_double_eq(3, hits + misses + bypasses);
  ck_assert_double_le(misses, 1);
  if (0 == bypasses) {
    ck_assert_double_eq(1, misses);
    ck_assert_double_eq(2, hits);
  }
  if (!test_engine_is_postgresql())
    ck_assert_double_eq(0, bypasses);
  free(before);
  free(after);
}
END_TEST

/* Fetches @a target and returns its Link header (malloc'd, or NULL). */
static char *
link_of(const char *target)
{
  struct http_response r;
  char *link;

  http_fetch(os.port, "GET", target, "", 200, &r);
  link = http_header(&r, "Link");
  http_response_free(&r);
  return link;
}

START_TEST(reordered_parameters_share_one_cache_entry)
{
  static const char *const spellings[][2] = {
    { "/roles?sort=title&limit=3", "/roles?limit=3&sort=title" },
    { "/roles?skill=python&skill=sql&limit=2", "/roles?limit=2&skill=sql&skill=python" },
    { "/salaries?kind=base&limit=2&order=asc", "/salaries?order=asc&limit=2&kind=base" },
  };

  for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
    char *before = scrape(os.port);
    char *first = NULL;
    char *second = NULL;
    char *after = NULL;
    double bypassed = 1;

    /* a request answered without the cache (on PostgreSQL, a change signal
     * a busy machine kept from confirming in time) proves nothing: ask
     * again; once an entry exists every later request is a hit, so all the
     * attempts together make one miss exactly when the spellings share it */
    for (int attempt = 0; attempt < 20 && bypassed > 0; attempt++) {
      char *mid = scrape(os.port);

      free(first);
      free(second);
      free(after);
      first = link_of(spellings[i][0]);
      second = link_of(spellings[i][1]);
      after = scrape(os.port);
      bypassed = counter(after, "techpay_response_cache_bypasses_total")
                 - counter(mid, "techpay_response_cache_bypasses_total");
      free(mid);
    }
    ck_assert_double_eq(0, bypassed);
    ck_assert_msg(counter(before, "techpay_response_cache_misses_total") + 1
                    == counter(after, "techpay_response_cache_misses_total"),
                  "%s and %s were two cache entries", spellings[i][0], spellings[i][1]);
    /* the paging links list the parameters in one order, whatever the client's */
    if (NULL != first || NULL != second) {
      ck_assert_ptr_nonnull(first);
      ck_assert_ptr_nonnull(second);
      ck_assert_str_eq(first, second);
    }
    free(first);
    free(second);
    free(before);
    free(after);
  }
}
END_TEST

static int
connect_idle(uint16_t port)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
  int fd = socket(AF_INET, SOCK_STREAM, 0);

  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert_int_eq(0, connect(fd, (struct sockaddr *) &sa, sizeof sa));
  return fd;
}

/* Scrapes until @a series has @a want (the server accepts and closes
 * connections in its own time); asserts it does within two seconds. */
static void
await_gauge(const char *series, double want)
{
  double v = -1;

  for (int i = 0; i < 200; i++) {
    char *text = scrape(os.port);

    v = sample(text, series);
    free(text);
    if (v == want)
      return;
    sleep_ms(10);
  }
  ck_abort_msg("%s is %g, expected %g", series, v, want);
}

START_TEST(gauges_follow_connections_and_requests)
{
  int idle[2];
  char *text;

  /* the scrape itself is the one request in flight, on the one connection */
  await_gauge("techpay_http_connections_open", 1);
  text = scrape(os.port);
  ck_assert_double_eq(1, sample(text, "techpay_http_requests_in_flight"));
  free(text);
  idle[0] = connect_idle(os.port);
  idle[1] = connect_idle(os.port);
  await_gauge("techpay_http_connections_open", 3);
  /* connections without a request are not requests in flight */
  text = scrape(os.port);
  ck_assert_double_eq(1, sample(text, "techpay_http_requests_in_flight"));
  free(text);
  close(idle[0]);
  close(idle[1]);
  await_gauge("techpay_http_connections_open", 1);
}
END_TEST

START_TEST(build_info_and_start_time)
{
  char series[256];
  char *text = scrape(os.port);
  const char *info = strstr(text, "\ntechpay_build_info{version=\"0.1.0\",commit=\"");
  double started = sample(text, "process_start_time_seconds");

  ck_assert_msg(NULL != info, "%s", text);
  /* a commit hash, or "unknown" outside a git checkout */
  ck_assert_uint_gt(strcspn(info + 44, "\""), 0);
  snprintf(series, sizeof series, "\",sqlite=\"%s\"} 1\n", sqlite3_libversion());
  ck_assert_ptr_nonnull(strstr(info, series));
  ck_assert_double_gt(started, 1.6e9);
  ck_assert_double_le(started, (double) time(NULL) + 1);
  ck_assert_ptr_nonnull(strstr(text, "# TYPE techpay_http_requests_in_flight gauge\n"));
  ck_assert_ptr_nonnull(strstr(text, "# TYPE techpay_http_connections_open gauge\n"));
  ck_assert_ptr_nonnull(strstr(text, "# TYPE techpay_response_cache_hits_total counter\n"));
  ck_assert_ptr_nonnull(strstr(text, "# TYPE techpay_response_cache_misses_total counter\n"));
  ck_assert_ptr_nonnull(strstr(text, "# TYPE techpay_db_query_duration_seconds histogram\n"));
  ck_assert_ptr_nonnull(strstr(text, "# HELP techpay_db_query_duration_seconds "));
  free(text);
}
END_TEST

START_TEST(metrics_refuse_parameters_and_are_not_cached)
{
  struct http_response r;
  char *cc;

  http_fetch(os.port, "GET", "/metrics?x=1", "", 400, &r);
  http_response_free(&r);
  http_fetch(os.port, "GET", "/metrics", "", 200, &r);
  cc = http_header(&r, "Cache-Control");
  ck_assert_ptr_nonnull(cc);
  ck_assert_str_eq("no-store", cc);
  ck_assert_ptr_null(http_header(&r, "ETag"));
  free(cc);
  http_response_free(&r);
}
END_TEST

/* ------------------------------------------------------------------ readiness */

START_TEST(ready_on_a_migrated_database)
{
  struct http_response r;
  json_t *j;

  http_fetch(os.port, "GET", "/readyz", "", 200, &r);
  j = http_json(&r);
  ck_assert_str_eq("ready", json_string_value(json_object_get(j, "status")));
  json_decref(j);
  http_response_free(&r);
}
END_TEST

START_TEST(not_ready_while_a_migration_is_missing)
{
  struct server_options opts = {
    .bind = "127.0.0.1", .threads = 1, .max_connections = 8, .timeout_s = 5,
    .access_log_off = true,
  };
  struct scratch_db sd;
  struct server *srv;
  struct http_response r;
  struct db *db;
  char err[256];
  unsigned applied = 0;
  char *ct;
  json_t *p;

  ck_assert_uint_ge(migrations_count, 2);
  scratch_dir(sd.dir, sizeof sd.dir, sd.path, sizeof sd.path, "partial.db");
  ck_assert_msg(0 == db_open(sd.path, DB_OPEN_CREATE, &db, err, sizeof err), "%s", err);
  ck_assert_msg(0 == migrate_run(db, 1, &applied, err, sizeof err), "%s", err);
  ck_assert_uint_eq(1, applied);
  db_close(db);
  srv = app_server_start(&opts, sd.path, false, err, sizeof err);
  ck_assert_msg(NULL != srv, "%s", err);
  http_fetch(server_port(srv), "GET", "/readyz", "", 503, &r);
  ct = http_header(&r, "Content-Type");
  ck_assert_str_eq("application/problem+json; charset=utf-8", ct);
  free(ct);
  p = http_json(&r);
  ck_assert_int_eq(503, json_integer_value(json_object_get(p, "status")));
  ck_assert_msg(NULL != strstr(json_string_value(json_object_get(p, "detail")), "migration 1"),
                "%s", r.body);
  json_decref(p);
  http_response_free(&r);
  /* alive all the same: /healthz is liveness only */
  http_fetch(server_port(srv), "GET", "/healthz", "", 200, &r);
  http_response_free(&r);
  server_stop(srv, 2000);
  scratch_db_remove(&sd);
}
END_TEST

/* ------------------------------------------------------------------ request ids */

static char *
request_id_of(const struct http_response *r)
{
  char *id = http_header(r, "X-Request-Id");

  ck_assert_msg(NULL != id, "no X-Request-Id in\n%s", r->headers);
  ck_assert_msg(request_id_valid(id), "'%s'", id);
  return id;
}

static bool
is_new_id(const char *id)
{
  return REQUEST_ID_NEW_LEN == strlen(id) && REQUEST_ID_NEW_LEN == strspn(id, "0123456789abcdef");
}

START_TEST(every_answer_carries_a_request_id)
{
  static const struct { const char *method; const char *target; const char *headers; int status; }
  cases[] = {
    { "GET", "/roles/cloud-architect", "", 200 },
    { "GET", "/roles/cloud-architect", "", 200 },             /* from the cache */
    { "GET", "/roles/cloud-architect", "If-None-Match: *\r\n", 304 },
    { "HEAD", "/roles?sort=pay", "", 200 },
    { "GET", "/roles?sort=pay", "Accept-Encoding: gzip\r\n", 200 },
    { "GET", "/roles?format=csv", "", 200 },
    { "GET", "/healthz", "", 200 },
    { "GET", "/readyz", "", 200 },
    { "GET", "/metrics", "", 200 },
    { "GET", "/roles/no-such-role", "", 404 },
    { "GET", "/nothing-here", "", 404 },
    { "GET", "/roles?sort=bogus", "", 400 },
    { "GET", "/roles", "Accept: image/png\r\n", 406 },
    { "DELETE", "/roles", "", 405 },
    { "OPTIONS", "/roles", "", 204 },
  };
  char *seen[sizeof cases / sizeof cases[0]];
  struct http_response r;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *expose;

    http_fetch(os.port, cases[i].method, cases[i].target, cases[i].headers, cases[i].status, &r);
    seen[i] = request_id_of(&r);
    ck_assert_msg(is_new_id(seen[i]), "%s %s: '%s'", cases[i].method, cases[i].target, seen[i]);
    for (size_t j = 0; j < i; j++)
      ck_assert_msg(0 != strcmp(seen[i], seen[j]), "id %s repeated", seen[i]);
    expose = http_header(&r, "Access-Control-Expose-Headers");
    ck_assert_ptr_nonnull(expose);
    ck_assert_msg(NULL != strstr(expose, "X-Request-Id"), "%s", expose);
    free(expose);
    http_response_free(&r);
  }
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    free(seen[i]);
}
END_TEST

START_TEST(a_414_carries_a_request_id)
{
  char target[700] = "/roles/";
  struct http_response r;

  memset(target + 7, 'x', 600);
  target[607] = '\0';
  http_fetch(os.port, "GET", target, "", 414, &r);
  free(request_id_of(&r));
  http_response_free(&r);
}
END_TEST

START_TEST(a_valid_incoming_id_is_echoed)
{
  static const char *const ids[] = {
    "abc.DEF_123-x",
    "0",
    "1234567890123456789012345678901234567890123456789012345678901234", /* 64 */
  };
  struct http_response r;
  char hdr[256];

  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    char *id;

    snprintf(hdr, sizeof hdr, "X-Request-Id: %s\r\n", ids[i]);
    /* a cached answer echoes it too */
    for (int k = 0; k < 2; k++) {
      http_fetch(os.port, "GET", "/roles/cloud-architect", hdr, 200, &r);
      id = request_id_of(&r);
      ck_assert_str_eq(ids[i], id);
      free(id);
      http_response_free(&r);
    }
  }
  http_fetch(os.port, "GET", "/nothing", "X-Request-Id: trace-404\r\n", 404, &r);
  {
    char *id = request_id_of(&r);

    ck_assert_str_eq("trace-404", id);
    free(id);
  }
  http_response_free(&r);
}
END_TEST

START_TEST(an_invalid_incoming_id_is_replaced)
{
  static const char *const bad[] = {
    "12345678901234567890123456789012345678901234567890123456789012345", /* 65 */
    "has space",
    "semi;colon",
    "quote\"d",
    "{json}",
  };
  struct http_response r;
  char hdr[256];
  char *id;

  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    snprintf(hdr, sizeof hdr, "X-Request-Id: %s\r\n", bad[i]);
    http_fetch(os.port, "GET", "/healthz", hdr, 200, &r);
    id = request_id_of(&r);
    ck_assert_msg(is_new_id(id), "'%s' was kept as '%s'", bad[i], id);
    free(id);
    http_response_free(&r);
  }
  /* a bare CR in any field value is refused whole (server/framing.h), never echoed */
  http_fetch(os.port, "GET", "/healthz", "X-Request-Id: abc\rdef\r\n", 400, &r);
  id = request_id_of(&r);
  ck_assert(is_new_id(id));
  free(id);
  http_response_free(&r);
}
END_TEST

/* ------------------------------------------------------------------ access log */

/* The access log's lines so far (malloc'd), waiting up to two seconds for
 * at least @a want of them: a line is written once its request completes. */
static char *
log_lines(FILE *log, int want)
{
  char *text = NULL;

  for (int tries = 0; tries < 200; tries++) {
    long size;
    int n = 0;

    free(text);
    fflush(log);
    ck_assert_int_eq(0, fseek(log, 0, SEEK_END));
    size = ftell(log);
    rewind(log);
    text = calloc(1, (size_t) size + 1);
    ck_assert_uint_eq((size_t) size, fread(text, 1, (size_t) size, log));
    for (const char *p = text; '\0' != *p; p++)
      n += '\n' == *p;
    if (n >= want)
      return text;
    sleep_ms(10);
  }
  ck_abort_msg("fewer than %d access log lines: %s", want, text);
  return NULL;
}

/* Line @a index (0-based) of @a text, parsed. */
static json_t *
log_json(const char *text, int index)
{
  const char *line = text;
  const char *end;
  json_error_t err;
  json_t *j;

  for (int i = 0; i < index; i++) {
    line = strchr(line, '\n');
    ck_assert_ptr_nonnull(line);
    line++;
  }
  end = strchr(line, '\n');
  ck_assert_ptr_nonnull(end);
  j = json_loadb(line, (size_t) (end - line), JSON_REJECT_DUPLICATES, &err);
  ck_assert_msg(NULL != j, "line %d is not JSON (%s): %.*s", index, err.text,
                (int) (end - line), line);
  return j;
}

static const char *
str(const json_t *j, const char *key)
{
  const char *v = json_string_value(json_object_get(j, key));

  ck_assert_msg(NULL != v, "\"%s\" is not a string", key);
  return v;
}

static json_int_t
num(const json_t *j, const char *key)
{
  ck_assert_msg(json_is_integer(json_object_get(j, key)), "\"%s\" is not an integer", key);
  return json_integer_value(json_object_get(j, key));
}

START_TEST(access_log_line_per_request_with_every_field)
{
  struct http_response r;
  char *text;
  char *id;
  json_t *j;
  const char *time_s;
  time_t now = time(NULL);
  char today[16];

  http_fetch(os.port, "GET", "/roles?sort=pay&limit=2", "", 200, &r);
  id = request_id_of(&r);
  text = log_lines(os.log, 1);
  j = log_json(text, 0);
  ck_assert_uint_eq(9, json_object_size(j));
  time_s = str(j, "time");
  /* RFC 3339, UTC, milliseconds: 2026-01-31T12:00:00.123Z */
  ck_assert_uint_eq(24, strlen(time_s));
  strftime(today, sizeof today, "%Y-%m-%dT", gmtime(&now));
  ck_assert_int_eq(0, strncmp(time_s, today, 11));
  ck_assert_int_eq(':', time_s[13]);
  ck_assert_int_eq('.', time_s[19]);
  ck_assert_int_eq('Z', time_s[23]);
  ck_assert_str_eq(id, str(j, "request_id"));
  ck_assert_str_eq("GET", str(j, "method"));
  ck_assert_str_eq("/roles?sort=pay&limit=2", str(j, "path"));
  ck_assert_str_eq("/roles", str(j, "route"));
  ck_assert_int_eq(200, num(j, "status"));
  ck_assert_int_eq((json_int_t) r.body_len, num(j, "bytes"));
  ck_assert_int_ge(num(j, "duration_us"), 0);
  ck_assert_int_lt(num(j, "duration_us"), 10 * 1000 * 1000);
  ck_assert_str_eq("127.0.0.1", str(j, "client"));
  json_decref(j);
  free(text);
  free(id);
  http_response_free(&r);
}
END_TEST

START_TEST(access_log_tells_each_kind_of_answer)
{
  struct http_response r;
  char *ids[5];
  char *text;
  json_t *j;
  char hdr[128];
  char *etag;

  http_fetch(os.port, "GET", "/roles/cloud-architect", "", 200, &r);
  ids[0] = request_id_of(&r);
  etag = http_header(&r, "ETag");
  ck_assert_ptr_nonnull(etag);
  snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
  free(etag);
  http_response_free(&r);
  http_fetch(os.port, "GET", "/roles/cloud-architect", hdr, 304, &r);
  ids[1] = request_id_of(&r);
  http_response_free(&r);
  http_fetch(os.port, "HEAD", "/roles/cloud-architect", "", 200, &r);
  ids[2] = request_id_of(&r);
  http_response_free(&r);
  http_fetch(os.port, "GET", "/no%22such/thing", "X-Request-Id: mine-1\r\n", 404, &r);
  ids[3] = request_id_of(&r);
  http_response_free(&r);
  http_fetch(os.port, "OPTIONS", "/roles/x", "", 204, &r);
  ids[4] = request_id_of(&r);
  http_response_free(&r);
  text = log_lines(os.log, 5);

  j = log_json(text, 1);
  ck_assert_str_eq(ids[1], str(j, "request_id"));
  ck_assert_int_eq(304, num(j, "status"));
  ck_assert_int_eq(0, num(j, "bytes"));
  ck_assert_str_eq("/roles/{slug}", str(j, "route"));
  json_decref(j);
  j = log_json(text, 2);
  ck_assert_str_eq(ids[2], str(j, "request_id"));
  ck_assert_str_eq("HEAD", str(j, "method"));
  ck_assert_int_eq(200, num(j, "status"));
  ck_assert_int_eq(0, num(j, "bytes")); /* HEAD sends no body */
  json_decref(j);
  j = log_json(text, 3);
  ck_assert_str_eq("mine-1", str(j, "request_id"));
  ck_assert_str_eq("/no%22such/thing", str(j, "path")); /* as sent, not decoded */
  ck_assert(json_is_null(json_object_get(j, "route")));
  ck_assert_int_eq(404, num(j, "status"));
  ck_assert_int_gt(num(j, "bytes"), 0);
  json_decref(j);
  j = log_json(text, 4);
  ck_assert_str_eq(ids[4], str(j, "request_id"));
  ck_assert_str_eq("OPTIONS", str(j, "method"));
  ck_assert_str_eq("/roles/{slug}", str(j, "route"));
  ck_assert_int_eq(204, num(j, "status"));
  json_decref(j);
  for (int i = 0; i < 5; i++)
    free(ids[i]);
  free(text);
}
END_TEST

START_TEST(access_log_cuts_long_paths)
{
  char target[700] = "/roles/";
  struct http_response r;
  char *text;
  json_t *j;

  memset(target + 7, 'x', 600);
  target[607] = '\0';
  http_fetch(os.port, "GET", target, "", 414, &r);
  http_response_free(&r);
  text = log_lines(os.log, 1);
  j = log_json(text, 0);
  ck_assert_uint_eq(ACCESS_LOG_TARGET_MAX, strlen(str(j, "path")));
  ck_assert_int_eq(0, strncmp(target, str(j, "path"), ACCESS_LOG_TARGET_MAX));
  ck_assert_int_eq(414, num(j, "status"));
  json_decref(j);
  free(text);
}
END_TEST

START_TEST(access_log_escapes_what_it_echoes)
{
  static const char target[] = "/a\"b\\c\x01\x7f\xc3\xa9\xff/\xe2\x82";
  struct access_entry e = {
    .time = { 1767225600, 5000000 }, /* 2026-01-01T00:00:00.005Z */
    .request_id = "r1",
    .method = "GET\n",
    .target = target,
    .target_len = sizeof target - 1,
    .route = NULL,
    .status = 400,
    .bytes = 12,
    .duration_us = 7,
    .client = "::1",
  };
  char line[ACCESS_LOG_LINE_MAX];
  size_t len = access_log_format_line(LOG_FORMAT_JSON, &e, line);
  json_error_t err;
  json_t *j;

  ck_assert_int_eq('\n', line[len - 1]);
  ck_assert_ptr_null(memchr(line, '\n', len - 1)); /* one line */
  j = json_loadb(line, len, 0, &err);
  ck_assert_msg(NULL != j, "%s: %.*s", err.text, (int) len, line);
  /* valid UTF-8 kept, invalid bytes and a cut-off sequence become U+FFFD */
  ck_assert_str_eq("/a\"b\\c\x01\x7f\xc3\xa9\xef\xbf\xbd/\xef\xbf\xbd\xef\xbf\xbd", str(j, "path"));
  ck_assert_str_eq("GET\n", str(j, "method"));
  ck_assert_str_eq("2026-01-01T00:00:00.005Z", str(j, "time"));
  json_decref(j);

  len = access_log_format_line(LOG_FORMAT_TEXT, &e, line);
  line[len] = '\0';
  ck_assert_str_eq("2026-01-01T00:00:00.005Z ::1 \"GET\\x0a /a\\x22b\\x5cc\\x01\\x7f\xc3\xa9\xff/"
                   "\xe2\x82\" 400 12 7us route=- id=r1\n", line);
}
END_TEST

START_TEST(text_format_is_one_human_line)
{
  struct ops_server text_srv;
  struct http_response r;
  char *text;
  char *id;
  char want[128];

  ops_start(&text_srv, LOG_FORMAT_TEXT, false);
  http_fetch(text_srv.port, "GET", "/healthz", "", 200, &r);
  id = request_id_of(&r);
  text = log_lines(text_srv.log, 1);
  ck_assert_msg('{' != text[0], "%s", text);
  ck_assert_msg(NULL != strstr(text, "Z 127.0.0.1 \"GET /healthz\" 200 15 "), "%s", text);
  snprintf(want, sizeof want, "us route=/healthz id=%s\n", id);
  ck_assert_msg(NULL != strstr(text, want), "%s", text);
  free(id);
  free(text);
  http_response_free(&r);
  ops_stop(&text_srv);
}
END_TEST

static long
file_size(FILE *f)
{
  fflush(f);
  ck_assert_int_eq(0, fseek(f, 0, SEEK_END));
  return ftell(f);
}

START_TEST(access_log_off_or_below_info_writes_nothing)
{
  struct ops_server quiet;
  struct http_response r;

  ops_start(&quiet, LOG_FORMAT_JSON, true);
  http_fetch(quiet.port, "GET", "/healthz", "", 200, &r);
  http_response_free(&r);
  http_fetch(quiet.port, "GET", "/healthz", "", 200, &r); /* the first has completed */
  http_response_free(&r);
  ck_assert_int_eq(0, file_size(quiet.log));
  ops_stop(&quiet);

  /* --log-level=warning: access lines are info */
  log_threshold = LOG_WARNING;
  {
    struct server_options opts = {
      .bind = "127.0.0.1", .threads = 1, .max_connections = 8, .timeout_s = 5,
    };
    char err[256];
    FILE *log = tmpfile();

    scratch_db_create(&quiet.db);
    log_threshold = LOG_WARNING;
    opts.access_log = log;
    quiet.srv = app_server_start(&opts, quiet.db.path, false, err, sizeof err);
    ck_assert_msg(NULL != quiet.srv, "%s", err);
    http_fetch(server_port(quiet.srv), "GET", "/healthz", "", 200, &r);
    http_response_free(&r);
    http_fetch(server_port(quiet.srv), "GET", "/healthz", "", 200, &r);
    http_response_free(&r);
    ck_assert_int_eq(0, file_size(log));
    server_stop(quiet.srv, 2000);
    fclose(log);
    scratch_db_remove(&quiet.db);
  }
}
END_TEST

enum { CLIENTS = 4, EACH = 25 };

static void *
client_loop(void *cls)
{
  const uint16_t *port = cls;

  for (int i = 0; i < EACH; i++) {
    struct http_response r;

    if (0 != http_request(*port, "GET", "/roles?sort=pay", &r))
      return (void *) 1;
    http_response_free(&r);
  }
  return NULL;
}

START_TEST(lines_of_concurrent_requests_never_interleave)
{
  struct ops_server busy;
  struct server_options opts = {
    .bind = "127.0.0.1", .threads = 4, .max_connections = 64, .timeout_s = 5,
  };
  char err[256];
  char *text;
  pthread_t clients[CLIENTS];
  int n = 0;

  scratch_db_create(&busy.db);
  log_threshold = LOG_INFO;
  busy.log = tmpfile();
  opts.access_log = busy.log;
  busy.srv = app_server_start(&opts, busy.db.path, false, err, sizeof err);
  ck_assert_msg(NULL != busy.srv, "%s", err);
  busy.port = server_port(busy.srv);
  for (int c = 0; c < CLIENTS; c++)
    ck_assert_int_eq(0, pthread_create(&clients[c], NULL, &client_loop, &busy.port));
  for (int c = 0; c < CLIENTS; c++) {
    void *failed = NULL;

    ck_assert_int_eq(0, pthread_join(clients[c], &failed));
    ck_assert_ptr_null(failed);
  }
  text = log_lines(busy.log, CLIENTS * EACH);
  for (char *line = text; '\0' != *line; n++) {
    char *end = strchr(line, '\n');
    json_t *j = json_loadb(line, (size_t) (end - line), 0, NULL);

    ck_assert_msg(NULL != j, "line %d: %.*s", n, (int) (end - line), line);
    ck_assert_int_eq(200, num(j, "status"));
    json_decref(j);
    line = end + 1;
  }
  ck_assert_int_eq(CLIENTS * EACH, n);
  free(text);
  server_stop(busy.srv, 2000);
  fclose(busy.log);
  scratch_db_remove(&busy.db);
  log_threshold = LOG_ERROR;
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("ops");
  TCase *metrics = tcase_create("metrics");
  TCase *ready = tcase_create("readiness");
  TCase *ids = tcase_create("request_ids");
  TCase *logs = tcase_create("access_log");

  tcase_add_checked_fixture(metrics, setup, teardown);
  tcase_add_test(metrics, metrics_count_requests_by_route_pattern);
  tcase_add_test(metrics, duration_histogram_is_cumulative_and_matches_the_counter);
  tcase_add_test(metrics, cache_hits_and_misses_are_counted);
  tcase_add_test(metrics, reordered_parameters_share_one_cache_entry);
  tcase_add_test(metrics, gauges_follow_connections_and_requests);
  tcase_add_test(metrics, build_info_and_start_time);
  tcase_add_test(metrics, metrics_refuse_parameters_and_are_not_cached);
  suite_add_tcase(s, metrics);

  tcase_add_checked_fixture(ready, setup, teardown);
  tcase_add_test(ready, ready_on_a_migrated_database);
  tcase_add_test(ready, not_ready_while_a_migration_is_missing);
  suite_add_tcase(s, ready);

  tcase_add_checked_fixture(ids, setup, teardown);
  tcase_add_test(ids, every_answer_carries_a_request_id);
  tcase_add_test(ids, a_414_carries_a_request_id);
  tcase_add_test(ids, a_valid_incoming_id_is_echoed);
  tcase_add_test(ids, an_invalid_incoming_id_is_replaced);
  suite_add_tcase(s, ids);

  tcase_add_checked_fixture(logs, setup, teardown);
  tcase_set_timeout(logs, 30);
  tcase_add_test(logs, access_log_line_per_request_with_every_field);
  tcase_add_test(logs, access_log_tells_each_kind_of_answer);
  tcase_add_test(logs, access_log_cuts_long_paths);
  tcase_add_test(logs, access_log_escapes_what_it_echoes);
  tcase_add_test(logs, text_format_is_one_human_line);
  tcase_add_test(logs, access_log_off_or_below_info_writes_nothing);
  tcase_add_test(logs, lines_of_concurrent_requests_never_interleave);
  suite_add_tcase(s, logs);
  return run_suite(s);
}
