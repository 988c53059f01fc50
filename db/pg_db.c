/**
 * @file db/pg_db.c
 * @brief The PostgreSQL engine's connections: opening one, transactions
 *        and the query time budget, statuses from SQLSTATEs, migrations.
 *
 * The counterpart of db/db.c; its statements are db/pg_stmt.c's. What
 * SQLite keeps in a file of ours (the WAL, the file's identity, a size
 * cap) is the server's business here, so those entries do nothing.
 */
#include "db/pg_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_metrics.h"
#include "db/engine.h"
#include "db/pg_conn.h"
#include "db/pg_migrate.h"
#include "util/hash.h"
#include "util/log.h"

/* The key of the write lock: every techpayd takes the same one, and
 * nothing else of ours does (the migrations lock a key of their own). */
#define WRITE_LOCK_SQL "SELECT pg_advisory_xact_lock(7354209616310420851)"
/* How long a write waits for that lock before it is DB_BUSY (55P03): as
 * long as SQLite's busy timeout (db/db.c), so a write that finds another
 * one running (a long import, on this replica or another) is answered
 * 503 in bounded time on both engines, instead of waiting for it to end. */
#define WRITE_LOCK_WAIT_SQL "SET LOCAL lock_timeout = 5000"

bool
db_spec_is_postgresql(const char *spec)
{
  return pg_conn_is_postgresql(spec);
}

void
db_spec_redact(const char *spec, char *out, size_t out_size)
{
  if (pg_conn_is_postgresql(spec))
    pg_conn_redact(spec, out, out_size);
  else
    snprintf(out, out_size, "%s", spec);
}

enum db_status
pg_status_of_sqlstate(const char *sqlstate)
{
  static const struct {
    const char *prefix;
    enum db_status st;
  } map[] = {
    { "40001", DB_BUSY },     /* serialization_failure: retry later, as SQLite's BUSY */
    { "40P01", DB_BUSY },     /* deadlock_detected */
    { "55P03", DB_BUSY },     /* lock_not_available */
    { "57014", DB_TIMEOUT },  /* query_canceled: statement_timeout */
    { "53100", DB_FULL },     /* disk_full */
    { "25006", DB_READONLY }, /* read_only_sql_transaction: a standby, or read-only mode */
    { "XX001", DB_CORRUPT },  /* data_corrupted */
    { "XX002", DB_CORRUPT },  /* index_corrupted */
    { "58", DB_IOERR },       /* system_error: the server's own I/O */
    { "08", DB_IOERR },       /* connection_exception */
    { "57P", DB_IOERR },      /* admin_shutdown, crash_shutdown, cannot_connect_now */
  };

  /* no SQLSTATE: libpq lost the connection before an answer came */
  if (NULL == sqlstate || '\0' == sqlstate[0])
    return DB_IOERR;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (0 == strncmp(sqlstate, map[i].prefix, strlen(map[i].prefix)))
      return map[i].st;
  return DB_HARD;
}

void
pg_db_keep_error(struct pg_db *db, const char *msg)
{
  pg_conn_one_line(NULL == msg ? "" : msg, db->spec, db->errmsg, sizeof db->errmsg);
}

enum db_status
pg_db_report(struct pg_db *db, enum db_status st, const char *what)
{
  char where[256];

  switch (st) {
  case DB_BUSY:
    return st;
  case DB_TIMEOUT:
    log_msg(LOG_WARNING, "%s: stopped after its time budget of %u ms (--query-timeout)", what,
            db_query_timeout());
    return st;
  case DB_HARD:
    log_msg(LOG_ERROR, "%s: %s", what, db->errmsg);
    return st;
  default:
    pg_conn_redact(db->spec, where, sizeof where);
    log_msg(LOG_ERROR, "database %s: %s (%s: %s)", where,
            DB_IOERR == st ? "could not be reached" : db_status_describe(st), what, db->errmsg);
    return st;
  }
}

void
pg_db_note_failure(struct pg_db *db, const char *sqlstate)
{
  /* a connection that reached a standby (or a primary since demoted)
   * refuses every write: ask libpq again, target_session_attrs=read-write
   * then finds the primary */
  if (NULL != sqlstate && 0 == strcmp(sqlstate, "25006"))
    db->reconnect = true;
}

enum db_status
pg_db_ensure(struct pg_db *db)
{
  if (CONNECTION_OK == PQstatus(db->conn) && !db->reconnect)
    return DB_ONE;
  /* between transactions only: a lost transaction is the caller's failure */
  PQreset(db->conn);
  if (CONNECTION_OK != PQstatus(db->conn)) {
    pg_db_keep_error(db, PQerrorMessage(db->conn));
    return DB_IOERR;
  }
  db->reconnect = false;
  db->epoch++; /* the new session knows none of our prepared statements */
  db_metrics_reconnect(DB_METRICS_POSTGRESQL);
  return DB_ONE;
}

enum db_status
pg_db_command(struct pg_db *db, const char *sql)
{
  uint64_t t0 = db_now_ns();
  PGresult *res = PQexec(db->conn, sql);
  ExecStatusType rs = PQresultStatus(res);
  enum db_status st = DB_ONE;

  db_metrics_round_trip(DB_METRICS_POSTGRESQL, db_now_ns() - t0);
  if (PGRES_COMMAND_OK != rs && PGRES_TUPLES_OK != rs) {
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

    pg_db_keep_error(db, NULL == res ? PQerrorMessage(db->conn) : PQresultErrorMessage(res));
    pg_db_note_failure(db, state);
    st = pg_status_of_sqlstate(state);
  }
  PQclear(res);
  return st;
}

int
pg_db_open(const char *spec, enum db_open_mode mode, struct db **out, char *err,
           size_t err_size)
{
  struct pg_db *db = calloc(1, sizeof *db);

  *out = NULL;
  if (NULL == db || NULL == (db->spec = strdup(spec))) {
    free(db);
    snprintf(err, err_size, "out of memory");
    return -1;
  }
  db->base.driver = &pg_driver;
  db->epoch = 1;
  db->conn = pg_conn_open(spec, err, err_size);
  if (NULL == db->conn) {
    free(db->spec);
    free(db);
    return -1;
  }
  db_metrics_connections_add(DB_METRICS_POSTGRESQL, 1);
  if (DB_OPEN_READONLY == mode
      && DB_ONE != pg_db_command(db, "SET default_transaction_read_only = on")) {
    snprintf(err, err_size, "cannot use the database: %s", db->errmsg);
    pg_close(&db->base);
    return -1;
  }
  *out = &db->base;
  return 0;
}

void
pg_close(struct db *db)
{
  db_stmt_cache_free(db);
  PQfinish(pg_db(db)->conn);
  db_metrics_connections_add(DB_METRICS_POSTGRESQL, -1);
  free(pg_db(db)->spec);
  free(db);
}

enum db_status
pg_read_begin(struct db *db)
{
  char budget[64];
  enum db_status st = pg_db_ensure(pg_db(db));

  /* one snapshot for every query of the read, as SQLite's deferred BEGIN */
  if (DB_ONE == st)
    st = db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (DB_ONE != st || 0 == db_query_timeout())
    return st;
  /* LOCAL: it ends with the read, so a write is never cut short. Each
   * statement of the read has the whole budget, where SQLite's statements
   * share it: a read runs few statements, most of them short. */
  snprintf(budget, sizeof budget, "SET LOCAL statement_timeout = %u", db_query_timeout());
  st = db_exec(db, budget);
  if (DB_ONE != st)
    (void) db_exec(db, "ROLLBACK");
  return st;
}

void
pg_read_end(struct db *db)
{
  struct db_stmt *stmt = db_stmt(db, "COMMIT");
  enum db_status st = DB_HARD;

  /* quietly: a read that failed has said why already */
  if (NULL != stmt) {
    st = db_step(stmt, NULL);
    db_stmt_done(stmt);
  }
  if (DB_NONE != st && db_in_transaction(db))
    (void) db_exec(db, "ROLLBACK");
}

enum db_status
pg_write_begin(struct db *db)
{
  enum db_status st = pg_db_ensure(pg_db(db));

  /* READ COMMITTED under one lock: each write sees every write committed
   * before it, as under SQLite's BEGIN IMMEDIATE */
  if (DB_ONE == st)
    st = db_exec(db, "BEGIN");
  if (DB_ONE == st)
    st = db_exec(db, WRITE_LOCK_WAIT_SQL);
  if (DB_ONE == st)
    st = db_exec(db, WRITE_LOCK_SQL);
  if (DB_ONE != st && db_in_transaction(db))
    (void) db_exec(db, "ROLLBACK");
  return st;
}

/*
 * NOTIFY inside the transaction: PostgreSQL delivers it when, and only
 * when, the COMMIT succeeds, and after the commit is visible, so a
 * replica that recomputes on it sees the write. This is the one commit
 * of every write (HTTP, CLI, imports): each of them reaches every
 * replica's change signal (db/pg_signal.c). Both go in one round trip.
 */
enum db_status
pg_write_commit(struct db *db)
{
  struct pg_db *pg = pg_db(db);
  enum db_status st = pg_db_command(pg, "NOTIFY " PG_SIGNAL_CHANNEL "; COMMIT");

  /* a transaction a failed statement aborted fails at NOTIFY already and
   * is rolled back by the caller; a COMMIT must leave no transaction open */
  if (DB_ONE == st && PQTRANS_IDLE != PQtransactionStatus(pg->conn))
    st = DB_HARD;
  if (DB_ONE != st)
    return pg_db_report(pg, st, "COMMIT");
  return st;
}

enum db_status
pg_file_check(struct db *db)
{
  (void) db;
  return DB_ONE; /* no file of ours can move under the connection */
}

uint64_t
pg_vm_steps(struct db *db)
{
  (void) db;
  return 0; /* the server's work is not counted here */
}

/*
 * The server's current snapshot ("xmin:xmax:in-progress ids") changes
 * whenever a transaction that was given an id, i.e. one that wrote,
 * commits or aborts, and only then: xmax moves past the latest one to
 * end, and an older one that ends leaves the in-progress list. It moves
 * when the commit becomes visible, not before, so an answer computed
 * after a change was seen includes it. Writes to other databases of the
 * same server move it too: a needless recomputation, never a stale
 * answer. No table or trigger of ours is needed.
 */
int
pg_data_version(struct db *db, int64_t *version)
{
  PGresult *res = PQexec(pg_db(db)->conn, "SELECT pg_current_snapshot()::text");
  int rc = -1;

  if (PGRES_TUPLES_OK == PQresultStatus(res) && 1 == PQntuples(res)) {
    *version = (int64_t) hash_str(HASH_INIT, PQgetvalue(res, 0, 0));
    rc = 0;
  } else if (CONNECTION_OK != PQstatus(pg_db(db)->conn)) {
    (void) pg_db_ensure(pg_db(db)); /* the next poll may succeed */
  }
  PQclear(res);
  return rc;
}

int
pg_checkpoint(struct db *db, int *wal_frames, int *copied, char *err, size_t err_size)
{
  /* the server keeps its own write-ahead log */
  (void) db;
  (void) err;
  (void) err_size;
  *wal_frames = -1;
  *copied = -1;
  return 0;
}

const char *
pg_spec(struct db *db)
{
  return pg_db(db)->spec;
}

int
pg_migrate(struct db *db, unsigned upto, unsigned *applied, char *err, size_t err_size)
{
  return pg_migrate_run(pg_db(db)->conn, upto, applied, err, err_size);
}

int
pg_migrate_status(struct db *db, FILE *out)
{
  return pg_migrate_print_status(pg_db(db)->conn, out);
}
