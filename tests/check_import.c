/**
 * @file tests/check_import.c
 * @brief POST /import over real HTTP and techpayd import FILE: CSV and
 *        NDJSON, pay from many reports, the export imported again, bad
 *        rows that change nothing, dry runs, idempotency keys, chunked and
 *        slow bodies with reads answered meanwhile, and a kill -9 in the
 *        middle of an import.
 */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "db/import.h"
#include "http/daemon.h"
#include "tests/child.h"
#include "tests/harness.h"

#define TOKEN "a-test-token-0123456789"
#define AUTH "Authorization: Bearer " TOKEN "\r\n"
#define CSV_CT "Content-Type: text/csv\r\n"
#define NDJSON_CT "Content-Type: application/x-ndjson\r\n"

static struct test_server ts;

static struct server_options
import_server_options(void)
{
  return (struct server_options) {
    .bind = "127.0.0.1", .threads = 2, .max_connections = 64, .timeout_s = 10,
    .access_log_off = true,
  };
}

static void
setup(void)
{
  struct server_options opts = import_server_options();

  test_server_start_with_token(&ts, &opts, TOKEN);
}

static void
teardown(void)
{
  test_server_stop(&ts);
}

/* POST @a target with extra header lines and @a body; asserts the status. */
static void
post(const char *target, const char *headers, const char *body, int want,
     struct http_response *r)
{
  http_fetch_body(ts.port, "POST", target, headers, body, want, r);
}

static void
get(const char *target, int want, struct http_response *r)
{
  http_fetch(ts.port, "GET", target, "", want, r);
}

/* The roles whose stored pay is not the view's (IS NOT DISTINCT FROM: NULLs equal). */
static const char pay_differs_from_view[] =
  "SELECT count(*) FROM roles r JOIN role_pay v ON v.role_id = r.id WHERE NOT ("
  "r.pay_usd IS NOT DISTINCT FROM v.pay_usd AND r.pay_basis IS NOT DISTINCT FROM v.pay_basis"
  " AND r.pay_n IS NOT DISTINCT FROM v.pay_n AND r.pay_p25 IS NOT DISTINCT FROM v.pay_p25"
  " AND r.pay_p50 IS NOT DISTINCT FROM v.pay_p50 AND r.pay_p75 IS NOT DISTINCT FROM v.pay_p75)";

static long long
scalar(const char *sql)
{
  return scratch_db_scalar(&ts.db, sql);
}

static long long
count_salaries(void)
{
  return scalar("SELECT count(*) FROM salaries");
}

static json_t *
data_of(const struct http_response *r)
{
  json_t *j = http_json(r);
  json_t *d = json_incref(json_object_get(j, "data"));

  json_decref(j);
  return d;
}

START_TEST(csv_and_ndjson_are_imported)
{
  struct http_response r;
  json_t *d;
  long long before = count_salaries();
  char *loc;

  post("/import", AUTH CSV_CT,
       "amount,kind,statistic,role,subject,source.id,source.section,year\r\n"
       "123456,base,individual,devops-engineer,,,,2024\r\n"
       "98000,total,average,,Recent graduates,2,Some section,\r\n", 201, &r);
  d = data_of(&r);
  ck_assert_int_eq(2, json_integer_value(json_object_get(d, "rows")));
  ck_assert(json_is_false(json_object_get(d, "dry_run")));
  loc = http_header(&r, "Location");
  ck_assert_ptr_nonnull(loc);
  free(loc);
  json_decref(d);
  http_response_free(&r);
  post("/import", AUTH NDJSON_CT,
       "{\"amount\":111111,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"devops-engineer\"}\n"
       "{\"amount\":222222,\"kind\":\"total\",\"statistic\":\"p75\",\"role\":\"cloud-architect\"}\n",
       201, &r);
  http_response_free(&r);
  ck_assert_int_eq(before + 4, count_salaries());
  get("/salaries?role=devops-engineer&min=111111&max=123456", 200, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "123456"));
  ck_assert_ptr_nonnull(strstr(r.body, "111111"));
  ck_assert_ptr_nonnull(strstr(r.body, "\"slug\":\"import-")); /* rows without a source */
  http_response_free(&r);
  ck_assert_int_eq(2, scalar("SELECT count(*) FROM audit WHERE route = '/import'"));
  ck_assert_int_eq(1, scalar("SELECT value FROM settings WHERE key = 'pay_live'"));
  ck_assert_int_eq(1, scalar(scratch_db_sql(&ts.db,
                                            "SELECT count(*) FROM sqlite_schema WHERE name ="
                                            " 'salaries_pay_insert'",
                                            "SELECT count(*) FROM pg_trigger WHERE tgname ="
                                            " 'salaries_pay_insert'")));
}
END_TEST

START_TEST(enough_reports_make_the_median_the_pay)
{
  struct http_response r;
  json_t *d;

  post("/import", AUTH CSV_CT,
       "amount,kind,statistic,role\n"
       "100000,base,individual,cloud-architect\n"
       "140000,base,individual,cloud-architect\n"
       "120000,base,individual,cloud-architect\n"
       "110000,base,individual,cloud-architect\n"
       "130000,base,individual,cloud-architect\n", 201, &r);
  http_response_free(&r);
  get("/roles/cloud-architect", 200, &r);
  d = data_of(&r);
  ck_assert_int_eq(120000, json_integer_value(json_object_get(d, "pay")));
  json_decref(d);
  http_response_free(&r);
  ck_assert_int_eq(1, scalar("SELECT pay_basis = 'reported_median' AND pay_n = 5 AND"
                             " pay_p25 = 110000 AND pay_p75 = 130000 FROM roles"
                             " WHERE slug = 'cloud-architect'"));
}
END_TEST

/* The pay an import computes for the roles it touched is the role_pay
 * view's, for every count of reports (even and odd, ties, fewer than
 * min_reports, only published averages). */
START_TEST(imported_pay_is_the_views)
{
  static const char *const rows[] = {
    "90000,base,average,platform-engineer\n",
    "150000,base,individual,platform-engineer\n",
    "110000,base,individual,platform-engineer\n"
    "95000,base,average,platform-engineer\n",
    "110000,base,individual,platform-engineer\n",
    "170000,base,individual,platform-engineer\n",
    "99000,base,individual,platform-engineer\n"
    "99000,base,individual,platform-engineer\n",
    "250000,total,individual,platform-engineer\n"
    "130000,base,individual,platform-engineer\n",
    "140000,base,individual,platform-engineer\n"
    "121000,base,individual,platform-engineer\n"
    "89000,base,individual,platform-engineer\n",
    "100000,base,individual,platform-engineer\n",
  };
  struct http_response r;
  char body[512];

  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    snprintf(body, sizeof body, "amount,kind,statistic,role\n%s", rows[i]);
    post("/import", AUTH CSV_CT, body, 201, &r);
    http_response_free(&r);
    ck_assert_int_eq(0, scalar(pay_differs_from_view));
  }
  ck_assert_int_eq(1, scalar("SELECT pay_basis = 'reported_median' FROM roles"
                             " WHERE slug = 'platform-engineer'"));
}
END_TEST

START_TEST(an_export_imports_again)
{
  struct http_response r;
  struct http_response imp;
  json_t *d;
  long long before = count_salaries();
  char headers[] = AUTH CSV_CT;

  get("/salaries?format=csv&limit=500", 200, &r);
  post("/import", headers, r.body, 201, &imp);
  d = data_of(&imp);
  ck_assert_int_eq(before, json_integer_value(json_object_get(d, "rows")));
  ck_assert_int_eq(2 * before, count_salaries());
  json_decref(d);
  http_response_free(&imp);
  http_response_free(&r);
}
END_TEST

START_TEST(a_bad_row_changes_nothing)
{
  struct http_response r;
  json_t *j;
  json_t *e;
  char *before = scratch_db_dump(&ts.db);
  char *after;

  post("/import", AUTH CSV_CT,
       "amount,kind,statistic,role\n"
       "120000,base,individual,cloud-architect\n"
       "\"133,alpha\",base,individual,cloud-architect\n"
       "120000,base,individual,no-such-role\n", 422, &r);
  j = http_json(&r);
  ck_assert_str_eq("/problems/invalid-body", json_string_value(json_object_get(j, "type")));
  ck_assert_int_eq(2, json_integer_value(json_object_get(j, "total_errors")));
  ck_assert_int_eq(2, json_integer_value(json_object_get(j, "bad_rows")));
  e = json_array_get(json_object_get(j, "errors"), 0);
  ck_assert_int_eq(3, json_integer_value(json_object_get(e, "line")));
  ck_assert_str_eq("amount", json_string_value(json_object_get(e, "field")));
  e = json_array_get(json_object_get(j, "errors"), 1);
  ck_assert_int_eq(4, json_integer_value(json_object_get(e, "line")));
  ck_assert_str_eq("role", json_string_value(json_object_get(e, "field")));
  json_decref(j);
  http_response_free(&r);
  after = scratch_db_dump(&ts.db);
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}
END_TEST

START_TEST(more_than_100_errors_are_counted)
{
  struct http_response r;
  json_t *j;
  char *body = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&body, &len);

  fputs("amount,kind,statistic,role\n", f);
  for (int i = 0; i < 150; i++)
    fputs("0,base,individual,cloud-architect\n", f);
  fclose(f);
  post("/import", AUTH CSV_CT, body, 422, &r);
  j = http_json(&r);
  ck_assert_uint_eq(100, json_array_size(json_object_get(j, "errors")));
  ck_assert_int_eq(150, json_integer_value(json_object_get(j, "total_errors")));
  json_decref(j);
  http_response_free(&r);
  free(body);
}
END_TEST

START_TEST(an_unknown_column_is_named)
{
  struct http_response r;
  long long before = count_salaries();

  post("/import", AUTH CSV_CT, "amount,kind,statistic,role,colour\n1,base,average,cloud-architect,red\n",
       422, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "colour"));
  http_response_free(&r);
  post("/import", AUTH NDJSON_CT,
       "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"average\",\"role\":\"cloud-architect\","
       "\"flavour\":1}\n", 422, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "flavour"));
  http_response_free(&r);
  ck_assert_int_eq(before, count_salaries());
}
END_TEST

START_TEST(a_dry_run_writes_nothing)
{
  struct http_response r;
  json_t *d;
  char *before = scratch_db_dump(&ts.db);
  char *after;

  post("/import?dry_run=true", AUTH CSV_CT,
       "amount,kind,statistic,role\n1000,base,average,cloud-architect\n2000,base,median,"
       "cloud-architect\n", 200, &r);
  d = data_of(&r);
  ck_assert_int_eq(2, json_integer_value(json_object_get(d, "rows")));
  ck_assert(json_is_true(json_object_get(d, "dry_run")));
  json_decref(d);
  http_response_free(&r);
  after = scratch_db_dump(&ts.db);
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
  post("/import?dry_run=maybe", AUTH CSV_CT, "amount\n", 400, &r);
  http_response_free(&r);
  post("/import?limit=3", AUTH CSV_CT, "amount\n", 400, &r);
  http_response_free(&r);
}
END_TEST

START_TEST(an_idempotency_key_replays)
{
  static const char body[] = "amount,kind,statistic,role\n150000,base,average,cloud-architect\n";
  struct http_response first;
  struct http_response again;
  long long after_first;
  char *replayed;

  post("/import", AUTH CSV_CT "Idempotency-Key: import-2026-01:a_b.c\r\n", body, 201, &first);
  after_first = count_salaries();
  post("/import", AUTH CSV_CT "Idempotency-Key: import-2026-01:a_b.c\r\n", body, 201, &again);
  ck_assert_str_eq(first.body, again.body);
  replayed = http_header(&again, "Idempotent-Replayed");
  ck_assert_str_eq("true", replayed);
  free(replayed);
  ck_assert_int_eq(after_first, count_salaries());
  http_response_free(&first);
  http_response_free(&again);
  post("/import", AUTH CSV_CT "Idempotency-Key: import-2026-01:a_b.c\r\n",
       "amount,kind,statistic,role\n150001,base,average,cloud-architect\n", 409, &again);
  http_response_free(&again);
  post("/import", AUTH CSV_CT "Idempotency-Key: no spaces\r\n", body, 400, &again);
  http_response_free(&again);
  ck_assert_int_eq(after_first, count_salaries());
}
END_TEST

/* A replay is the first answer again: status, body and Location, the
 * latter also once the server has been restarted. */
START_TEST(a_replay_has_the_first_answers_location)
{
  static const char body[] = "amount,kind,statistic,role\n150002,base,average,cloud-architect\n";
  static const char *const headers = AUTH CSV_CT "Idempotency-Key: replay-location\r\n";
  struct http_response first;
  struct http_response again;
  char *loc_first;
  char *loc_again;
  struct server_options opts;

  post("/import", headers, body, 201, &first);
  post("/import", headers, body, 201, &again);
  loc_first = http_header(&first, "Location");
  loc_again = http_header(&again, "Location");
  ck_assert_ptr_nonnull(loc_first);
  ck_assert_msg(NULL != loc_again, "the replay has no Location:\n%s", again.headers);
  ck_assert_str_eq(loc_first, loc_again);
  ck_assert_int_eq(first.status, again.status);
  ck_assert_str_eq(first.body, again.body);
  free(loc_again);
  http_response_free(&again);
  get(loc_first, 200, &again); /* it names the import's source */
  http_response_free(&again);

  opts = import_server_options();
  test_server_restart(&ts, &opts);
  post("/import", headers, body, 201, &again);
  loc_again = http_header(&again, "Location");
  ck_assert_ptr_nonnull(loc_again);
  ck_assert_str_eq(loc_first, loc_again);
  ck_assert_str_eq(first.body, again.body);
  free(loc_first);
  free(loc_again);
  http_response_free(&first);
  http_response_free(&again);
}
END_TEST

START_TEST(refusals_before_the_body)
{
  struct http_response r;

  post("/import", CSV_CT, "amount\n", 401, &r);
  http_response_free(&r);
  post("/import", AUTH "Content-Type: application/json\r\n", "{}", 415, &r);
  http_response_free(&r);
}
END_TEST

/* @a rows CSV rows for the seed roles. */
static char *
csv_rows(int rows, size_t *len)
{
  char *body = NULL;
  FILE *f = open_memstream(&body, len);

  fputs("amount,kind,statistic,role,note\r\n", f);
  for (int i = 0; i < rows; i++)
    fprintf(f, "%d,base,individual,%s,\"row %d, quoted\"\r\n", 50000 + i % 100000,
            0 == i % 2 ? "platform-engineer" : "sales-engineer", i);
  fclose(f);
  return body;
}

START_TEST(a_chunked_body_in_small_pieces)
{
  size_t len;
  char *body = csv_rows(20000, &len);
  char *raw = NULL;
  size_t raw_len = 0;
  FILE *f = open_memstream(&raw, &raw_len);
  struct http_response r;
  long long before = count_salaries();

  fputs("POST /import HTTP/1.1\r\nHost: 127.0.0.1\r\n" AUTH CSV_CT
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", f);
  for (size_t at = 0; at < len; at += 997) {
    size_t n = len - at < 997 ? len - at : 997;

    fprintf(f, "%zx\r\n", n);
    fwrite(body + at, 1, n, f);
    fputs("\r\n", f);
  }
  fputs("0\r\n\r\n", f);
  fclose(f);
  ck_assert_int_eq(0, http_raw(ts.port, raw, &r));
  ck_assert_msg(201 == r.status, "%d %.300s", r.status, r.body);
  ck_assert_int_eq(before + 20000, count_salaries());
  http_response_free(&r);
  free(raw);
  free(body);
}
END_TEST

/* ---- slow bodies over a raw socket ------------------------------------ */

/* Opens a POST /import of @a len bytes and sends the headers and the first @a first bytes. */
static int
start_upload(uint16_t port, const char *extra, const char *body, size_t len, size_t first)
{
  char head[512];
  int fd = connect_local_or_fail(port);
  /* the answer waits for the whole import to be parsed and written */
  struct timeval tv = { .tv_sec = 2 * http_client_timeout_s() };
  int n;

  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  n = snprintf(head, sizeof head, "POST /import HTTP/1.1\r\nHost: 127.0.0.1\r\n%s" CSV_CT
               "Content-Length: %zu\r\nConnection: close\r\n\r\n", extra, len);
  send_all(fd, head, (size_t) n);
  send_all(fd, body, first);
  return fd;
}

static int
read_status(int fd)
{
  char buf[4096];
  ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
  int status = 0;

  if (n > 0) {
    buf[n] = '\0';
    sscanf(buf, "HTTP/1.1 %d", &status);
  }
  return status;
}

START_TEST(reads_are_answered_during_an_import)
{
  size_t len;
  char *body = csv_rows(30000, &len);
  long long before = count_salaries();
  int fd = start_upload(ts.port, AUTH, body, len, len / 2);
  struct http_response r;
  json_t *j;

  sleep_ms(300); /* the first half is in the open transaction by now */
  for (int i = 0; i < 4; i++) {
    get("/roles?sort=pay&limit=5", 200, &r);
    http_response_free(&r);
    get("/salaries?limit=1", 200, &r);
    j = http_json(&r);
    ck_assert_int_eq(before, json_integer_value(json_object_get(json_object_get(j, "meta"),
                                                                "total")));
    json_decref(j);
    http_response_free(&r);
  }
  ck_assert_int_eq(before, count_salaries());
  send_all(fd, body + len / 2, len - len / 2);
  ck_assert_int_eq(201, read_status(fd));
  close(fd);
  ck_assert_int_eq(before + 30000, count_salaries());
  get("/salaries?limit=1", 200, &r);
  j = http_json(&r);
  /* more than the list counts on: a lower bound, and no exact total */
  ck_assert(json_is_null(json_object_get(json_object_get(j, "meta"), "total")));
  ck_assert_int_eq(10001, json_integer_value(json_object_get(json_object_get(j, "meta"),
                                                             "total_at_least")));
  json_decref(j);
  http_response_free(&r);
  free(body);
}
END_TEST

/* ---- the real binary ----------------------------------------------------- */

/* techpayd with the test token from its environment, and two threads. */
static void
start_daemon(struct child_server *srv, const char *db_path)
{
  static char env_token[] = "TECHPAY_ADMIN_TOKEN=" TOKEN;
  struct http_response r;

  child_server_start(srv, db_path, (char *[]) { "--threads", "2", "--access-log", "off", NULL },
                     (char *[]) { env_token, NULL });
  http_fetch(child_server_port(srv), "GET", "/healthz", "", 200, &r);
  http_response_free(&r);
}

START_TEST(kill_9_in_the_middle_leaves_none_of_it)
{
  struct child_scratch sc;
  size_t len;
  char *body = csv_rows(200000, &len);
  struct child_server srv;
  long long before;
  int fd;

  child_scratch_create(&sc, "kill.db", NULL);
  start_daemon(&srv, sc.db.path);
  before = scratch_db_scalar(&sc.db, "SELECT count(*) FROM salaries");
  fd = start_upload(child_server_port(&srv), AUTH, body, len, len * 3 / 4);
  sleep_ms(1500); /* most of the rows are written in the open transaction */
  ck_assert_int_eq(0, kill(srv.pid, SIGKILL));
  child_server_wait(&srv, 128 + SIGKILL);
  close(fd);
  start_daemon(&srv, sc.db.path); /* starts cleanly: healthz 200 */
  ck_assert_int_eq(before, scratch_db_scalar(&sc.db, "SELECT count(*) FROM salaries"));
  ck_assert_int_eq(1, scratch_db_scalar(&sc.db, "SELECT value FROM settings"
                                                " WHERE key = 'pay_live'"));
  ck_assert_int_eq(0, scratch_db_scalar(&sc.db, "SELECT count(*) FROM sources"
                                                " WHERE slug LIKE 'import-%'"));
  child_server_stop(&srv);
  child_scratch_remove(&sc);
  free(body);
}
END_TEST

/* techpayd import with @a args, expecting exit status @a want. */
static void
run_import(struct child_run *r, char *const args[], int want)
{
  child_run(r, args, NULL);
  ck_assert_msg(want == r->status, "exit %d, want %d: %s%s", r->status, want, r->out, r->err);
}

START_TEST(the_command_line_import)
{
  struct child_scratch sc;
  char file[300];
  char bad[300];
  char db_flag[310];
  struct child_run r;
  FILE *f;

  child_scratch_create(&sc, "cli.db", NULL);
  snprintf(file, sizeof file, "%s/rows.csv", sc.db.dir);
  snprintf(bad, sizeof bad, "%s/bad.ndjson", sc.db.dir);
  snprintf(db_flag, sizeof db_flag, "--db=%s", sc.db.path);
  f = fopen(file, "w");
  fputs("amount,kind,statistic,role\n100000,base,average,cloud-architect\n"
        "90000,base,median,devops-engineer\n", f);
  fclose(f);
  f = fopen(bad, "w");
  fputs("{\"amount\":5,\"kind\":\"bonus\",\"statistic\":\"average\",\"role\":\"cloud-architect\"}\n", f);
  fclose(f);

  run_import(&r, (char *[]) { "import", file, db_flag, NULL }, 0);
  ck_assert_msg(NULL != strstr(r.out, "imported 2 rows into source import-"), "%s", r.out);
  ck_assert_int_eq(1, scratch_db_scalar(&sc.db, "SELECT count(*) FROM audit"
                                                " WHERE token_id = 'cli'"));

  run_import(&r, (char *[]) { "import", bad, db_flag, NULL }, 1);
  ck_assert_msg(NULL != strstr(r.err, "line 1: kind:"), "%s", r.err);
  ck_assert_msg(NULL != strstr(r.err, "nothing was imported"), "%s", r.err);

  run_import(&r, (char *[]) { "import", file, db_flag, "--dry-run", NULL }, 0);
  ck_assert_msg(NULL != strstr(r.out, "dry run: 2 rows"), "%s", r.out);
  ck_assert_int_eq(1, scratch_db_scalar(&sc.db, "SELECT count(*) FROM audit"));

  run_import(&r, (char *[]) { "import", db_flag, NULL }, 2);
  run_import(&r, (char *[]) { "import", sc.db.dir, "--format", "xml", db_flag, NULL }, 2);
  run_import(&r, (char *[]) { "import", "/nonexistent.csv", db_flag, NULL }, 1);
  unlink(file);
  unlink(bad);
  child_scratch_remove(&sc);
}
END_TEST

/* The pay an import computes (db/import_pay.c, without the view's window
 * functions, for speed) equals the role_pay view's for random data: many
 * rounds of random reports (ties, both kinds, every statistic and bound)
 * spread over random roles, each round under a random min_reports, every
 * role compared after each round. The seed is fixed so that a failure
 * comes back; TECHPAY_PAY_SEED tries another. */
#define PAY_ROUNDS 100
#define PAY_ROLES 21

static uint64_t pay_rng_state;

static uint64_t
pay_rng(void)
{
  /* xorshift64*: enough for test data, the same on every machine */
  pay_rng_state ^= pay_rng_state >> 12;
  pay_rng_state ^= pay_rng_state << 25;
  pay_rng_state ^= pay_rng_state >> 27;
  return pay_rng_state * UINT64_C(2685821657736338717);
}

static const char *
pay_pick(const char *const *choices, const unsigned *weights, size_t n)
{
  unsigned total = 0;
  unsigned at;

  for (size_t i = 0; i < n; i++)
    total += weights[i];
  at = (unsigned) (pay_rng() % total);
  for (size_t i = 0; i < n; i++) {
    if (at < weights[i])
      return choices[i];
    at -= weights[i];
  }
  return choices[n - 1];
}

static struct salary_report
pay_random_row(const char *role, uint64_t line)
{
  static const char *const kinds[] = { "base", "total" };
  static const unsigned kind_w[] = { 85, 15 };
  static const char *const stats[] = { "individual", "average", "median", "p25", "maximum" };
  static const unsigned stat_w[] = { 70, 15, 5, 5, 5 };
  static const char *const bounds[] = { "exact", "at_least", "below" };
  static const unsigned bound_w[] = { 85, 10, 5 };

  return (struct salary_report) {
    .line = line, .role = role,
    /* few distinct amounts, so that ties are common */
    .amount = 60000 + (int64_t) (pay_rng() % 40) * 2500 + (0 == pay_rng() % 7 ? 1 : 0),
    .kind = pay_pick(kinds, kind_w, 2),
    .statistic = pay_pick(stats, stat_w, 5),
    .bound = pay_pick(bounds, bound_w, 3),
  };
}

/* One import of a few random roles' random reports. */
static void
pay_import_round(const char *path, char slugs[][96], size_t nslugs)
{
  struct import_options o = { .token_id = "test", .origin = "random pay data" };
  struct import_session *s = NULL;
  struct import_replay replay;
  struct import_result *r = malloc(sizeof *r);
  struct db *db = NULL;
  char err[256];
  size_t roles = 1 + (size_t) (pay_rng() % 4);
  uint64_t line = 2;

  ck_assert_ptr_nonnull(r);
  ck_assert_msg(0 == import_db_open(path, &db, err, sizeof err), "%s", err);
  ck_assert_int_eq(DB_ONE, import_session_begin(db, true, &o, &s, &replay));
  for (size_t k = 0; k < roles; k++) {
    const char *role = slugs[pay_rng() % nslugs];
    size_t rows = (size_t) (pay_rng() % 12);

    for (size_t i = 0; i < rows; i++) {
      struct salary_report row = pay_random_row(role, line++);

      ck_assert_int_eq(0, import_session_add(s, &row));
    }
  }
  ck_assert_int_eq(DB_ONE, import_session_finish(s, NULL, true, NULL, r));
  free(r);
}

/* The slugs of the first @a max roles, by id. */
static size_t
pay_role_slugs(const struct scratch_db *sd, char slugs[][96], size_t max)
{
  size_t n = 0;

  for (char *slug; n < max; n++) {
    char sql[96];

    snprintf(sql, sizeof sql, "SELECT slug FROM roles ORDER BY id LIMIT 1 OFFSET %zu", n);
    slug = scratch_db_text(sd, sql);
    if (NULL == slug)
      break;
    snprintf(slugs[n], 96, "%s", slug);
    free(slug);
  }
  return n;
}

START_TEST(imported_pay_is_the_views_on_random_data)
{
  struct scratch_db sd;
  char slugs[PAY_ROLES][96];
  const char *seed = getenv("TECHPAY_PAY_SEED");
  size_t nslugs;
  char sql[320];

  pay_rng_state = NULL != seed ? strtoull(seed, NULL, 10) : UINT64_C(20261202);
  if (0 == pay_rng_state)
    pay_rng_state = 1;
  scratch_db_create(&sd);
  nslugs = pay_role_slugs(&sd, slugs, PAY_ROLES);
  ck_assert_uint_ge(nslugs, 2);
  for (int round = 0; round < PAY_ROUNDS; round++) {
    /* a new min_reports, with every role's pay brought back to the view's */
    snprintf(sql, sizeof sql, "UPDATE settings SET value = %d WHERE key = 'min_reports';"
             " UPDATE roles SET (pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75) ="
             " (SELECT pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75 FROM role_pay"
             " WHERE role_pay.role_id = roles.id)", 1 + (int) (pay_rng() % 8));
    scratch_db_exec(&sd, sql);
    pay_import_round(sd.path, slugs, nslugs);
    ck_assert_msg(0 == scratch_db_scalar(&sd, pay_differs_from_view),
                  "round %d: an imported pay differs from the view's", round);
  }
  /* the data reached past every threshold */
  ck_assert_int_gt(scratch_db_scalar(&sd, "SELECT max(pay_n) FROM roles"), 8);
  scratch_db_remove(&sd);
}
END_TEST

static Suite *
import_suite(void)
{
  Suite *s = suite_create("import");
  TCase *http = tcase_create("http");
  TCase *binary = tcase_create("binary");
  TCase *pay = tcase_create("pay");

  tcase_add_checked_fixture(http, setup, teardown);
  tcase_set_timeout(http, 60);
  tcase_add_test(http, csv_and_ndjson_are_imported);
  tcase_add_test(http, enough_reports_make_the_median_the_pay);
  tcase_add_test(http, imported_pay_is_the_views);
  tcase_add_test(http, an_export_imports_again);
  tcase_add_test(http, a_bad_row_changes_nothing);
  tcase_add_test(http, more_than_100_errors_are_counted);
  tcase_add_test(http, an_unknown_column_is_named);
  tcase_add_test(http, a_dry_run_writes_nothing);
  tcase_add_test(http, an_idempotency_key_replays);
  tcase_add_test(http, a_replay_has_the_first_answers_location);
  tcase_add_test(http, refusals_before_the_body);
  tcase_add_test(http, a_chunked_body_in_small_pieces);
  tcase_add_test(http, reads_are_answered_during_an_import);
  suite_add_tcase(s, http);
  tcase_set_timeout(binary, 90);
  tcase_add_test(binary, kill_9_in_the_middle_leaves_none_of_it);
  tcase_add_test(binary, the_command_line_import);
  suite_add_tcase(s, binary);
  tcase_set_timeout(pay, 90);
  tcase_add_test(pay, imported_pay_is_the_views_on_random_data);
  suite_add_tcase(s, pay);
  return s;
}

int
main(void)
{
  if (NULL == getenv("TECHPAYD")) {
    fprintf(stderr, "TECHPAYD must name the techpayd binary (meson test sets it)\n");
    return 77;
  }
  return run_suite(import_suite());
}
