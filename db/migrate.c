/**
 * @file db/migrate.c
 * @brief Applies the embedded migrations in order, each in one transaction.
 *
 * The applied migrations are recorded in schema_migrations (and mirrored in
 * PRAGMA user_version for tools that only look there). A checksum per file
 * catches a migration edited after it shipped.
 *
 * One of the SQLite engine's own files (its migrations, its catalog), so
 * it speaks sqlite3 directly; db/pg_migrate.c is PostgreSQL's counterpart.
 */
#include "db/migrate.h"

#include <stdbool.h>
#include <string.h>

#include "db/sqlite_db.h"
#include "db/migrations.h"

static const char create_table_sql[] =
  "CREATE TABLE IF NOT EXISTS schema_migrations ("
  " version INTEGER PRIMARY KEY,"
  " name TEXT NOT NULL,"
  " checksum TEXT NOT NULL,"
  " applied_at TEXT NOT NULL)";

static int
exec(struct db *db, const char *sql, char *err, size_t err_size, const char *what)
{
  char *msg = NULL;

  if (SQLITE_OK == sqlite3_exec(sqlite_conn(db), sql, NULL, NULL, &msg))
    return 0;
  snprintf(err, err_size, "%s: %s", what, msg ? msg : sqlite3_errmsg(sqlite_conn(db)));
  sqlite3_free(msg);
  return -1;
}

static void
rollback(struct db *db)
{
  if (!sqlite3_get_autocommit(sqlite_conn(db)))
    sqlite3_exec(sqlite_conn(db), "ROLLBACK", NULL, NULL, NULL);
}

static int
table_exists(struct db *db, const char *name, bool *exists)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite_conn(db),
                              "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                              -1, &stmt, NULL);

  if (SQLITE_OK != rc)
    return -1;
  sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(stmt);
  *exists = (SQLITE_ROW == rc);
  sqlite3_finalize(stmt);
  return (SQLITE_ROW == rc || SQLITE_DONE == rc) ? 0 : -1;
}

/* A database with tables but no migration record belongs to someone else:
 * adding our schema to it could only do harm. */
static int
check_ours(struct db *db, char *err, size_t err_size)
{
  bool has_record;
  sqlite3_stmt *stmt = NULL;
  int rc;
  int count = -1;

  if (0 != table_exists(db, "schema_migrations", &has_record)) {
    snprintf(err, err_size, "reading schema: %s", sqlite3_errmsg(sqlite_conn(db)));
    return -1;
  }
  if (has_record)
    return 0;
  rc = sqlite3_prepare_v2(sqlite_conn(db), "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL);
  if (SQLITE_OK == rc && SQLITE_ROW == sqlite3_step(stmt))
    count = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  if (count < 0) {
    snprintf(err, err_size, "reading schema: %s", sqlite3_errmsg(sqlite_conn(db)));
    return -1;
  }
  if (count > 0) {
    snprintf(err, err_size,
             "database holds %d schema objects but no techpay migration record: "
             "not a techpay database, refusing to change it", count);
    return -1;
  }
  return 0;
}

/* Compares what the database says was applied with what we carry.
 * Sets *next to the first version not yet applied. */
static int
check_applied(struct db *db, unsigned *next, char *err, size_t err_size)
{
  sqlite3_stmt *stmt = NULL;
  unsigned expected = 1;
  int rc;

  rc = sqlite3_prepare_v2(sqlite_conn(db),
                          "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
                          -1, &stmt, NULL);
  if (SQLITE_OK != rc) {
    snprintf(err, err_size, "reading schema_migrations: %s", sqlite3_errmsg(sqlite_conn(db)));
    return -1;
  }
  while (SQLITE_ROW == (rc = sqlite3_step(stmt))) {
    sqlite3_int64 version = sqlite3_column_int64(stmt, 0);
    const char *checksum = sqlite_column_text(stmt, 2);

    if (version > (sqlite3_int64) migrations_count) {
      snprintf(err, err_size,
               "database is at migration %lld (%s), newer than this techpayd "
               "(knows %zu): use a newer binary",
               (long long) version, sqlite_column_text(stmt, 1), migrations_count);
      goto fail;
    }
    if (version != (sqlite3_int64) expected) {
      snprintf(err, err_size, "schema_migrations is missing migration %u", expected);
      goto fail;
    }
    if (0 != strcmp(checksum, migrations[expected - 1].checksum)) {
      snprintf(err, err_size,
               "migration %04u_%s was changed after it was applied "
               "(database has %s, this binary %s)",
               expected, migrations[expected - 1].name, checksum,
               migrations[expected - 1].checksum);
      goto fail;
    }
    expected++;
  }
  if (SQLITE_DONE != rc) {
    snprintf(err, err_size, "reading schema_migrations: %s", sqlite3_errmsg(sqlite_conn(db)));
    goto fail;
  }
  sqlite3_finalize(stmt);
  *next = expected;
  return 0;
fail:
  sqlite3_finalize(stmt);
  return -1;
}

static int
record(struct db *db, const struct migration *m, char *err, size_t err_size)
{
  sqlite3_stmt *stmt = NULL;
  char pragma[64];
  int rc = sqlite3_prepare_v2(sqlite_conn(db),
                              "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
                              " VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                              -1, &stmt, NULL);

  if (SQLITE_OK == rc) {
    sqlite3_bind_int(stmt, 1, (int) m->version);
    sqlite3_bind_text(stmt, 2, m->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, m->checksum, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  if (SQLITE_DONE != rc) {
    snprintf(err, err_size, "recording migration %04u: %s", m->version, sqlite3_errmsg(sqlite_conn(db)));
    return -1;
  }
  snprintf(pragma, sizeof pragma, "PRAGMA user_version = %u", m->version);
  return exec(db, pragma, err, err_size, "setting user_version");
}

int
migrate_run(struct db *db, unsigned upto, unsigned *applied, char *err, size_t err_size)
{
  unsigned next;
  unsigned last = (0 == upto || upto > migrations_count) ? (unsigned) migrations_count : upto;

  *applied = 0;
  /* IMMEDIATE: two servers starting at once must not both apply a migration. */
  if (0 != exec(db, "BEGIN IMMEDIATE", err, err_size, "locking database"))
    return -1;
  if (0 != check_ours(db, err, err_size)
      || 0 != exec(db, create_table_sql, err, err_size, "creating schema_migrations")
      || 0 != check_applied(db, &next, err, err_size)
      || 0 != exec(db, "COMMIT", err, err_size, "committing"))
    goto fail;
  /* Only a database that passed the checks is changed at all, and WAL is a
   * change to the file header: readers then never block the writer. */
  if (0 != exec(db, "PRAGMA journal_mode = WAL", err, err_size, "switching to WAL"))
    return -1;
  for (; next <= last; next++) {
    const struct migration *m = &migrations[next - 1];
    char what[96];

    snprintf(what, sizeof what, "migration %04u_%s", m->version, m->name);
    if (0 != exec(db, "BEGIN IMMEDIATE", err, err_size, "locking database"))
      return -1;
    if (0 != exec(db, m->sql, err, err_size, what)
        || 0 != record(db, m, err, err_size)
        || 0 != exec(db, "COMMIT", err, err_size, what))
      goto fail;
    (*applied)++;
  }
  return 0;
fail:
  rollback(db);
  return -1;
}

int
migrate_print_status(struct db *db, FILE *out)
{
  sqlite3_stmt *stmt = NULL;
  unsigned known = (unsigned) migrations_count;
  int usable = 0;
  int rc;

  fprintf(out, "%-8s %-24s %-10s %s\n", "version", "name", "state", "applied_at");
  if (NULL != db) {
    bool has_record = false;

    if (0 != table_exists(db, "schema_migrations", &has_record))
      return 1;
    if (has_record
        && SQLITE_OK != sqlite3_prepare_v2(sqlite_conn(db),
                                           "SELECT version, name, checksum, applied_at"
                                           " FROM schema_migrations ORDER BY version",
                                           -1, &stmt, NULL))
      return 1;
  }
  rc = stmt ? sqlite3_step(stmt) : SQLITE_DONE;
  for (unsigned v = 1; v <= known || SQLITE_ROW == rc; v++) {
    const struct migration *m = v <= known ? &migrations[v - 1] : NULL;
    bool applied = SQLITE_ROW == rc && sqlite3_column_int64(stmt, 0) == (sqlite3_int64) v;
    const char *state = "pending";

    if (applied && NULL == m) {
      state = "unknown";
      usable = 1;
    } else if (applied && 0 != strcmp(sqlite_column_text(stmt, 2), m->checksum)) {
      state = "changed";
      usable = 1;
    } else if (applied) {
      state = "applied";
    }
    fprintf(out, "%04u     %-24s %-10s %s\n", v,
            applied && NULL == m ? sqlite_column_text(stmt, 1) : (m ? m->name : "?"),
            state, applied ? sqlite_column_text(stmt, 3) : "-");
    if (applied)
      rc = sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  return usable;
}
