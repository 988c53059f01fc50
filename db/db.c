/**
 * @file db/db.c
 * @brief Opening connections, the per-connection statement cache, snapshots.
 */
#include "db/db_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/hash.h"

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

/* Written once by db_set_max_size() before any worker thread starts. */
static uint64_t max_size_bytes;

void
db_set_max_size(uint64_t bytes)
{
  max_size_bytes = bytes;
}

/* Written once by db_set_query_timeout() before any worker thread starts. */
static unsigned query_budget_ms;

/* Virtual machine instructions between two looks at the clock: a few
 * microseconds of work, so the budget is kept to well within a
 * millisecond, and a clock read costs nothing next to them. */
#define BUDGET_CHECK_OPS 1000

void
db_set_query_timeout(unsigned ms)
{
  query_budget_ms = ms;
}

unsigned
db_query_timeout(void)
{
  return query_budget_ms;
}

static int64_t
monotonic_ns(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* SQLite's progress callback: nonzero stops the running statement with
 * SQLITE_INTERRUPT. The clock starts at the first call after the budget
 * was armed, which is as good as the start and costs the many short
 * snapshots no clock read at all. */
static int
budget_check(void *cls)
{
  struct db *db = cls;
  int64_t now;

  /* a write is never cut short: SQLite would roll back the whole
   * transaction, an import's included */
  if (!db->budget_armed || SQLITE_TXN_WRITE == sqlite3_txn_state(db->conn, NULL))
    return 0;
  now = monotonic_ns();
  if (0 == db->budget_start_ns) {
    db->budget_start_ns = now;
    return 0;
  }
  return now - db->budget_start_ns > (int64_t) query_budget_ms * 1000000;
}

/* Applies the --max-db-size cap to a read-write connection. */
static int
apply_max_size(sqlite3 *conn, char *err, size_t err_size, const char *path)
{
  sqlite3_stmt *stmt = NULL;
  int64_t page_size = 0;
  char sql[64];

  if (0 == max_size_bytes)
    return 0;
  if (SQLITE_OK == sqlite3_prepare_v2(conn, "PRAGMA page_size", -1, &stmt, NULL)
      && SQLITE_ROW == sqlite3_step(stmt))
    page_size = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  if (page_size <= 0) {
    snprintf(err, err_size, "cannot use database %s: %s", path, sqlite3_errmsg(conn));
    return -1;
  }
  snprintf(sql, sizeof sql, "PRAGMA max_page_count = %" PRIu64,
           max_size_bytes / (uint64_t) page_size);
  return exec_pragma(conn, sql, err, err_size, path);
}

/* SQLite keeps its write-ahead log and shared-memory index in files next
 * to the database, created on demand: without them it would fail later
 * with a bare "unable to open database file". */
static int
dir_writable(const char *path, char *err, size_t err_size)
{
  char dir[4096];
  const char *slash = strrchr(path, '/');

  if (NULL == slash)
    snprintf(dir, sizeof dir, ".");
  else
    snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int) (slash - path), path);
  if (0 == access(dir, W_OK | X_OK))
    return 0;
  snprintf(err, err_size, "the directory of database %s is not writable (%s): SQLite keeps "
           "its -wal and -shm files next to the database", path, strerror(errno));
  return -1;
}

/* The settings every connection has, and the read budget. */
static int
configure(struct db *db, enum db_open_mode mode, char *err, size_t err_size, const char *path)
{
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
          && (0 != exec_pragma(db->conn, "PRAGMA synchronous = NORMAL", err, err_size, path)
              || 0 != apply_max_size(db->conn, err, err_size, path))))
    return -1;
  if (query_budget_ms > 0)
    sqlite3_progress_handler(db->conn, BUDGET_CHECK_OPS, budget_check, db);
  return 0;
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
  /* only at start-up: a server already running has its -wal and -shm */
  if (DB_OPEN_CREATE == mode && 0 != dir_writable(path, err, err_size))
    return -1;
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
  if (0 != configure(db, mode, err, err_size, path)) {
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
  return hash_str(HASH_INIT, sql);
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
  enum db_status st;

  switch (rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return DB_BUSY;
  case SQLITE_INTERRUPT:
    log_msg(LOG_WARNING, "%s: stopped after its time budget of %u ms (--query-timeout)", what,
            query_budget_ms);
    return DB_TIMEOUT;
  case SQLITE_FULL:
    st = DB_FULL;
    break;
  case SQLITE_READONLY:
    st = SQLITE_READONLY_DBMOVED == rc ? DB_GONE : DB_READONLY;
    break;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    st = DB_CORRUPT;
    break;
  case SQLITE_IOERR:
  case SQLITE_CANTOPEN:
    st = DB_IOERR;
    break;
  default:
    log_msg(LOG_ERROR, "%s: %s", what, sqlite3_errmsg(db->conn));
    return DB_HARD;
  }
  log_msg(LOG_ERROR, "database %s: the file %s (%s: %s)", sqlite3_db_filename(db->conn, "main"),
          db_status_describe(st), what, sqlite3_errmsg(db->conn));
  return st;
}

const char *
db_status_describe(enum db_status st)
{
  switch (st) {
  case DB_FULL:
    return "is full: no room left on the disk or under --max-db-size";
  case DB_READONLY:
    return "cannot be written: it or its directory is read-only";
  case DB_GONE:
    return "was deleted or replaced while open";
  case DB_CORRUPT:
    return "is damaged";
  case DB_IOERR:
    return "could not be read or written (I/O error)";
  case DB_BUSY:
    return "stayed locked by another writer";
  case DB_TIMEOUT:
    return "took longer than the query time budget";
  default:
    return "reported an error";
  }
}

enum db_status
db_file_check(struct db *db)
{
  int moved = 0;

  /* a file system that cannot tell (or an in-memory database) has not moved */
  if (SQLITE_OK != sqlite3_file_control(db->conn, "main", SQLITE_FCNTL_HAS_MOVED, &moved))
    return DB_ONE;
  return moved ? DB_GONE : DB_ONE;
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
  enum db_status st = db_exec(db, "BEGIN");

  db->budget_armed = DB_ONE == st;
  db->budget_start_ns = 0;
  return st;
}

void
db_read_end(struct db *db)
{
  /* A read transaction has nothing to lose; COMMIT just releases the
   * snapshot. If even that fails, roll back so the connection is usable. */
  sqlite3_stmt *stmt = db_stmt(db, "COMMIT");
  int rc = SQLITE_ERROR;

  db->budget_armed = false; /* ending the snapshot must not be what runs out */
  /* quietly: a read that failed has said why already */
  if (NULL != stmt) {
    rc = sqlite3_step(stmt);
    db_stmt_done(stmt);
  }
  if (SQLITE_DONE != rc && !sqlite3_get_autocommit(db->conn))
    (void) db_exec(db, "ROLLBACK");
}

uint64_t
db_vm_steps(struct db *db)
{
  uint64_t n = 0;

  for (size_t i = 0; i < DB_STMT_SLOTS; i++)
    if (NULL != db->slots[i].stmt)
      n += (uint64_t) sqlite3_stmt_status(db->slots[i].stmt, SQLITE_STMTSTATUS_VM_STEP, 1);
  return n;
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

const char *
db_engine_version(void)
{
  return sqlite3_libversion();
}
