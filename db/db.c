/**
 * @file db/db.c
 * @brief The SQLite engine's connections: opening one with its settings,
 *        the query time budget, snapshots, error statuses.
 *
 * One of the SQLite engine's own files, so it speaks sqlite3 directly; its
 * statements are db/sqlite_stmt.c's.
 */
#include "db/sqlite_db.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/db_metrics.h"
#include "db/engine.h"
#include "db/ops.h"
#include "util/log.h"

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
  struct sqlite_db *db = cls;
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
configure(struct sqlite_db *db, enum db_open_mode mode, char *err, size_t err_size, const char *path)
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

static int
sqlite_open(const char *path, enum db_open_mode mode, struct db **out,
            char *err, size_t err_size)
{
  struct sqlite_db *db;
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
  db->base.driver = &sqlite_driver;
  db_metrics_connections_add(DB_METRICS_SQLITE, 1); /* sqlite_close() takes it back */
  rc = sqlite3_open_v2(path, &db->conn, flags, NULL);
  if (SQLITE_OK != rc) {
    snprintf(err, err_size, "cannot open database %s: %s", path,
             db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
    db_close(&db->base);
    return -1;
  }
  if (0 != configure(db, mode, err, err_size, path)) {
    db_close(&db->base);
    return -1;
  }
  *out = &db->base;
  return 0;
}

/* The engine is chosen here, once per connection, by the --db value. */
int
db_open(const char *spec, enum db_open_mode mode, struct db **out,
        char *err, size_t err_size)
{
  if (db_spec_is_postgresql(spec))
    return pg_db_open(spec, mode, out, err, err_size);
  return sqlite_open(spec, mode, out, err, err_size);
}

void
db_close(struct db *db)
{
  if (NULL != db)
    db->driver->close(db);
}

void
sqlite_close(struct db *db)
{
  db_stmt_cache_free(db);
  if (SQLITE_OK != sqlite3_close(sqlite_conn(db)))
    log_msg(LOG_ERROR, "closing database: %s", sqlite3_errmsg(sqlite_conn(db)));
  db_metrics_connections_add(DB_METRICS_SQLITE, -1);
  free(db);
}

enum db_status
db_status_of_rc(int rc)
{
  switch (rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return DB_BUSY;
  case SQLITE_INTERRUPT:
    return DB_TIMEOUT;
  case SQLITE_FULL:
    return DB_FULL;
  case SQLITE_READONLY:
    return SQLITE_READONLY_DBMOVED == rc ? DB_GONE : DB_READONLY;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return DB_CORRUPT;
  case SQLITE_IOERR:
  case SQLITE_CANTOPEN:
    return DB_IOERR;
  default:
    return DB_HARD;
  }
}

enum db_status
db_status_from_rc(struct db *db, int rc, const char *what)
{
  enum db_status st = db_status_of_rc(rc);
  sqlite3 *conn = sqlite_conn(db);

  switch (st) {
  case DB_BUSY:
    return st;
  case DB_TIMEOUT:
    log_msg(LOG_WARNING, "%s: stopped after its time budget of %u ms (--query-timeout)", what,
            query_budget_ms);
    return st;
  case DB_HARD:
    log_msg(LOG_ERROR, "%s: %s", what, sqlite3_errmsg(conn));
    return st;
  default:
    log_msg(LOG_ERROR, "database %s: the file %s (%s: %s)", sqlite3_db_filename(conn, "main"),
            db_status_describe(st), what, sqlite3_errmsg(conn));
    return st;
  }
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
  return db->driver->file_check(db);
}

enum db_status
sqlite_file_check(struct db *db)
{
  int moved = 0;

  /* a file system that cannot tell (or an in-memory database) has not moved */
  if (SQLITE_OK != sqlite3_file_control(sqlite_conn(db), "main", SQLITE_FCNTL_HAS_MOVED, &moved))
    return DB_ONE;
  return moved ? DB_GONE : DB_ONE;
}

enum db_status
db_ping(struct db *db)
{
  return db_exec(db, "SELECT 1");
}

enum db_status
db_read_begin(struct db *db)
{
  return db->driver->read_begin(db);
}

void
db_read_end(struct db *db)
{
  db->driver->read_end(db);
}

enum db_status
sqlite_read_begin(struct db *db)
{
  enum db_status st = db_exec(db, "BEGIN");

  sqlite_db(db)->budget_armed = DB_ONE == st;
  sqlite_db(db)->budget_start_ns = 0;
  return st;
}

void
sqlite_read_end(struct db *db)
{
  /* A read transaction has nothing to lose; COMMIT just releases the
   * snapshot. If even that fails, roll back so the connection is usable. */
  struct db_stmt *stmt = db_stmt(db, "COMMIT");
  enum db_status st = DB_HARD;

  sqlite_db(db)->budget_armed = false; /* ending the snapshot must not be what runs out */
  /* quietly: a read that failed has said why already */
  if (NULL != stmt) {
    st = db_step(stmt, NULL);
    db_stmt_done(stmt);
  }
  if (DB_NONE != st && !sqlite3_get_autocommit(sqlite_conn(db)))
    (void) db_exec(db, "ROLLBACK");
}

uint64_t
db_vm_steps(struct db *db)
{
  return db->driver->vm_steps(db);
}

uint64_t
sqlite_vm_steps(struct db *db)
{
  uint64_t n = 0;

  for (size_t i = 0; i < DB_STMT_SLOTS; i++)
    if (NULL != db->slots[i].stmt)
      n += (uint64_t) sqlite3_stmt_status(sqlite_stmt(db->slots[i].stmt),
                                          SQLITE_STMTSTATUS_VM_STEP, 1);
  return n;
}

int
db_data_version(struct db *db, int64_t *version)
{
  return db->driver->data_version(db, version);
}

int
sqlite_data_version(struct db *db, int64_t *version)
{
  struct db_stmt *stmt = db_stmt(db, "PRAGMA data_version");
  enum db_status st;

  if (NULL == stmt)
    return -1;
  st = db_step(stmt, NULL);
  if (DB_ONE == st)
    *version = db_column_int64(stmt, 0);
  db_stmt_done(stmt);
  return DB_ONE == st ? 0 : -1;
}

const char *
db_engine_version(void)
{
  return sqlite3_libversion();
}

int
db_checkpoint(struct db *db, int *wal_frames, int *copied, char *err, size_t err_size)
{
  return db->driver->checkpoint(db, wal_frames, copied, err, err_size);
}

int
sqlite_checkpoint(struct db *db, int *wal_frames, int *copied, char *err, size_t err_size)
{
  int rc = sqlite3_wal_checkpoint_v2(sqlite_conn(db), NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                     wal_frames, copied);

  if (SQLITE_OK == rc)
    return 0;
  snprintf(err, err_size, "checkpointing the WAL: %s", sqlite3_errmsg(sqlite_conn(db)));
  return -1;
}
