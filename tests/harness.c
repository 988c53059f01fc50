/**
 * @file tests/harness.c
 * @brief Shared test helpers.
 */
#include "tests/harness.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <sqlite3.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "db/engine.h"
#include "db/migrate.h"
#include "http/auth.h"
#include "http/daemon.h"
#include "db/data_version.h"
#include "util/log.h"
#include "http/reply.h"
#include "http/request.h"
#include "tests/test_engine.h"

void
scratch_dir(char *dir, size_t dir_size, char *path, size_t path_size, const char *name)
{
  const char *tmp = getenv("TMPDIR");

  snprintf(dir, dir_size, "%s/techpay-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  snprintf(path, path_size, "%s/%s", dir, name);
}

void
scratch_db_path(struct scratch_db *sd, const char *name)
{
  scratch_dir(sd->dir, sizeof sd->dir, sd->path, sizeof sd->path, name);
}

void
scratch_db_create(struct scratch_db *sd)
{
  struct db *db;
  char err[512];
  unsigned applied;

  log_threshold = LOG_ERROR;
  if (test_engine_is_postgresql()) {
    sd->dir[0] = '\0';
    test_engine_pg_create(sd->path, sizeof sd->path);
    return;
  }
  scratch_dir(sd->dir, sizeof sd->dir, sd->path, sizeof sd->path, "techpay.db");
  ck_assert_msg(0 == db_open(sd->path, DB_OPEN_CREATE, &db, err, sizeof err), "%s", err);
  ck_assert_msg(0 == migrate_run(db, 0, &applied, err, sizeof err), "%s", err);
  db_close(db);
}

void
scratch_db_remove(struct scratch_db *sd)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  char p[320];

  if (db_spec_is_postgresql(sd->path)) {
    test_engine_pg_drop(sd->path);
    if ('\0' != sd->dir[0])
      rmdir(sd->dir);
    return;
  }
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    snprintf(p, sizeof p, "%s%s", sd->path, suffixes[i]);
    unlink(p);
  }
  rmdir(sd->dir);
}

void
scratch_db_connect(struct scratch_db *sd, struct db **db)
{
  char err[512];

  scratch_db_create(sd);
  ck_assert_msg(0 == db_open(sd->path, DB_OPEN_READWRITE, db, err, sizeof err), "%s", err);
}

void
scratch_db_disconnect(struct scratch_db *sd, struct db *db)
{
  db_close(db);
  scratch_db_remove(sd);
}

const char *
scratch_db_sql(const struct scratch_db *sd, const char *sqlite_sql, const char *pg_sql)
{
  return db_spec_is_postgresql(sd->path) ? pg_sql : sqlite_sql;
}

void
scratch_db_exec(const struct scratch_db *sd, const char *sql)
{
  sqlite3 *conn;
  char *msg = NULL;

  if (db_spec_is_postgresql(sd->path)) {
    test_engine_pg_exec(sd->path, sql);
    return;
  }
  ck_assert_int_eq(SQLITE_OK, sqlite3_open(sd->path, &conn));
  ck_assert_msg(SQLITE_OK == sqlite3_exec(conn, sql, NULL, NULL, &msg), "%s: %s", sql, msg);
  sqlite3_close(conn);
}

int
scratch_db_try_exec(const struct scratch_db *sd, const char *sql)
{
  sqlite3 *conn;
  int rc;

  if (db_spec_is_postgresql(sd->path))
    return test_engine_pg_try_exec(sd->path, sql);
  ck_assert_int_eq(SQLITE_OK, sqlite3_open(sd->path, &conn));
  rc = sqlite3_exec(conn, sql, NULL, NULL, NULL);
  sqlite3_close(conn);
  return SQLITE_OK == rc ? 0 : -1;
}

long long
scratch_db_scalar(const struct scratch_db *sd, const char *sql)
{
  sqlite3 *conn;
  sqlite3_stmt *st;
  long long v = -1;

  if (db_spec_is_postgresql(sd->path))
    return test_engine_pg_scalar(sd->path, sql);
  ck_assert_int_eq(SQLITE_OK, sqlite3_open_v2(sd->path, &conn, SQLITE_OPEN_READONLY, NULL));
  ck_assert_msg(SQLITE_OK == sqlite3_prepare_v2(conn, sql, -1, &st, NULL), "%s: %s", sql,
                sqlite3_errmsg(conn));
  if (SQLITE_ROW == sqlite3_step(st))
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(conn);
  return v;
}

char *
scratch_db_text(const struct scratch_db *sd, const char *sql)
{
  sqlite3 *conn;
  sqlite3_stmt *st;
  char *v = NULL;

  if (db_spec_is_postgresql(sd->path))
    return test_engine_pg_text(sd->path, sql);
  ck_assert_int_eq(SQLITE_OK, sqlite3_open_v2(sd->path, &conn, SQLITE_OPEN_READONLY, NULL));
  ck_assert_msg(SQLITE_OK == sqlite3_prepare_v2(conn, sql, -1, &st, NULL), "%s: %s", sql,
                sqlite3_errmsg(conn));
  if (SQLITE_ROW == sqlite3_step(st) && SQLITE_NULL != sqlite3_column_type(st, 0))
    v = strdup((const char *) sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(conn);
  return v;
}

int64_t *
scratch_db_ints(const struct scratch_db *sd, const char *sql, size_t *n)
{
  sqlite3 *conn;
  sqlite3_stmt *st;
  int64_t *v = NULL;
  size_t cap = 0;

  if (db_spec_is_postgresql(sd->path))
    return test_engine_pg_ints(sd->path, sql, n);
  ck_assert_int_eq(SQLITE_OK, sqlite3_open_v2(sd->path, &conn, SQLITE_OPEN_READONLY, NULL));
  ck_assert_msg(SQLITE_OK == sqlite3_prepare_v2(conn, sql, -1, &st, NULL), "%s: %s", sql,
                sqlite3_errmsg(conn));
  for (*n = 0; SQLITE_ROW == sqlite3_step(st); (*n)++) {
    if (*n == cap) {
      cap = 2 * cap + 64;
      v = realloc(v, cap * sizeof *v);
      ck_assert_ptr_nonnull(v);
    }
    v[*n] = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(conn);
  return NULL != v ? v : calloc(1, sizeof *v);
}

/* Writes the rows of @a table to @a f, a "|" after each value. */
static void
dump_table(sqlite3 *conn, const char *table, FILE *f)
{
  char sql[256];
  sqlite3_stmt *rows;

  snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
  fprintf(f, "%s\n", sql);
  ck_assert_msg(SQLITE_OK == sqlite3_prepare_v2(conn, sql, -1, &rows, NULL), "%s: %s", sql,
                sqlite3_errmsg(conn));
  while (SQLITE_ROW == sqlite3_step(rows)) {
    for (int c = 0; c < sqlite3_column_count(rows); c++) {
      const unsigned char *v = sqlite3_column_text(rows, c);

      fprintf(f, "%s|", NULL != v ? (const char *) v : "<null>");
    }
    fputc('\n', f);
  }
  sqlite3_finalize(rows);
}

char *
scratch_db_dump(const struct scratch_db *sd)
{
  sqlite3 *conn;
  sqlite3_stmt *tables;
  char *out = NULL;
  size_t len = 0;
  FILE *f;

  if (db_spec_is_postgresql(sd->path))
    return test_engine_pg_dump(sd->path);
  f = open_memstream(&out, &len);
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(SQLITE_OK, sqlite3_open_v2(sd->path, &conn, SQLITE_OPEN_READONLY, NULL));
  ck_assert_int_eq(SQLITE_OK, sqlite3_prepare_v2(conn, "SELECT name FROM sqlite_schema"
                                                 " WHERE type = 'table' ORDER BY name",
                                                 -1, &tables, NULL));
  while (SQLITE_ROW == sqlite3_step(tables))
    dump_table(conn, (const char *) sqlite3_column_text(tables, 0), f);
  sqlite3_finalize(tables);
  sqlite3_close(conn);
  ck_assert_int_eq(0, fclose(f));
  return out;
}

/* Every test program knows techpay's problems from the start, as techpayd does. */
__attribute__((constructor)) static void
register_problems(void)
{
  app_problems_register();
}

static void
start_on_its_db(struct test_server *ts, struct server_options *opts)
{
  char err[512];

  ts->srv = app_server_start(opts, ts->db.path, false, err, sizeof err);
  ck_assert_msg(NULL != ts->srv, "%s", err);
  ts->port = server_port(ts->srv);
}

void
test_server_start_opts(struct test_server *ts, struct server_options *opts)
{
  ts->auth = NULL;
  scratch_db_create(&ts->db);
  start_on_its_db(ts, opts);
}

void
test_server_start_with_token(struct test_server *ts, struct server_options *opts,
                             const char *token)
{
  char err[512];
  struct auth *auth = auth_new(NULL, token, false, err, sizeof err);

  ck_assert_msg(NULL != auth, "%s", err);
  opts->auth = auth;
  test_server_start_opts(ts, opts);
  ts->auth = auth;
}

void
test_server_restart(struct test_server *ts, struct server_options *opts)
{
  server_stop(ts->srv, 2000);
  opts->auth = ts->auth;
  start_on_its_db(ts, opts);
}

void
test_server_start(struct test_server *ts, unsigned threads)
{
  struct server_options opts = {
    .bind = "127.0.0.1",
    .port = 0,
    .threads = threads,
    .max_connections = 64,
    .timeout_s = 5,
  };

  test_server_start_opts(ts, &opts);
}

void
test_server_stop(struct test_server *ts)
{
  server_stop(ts->srv, 2000);
  ts->srv = NULL;
  auth_free(ts->auth);
  ts->auth = NULL;
  scratch_db_remove(&ts->db);
}

/* Check's CK_TIMEOUT_MULTIPLIER (10 under valgrind) stretches the socket
 * timeout too: a server running under valgrind is that much slower. */
long
timeout_multiplier(void)
{
  const char *s = getenv("CK_TIMEOUT_MULTIPLIER");
  long m = NULL != s ? strtol(s, NULL, 10) : 1;

  return m >= 1 && m <= 100 ? m : 1;
}

time_t
http_client_timeout_s(void)
{
  return 10 * timeout_multiplier();
}

int
connect_local(uint16_t port)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
  struct timeval tv = { .tv_sec = http_client_timeout_s() };
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return -1;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  /* A hung server must fail the test, not hang it. */
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (0 != connect(fd, (struct sockaddr *) &sa, sizeof sa)) {
    close(fd);
    return -1;
  }
  return fd;
}

int
connect_local_or_fail(uint16_t port)
{
  int fd = connect_local(port);

  ck_assert_msg(fd >= 0, "cannot connect to port %u: %s", port, strerror(errno));
  return fd;
}

void
send_all(int fd, const void *p, size_t len)
{
  const char *at = p;

  while (len > 0) {
    ssize_t n = send(fd, at, len, MSG_NOSIGNAL);

    if (n <= 0)
      return;
    at += n;
    len -= (size_t) n;
  }
}

void
sleep_ms(long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

  nanosleep(&ts, NULL);
}

static int
parse_response(char *buf, size_t len, struct http_response *out)
{
  char *end = strstr(buf, "\r\n\r\n");
  size_t head_len;

  if (NULL == end || 0 != strncmp(buf, "HTTP/1.", 7))
    return -1;
  out->status = atoi(buf + 9);
  head_len = (size_t) (end - buf);
  out->headers = strndup(buf, head_len + 2);
  out->body_len = len - head_len - 4;
  out->body = malloc(out->body_len + 1);
  if (NULL == out->headers || NULL == out->body)
    return -1;
  memcpy(out->body, end + 4, out->body_len);
  out->body[out->body_len] = '\0';
  return 0;
}

int
http_raw_bytes(uint16_t port, const char *raw, size_t raw_len, struct http_response *out)
{
  size_t cap = 65536;
  size_t len = 0;
  char *buf;
  int fd;
  int rc;

  memset(out, 0, sizeof *out);
  fd = connect_local(port);
  if (fd < 0)
    return -1;
  /* A server may answer and close before the whole body is sent (413):
   * its answer is still read. */
  send_all(fd, raw, raw_len);
  buf = malloc(cap + 1);
  for (;;) {
    ssize_t n;

    if (len == cap) {
      cap *= 2;
      buf = realloc(buf, cap + 1);
    }
    n = recv(fd, buf + len, cap - len, 0);
    if (n <= 0)
      break;
    len += (size_t) n;
  }
  close(fd);
  buf[len] = '\0';
  rc = parse_response(buf, len, out);
  free(buf);
  return rc;
}

int
http_raw(uint16_t port, const char *raw, struct http_response *out)
{
  return http_raw_bytes(port, raw, strlen(raw), out);
}

int
http_request(uint16_t port, const char *method, const char *target, struct http_response *out)
{
  char raw[8192];

  snprintf(raw, sizeof raw, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
           method, target);
  return http_raw(port, raw, out);
}

char *
http_header(const struct http_response *r, const char *name)
{
  size_t nlen = strlen(name);
  const char *line = strstr(r->headers, "\r\n");

  while (NULL != line) {
    line += 2;
    if (0 == strncasecmp(line, name, nlen) && ':' == line[nlen]) {
      const char *v = line + nlen + 1;
      const char *e = strstr(v, "\r\n");

      while (' ' == *v)
        v++;
      return strndup(v, e ? (size_t) (e - v) : strlen(v));
    }
    line = strstr(line, "\r\n");
  }
  return NULL;
}

void
http_assert_header(const struct http_response *r, const char *name, const char *want)
{
  char *v = http_header(r, name);

  if (NULL == want) {
    ck_assert_msg(NULL == v, "%s should be absent, is '%s'", name, v);
    return;
  }
  ck_assert_msg(NULL != v, "%s missing in\n%s", name, r->headers);
  ck_assert_str_eq(want, v);
  free(v);
}

json_t *
http_json(const struct http_response *r)
{
  json_error_t err;
  json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);

  ck_assert_msg(NULL != j, "body is not JSON (%s): %.200s", err.text, r->body);
  return j;
}

void
http_response_free(struct http_response *r)
{
  free(r->headers);
  free(r->body);
  memset(r, 0, sizeof *r);
}

char *
read_file_bytes(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *buf;

  ck_assert_msg(NULL != f, "%s: %s", path, strerror(errno));
  ck_assert_int_eq(0, fseek(f, 0, SEEK_END));
  *len = (size_t) ftell(f);
  rewind(f);
  buf = malloc(*len + 1);
  ck_assert_ptr_nonnull(buf);
  ck_assert_uint_eq(*len, fread(buf, 1, *len, f));
  buf[*len] = '\0';
  fclose(f);
  return buf;
}

int
run_suite(Suite *s)
{
  SRunner *sr = srunner_create(s);
  int failed;

  /* Before Check forks a process per test, so that all share one server. */
  test_engine_setup(program_invocation_short_name);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  test_engine_teardown();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* The query check the server makes before @a h runs, from h's route
 * (the first route, if any, that h serves). @return -1 when refused */
static int
query_refused(harness_handler_fn h, const struct request *req, struct reply *out)
{
  for (const struct route *r = route_table; NULL != r->pattern; r++)
    if (r->handler == h)
      return route_query_check(r, req, out);
  return 0;
}

void
handler_call(struct db *db, harness_handler_fn h, const char *arg,
             const char *const query[], struct reply *out)
{
  struct param params[REQUEST_MAX_PARAMS];
  char copies[REQUEST_MAX_PARAMS][1024];
  struct request req = { .method = "GET", .path = "/test", .app = db };
  unsigned n = 0;

  memset(out, 0, sizeof *out);
  out->instance = "/test";
  for (; NULL != query && NULL != query[n]; n++) {
    char *eq;

    ck_assert_uint_lt(n, REQUEST_MAX_PARAMS);
    snprintf(copies[n], sizeof copies[n], "%s", query[n]);
    eq = strchr(copies[n], '=');
    params[n].key = copies[n];
    params[n].value = "";
    if (NULL != eq) {
      *eq = '\0';
      params[n].value = eq + 1;
    }
  }
  req.params = params;
  req.nparams = n;
  if (NULL != arg) {
    req.args[0] = arg;
    req.nargs = 1;
  }
  if (0 != query_refused(h, &req, out))
    return;
  ck_assert_int_eq(0, h(&req, out));
  ck_assert_uint_ne(0, out->status);
  ck_assert_ptr_nonnull(out->body);
}

int
http_send(uint16_t port, const char *method, const char *target, const char *headers,
          const char *body, struct http_response *r)
{
  char *raw = NULL;
  char length[64] = "";
  int rc;

  if (NULL != body)
    snprintf(length, sizeof length, "Content-Length: %zu\r\n", strlen(body));
  ck_assert_int_lt(0, asprintf(&raw, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s"
                               "Connection: close\r\n\r\n%s",
                               method, target, headers, length, NULL != body ? body : ""));
  rc = http_raw(port, raw, r);
  free(raw);
  return rc;
}

void
http_fetch_body(uint16_t port, const char *method, const char *target, const char *headers,
                const char *body, int want_status, struct http_response *r)
{
  ck_assert_int_eq(0, http_send(port, method, target, headers, body, r));
  ck_assert_msg(want_status == r->status, "%s %s [%s]: status %d, body %.300s", method, target,
                headers, r->status, r->body);
}

void
http_fetch(uint16_t port, const char *method, const char *target, const char *headers,
           int want_status, struct http_response *r)
{
  http_fetch_body(port, method, target, headers, NULL, want_status, r);
}

void
http_await_body(uint16_t port, const char *target, const char *text)
{
  struct timespec tick = { 0, DATA_VERSION_POLL_MS * 1000 * 1000 };
  struct http_response r;
  bool seen = false;

  for (int i = 0; i < 200 && !seen; i++) {
    if (i > 0)
      nanosleep(&tick, NULL);
    ck_assert_int_ne(-1, http_request(port, "GET", target, &r));
    seen = 200 == r.status && NULL != r.body && NULL != strstr(r.body, text);
    http_response_free(&r);
  }
  ck_assert_msg(seen, "GET %s never showed '%s'", target, text);
}
