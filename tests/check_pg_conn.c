/**
 * @file tests/check_pg_conn.c
 * @brief Naming a PostgreSQL database: what counts as one, how it is shown
 *        in logs (never with its password), and how a failed connection
 *        is reported (one line, no password).
 *
 * Most tests need no server; the last one connects to a throwaway one and
 * is left out when no PostgreSQL server is installed.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "db/pg_conn.h"
#include "tests/pg_server.h"

static struct pg_server server;
static int have_server;

static void
assert_redacted(const char *spec, const char *expected)
{
  char out[512];

  pg_conn_redact(spec, out, sizeof out);
  ck_assert_str_eq(out, expected);
}

START_TEST(test_is_postgresql)
{
  ck_assert(pg_conn_is_postgresql("postgresql://u@h/db"));
  ck_assert(pg_conn_is_postgresql("postgres://h"));
  ck_assert(pg_conn_is_postgresql("host=/tmp dbname=techpay"));
  ck_assert(pg_conn_is_postgresql("dbname = techpay"));
  ck_assert(!pg_conn_is_postgresql("techpay.db"));
  ck_assert(!pg_conn_is_postgresql("data/a=b.db"));
  ck_assert(!pg_conn_is_postgresql(":memory:"));
  ck_assert(!pg_conn_is_postgresql("/var/lib/techpay/techpay.db"));
  ck_assert(!pg_conn_is_postgresql(""));
}
END_TEST

START_TEST(test_redact_url)
{
  assert_redacted("postgresql://alice:s3cret@db.example:5432/techpay?sslmode=require",
                  "postgresql://alice@db.example:5432/techpay?sslmode=require");
  assert_redacted("postgres://alice:s3cret@a:5432,b:5433/techpay"
                  "?password=other&target_session_attrs=read-write",
                  "postgres://alice@a:5432,b:5433/techpay?target_session_attrs=read-write");
  assert_redacted("postgresql://alice@h/db?%70assword=x&sslmode=disable",
                  "postgresql://alice@h/db?sslmode=disable");
  assert_redacted("postgresql://h/db?password=x", "postgresql://h/db");
  assert_redacted("postgresql://h", "postgresql://h");
  assert_redacted("postgresql:///techpay?host=/run/postgresql",
                  "postgresql:///techpay?host=/run/postgresql");
}
END_TEST

START_TEST(test_redact_keywords)
{
  char out[512];

  pg_conn_redact("host=/tmp user=bob password='p w s' dbname=techpay", out, sizeof out);
  ck_assert_ptr_null(strstr(out, "p w s"));
  ck_assert_ptr_null(strstr(out, "password"));
  ck_assert_ptr_nonnull(strstr(out, "user=bob"));
  ck_assert_ptr_nonnull(strstr(out, "dbname=techpay"));
  ck_assert_ptr_nonnull(strstr(out, "host=/tmp"));
  pg_conn_redact("host=/tmp application_name='a b'", out, sizeof out);
  ck_assert_ptr_nonnull(strstr(out, "application_name='a b'"));
  assert_redacted("host=x nosuchkeyword=1 password=secret",
                  "(unparsable PostgreSQL connection string)");
}
END_TEST

START_TEST(test_one_line_scrubs)
{
  char out[256];

  setenv("PGPASSWORD", "from-env-secret", 1);
  pg_conn_one_line("first\nsecond from-env-secret and s3cret\n",
                   "postgresql://alice:s3cret@h/db", out, sizeof out);
  ck_assert_str_eq(out, "first; second *** and ***");
  unsetenv("PGPASSWORD");
}
END_TEST

/* No server listens in a directory that does not exist: libpq fails at
 * once, and what we say must be one line without the password. */
START_TEST(test_failed_connection_is_one_line)
{
  static const char *const specs[] = {
    "postgresql://alice:pw-xyzzy-1@/techpay?host=/nonexistent/techpay-test&connect_timeout=2",
    "postgresql://alice:pw-xyzzy-1@h:notaport/techpay",
    "host=/nonexistent/techpay-test user=alice password=pw-xyzzy-1 dbname=techpay",
  };

  for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
    char err[512] = "";
    PGconn *conn = pg_conn_open(specs[i], err, sizeof err);

    ck_assert_ptr_null(conn);
    ck_assert_msg(0 == strncmp(err, "cannot connect to ", 18), "%s", err);
    ck_assert_msg(NULL == strstr(err, "pw-xyzzy-1"), "password shown: %s", err);
    ck_assert_msg(NULL == strchr(err, '\n'), "more than one line: %s", err);
  }
}
END_TEST

START_TEST(test_connects)
{
  char err[512] = "";
  PGconn *conn;

  if (!have_server)
    return;
  conn = pg_conn_open(server.conninfo, err, sizeof err);
  ck_assert_msg(NULL != conn, "%s", err);
  ck_assert_str_eq(PQparameterStatus(conn, "client_encoding"), "UTF8");
  PQfinish(conn);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pg_conn");
  TCase *tc = tcase_create("core");
  SRunner *sr;
  char why[512];
  int failed;

  have_server = 0 == pg_server_start(&server, why, sizeof why);
  if (!have_server)
    printf("check_pg_conn: no test server, the connecting test is left out: %s\n", why);
  tcase_add_test(tc, test_is_postgresql);
  tcase_add_test(tc, test_redact_url);
  tcase_add_test(tc, test_redact_keywords);
  tcase_add_test(tc, test_one_line_scrubs);
  tcase_add_test(tc, test_failed_connection_is_one_line);
  tcase_add_test(tc, test_connects);
  suite_add_tcase(s, tc);
  sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  pg_server_stop(&server);
  return 0 == failed ? EXIT_SUCCESS : EXIT_FAILURE;
}
