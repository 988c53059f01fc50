/**
 * @file tests/check_pg_import.c
 * @brief Bulk imports on PostgreSQL (rows streamed by COPY): values
 *        round-trip byte for byte, SQLite's ids, the pay of the view, and
 *        all-or-nothing whatever happens to the import: a refused row, a
 *        client that goes away mid-upload, techpayd killed mid-upload; and
 *        what two imports at once do, on one replica or two.
 *
 * Each test gets a database of its own on one throwaway server; the
 * servers under test are techpayd child processes. Concurrent imports on
 * PostgreSQL take the write lock in turn: one that finds it held waits up
 * to the busy timeout (5 s) for it, then is answered 503.
 */
#include <check.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "db/pg_conn.h"
#include "tests/child.h"
#include "tests/harness.h"
#include "tests/pg_server.h"

#define TOKEN "pg-import-token-0123456789abcdef"
#define AUTH "Authorization: Bearer " TOKEN "\r\n"
#define CSV_HEADERS AUTH "Content-Type: text/csv\r\n"
#define NDJSON_HEADERS AUTH "Content-Type: application/x-ndjson\r\n"
#define CSV_HEAD "amount,kind,statistic,role\n"
/* The write lock's key (db/pg_db.c). */
#define WRITE_LOCK_KEY "7354209616310420851"

static struct pg_server server;

/* The conninfo of a new, empty database @a name. */
static void
fresh_database(const char *name, char *conninfo, size_t size)
{
  char err[512];
  char sql[128];
  PGconn *admin = pg_conn_open(server.conninfo, err, sizeof err);

  ck_assert_msg(NULL != admin, "%s", err);
  snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
  PQclear(PQexec(admin, sql));
  PQfinish(admin);
  pg_server_conninfo(&server, name, conninfo, size);
}

/* One number from @a sql on @a conninfo. */
static long long
scalar(const char *conninfo, const char *sql)
{
  char err[512];
  PGconn *conn = pg_conn_open(conninfo, err, sizeof err);
  PGresult *res;
  long long v;

  ck_assert_msg(NULL != conn, "%s", err);
  res = PQexec(conn, sql);
  ck_assert_msg(PGRES_TUPLES_OK == PQresultStatus(res) && 1 == PQntuples(res), "%s: %s", sql,
                PQresultErrorMessage(res));
  v = atoll(PQgetvalue(res, 0, 0));
  PQclear(res);
  PQfinish(conn);
  return v;
}

static void
exec_ok(const char *conninfo, const char *sql)
{
  char err[512];
  PGconn *conn = pg_conn_open(conninfo, err, sizeof err);
  PGresult *res;

  ck_assert_msg(NULL != conn, "%s", err);
  res = PQexec(conn, sql);
  ck_assert_msg(PGRES_COMMAND_OK == PQresultStatus(res), "%s: %s", sql,
                PQresultErrorMessage(res));
  PQclear(res);
  PQfinish(conn);
}

/* A techpayd on @a conninfo that takes TOKEN; @a cs holds the token file. */
static void
techpayd_start(struct child_server *srv, struct child_scratch *cs, const char *conninfo)
{
  char *const extra[] = { "--admin-token-file", cs->token_path, NULL };

  child_server_start(srv, conninfo, extra, NULL);
}

/* @a n rows of CSV (with the header): amounts 1000 + i, all for
 * devops-engineer but row @a other_at (1-based; 0: none), which names
 * data-science-manager, and row @a bad_at, whose amount is 13. */
static char *
csv_rows(size_t n, size_t other_at, size_t bad_at, size_t *len)
{
  size_t cap = sizeof CSV_HEAD + n * 64;
  char *csv = malloc(cap);
  size_t used;

  ck_assert_ptr_nonnull(csv);
  used = (size_t) snprintf(csv, cap, "%s", CSV_HEAD);
  for (size_t i = 1; i <= n; i++)
    used += (size_t) snprintf(csv + used, cap - used, "%zu,base,individual,%s\n",
                              bad_at == i ? 13 : 1000 + i,
                              other_at == i ? "data-science-manager" : "devops-engineer");
  *len = used;
  return csv;
}

/* A POST /import whose head and first @a sent bytes of @a body are sent;
 * the rest is the caller's. @return the socket */
static int
upload_start(uint16_t port, const char *headers, const char *body, size_t len, size_t sent)
{
  char head[1024];
  int fd = connect_local_or_fail(port);
  int n = snprintf(head, sizeof head, "POST /import HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                   "Content-Length: %zu\r\nConnection: close\r\n\r\n", headers, len);

  send_all(fd, head, (size_t) n);
  send_all(fd, body, sent);
  return fd;
}

/* Sends the rest of an upload_start() body, reads the answer and closes
 * the socket. @return the answer's status */
static int
upload_finish(int fd, const char *rest, size_t n)
{
  char answer[4096];
  size_t got = 0;
  ssize_t k;
  int status = 0;

  send_all(fd, rest, n);
  while (got < sizeof answer - 1 && 0 < (k = read(fd, answer + got, sizeof answer - 1 - got)))
    got += (size_t) k;
  answer[got] = '\0';
  close(fd);
  ck_assert_msg(1 == sscanf(answer, "HTTP/1.1 %d", &status), "%s", answer);
  return status;
}

/* Waits until a session of database @a dbname has begun a COPY. */
static void
await_copy(const char *conninfo, const char *dbname)
{
  char sql[256];

  snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_stat_activity WHERE datname = '%s'"
           " AND query LIKE 'COPY salaries%%'", dbname);
  for (int i = 0; i < 1000; i++) {
    if (scalar(conninfo, sql) > 0)
      return;
    sleep_ms(20);
  }
  ck_abort_msg("no COPY began in %s", dbname);
}

/* Waits until no session of database @a dbname is in a COPY any more. */
static void
await_no_copy(const char *conninfo, const char *dbname)
{
  char sql[256];

  snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_stat_activity WHERE datname = '%s'"
           " AND query LIKE 'COPY salaries%%' AND state <> 'idle'", dbname);
  for (int i = 0; i < 1000; i++) {
    if (0 == scalar(conninfo, sql))
      return;
    sleep_ms(20);
  }
  ck_abort_msg("a COPY in %s did not end", dbname);
}

/* Nobody holds the write lock. */
static void
assert_lock_free(const char *conninfo)
{
  ck_assert_int_eq(1, scalar(conninfo, "SELECT pg_try_advisory_xact_lock(" WRITE_LOCK_KEY
                                       ")::int"));
}

/* Every role's pay is what the role_pay view computes. */
static void
assert_pay_as_view(const char *conninfo)
{
  ck_assert_int_eq(0, scalar(conninfo, "SELECT count(*) FROM roles r JOIN role_pay p"
                                       " ON p.role_id = r.id WHERE (r.pay_usd, r.pay_basis,"
                                       " r.pay_n, r.pay_p25, r.pay_p50, r.pay_p75) IS DISTINCT"
                                       " FROM (p.pay_usd, p.pay_basis, p.pay_n, p.pay_p25,"
                                       " p.pay_p50, p.pay_p75)"));
}

static void
import_ok(uint16_t port, const char *headers, const char *body, struct http_response *r)
{
  ck_assert_int_eq(0, http_send(port, "POST", "/import", headers, body, r));
  ck_assert_msg(201 == r->status, "%d %s", r->status, r->body);
}

/* Values that COPY's text format must escape or could misread. */
static const char *const hostile[][3] = {
  /* subject, scope, note */
  { "back\\slash", "ends with \\", "tab\there and\na new line" },
  { "\\N", "\\.", "\\N" },
  { "\\t not a tab", "\"double\" and 'single' quotes", "\\\\ two \\\\n escaped" },
  { "non-ASCII: é ü ß 日本語 😀", "Zürich, São Paulo", "line one\n\tindented\nline three" },
  { "commas, and; semicolons", "\\r\\n as text", "\\.\n\\.\nend" },
};

START_TEST(test_hostile_values_round_trip)
{
  struct child_scratch cs;
  struct child_server srv;
  struct http_response r;
  char conninfo[512];
  char err[512];
  char *body = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&body, &len);
  size_t n = sizeof hostile / sizeof hostile[0];
  long long first;
  PGconn *conn;
  PGresult *res;

  fresh_database("hostile", conninfo, sizeof conninfo);
  child_scratch_create(&cs, "unused.db", TOKEN);
  techpayd_start(&srv, &cs, conninfo);
  first = scalar(conninfo, "SELECT coalesce(max(id), 0) + 1 FROM salaries");
  for (size_t i = 0; i < n; i++) {
    json_t *row = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}}", "amount", 5000 + (int) i,
                            "kind", "base", "statistic", "median", "subject", hostile[i][0],
                            "scope", hostile[i][1], "note", hostile[i][2], "source", "id", 1,
                            "section", hostile[i][0]);
    char *line = json_dumps(row, JSON_COMPACT);

    fprintf(f, "%s\n", line);
    free(line);
    json_decref(row);
  }
  fclose(f);
  import_ok(child_server_port(&srv), NDJSON_HEADERS, body, &r);
  http_response_free(&r);
  conn = pg_conn_open(conninfo, err, sizeof err);
  ck_assert_msg(NULL != conn, "%s", err);
  res = PQexec(conn, "SELECT id, subject, scope, note, section FROM salaries"
                     " WHERE amount_usd BETWEEN 5000 AND 5999 ORDER BY id");
  ck_assert_int_eq(PGRES_TUPLES_OK, PQresultStatus(res));
  ck_assert_int_eq((int) n, PQntuples(res));
  for (int i = 0; i < (int) n; i++) {
    /* SQLite's ids: the largest before the import plus one, in order */
    ck_assert_int_eq(first + i, atoll(PQgetvalue(res, i, 0)));
    ck_assert_str_eq(hostile[i][0], PQgetvalue(res, i, 1));
    ck_assert_str_eq(hostile[i][1], PQgetvalue(res, i, 2));
    ck_assert_str_eq(hostile[i][2], PQgetvalue(res, i, 3));
    ck_assert_str_eq(hostile[i][0], PQgetvalue(res, i, 4));
  }
  PQclear(res);
  PQfinish(conn);
  free(body);
  child_server_stop(&srv);
  child_scratch_remove(&cs);
}
END_TEST

/* techpayd import FILE on PostgreSQL: the same rows, through the same COPY. */
START_TEST(test_cli_import)
{
  struct child_scratch cs;
  struct child_run r;
  char conninfo[512];
  char path[400];
  size_t len;
  char *csv = csv_rows(70000, 69000, 0, &len);
  FILE *f;
  long long before;

  fresh_database("cli", conninfo, sizeof conninfo);
  child_scratch_create(&cs, "unused.db", TOKEN);
  snprintf(path, sizeof path, "%s/rows.csv", cs.db.dir);
  ck_assert_ptr_nonnull(f = fopen(path, "w"));
  ck_assert_uint_eq(len, fwrite(csv, 1, len, f));
  fclose(f);
  child_run(&r, (char *[]) { "migrate", "--db", conninfo, NULL }, NULL);
  ck_assert_msg(0 == r.status, "%s", r.err);
  before = scalar(conninfo, "SELECT max(id) FROM salaries");
  child_run(&r, (char *[]) { "import", path, "--db", conninfo, NULL }, NULL);
  ck_assert_msg(0 == r.status && NULL != strstr(r.out, "imported 70000 rows"), "%s %s", r.out,
                r.err);
  /* more rows than one COPY takes, and a role first seen late: several COPYs, one import */
  ck_assert_int_eq(before + 70000, scalar(conninfo, "SELECT max(id) FROM salaries"));
  ck_assert_int_eq(70000, scalar(conninfo, "SELECT count(*) FROM salaries WHERE id > (SELECT"
                                           " min(id) - 1 FROM salaries WHERE amount_usd = 1001)"));
  ck_assert_int_eq(before + 69000,
                   scalar(conninfo, "SELECT s.id FROM salaries s JOIN roles r ON r.id = s.role_id"
                                    " WHERE r.slug = 'data-science-manager'"
                                    " AND s.amount_usd = 70000"));
  assert_pay_as_view(conninfo);
  unlink(path);
  free(csv);
  child_scratch_remove(&cs);
}
END_TEST

/* A row the database refuses, in a later COPY of the import: 422 naming
 * its line, and none of the rows before it kept. */
START_TEST(test_refused_row_keeps_nothing)
{
  struct child_scratch cs;
  struct child_server srv;
  struct http_response r;
  char conninfo[512];
  size_t len;
  char *csv = csv_rows(70000, 0, 66000, &len);
  long long before;
  json_t *body;

  fresh_database("refused", conninfo, sizeof conninfo);
  child_scratch_create(&cs, "unused.db", TOKEN);
  techpayd_start(&srv, &cs, conninfo);
  /* a rule the import's own checks do not know: only the database refuses it */
  exec_ok(conninfo, "ALTER TABLE salaries ADD CONSTRAINT no_13 CHECK (amount_usd <> 13)");
  before = scalar(conninfo, "SELECT count(*) FROM salaries");
  ck_assert_int_eq(0, http_send(child_server_port(&srv), "POST", "/import", CSV_HEADERS, csv,
                                &r));
  ck_assert_msg(422 == r.status, "%d %s", r.status, r.body);
  body = http_json(&r);
  /* the header is line 1: row 66000 is line 66001 */
  ck_assert_int_eq(66001, json_integer_value(json_object_get(
                            json_array_get(json_object_get(body, "errors"), 0), "line")));
  ck_assert_ptr_nonnull(strstr(r.body, "no_13"));
  json_decref(body);
  http_response_free(&r);
  ck_assert_int_eq(before, scalar(conninfo, "SELECT count(*) FROM salaries"));
  assert_lock_free(conninfo);
  import_ok(child_server_port(&srv), CSV_HEADERS, CSV_HEAD "5,base,individual,devops-engineer\n",
            &r);
  http_response_free(&r);
  ck_assert_int_eq(before + 1, scalar(conninfo, "SELECT count(*) FROM salaries"));
  free(csv);
  child_server_stop(&srv);
  child_scratch_remove(&cs);
}
END_TEST

/* A client that goes away mid-upload: the COPY is abandoned, nothing kept,
 * and the next import goes in. */
START_TEST(test_client_gone_keeps_nothing)
{
  struct child_scratch cs;
  struct child_server srv;
  struct http_response r;
  char conninfo[512];
  size_t len;
  char *csv = csv_rows(200000, 0, 0, &len);
  long long before;
  int fd;

  fresh_database("gone", conninfo, sizeof conninfo);
  child_scratch_create(&cs, "unused.db", TOKEN);
  techpayd_start(&srv, &cs, conninfo);
  before = scalar(conninfo, "SELECT count(*) FROM salaries");
  fd = upload_start(child_server_port(&srv), CSV_HEADERS, csv, len, len / 2);
  await_copy(conninfo, "gone");
  close(fd);
  await_no_copy(conninfo, "gone");
  ck_assert_int_eq(before, scalar(conninfo, "SELECT count(*) FROM salaries"));
  import_ok(child_server_port(&srv), CSV_HEADERS, CSV_HEAD "5,base,individual,devops-engineer\n",
            &r);
  http_response_free(&r);
  ck_assert_int_eq(before + 1, scalar(conninfo, "SELECT count(*) FROM salaries"));
  free(csv);
  child_server_stop(&srv);
  child_scratch_remove(&cs);
}
END_TEST

/* kill -9 of techpayd in the middle of a large import: none of its rows,
 * no lock left behind, and techpayd starts again and imports. */
START_TEST(test_kill_mid_import_keeps_nothing)
{
  struct child_scratch cs;
  struct child_server srv;
  struct http_response r;
  char conninfo[512];
  size_t len;
  char *csv = csv_rows(200000, 0, 0, &len);
  long long before;
  int fd;

  fresh_database("killed", conninfo, sizeof conninfo);
  child_scratch_create(&cs, "unused.db", TOKEN);
  techpayd_start(&srv, &cs, conninfo);
  before = scalar(conninfo, "SELECT count(*) FROM salaries");
  fd = upload_start(child_server_port(&srv), CSV_HEADERS, csv, len, len / 2);
  await_copy(conninfo, "killed");
  ck_assert_int_eq(0, kill(srv.pid, SIGKILL));
  child_server_wait(&srv, 128 + SIGKILL);
  close(fd);
  await_no_copy(conninfo, "killed");
  ck_assert_int_eq(before, scalar(conninfo, "SELECT count(*) FROM salaries"));
  assert_lock_free(conninfo);
  techpayd_start(&srv, &cs, conninfo);
  import_ok(child_server_port(&srv), CSV_HEADERS, CSV_HEAD "5,base,individual,devops-engineer\n",
            &r);
  http_response_free(&r);
  ck_assert_int_eq(before + 1, scalar(conninfo, "SELECT count(*) FROM salaries"));
  free(csv);
  child_server_stop(&srv);
  child_scratch_remove(&cs);
}
END_TEST

struct send_job {
  uint16_t port;
  const char *headers;
  const char *body;
  struct http_response r;
  int rc;
};

static void *
send_thread(void *cls)
{
  struct send_job *j = cls;

  j->rc = http_send(j->port, "POST", "/import", j->headers, j->body, &j->r);
  return NULL;
}

/* Two replicas on one database: an import sent to the second while the
 * first imports waits for the write lock; it goes in after the first,
 * its ids after the first one's. One that finds the lock held for longer
 * than the busy timeout is answered 503. */
START_TEST(test_two_replicas_take_turns)
{
  struct child_scratch cs;
  struct child_server a;
  struct child_server b;
  struct http_response r;
  char conninfo[512];
  size_t len;
  char *csv = csv_rows(100000, 0, 0, &len);
  struct send_job job;
  pthread_t t;
  long long before;
  int fd;

  fresh_database("replicas", conninfo, sizeof conninfo);
  child_scratch_create(&cs, "unused.db", TOKEN);
  techpayd_start(&a, &cs, conninfo);
  techpayd_start(&b, &cs, conninfo);
  before = scalar(conninfo, "SELECT count(*) FROM salaries");
  /* held past the busy timeout: 503, and nothing of it written */
  fd = upload_start(child_server_port(&a), CSV_HEADERS, csv, len, len - 10);
  await_copy(conninfo, "replicas");
  ck_assert_int_eq(0, http_send(child_server_port(&b), "POST", "/import", CSV_HEADERS,
                                CSV_HEAD "7,base,individual,devops-engineer\n", &r));
  ck_assert_msg(503 == r.status, "%d %s", r.status, r.body);
  http_response_free(&r);
  /* in turn: the second waits while the first ends */
  job = (struct send_job) { .port = child_server_port(&b), .headers = CSV_HEADERS,
                            .body = CSV_HEAD "7,base,individual,devops-engineer\n" };
  ck_assert_int_eq(0, pthread_create(&t, NULL, send_thread, &job));
  sleep_ms(300);
  ck_assert_int_eq(201, upload_finish(fd, csv + len - 10, 10));
  pthread_join(t, NULL);
  ck_assert_int_eq(0, job.rc);
  ck_assert_msg(201 == job.r.status, "%d %s", job.r.status, job.r.body);
  http_response_free(&job.r);
  ck_assert_int_eq(before + 100001, scalar(conninfo, "SELECT count(*) FROM salaries"));
  /* the second import's row came after all of the first one's */
  ck_assert_int_eq(1, scalar(conninfo, "SELECT (max(id) = (SELECT id FROM salaries WHERE"
                                       " amount_usd = 7))::int FROM salaries"));
  assert_pay_as_view(conninfo);
  free(csv);
  child_server_stop(&a);
  child_server_stop(&b);
  child_scratch_remove(&cs);
}
END_TEST

/* The same Idempotency-Key sent to two replicas at once: imported once;
 * the other answers the replay of the same answer. */
START_TEST(test_same_key_two_replicas)
{
  struct child_scratch cs;
  struct child_server a;
  struct child_server b;
  char conninfo[512];
  size_t len;
  char *csv = csv_rows(20000, 0, 0, &len);
  struct send_job jobs[2];
  pthread_t t[2];
  long long before;
  int replayed = 0;

  fresh_database("samekey", conninfo, sizeof conninfo);
  child_scratch_create(&cs, "unused.db", TOKEN);
  techpayd_start(&a, &cs, conninfo);
  techpayd_start(&b, &cs, conninfo);
  before = scalar(conninfo, "SELECT count(*) FROM salaries");
  for (int i = 0; i < 2; i++) {
    jobs[i] = (struct send_job) { .port = child_server_port(0 == i ? &a : &b),
                                  .headers = CSV_HEADERS "Idempotency-Key: twice-at-once\r\n",
                                  .body = csv };
    ck_assert_int_eq(0, pthread_create(&t[i], NULL, send_thread, &jobs[i]));
  }
  for (int i = 0; i < 2; i++) {
    char *h;

    pthread_join(t[i], NULL);
    ck_assert_int_eq(0, jobs[i].rc);
    ck_assert_msg(201 == jobs[i].r.status, "%d %s", jobs[i].r.status, jobs[i].r.body);
    h = http_header(&jobs[i].r, "Idempotent-Replayed");
    replayed += NULL != h && 0 == strcmp(h, "true");
    free(h);
  }
  ck_assert_int_eq(1, replayed);
  ck_assert_str_eq(jobs[0].r.body, jobs[1].r.body);
  ck_assert_int_eq(before + 20000, scalar(conninfo, "SELECT count(*) FROM salaries"));
  for (int i = 0; i < 2; i++)
    http_response_free(&jobs[i].r);
  free(csv);
  child_server_stop(&a);
  child_server_stop(&b);
  child_scratch_remove(&cs);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pg_import");
  TCase *tc = tcase_create("core");
  int rc;

  pg_server_start_or_exit(&server, "check_pg_import");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_hostile_values_round_trip);
  tcase_add_test(tc, test_cli_import);
  tcase_add_test(tc, test_refused_row_keeps_nothing);
  tcase_add_test(tc, test_client_gone_keeps_nothing);
  tcase_add_test(tc, test_kill_mid_import_keeps_nothing);
  tcase_add_test(tc, test_two_replicas_take_turns);
  tcase_add_test(tc, test_same_key_two_replicas);
  suite_add_tcase(s, tc);
  rc = run_suite(s);
  pg_server_stop(&server);
  return rc;
}
