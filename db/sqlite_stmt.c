/**
 * @file db/sqlite_stmt.c
 * @brief The SQLite engine's driver: db/stmt.h over sqlite3_stmt.
 *
 * Connections, their settings and the query time budget are db/db.c's.
 */
#include "db/sqlite_db.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "db/migrate.h"
#include "util/log.h"

static struct db_stmt *
prepare(struct db *db, const char *sql)
{
  struct sqlite_stmt *s = calloc(1, sizeof *s);
  int rc;

  if (NULL == s)
    return NULL;
  rc = sqlite3_prepare_v3(sqlite_conn(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt, NULL);
  if (SQLITE_OK != rc) {
    log_msg(LOG_ERROR, "preparing %.60s: %s", sql, sqlite3_errmsg(sqlite_conn(db)));
    sqlite3_finalize(s->stmt);
    free(s);
    return NULL;
  }
  s->base = (struct db_stmt) { .driver = &sqlite_driver, .db = db };
  return &s->base;
}

static void
finalize(struct db_stmt *stmt)
{
  sqlite3_finalize(sqlite_stmt(stmt));
  free(stmt);
}

static void
reset(struct db_stmt *stmt)
{
  sqlite3_reset(sqlite_stmt(stmt));
  sqlite3_clear_bindings(sqlite_stmt(stmt));
}

static int
bind_int64(struct db_stmt *stmt, int index, int64_t value)
{
  return SQLITE_OK == sqlite3_bind_int64(sqlite_stmt(stmt), index, value) ? 0 : -1;
}

static int
bind_double(struct db_stmt *stmt, int index, double value)
{
  return SQLITE_OK == sqlite3_bind_double(sqlite_stmt(stmt), index, value) ? 0 : -1;
}

static int
bind_null(struct db_stmt *stmt, int index)
{
  return SQLITE_OK == sqlite3_bind_null(sqlite_stmt(stmt), index) ? 0 : -1;
}

static int
bind_text(struct db_stmt *stmt, int index, const char *text, bool copy)
{
  int rc = sqlite3_bind_text(sqlite_stmt(stmt), index, text, -1,
                             copy ? SQLITE_TRANSIENT : SQLITE_STATIC);

  return SQLITE_OK == rc ? 0 : -1;
}

static int
param_count(struct db_stmt *stmt)
{
  return sqlite3_bind_parameter_count(sqlite_stmt(stmt));
}

static enum db_status
step(struct db_stmt *stmt)
{
  struct sqlite_stmt *s = (struct sqlite_stmt *) stmt;

  s->rc = sqlite3_step(s->stmt);
  if (SQLITE_ROW == s->rc)
    return DB_ONE;
  if (SQLITE_DONE == s->rc)
    return DB_NONE;
  return db_status_of_rc(s->rc);
}

static enum db_status
failure(struct db_stmt *stmt, const char *what)
{
  return db_status_from_rc(stmt->db, ((struct sqlite_stmt *) stmt)->rc, what);
}

static bool
refused(struct db_stmt *stmt)
{
  return SQLITE_CONSTRAINT == (((struct sqlite_stmt *) stmt)->rc & 0xff);
}

static int64_t
column_int64(struct db_stmt *stmt, int col)
{
  return sqlite3_column_int64(sqlite_stmt(stmt), col);
}

static double
column_double(struct db_stmt *stmt, int col)
{
  return sqlite3_column_double(sqlite_stmt(stmt), col);
}

const char *
sqlite_column_text(sqlite3_stmt *stmt, int col)
{
  const unsigned char *s = sqlite3_column_text(stmt, col);

  return s ? (const char *) s : "";
}

static const char *
column_text(struct db_stmt *stmt, int col)
{
  return sqlite_column_text(sqlite_stmt(stmt), col);
}

static bool
column_is_null(struct db_stmt *stmt, int col)
{
  return SQLITE_NULL == sqlite3_column_type(sqlite_stmt(stmt), col);
}

static enum db_type
column_type(struct db_stmt *stmt, int col)
{
  switch (sqlite3_column_type(sqlite_stmt(stmt), col)) {
  case SQLITE_NULL:
    return DB_TYPE_NULL;
  case SQLITE_INTEGER:
    return DB_TYPE_INT;
  case SQLITE_FLOAT:
    return DB_TYPE_REAL;
  default:
    return DB_TYPE_TEXT;
  }
}

static int64_t
changes(struct db *db)
{
  return sqlite3_changes64(sqlite_conn(db));
}

static int64_t
last_insert_id(struct db *db)
{
  return sqlite3_last_insert_rowid(sqlite_conn(db));
}

static const char *
errmsg(struct db *db)
{
  return sqlite3_errmsg(sqlite_conn(db));
}

static bool
in_transaction(struct db *db)
{
  return !sqlite3_get_autocommit(sqlite_conn(db));
}

static enum db_status
exec_uncached(struct db *db, const char *sql, const char *what)
{
  int rc = sqlite3_exec(sqlite_conn(db), sql, NULL, NULL, NULL);

  return SQLITE_OK == rc ? DB_ONE : db_status_from_rc(db, rc, what);
}

static bool
table_exists(struct db *db, const char *name)
{
  /* asked of the catalog: preparing a statement on a missing table would log an error */
  return SQLITE_OK == sqlite3_table_column_metadata(sqlite_conn(db), "main", name, NULL,
                                                    NULL, NULL, NULL, NULL, NULL);
}

static const char *
file_path(struct db *db)
{
  return sqlite3_db_filename(sqlite_conn(db), "main");
}

static enum db_status
explain(struct db *db, const char *sql, char *out, size_t size)
{
  char *text = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (NULL == text)
    return DB_HARD;
  /* prepared apart: not worth a slot in the statement cache */
  rc = sqlite3_prepare_v2(sqlite_conn(db), text, -1, &stmt, NULL);
  sqlite3_free(text);
  while (SQLITE_OK == rc && SQLITE_ROW == sqlite3_step(stmt)) {
    size_t len = strlen(out);

    snprintf(out + len, size - len, "%s\n", (const char *) sqlite3_column_text(stmt, 3));
  }
  sqlite3_finalize(stmt);
  return SQLITE_OK == rc ? DB_ONE : DB_HARD;
}

/* One writer at a time: the write lock is taken at BEGIN, not at the
 * first write, so a write transaction never fails half-way on it. */
static enum db_status
write_begin(struct db *db)
{
  return db_exec(db, "BEGIN IMMEDIATE");
}

/* Other processes see the commit through PRAGMA data_version: nothing to tell. */
static enum db_status
write_commit(struct db *db)
{
  return db_exec(db, "COMMIT");
}

const struct db_driver sqlite_driver = {
  .name = "sqlite",
  DB_DRIVER_STATEMENT_ENTRIES,
  .close = sqlite_close, .read_begin = sqlite_read_begin, .read_end = sqlite_read_end,
  .write_begin = write_begin,
  .write_commit = write_commit, .file_check = sqlite_file_check, .vm_steps = sqlite_vm_steps,
  .data_version = sqlite_data_version, .checkpoint = sqlite_checkpoint, .migrate = migrate_run,
  .migrate_status = migrate_print_status, .spec = file_path, .postgresql = false,
};
