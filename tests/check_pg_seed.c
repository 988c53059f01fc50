/**
 * @file tests/check_pg_seed.c
 * @brief After all migrations, and after the same writes, PostgreSQL holds
 *        what SQLite holds: the same tables, columns and rows, value for
 *        value.
 *
 * The SQLite side is a fresh in-memory database given the embedded SQLite
 * migrations with plain sqlite3 (and the version and name record that
 * db/migrate.c keeps), so that this test compares the two sets of
 * migration files and nothing else. Every table is read with
 * SELECT * ORDER BY its leading columns (each table's primary key comes
 * first) and every value rendered as text: integers and text as they
 * are, NULL as \N, floating point with 17 significant digits (SQLite's
 * REAL and PostgreSQL's double precision are both IEEE doubles).
 * schema_migrations is compared on version and name only: the checksums
 * are of different files and the times differ.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/migrations.h"
#include "db/pg_conn.h"
#include "db/pg_migrate.h"
#include "tests/pg_server.h"

static struct pg_server server;

/* A growing text, one rendered row per line. */
struct text {
  char *s;
  size_t len;
  size_t cap;
};

static void
text_add(struct text *t, const char *s)
{
  size_t n = strlen(s);

  if (t->len + n + 1 > t->cap) {
    t->cap = (t->len + n + 1) * 2;
    t->s = realloc(t->s, t->cap);
    ck_assert_ptr_nonnull(t->s);
  }
  memcpy(t->s + t->len, s, n + 1);
  t->len += n;
}

static void
text_add_double(struct text *t, double d)
{
  char buf[64];

  snprintf(buf, sizeof buf, "%.17g", d);
  text_add(t, buf);
}

static sqlite3 *
sqlite_migrated(void)
{
  sqlite3 *db = NULL;
  char *msg = NULL;

  ck_assert_int_eq(SQLITE_OK, sqlite3_open(":memory:", &db));
  ck_assert_int_eq(SQLITE_OK, sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL));
  for (size_t i = 0; i < migrations_count; i++) {
    int rc = sqlite3_exec(db, migrations[i].sql, NULL, NULL, &msg);

    ck_assert_msg(SQLITE_OK == rc, "SQLite migration %zu: %s", i + 1, msg);
  }
  /* The record db/migrate.c keeps; only version and name are compared. */
  ck_assert_int_eq(SQLITE_OK, sqlite3_exec(db, "CREATE TABLE schema_migrations"
                                               " (version INTEGER PRIMARY KEY, name TEXT)",
                                           NULL, NULL, NULL));
  for (size_t i = 0; i < migrations_count; i++) {
    char *sql = sqlite3_mprintf("INSERT INTO schema_migrations VALUES (%u, %Q)",
                                migrations[i].version, migrations[i].name);

    ck_assert_int_eq(SQLITE_OK, sqlite3_exec(db, sql, NULL, NULL, NULL));
    sqlite3_free(sql);
  }
  return db;
}

static PGconn *
pg_migrated(const char *dbname)
{
  char err[512];
  char spec[512];
  unsigned applied = 0;
  PGconn *admin = pg_conn_open(server.conninfo, err, sizeof err);
  PGconn *conn;

  ck_assert_msg(NULL != admin, "%s", err);
  snprintf(spec, sizeof spec, "CREATE DATABASE %s", dbname);
  PQclear(PQexec(admin, spec));
  PQfinish(admin);
  pg_server_conninfo(&server, dbname, spec, sizeof spec);
  conn = pg_conn_open(spec, err, sizeof err);
  ck_assert_msg(NULL != conn, "%s", err);
  ck_assert_msg(0 == pg_migrate_run(conn, 0, &applied, err, sizeof err), "%s", err);
  return conn;
}

/* The query that reads table @a name in a comparable order. */
static void
table_query(const char *name, int columns, char *sql, size_t size)
{
  if (0 == strcmp(name, "schema_migrations"))
    snprintf(sql, size, "SELECT version, name FROM schema_migrations ORDER BY 1");
  else
    snprintf(sql, size, "SELECT * FROM %s ORDER BY %s", name,
             columns >= 3 ? "1, 2, 3" : columns == 2 ? "1, 2" : "1");
}

static void
sqlite_render(sqlite3 *db, const char *name, struct text *t)
{
  sqlite3_stmt *stmt = NULL;
  char sql[256];
  int columns;

  snprintf(sql, sizeof sql, "SELECT * FROM %s", name);
  ck_assert_int_eq(SQLITE_OK, sqlite3_prepare_v2(db, sql, -1, &stmt, NULL));
  columns = sqlite3_column_count(stmt);
  sqlite3_finalize(stmt);
  table_query(name, columns, sql, sizeof sql);
  ck_assert_int_eq(SQLITE_OK, sqlite3_prepare_v2(db, sql, -1, &stmt, NULL));
  for (int c = 0; c < sqlite3_column_count(stmt); c++) {
    text_add(t, sqlite3_column_name(stmt, c));
    text_add(t, c + 1 < sqlite3_column_count(stmt) ? "|" : "\n");
  }
  while (SQLITE_ROW == sqlite3_step(stmt))
    for (int c = 0; c < sqlite3_column_count(stmt); c++) {
      int type = sqlite3_column_type(stmt, c);

      if (SQLITE_NULL == type)
        text_add(t, "\\N");
      else if (SQLITE_FLOAT == type)
        text_add_double(t, sqlite3_column_double(stmt, c));
      else
        text_add(t, (const char *) sqlite3_column_text(stmt, c));
      text_add(t, c + 1 < sqlite3_column_count(stmt) ? "|" : "\n");
    }
  sqlite3_finalize(stmt);
}

/* float4 and float8: rendered from their value, not their text. */
static int
is_float_type(Oid type)
{
  return 700 == type || 701 == type;
}

static void
pg_render(PGconn *conn, const char *name, struct text *t)
{
  char sql[256];
  PGresult *res;

  snprintf(sql, sizeof sql, "SELECT * FROM %s LIMIT 0", name);
  res = PQexec(conn, sql);
  ck_assert_msg(PGRES_TUPLES_OK == PQresultStatus(res), "%s: %s", name, PQerrorMessage(conn));
  table_query(name, PQnfields(res), sql, sizeof sql);
  PQclear(res);
  res = PQexec(conn, sql);
  ck_assert_msg(PGRES_TUPLES_OK == PQresultStatus(res), "%s: %s", name, PQerrorMessage(conn));
  for (int c = 0; c < PQnfields(res); c++) {
    text_add(t, PQfname(res, c));
    text_add(t, c + 1 < PQnfields(res) ? "|" : "\n");
  }
  for (int r = 0; r < PQntuples(res); r++)
    for (int c = 0; c < PQnfields(res); c++) {
      if (PQgetisnull(res, r, c))
        text_add(t, "\\N");
      else if (is_float_type(PQftype(res, c)))
        text_add_double(t, strtod(PQgetvalue(res, r, c), NULL));
      else
        text_add(t, PQgetvalue(res, r, c));
      text_add(t, c + 1 < PQnfields(res) ? "|" : "\n");
    }
  PQclear(res);
}

/* Fails on the first line where the two renderings of @a name differ. */
static void
assert_same_text(const char *name, const char *sqlite_text, const char *pg_text)
{
  const char *a = sqlite_text;
  const char *b = pg_text;
  int line = 1;

  while ('\0' != *a || '\0' != *b) {
    size_t la = strcspn(a, "\n");
    size_t lb = strcspn(b, "\n");

    ck_assert_msg(la == lb && 0 == strncmp(a, b, la),
                  "%s, line %d:\n  SQLite:     %.*s\n  PostgreSQL: %.*s", name, line,
                  (int) la, a, (int) lb, b);
    a += la + ('\n' == a[la]);
    b += lb + ('\n' == b[lb]);
    line++;
  }
}

/* The tables of each side, one name per line, sorted bytewise. FTS5's
 * table and its shadow tables are SQLite's search index, which in
 * PostgreSQL is an index on roles (migrations/postgresql/0003). */
static const char sqlite_tables_sql[] =
  "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
  " AND name NOT LIKE 'roles_fts%' ORDER BY name";
static const char pg_tables_sql[] =
  "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1";

/* Both databases hold the same tables, columns and rows. */
static void
assert_same_data(sqlite3 *db, PGconn *conn)
{
  sqlite3_stmt *stmt = NULL;
  PGresult *res = PQexec(conn, pg_tables_sql);
  int row = 0;

  ck_assert_int_eq(SQLITE_OK, sqlite3_prepare_v2(db, sqlite_tables_sql, -1, &stmt, NULL));
  ck_assert_int_eq(PGRES_TUPLES_OK, PQresultStatus(res));
  for (; SQLITE_ROW == sqlite3_step(stmt); row++) {
    const char *name = (const char *) sqlite3_column_text(stmt, 0);
    struct text lite = { 0 }, pg = { 0 };

    ck_assert_msg(row < PQntuples(res), "table %s missing in PostgreSQL", name);
    ck_assert_str_eq(name, PQgetvalue(res, row, 0));
    sqlite_render(db, name, &lite);
    pg_render(conn, name, &pg);
    assert_same_text(name, lite.s, pg.s);
    free(lite.s);
    free(pg.s);
  }
  ck_assert_msg(row == PQntuples(res), "PostgreSQL has more tables, such as %s",
                row < PQntuples(res) ? PQgetvalue(res, row, 0) : "");
  ck_assert_int_ge(row, 14);
  PQclear(res);
  sqlite3_finalize(stmt);
}

START_TEST(test_same_tables_and_rows)
{
  sqlite3 *db = sqlite_migrated();
  PGconn *conn = pg_migrated("seed");

  assert_same_data(db, conn);
  PQfinish(conn);
  sqlite3_close(db);
}
END_TEST

/* Writes that exercise the pay triggers and the role_pay view: rows get
 * their ids from each engine, a median of an even count that ends in .5,
 * percentiles, a published mean that ends in .5, an update that moves a
 * report between roles, a delete, and a bulk insert with pay_live off. */
static const char *const writes[] = {
  "INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound, source_id, section)"
  " VALUES (1, 70000, 'base', 'individual', 'exact', 2, 'w'),"
  " (1, 80000, 'base', 'individual', 'exact', 2, 'w'),"
  " (1, 100002, 'base', 'individual', 'exact', 2, 'w'),"
  " (1, 100003, 'base', 'individual', 'exact', 2, 'w'),"
  " (1, 120000, 'base', 'individual', 'exact', 2, 'w'),"
  " (1, 125000, 'base', 'individual', 'exact', 2, 'w'),"
  " (1, 90000, 'base', 'individual', 'exact', 2, 'w'),"
  " (1, 130000, 'base', 'individual', 'exact', 2, 'w')",
  "INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound, source_id, section)"
  " VALUES (2, 100, 'base', 'average', 'exact', 2, 'w'),"
  " (2, 101, 'base', 'average', 'exact', 2, 'w')",
  "UPDATE salaries SET role_id = 3 WHERE id = (SELECT max(id) FROM salaries WHERE role_id = 1)",
  "DELETE FROM salaries WHERE amount_usd = 90000 AND section = 'w'",
  "UPDATE settings SET value = 0 WHERE key = 'pay_live'",
  "INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound, source_id, section)"
  " VALUES (4, 70000, 'base', 'individual', 'exact', 2, 'bulk')",
  "UPDATE settings SET value = 1 WHERE key = 'pay_live'",
  "INSERT INTO roles (slug, title, category, summary) VALUES ('new-role', 'New', 'Data', 's')",
};

/* The one text value @a sql selects, in a static buffer. */
static const char *
sqlite_text(sqlite3 *db, const char *sql)
{
  static char value[256];
  sqlite3_stmt *stmt = NULL;

  ck_assert_int_eq(SQLITE_OK, sqlite3_prepare_v2(db, sql, -1, &stmt, NULL));
  ck_assert_int_eq(SQLITE_ROW, sqlite3_step(stmt));
  snprintf(value, sizeof value, "%s", (const char *) sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  return value;
}

START_TEST(test_same_after_writes)
{
  sqlite3 *db = sqlite_migrated();
  PGconn *conn = pg_migrated("writes");

  for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
    char *msg = NULL;
    PGresult *res = PQexec(conn, writes[i]);

    ck_assert_msg(SQLITE_OK == sqlite3_exec(db, writes[i], NULL, NULL, &msg), "SQLite: %s: %s",
                  writes[i], msg);
    ck_assert_msg(PGRES_COMMAND_OK == PQresultStatus(res), "PostgreSQL: %s: %s", writes[i],
                  PQerrorMessage(conn));
    PQclear(res);
  }
  /* The writes did reach the rules: a median of six ending in .5 rounds
   * up, and so does a mean of two published averages (100.5). */
  ck_assert_str_eq(sqlite_text(db, "SELECT pay_usd || ' ' || pay_basis || ' ' || pay_n"
                                   " FROM roles WHERE id = 1"),
                   "100003 reported_median 6");
  ck_assert_str_eq(sqlite_text(db, "SELECT pay_usd FROM roles WHERE id = 2"), "101");
  assert_same_data(db, conn);
  PQfinish(conn);
  sqlite3_close(db);
}
END_TEST

/* Orders and matches the dialect notes promise (docs/postgresql.md): each
 * pair of queries, one per engine, returns the same slugs in the same
 * order, or for a search the same set (both sorted by slug). */
static const char *const same_answers[][2] = {
  { "SELECT slug FROM roles ORDER BY title COLLATE NOCASE, slug",
    "SELECT slug FROM roles ORDER BY lower(title), slug" },
  { "SELECT slug FROM roles ORDER BY pay_usd, slug",
    "SELECT slug FROM roles ORDER BY pay_usd NULLS FIRST, slug" },
  { "SELECT slug FROM roles ORDER BY pay_usd DESC, slug",
    "SELECT slug FROM roles ORDER BY pay_usd DESC NULLS LAST, slug" },
  { "SELECT slug FROM skills ORDER BY demand_rank, slug",
    "SELECT slug FROM skills ORDER BY demand_rank NULLS FIRST, slug" },
  { "SELECT r.slug FROM roles_fts JOIN roles r ON r.id = roles_fts.rowid"
    " WHERE roles_fts MATCH '\"learn\"*' ORDER BY r.slug",
    "SELECT slug FROM roles WHERE roles_search_document(title, summary)"
    " @@ techpay_search_query('\"learn\"*') ORDER BY slug" },
  { "SELECT r.slug FROM roles_fts JOIN roles r ON r.id = roles_fts.rowid"
    " WHERE roles_fts MATCH '\"the\"*' ORDER BY r.slug",
    "SELECT slug FROM roles WHERE roles_search_document(title, summary)"
    " @@ techpay_search_query('\"the\"*') ORDER BY slug" },
  { "SELECT r.slug FROM roles_fts JOIN roles r ON r.id = roles_fts.rowid"
    " WHERE roles_fts MATCH '\"security\"*' ORDER BY r.slug",
    "SELECT slug FROM roles WHERE roles_search_document(title, summary)"
    " @@ techpay_search_query('\"security\"*') ORDER BY slug" },
};

START_TEST(test_same_orders_and_matches)
{
  sqlite3 *db = sqlite_migrated();
  PGconn *conn = pg_migrated("orders");

  for (size_t i = 0; i < sizeof same_answers / sizeof same_answers[0]; i++) {
    struct text lite = { 0 }, pg = { 0 };
    sqlite3_stmt *stmt = NULL;
    PGresult *res = PQexec(conn, same_answers[i][1]);

    ck_assert_msg(PGRES_TUPLES_OK == PQresultStatus(res), "%s", PQerrorMessage(conn));
    ck_assert_int_eq(SQLITE_OK, sqlite3_prepare_v2(db, same_answers[i][0], -1, &stmt, NULL));
    text_add(&lite, "");
    text_add(&pg, "");
    while (SQLITE_ROW == sqlite3_step(stmt)) {
      text_add(&lite, (const char *) sqlite3_column_text(stmt, 0));
      text_add(&lite, "\n");
    }
    for (int r = 0; r < PQntuples(res); r++) {
      text_add(&pg, PQgetvalue(res, r, 0));
      text_add(&pg, "\n");
    }
    ck_assert_msg(NULL != strchr(lite.s, '\n'), "no rows: %s", same_answers[i][0]);
    assert_same_text(same_answers[i][1], lite.s, pg.s);
    sqlite3_finalize(stmt);
    PQclear(res);
    free(lite.s);
    free(pg.s);
  }
  PQfinish(conn);
  sqlite3_close(db);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pg_seed");
  TCase *tc = tcase_create("core");
  SRunner *sr;
  int failed;

  pg_server_start_or_exit(&server, "check_pg_seed");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_same_tables_and_rows);
  tcase_add_test(tc, test_same_after_writes);
  tcase_add_test(tc, test_same_orders_and_matches);
  suite_add_tcase(s, tc);
  sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  pg_server_stop(&server);
  return 0 == failed ? EXIT_SUCCESS : EXIT_FAILURE;
}
