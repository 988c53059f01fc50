/**
 * @file tests/check_migrate.c
 * @brief Migrations: fresh database, re-run, edited migration, newer
 *        database, foreign database, non-database file; none may be damaged.
 */
#include <check.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/migrate.h"
#include "db/migrations.h"
#include "util/log.h"
#include "tests/harness.h"

static char dir[256];
static char path[300];

static void
setup(void)
{
  log_threshold = LOG_ERROR;
  scratch_dir(dir, sizeof dir, path, sizeof path, "m.db");
}

static void
teardown(void)
{
  struct scratch_db sd;

  memcpy(sd.dir, dir, sizeof dir);
  memcpy(sd.path, path, sizeof path);
  scratch_db_remove(&sd);
}

static void
sql(const char *stmt)
{
  sqlite3 *conn;
  char *msg = NULL;

  ck_assert_int_eq(SQLITE_OK, sqlite3_open(path, &conn));
  ck_assert_msg(SQLITE_OK == sqlite3_exec(conn, stmt, NULL, NULL, &msg), "%s", msg);
  sqlite3_close(conn);
}

static long long
scalar(const char *query)
{
  sqlite3 *conn;
  sqlite3_stmt *st;
  long long v = -1;

  ck_assert_int_eq(SQLITE_OK, sqlite3_open_v2(path, &conn, SQLITE_OPEN_READONLY, NULL));
  ck_assert_int_eq(SQLITE_OK, sqlite3_prepare_v2(conn, query, -1, &st, NULL));
  if (SQLITE_ROW == sqlite3_step(st))
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(conn);
  return v;
}

static int
migrate(unsigned upto, unsigned *applied, char *err)
{
  struct db *db;
  int rc;

  ck_assert_msg(0 == db_open(path, DB_OPEN_CREATE, &db, err, 512), "%s", err);
  rc = migrate_run(db, upto, applied, err, 512);
  db_close(db);
  return rc;
}

START_TEST(fresh_database_gets_every_migration)
{
  unsigned applied;
  char err[512];

  ck_assert_msg(0 == migrate(0, &applied, err), "%s", err);
  ck_assert_uint_eq(migrations_count, applied);
  ck_assert_int_eq((long long) migrations_count, scalar("SELECT count(*) FROM schema_migrations"));
  ck_assert_int_eq((long long) migrations_count, scalar("PRAGMA user_version"));
  ck_assert_int_eq(1, scalar("SELECT count(*) = count(DISTINCT checksum) AND min(length(applied_at)) >= 20"
                             " FROM schema_migrations"));
  ck_assert_int_eq(0, scalar("SELECT count(*) FROM schema_migrations WHERE checksum NOT LIKE 'fnv1a64:%'"));
  /* WAL is a property of the file: it must persist for every later connection */
  ck_assert_int_eq(1, scalar("SELECT journal_mode = 'wal' FROM pragma_journal_mode"));
  ck_assert_msg(0 == migrate(0, &applied, err), "%s", err);
  ck_assert_uint_eq(0, applied);
}
END_TEST

START_TEST(step_by_step_equals_all_at_once)
{
  unsigned applied;
  char err[512];

  ck_assert_msg(0 == migrate(1, &applied, err), "%s", err);
  ck_assert_uint_eq(1, applied);
  ck_assert_int_eq(0, scalar("SELECT count(*) FROM roles"));
  ck_assert_msg(0 == migrate(0, &applied, err), "%s", err);
  ck_assert_uint_eq(migrations_count - 1, applied);
  ck_assert_int_gt(scalar("SELECT count(*) FROM roles"), 0);
}
END_TEST

START_TEST(edited_migration_is_refused)
{
  unsigned applied;
  char err[512] = "";

  ck_assert_msg(0 == migrate(0, &applied, err), "%s", err);
  sql("UPDATE schema_migrations SET checksum = 'fnv1a64:0000000000000000' WHERE version = 1");
  ck_assert_int_eq(-1, migrate(0, &applied, err));
  ck_assert_msg(NULL != strstr(err, "changed after it was applied"), "%s", err);
  ck_assert_msg(NULL != strstr(err, "0001_schema"), "%s", err);
}
END_TEST

START_TEST(newer_database_is_refused_untouched)
{
  unsigned applied;
  char err[512] = "";
  long long roles;

  ck_assert_msg(0 == migrate(0, &applied, err), "%s", err);
  sql("INSERT INTO schema_migrations VALUES (999, 'future', 'fnv1a64:1', '2099-01-01T00:00:00Z')");
  roles = scalar("SELECT count(*) FROM roles");
  ck_assert_int_eq(-1, migrate(0, &applied, err));
  ck_assert_msg(NULL != strstr(err, "newer than this techpayd"), "%s", err);
  ck_assert_int_eq(roles, scalar("SELECT count(*) FROM roles"));
  ck_assert_int_eq(999, scalar("SELECT max(version) FROM schema_migrations"));
}
END_TEST

START_TEST(foreign_database_is_refused_untouched)
{
  unsigned applied;
  char err[512] = "";

  sql("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)");
  ck_assert_int_eq(-1, migrate(0, &applied, err));
  ck_assert_msg(NULL != strstr(err, "not a techpay database"), "%s", err);
  ck_assert_int_eq(1, scalar("SELECT count(*) FROM sqlite_schema"));
  ck_assert_int_eq(1, scalar("SELECT count(*) FROM invoices"));
}
END_TEST

START_TEST(non_database_file_is_left_byte_for_byte)
{
  static const char junk[] = "this is a text file, not a database\n";
  struct db *db = NULL;
  char err[512] = "";
  FILE *f = fopen(path, "wb");
  size_t len;
  char *back;

  ck_assert_ptr_nonnull(f);
  fputs(junk, f);
  fclose(f);
  ck_assert_int_eq(-1, db_open(path, DB_OPEN_CREATE, &db, err, sizeof err));
  ck_assert_ptr_null(db);
  ck_assert_msg(NULL != strstr(err, "not a SQLite database"), "%s", err);
  back = read_file_bytes(path, &len);
  ck_assert_uint_eq(strlen(junk), len);
  ck_assert_int_eq(0, memcmp(junk, back, len));
  free(back);
}
END_TEST

START_TEST(unwritable_location_is_a_clear_error)
{
  struct db *db = NULL;
  char err[512] = "";

  ck_assert_int_eq(-1, db_open("/nonexistent-dir/x/techpay.db", DB_OPEN_CREATE, &db, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x/techpay.db"));
  ck_assert_int_eq(-1, db_open(dir, DB_OPEN_CREATE, &db, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "directory"));
}
END_TEST

START_TEST(every_sql_file_is_embedded)
{
  DIR *d = opendir(MIGRATIONS_DIR);
  struct dirent *e;
  size_t files = 0;

  ck_assert_ptr_nonnull(d);
  while (NULL != (e = readdir(d))) {
    size_t len = strlen(e->d_name);

    if (len > 4 && 0 == strcmp(e->d_name + len - 4, ".sql")) {
      unsigned v = (unsigned) atoi(e->d_name);
      char want[128];

      files++;
      ck_assert_msg(v >= 1 && v <= migrations_count, "%s is not listed in migrations/meson.build",
                    e->d_name);
      snprintf(want, sizeof want, "%04u_%s.sql", v, migrations[v - 1].name);
      ck_assert_str_eq(want, e->d_name);
    }
  }
  closedir(d);
  ck_assert_uint_eq(migrations_count, files);
}
END_TEST

START_TEST(status_reports_each_migration)
{
  unsigned applied;
  char err[512];
  struct db *db;
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);

  ck_assert_msg(0 == migrate(1, &applied, err), "%s", err);
  ck_assert_int_eq(0, db_open(path, DB_OPEN_READONLY, &db, err, sizeof err));
  ck_assert_int_eq(0, migrate_print_status(db, f));
  db_close(db);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(out, "0001     schema"));
  ck_assert_ptr_nonnull(strstr(out, "applied"));
  ck_assert_ptr_nonnull(strstr(out, "0002     seed"));
  ck_assert_ptr_nonnull(strstr(out, "pending"));
  free(out);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("migrate");
  TCase *tc = tcase_create("migrate");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, fresh_database_gets_every_migration);
  tcase_add_test(tc, step_by_step_equals_all_at_once);
  tcase_add_test(tc, edited_migration_is_refused);
  tcase_add_test(tc, newer_database_is_refused_untouched);
  tcase_add_test(tc, foreign_database_is_refused_untouched);
  tcase_add_test(tc, non_database_file_is_left_byte_for_byte);
  tcase_add_test(tc, unwritable_location_is_a_clear_error);
  tcase_add_test(tc, every_sql_file_is_embedded);
  tcase_add_test(tc, status_reports_each_migration);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
