/**
 * @file tests/check_pg_cli.c
 * @brief techpayd's command line on a PostgreSQL database: choosing the
 *        engine by the --db value or DATABASE_URL, `migrate [--status]`,
 *        and one clear line, without the password, when it cannot connect.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db/pg_conn.h"
#include "tests/child.h"
#include "tests/harness.h"
#include "tests/pg_server.h"

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

START_TEST(test_migrate_and_status)
{
  struct child_run r;
  char conninfo[512];

  fresh_database("cli", conninfo, sizeof conninfo);
  /* pending migrations are no fault: the next start applies them */
  child_run(&r, (char *[]) { "migrate", "--status", "--db", conninfo, NULL }, NULL);
  ck_assert_msg(0 == r.status, "%d %s", r.status, r.err);
  ck_assert_msg(NULL != strstr(r.out, "0001     schema                   pending"), "%s", r.out);
  child_run(&r, (char *[]) { "migrate", "--db", conninfo, NULL }, NULL);
  ck_assert_msg(0 == r.status, "%d %s", r.status, r.err);
  ck_assert_msg(NULL != strstr(r.err, " migration(s)"), "%s", r.err);
  child_run(&r, (char *[]) { "migrate", "--status", "--db", conninfo, NULL }, NULL);
  ck_assert_msg(0 == r.status, "%d %s %s", r.status, r.out, r.err);
  /* every migration this binary knows is now applied, whatever their number */
  ck_assert_msg(NULL != strstr(r.out, "0001     schema                   applied"), "%s", r.out);
  ck_assert_msg(NULL == strstr(r.out, "pending"), "%s", r.out);
}
END_TEST

/* DATABASE_URL, as platforms set it, when neither --db nor TECHPAY_DB is given. */
START_TEST(test_database_url)
{
  struct child_run r;
  char conninfo[512];
  char env[600];

  fresh_database("from_env", conninfo, sizeof conninfo);
  snprintf(env, sizeof env, "DATABASE_URL=%s", conninfo);
  child_run(&r, (char *[]) { "migrate", NULL }, (char *[]) { env, NULL });
  ck_assert_msg(0 == r.status, "%d %s", r.status, r.err);
  ck_assert_msg(NULL != strstr(r.err, "dbname=from_env"), "%s", r.err);
}
END_TEST

START_TEST(test_cannot_connect_without_password_shown)
{
  struct child_run r;

  child_run(&r, (char *[]) { "migrate", "--db",
                             "postgresql://techpay:pw-Sesame-42@127.0.0.1:1/techpay", NULL }, NULL);
  ck_assert_int_eq(1, r.status);
  ck_assert_msg(NULL != strstr(r.err, "cannot connect to postgresql://techpay@127.0.0.1:1/techpay"),
                "%s", r.err);
  ck_assert_msg(NULL == strstr(r.err, "Sesame"), "%s", r.err);
  ck_assert_msg(NULL == strchr(r.err, '\n') || '\0' == strchr(r.err, '\n')[1], "%s", r.err);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pg_cli");
  TCase *tc = tcase_create("core");
  int rc;

  pg_server_start_or_exit(&server, "check_pg_cli");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_migrate_and_status);
  tcase_add_test(tc, test_database_url);
  tcase_add_test(tc, test_cannot_connect_without_password_shown);
  suite_add_tcase(s, tc);
  rc = run_suite(s);
  pg_server_stop(&server);
  return rc;
}
