/**
 * @file tests/check_pg_migrate.c
 * @brief The PostgreSQL migrations and their runner, on a throwaway server:
 *        they apply once (also from two processes started together), a
 *        database that is newer, changed or not ours is refused
 *        (tests/check_pg_seed.c compares the data with SQLite's).
 *
 * Each test works in a database of its own, created in the one server
 * that main() starts for this program. Without a PostgreSQL server on the
 * machine the program skips (exit 77).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/migrations.h"
#include "db/pg_conn.h"
#include "db/pg_migrate.h"
#include "tests/pg_server.h"

static struct pg_server server;

/* Creates database @a name and connects to it; @a spec receives its
 * connection string. */
static PGconn *
fresh_database(const char *name, char *spec, size_t spec_size)
{
  char err[512];
  char sql[128];
  PGconn *admin = pg_conn_open(server.conninfo, err, sizeof err);
  PGresult *res;
  PGconn *conn;

  ck_assert_msg(NULL != admin, "%s", err);
  snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
  res = PQexec(admin, sql);
  ck_assert_msg(PGRES_COMMAND_OK == PQresultStatus(res), "%s", PQerrorMessage(admin));
  PQclear(res);
  PQfinish(admin);
  pg_server_conninfo(&server, name, spec, spec_size);
  conn = pg_conn_open(spec, err, sizeof err);
  ck_assert_msg(NULL != conn, "%s", err);
  return conn;
}

static void
exec_ok(PGconn *conn, const char *sql)
{
  PGresult *res = PQexec(conn, sql);

  ck_assert_msg(PGRES_COMMAND_OK == PQresultStatus(res) || PGRES_TUPLES_OK == PQresultStatus(res),
                "%s: %s", sql, PQerrorMessage(conn));
  PQclear(res);
}

static long long
query_number(PGconn *conn, const char *sql)
{
  PGresult *res = PQexec(conn, sql);
  long long n;

  ck_assert_msg(PGRES_TUPLES_OK == PQresultStatus(res) && 1 == PQntuples(res), "%s: %s", sql,
                PQerrorMessage(conn));
  n = atoll(PQgetvalue(res, 0, 0));
  PQclear(res);
  return n;
}

static void
migrate_ok(PGconn *conn, unsigned expect_applied)
{
  char err[512] = "";
  unsigned applied = 99;

  ck_assert_msg(0 == pg_migrate_run(conn, 0, &applied, err, sizeof err), "%s", err);
  ck_assert_uint_eq(applied, expect_applied);
}

/* One PostgreSQL migration per SQLite one, with the same number and name. */
START_TEST(test_same_migrations_as_sqlite)
{
  char err[256];
  size_t count = 0;
  const struct pg_migration *pg = pg_migrations(&count, err, sizeof err);

  ck_assert_msg(NULL != pg, "%s", err);
  ck_assert_uint_eq(count, migrations_count);
  for (size_t i = 0; i < count; i++) {
    ck_assert_uint_eq(pg[i].version, migrations[i].version);
    ck_assert_str_eq(pg[i].name, migrations[i].name);
    ck_assert_int_eq(0, strncmp(pg[i].checksum, "fnv1a64:", 8));
    ck_assert_uint_eq(strlen(pg[i].checksum), 8 + 16);
  }
}
END_TEST

START_TEST(test_applies_once)
{
  char spec[512];
  char err[256];
  size_t count = 0;
  const struct pg_migration *pg = pg_migrations(&count, err, sizeof err);
  PGconn *conn = fresh_database("applies_once", spec, sizeof spec);
  PGresult *res;

  migrate_ok(conn, (unsigned) count);
  migrate_ok(conn, 0);
  res = PQexec(conn, "SELECT version, name, checksum, applied_at FROM schema_migrations"
                     " ORDER BY version");
  ck_assert_int_eq(PQntuples(res), (int) count);
  for (int i = 0; i < PQntuples(res); i++) {
    ck_assert_int_eq(atoi(PQgetvalue(res, i, 0)), i + 1);
    ck_assert_str_eq(PQgetvalue(res, i, 1), pg[i].name);
    ck_assert_str_eq(PQgetvalue(res, i, 2), pg[i].checksum);
    /* 2026-12-02T13:59:40.123Z, as SQLite's strftime('%Y-%m-%dT%H:%M:%fZ') */
    ck_assert_uint_eq(strlen(PQgetvalue(res, i, 3)), 24);
    ck_assert_int_eq(PQgetvalue(res, i, 3)[10], 'T');
    ck_assert_int_eq(PQgetvalue(res, i, 3)[23], 'Z');
  }
  PQclear(res);
  PQfinish(conn);
}
END_TEST

START_TEST(test_upto_then_rest)
{
  char spec[512];
  char err[512] = "";
  unsigned applied = 0;
  PGconn *conn = fresh_database("upto_then_rest", spec, sizeof spec);

  ck_assert_msg(0 == pg_migrate_run(conn, 3, &applied, err, sizeof err), "%s", err);
  ck_assert_uint_eq(applied, 3);
  ck_assert_int_eq(query_number(conn, "SELECT count(*) FROM schema_migrations"), 3);
  migrate_ok(conn, (unsigned) migrations_count - 3);
  PQfinish(conn);
}
END_TEST

/* A child: connects, waits for the parent's signal (the pipe closing) so
 * that both start at the same moment, migrates, and exits with how many
 * migrations it applied, or 100 on failure. */
static void
migrating_child(const char *spec, int start_fd)
{
  char err[512];
  char byte;
  unsigned applied = 0;
  PGconn *conn = pg_conn_open(spec, err, sizeof err);

  if (NULL == conn)
    _exit(100);
  if (read(start_fd, &byte, 1) < 0)
    _exit(100);
  if (0 != pg_migrate_run(conn, 0, &applied, err, sizeof err)) {
    fprintf(stderr, "child: %s\n", err);
    _exit(100);
  }
  PQfinish(conn);
  _exit((int) applied);
}

START_TEST(test_two_processes_at_once)
{
  char spec[512];
  char err[512];
  PGconn *conn = fresh_database("two_at_once", spec, sizeof spec);
  int start[2];
  pid_t pids[2];
  int total = 0;

  /* A child must not inherit an open connection: it can neither use nor
   * close a socket that another process talks on. */
  PQfinish(conn);
  ck_assert_int_eq(0, pipe(start));
  for (int i = 0; i < 2; i++) {
    pids[i] = fork();
    ck_assert_int_ge(pids[i], 0);
    if (0 == pids[i]) {
      close(start[1]);
      migrating_child(spec, start[0]);
    }
  }
  close(start[0]);
  usleep(200 * 1000); /* both connected and waiting */
  close(start[1]);
  for (int i = 0; i < 2; i++) {
    int status = 0;

    ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
    ck_assert(WIFEXITED(status));
    ck_assert_int_lt(WEXITSTATUS(status), 100);
    total += WEXITSTATUS(status);
  }
  ck_assert_int_eq(total, (int) migrations_count);
  conn = pg_conn_open(spec, err, sizeof err);
  ck_assert_msg(NULL != conn, "%s", err);
  ck_assert_int_eq(query_number(conn, "SELECT count(*) FROM schema_migrations"),
                   (long long) migrations_count);
  ck_assert_int_eq(query_number(conn, "SELECT count(DISTINCT version) FROM schema_migrations"),
                   (long long) migrations_count);
  ck_assert_int_eq(query_number(conn, "SELECT count(*) FROM roles"),
                   query_number(conn, "SELECT count(DISTINCT slug) FROM roles"));
  PQfinish(conn);
}
END_TEST

static void
assert_refused(PGconn *conn, const char *expected)
{
  char err[512] = "";
  unsigned applied = 99;

  ck_assert_int_eq(-1, pg_migrate_run(conn, 0, &applied, err, sizeof err));
  ck_assert_uint_eq(applied, 0);
  ck_assert_msg(NULL != strstr(err, expected), "expected \"%s\" in: %s", expected, err);
  ck_assert_msg(NULL == strchr(err, '\n'), "more than one line: %s", err);
}

START_TEST(test_refuses_newer_schema)
{
  char spec[512];
  char sql[256];
  PGconn *conn = fresh_database("newer_schema", spec, sizeof spec);

  migrate_ok(conn, (unsigned) migrations_count);
  snprintf(sql, sizeof sql,
           "INSERT INTO schema_migrations VALUES (%zu, 'from_the_future',"
           " 'fnv1a64:0000000000000000', '2030-01-01T00:00:00.000Z')",
           migrations_count + 1);
  exec_ok(conn, sql);
  assert_refused(conn, "newer than this techpayd");
  PQfinish(conn);
}
END_TEST

START_TEST(test_refuses_changed_migration)
{
  char spec[512];
  PGconn *conn = fresh_database("changed_migration", spec, sizeof spec);

  migrate_ok(conn, (unsigned) migrations_count);
  exec_ok(conn, "UPDATE schema_migrations SET checksum = 'fnv1a64:0123456789abcdef'"
                " WHERE version = 2");
  assert_refused(conn, "migration 0002_seed was changed after it was applied");
  PQfinish(conn);
}
END_TEST

START_TEST(test_refuses_foreign_schema)
{
  char spec[512];
  PGconn *conn = fresh_database("foreign_schema", spec, sizeof spec);

  exec_ok(conn, "CREATE TABLE someone_elses (x integer)");
  assert_refused(conn, "not a techpay database");
  ck_assert_int_eq(query_number(conn, "SELECT count(*) FROM pg_tables"
                                      " WHERE tablename = 'schema_migrations'"), 0);
  PQfinish(conn);
}
END_TEST

START_TEST(test_status)
{
  char spec[512];
  char *text = NULL;
  size_t len = 0;
  FILE *out;
  PGconn *conn = fresh_database("status", spec, sizeof spec);
  unsigned applied = 0;
  char err[256];

  ck_assert_int_eq(0, pg_migrate_run(conn, 2, &applied, err, sizeof err));
  out = open_memstream(&text, &len);
  ck_assert_int_eq(0, pg_migrate_print_status(conn, out));
  fclose(out);
  ck_assert_ptr_nonnull(strstr(text, "0001     schema                   applied"));
  ck_assert_ptr_nonnull(strstr(text, "0003     read_api                 pending    -\n"));
  free(text);
  PQfinish(conn);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pg_migrate");
  TCase *tc = tcase_create("core");
  SRunner *sr;
  int failed;

  pg_server_start_or_exit(&server, "check_pg_migrate");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_same_migrations_as_sqlite);
  tcase_add_test(tc, test_applies_once);
  tcase_add_test(tc, test_upto_then_rest);
  tcase_add_test(tc, test_two_processes_at_once);
  tcase_add_test(tc, test_refuses_newer_schema);
  tcase_add_test(tc, test_refuses_changed_migration);
  tcase_add_test(tc, test_refuses_foreign_schema);
  tcase_add_test(tc, test_status);
  suite_add_tcase(s, tc);
  sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  pg_server_stop(&server);
  return 0 == failed ? EXIT_SUCCESS : EXIT_FAILURE;
}
