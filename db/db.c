/**
 * @file db/db.c
 * @brief Opening connections, the per-connection statement cache, snapshots.
 */
#include "db/db_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/log.h"

/* Long enough to ride out a bulk import holding the write lock, short
 * enough that a request fails with 503 rather than hanging a client. */
#define BUSY_TIMEOUT_MS 5000

static int
exec_pragma(sqlite3 *conn, const char *sql, char *err, size_t err_size, const char *path)
{
  char *msg = NULL;
  int rc = sqlite3_exec(conn, sql, NULL, NULL, &msg);

  if (SQLITE_OK == rc) {
    return 0;
  }
  if (SQLITE_NOTADB == (rc & 0xff)) {
    snprintf(err, err_size, "%s is not a SQLite database (left untouched)", path);
  } else {
    snprintf(err, err_size, "cannot use database %s: %s", path,
             msg ? msg : sqlite3_errstr(rc));
  }
  sqlite3_free(msg);
  return -1;
}

int
db_open(const char *path, enum db_open_mode mode, struct db **out,
        char *err, size_t err_size)
{
  struct db *db;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  struct stat st;
  int rc;

  *out = NULL;
  switch (mode) {
  case DB_OPEN_CREATE:
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    break;
  case DB_OPEN_READWRITE:
    flags |= SQLITE_OPEN_READWRITE;
    break;
  case DB_OPEN_READONLY:
    flags |= SQLITE_OPEN_READONLY;
    break;
  }
  /* SQLite would silently fall back to read-only on a file we may not
   * write; say so instead of failing later on the first write. */
  if (DB_OPEN_READONLY != mode && 0 == stat(path, &st)) {
    if (S_ISDIR(st.st_mode)) {
      snprintf(err, err_size, "database path %s is a directory", path);
      return -1;
    }
    if (0 != access(path, R_OK | W_OK)) {
      snprintf(err, err_size, "database %s is not writable: %s", path, strerror(errno));
      return -1;
    }
  }
  db = calloc(1, sizeof *db);
  if (NULL == db) {
    snprintf(err, err_size, "out of memory");
    return -1;
  }
  rc = sqlite3_open_v2(path, &db->conn, flags, NULL);
  if (SQLITE_OK != rc) {
    snprintf(err, err_size, "cannot open database %s: %s", path,
             db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
    db_close(db);
    return -1;
  }
  sqlite3_extended_result_codes(db->conn, 1);
  sqlite3_busy_timeout(db->conn, BUSY_TIMEOUT_MS);
  /* The first statement reads the header: a file that is not a database
   * fails here, before anything could write to it. */
  if (0 != exec_pragma(db->conn, "PRAGMA foreign_keys = ON", err, err_size, path)
      || 0 != exec_pragma(db->conn, "SELECT count(*) FROM sqlite_schema", err, err_size, path)
      /* sorts and temporary tables never touch the disk: a container with
       * a read-only root filesystem has nowhere to put them */
      || 0 != exec_pragma(db->conn, "PRAGMA temp_store = MEMORY", err, err_size, path)
      || (DB_OPEN_READONLY != mode
          && 0 != exec_pragma(db->conn, "PRAGMA synchronous = NORMAL", err, err_size, path))) {
    db_close(db);
    return -1;
  }
  *out = db;
  return 0;
}

void
db_close(struct db *db)
{
  if (NULL == db)
    return;
  for (size_t i = 0; i < DB_STMT_SLOTS; i++) {
    sqlite3_finalize(db->slots[i].stmt);
    free(db->slots[i].sql);
  }
  if (SQLITE_OK != sqlite3_close(db->conn))
    log_msg(LOG_ERROR, "closing database: %s", sqlite3_errmsg(db->conn));
  free(db);
}

static uint64_t
hash_sql(const char *sql)
{
  uint64_t h = UINT64_C(14695981039346656037);

  for (; '\0' != *sql; sql++) {
    h ^= (unsigned char) *sql;
    h *= UINT64_C(1099511628211);
  }
  return h;
}

sqlite3_stmt *
db_stmt(struct db *db, const char *sql)
{
  uint64_t hash = hash_sql(sql);
  size_t i = hash % DB_STMT_SLOTS;
  struct stmt_slot *slot;
  int rc;

  for (;;) {
    slot = &db->slots[i];
    if (NULL == slot->sql)
      break;
    if (slot->hash == hash && 0 == strcmp(slot->sql, sql))
      return slot->stmt;
    i = (i + 1) % DB_STMT_SLOTS;
  }
  /* Keep a quarter free so probing stays short. */
  if (db->nslots_used >= DB_STMT_SLOTS / 4 * 3) {
    log_msg(LOG_ERROR, "statement cache full; raise DB_STMT_SLOTS (%.60s)", sql);
    return NULL;
  }
  slot->sql = strdup(sql);
  if (NULL == slot->sql)
    return NULL;
  rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->stmt, NULL);
  if (SQLITE_OK != rc) {
    log_msg(LOG_ERROR, "preparing %.60s: %s", sql, sqlite3_errmsg(db->conn));
    free(slot->sql);
    slot->sql = NULL;
    slot->stmt = NULL;
    return NULL;
  }
  slot->hash = hash;
  db->nslots_used++;
  return slot->stmt;
}

void
db_stmt_done(sqlite3_stmt *stmt)
{
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

enum db_status
db_status_from_rc(struct db *db, int rc, const char *what)
{
  switch (rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return DB_BUSY;
  default:
    log_msg(LOG_ERROR, "%s: %s", what, sqlite3_errmsg(db->conn));
    return DB_HARD;
  }
}

int
db_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
  return sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
}

const char *
db_column_text(sqlite3_stmt *stmt, int col)
{
  const unsigned char *s = sqlite3_column_text(stmt, col);

  return s ? (const char *) s : "";
}

const char *
db_column_text_or_null(sqlite3_stmt *stmt, int col)
{
  if (SQLITE_NULL == sqlite3_column_type(stmt, col))
    return NULL;
  return db_column_text(stmt, col);
}

enum db_status
db_exec(struct db *db, const char *sql)
{
  sqlite3_stmt *stmt = db_stmt(db, sql);
  int rc;

  if (NULL == stmt)
    return DB_HARD;
  rc = sqlite3_step(stmt);
  db_stmt_done(stmt);
  if (SQLITE_ROW == rc || SQLITE_DONE == rc)
    return DB_ONE;
  return db_status_from_rc(db, rc, sql);
}

enum db_status
db_ping(struct db *db)
{
  return db_exec(db, "SELECT 1");
}

enum db_status
db_read_begin(struct db *db)
{
  return db_exec(db, "BEGIN");
}

void
db_read_end(struct db *db)
{
  /* A read transaction has nothing to lose; COMMIT just releases the
   * snapshot. If even that fails, roll back so the connection is usable. */
  if (DB_ONE != db_exec(db, "COMMIT") && !sqlite3_get_autocommit(db->conn))
    (void) db_exec(db, "ROLLBACK");
}

int
db_data_version(struct db *db, int64_t *version)
{
  sqlite3_stmt *stmt = db_stmt(db, "PRAGMA data_version");
  int rc;

  if (NULL == stmt)
    return -1;
  rc = sqlite3_step(stmt);
  if (SQLITE_ROW == rc)
    *version = sqlite3_column_int64(stmt, 0);
  db_stmt_done(stmt);
  return SQLITE_ROW == rc ? 0 : -1;
}
