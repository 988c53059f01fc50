/**
 * @file db/pg_stmt.c
 * @brief The PostgreSQL engine's driver: db/stmt.h over libpq's prepared
 *        statements.
 *
 * A text is translated from SQLite's ?N to PostgreSQL's $N when the
 * statement is made, and prepared by name on its first execution, when the
 * bound values say what each parameter is: an untyped optional parameter
 * (`$1 IS NULL OR ...`) cannot be prepared otherwise. Values travel in
 * text format. Connections and their statuses are db/pg_db.c's.
 */
#include "db/pg_db.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/db_metrics.h"
#include "db/pg_translate.h"
#include "util/log.h"
#include "util/utf8.h"

/* The type oids of pg_type.h, which libpq's headers do not export. */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

/* Frees what prepare() allocated (the server's copy goes with the connection). */
static void
stmt_free(struct pg_stmt *s)
{
  free(s->seen);
  free(s->sql);
  free(s->types);
  free(s->values);
  free(s->owned);
  free(s);
}

static struct db_stmt *
prepare(struct db *db, const char *sql)
{
  struct pg_stmt *s = calloc(1, sizeof *s);

  if (NULL == s)
    return NULL;
  s->seen = calloc(strlen(sql) + 1, sizeof *s->seen);
  s->sql = NULL == s->seen ? NULL : pg_sql_translate(sql, &s->nparams, s->seen);
  if (s->nparams > 0) {
    s->types = calloc((size_t) s->nparams, sizeof *s->types);
    s->values = calloc((size_t) s->nparams, sizeof *s->values);
    s->owned = calloc((size_t) s->nparams, sizeof *s->owned);
  }
  if (NULL == s->sql
      || (s->nparams > 0 && (NULL == s->types || NULL == s->values || NULL == s->owned))) {
    log_msg(LOG_ERROR, "preparing %.60s: out of memory", sql);
    stmt_free(s);
    return NULL;
  }
  snprintf(s->name, sizeof s->name, "s%u", ++pg_db(db)->next_name);
  s->base = (struct db_stmt) { .driver = &pg_driver, .db = db };
  return &s->base;
}

static void
clear_values(struct pg_stmt *s)
{
  for (int i = 0; i < s->nparams; i++) {
    if (s->owned[i])
      free(s->values[i]);
    s->values[i] = NULL;
    s->owned[i] = false;
  }
}

static void
reset(struct db_stmt *stmt)
{
  struct pg_stmt *s = (struct pg_stmt *) stmt;

  PQclear(s->res);
  s->res = NULL;
  s->row = -1;
  clear_values(s);
}

static void
finalize(struct db_stmt *stmt)
{
  struct pg_stmt *s = (struct pg_stmt *) stmt;

  reset(stmt);
  stmt_free(s);
}

/* Sets parameter @a index to @a text (owned when @a owned); @return 0 or -1 */
static int
set_value(struct pg_stmt *s, int index, char *text, bool owned, Oid type)
{
  if (index < 1 || index > s->nparams) {
    if (owned)
      free(text);
    return -1;
  }
  if (s->owned[index - 1])
    free(s->values[index - 1]);
  s->values[index - 1] = text;
  s->owned[index - 1] = owned;
  /* a statement keeps the types it was first prepared with */
  if (0 == s->prepared_epoch)
    s->types[index - 1] = type;
  return 0;
}

static int
bind_int64(struct db_stmt *stmt, int index, int64_t value)
{
  char buf[24];
  char *text;

  snprintf(buf, sizeof buf, "%" PRId64, value);
  text = strdup(buf);
  return NULL == text ? -1 : set_value((struct pg_stmt *) stmt, index, text, true, OID_INT8);
}

static int
bind_double(struct db_stmt *stmt, int index, double value)
{
  char buf[32];
  char *text;

  /* 17 digits: the server reads back the same double */
  snprintf(buf, sizeof buf, "%.17g", value);
  text = strdup(buf);
  return NULL == text ? -1 : set_value((struct pg_stmt *) stmt, index, text, true, OID_FLOAT8);
}

static int
bind_null(struct db_stmt *stmt, int index)
{
  return set_value((struct pg_stmt *) stmt, index, NULL, false, 0);
}

static int
bind_text(struct db_stmt *stmt, int index, const char *text, bool copy)
{
  char *value = copy ? strdup(text) : (char *) text;

  if (NULL == value)
    return -1;
  return set_value((struct pg_stmt *) stmt, index, value, copy, OID_TEXT);
}

static int
param_count(struct db_stmt *stmt)
{
  return ((struct pg_stmt *) stmt)->nparams;
}

/* Prepares the statement by name on this connection, typed by what is bound now. */
static enum db_status
prepare_on_server(struct pg_stmt *s)
{
  struct pg_db *db = pg_db(s->base.db);
  enum db_status st = DB_ONE;
  PGresult *res;
  uint64_t t0;

  /* a number the text skips (a query built from fragments) still needs a type */
  for (int i = 0; i < s->nparams; i++)
    if (!s->seen[i] && 0 == s->types[i])
      s->types[i] = OID_TEXT;
  t0 = db_now_ns();
  res = PQprepare(db->conn, s->name, s->sql, s->nparams, s->types);
  db_metrics_round_trip(DB_METRICS_POSTGRESQL, db_now_ns() - t0);

  if (PGRES_COMMAND_OK != PQresultStatus(res)) {
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

    snprintf(s->sqlstate, sizeof s->sqlstate, "%s", NULL == state ? "" : state);
    pg_db_keep_error(db, PQresultErrorMessage(res));
    pg_db_note_failure(db, state);
    st = pg_status_of_sqlstate(state);
  } else {
    s->prepared_epoch = db->epoch;
  }
  PQclear(res);
  return st;
}

/* Sends the statement (prepared first if need be); s->res its result. @return DB_ONE: sent */
static enum db_status
send_prepared(struct pg_stmt *s)
{
  struct pg_db *db = pg_db(s->base.db);
  enum db_status st = pg_db_ensure(db);
  uint64_t t0;

  if (DB_ONE == st && s->prepared_epoch != db->epoch)
    st = prepare_on_server(s);
  if (DB_ONE != st)
    return st;
  t0 = db_now_ns();
  s->res = PQexecPrepared(db->conn, s->name, s->nparams, (const char *const *) s->values,
                          NULL, NULL, 0);
  db_metrics_round_trip(DB_METRICS_POSTGRESQL, db_now_ns() - t0);
  return DB_ONE;
}

/* A BEGIN or lone read (our writes run in transactions) sent while idle on a
 * connection found lost (a restart, a failover) did nothing: send it again. */
static bool
may_resend(struct pg_stmt *s, bool was_idle, enum db_status st)
{
  if (!was_idle || (0 != strncmp(s->sql, "BEGIN", 5) && 0 != strncmp(s->sql, "SELECT", 6)))
    return false;
  if (DB_ONE == st && (PGRES_FATAL_ERROR != PQresultStatus(s->res)
                       || DB_IOERR != pg_status_of_sqlstate(
                            PQresultErrorField(s->res, PG_DIAG_SQLSTATE))))
    return false;
  return pg_db(s->base.db)->reconnect = DB_ONE == st || DB_IOERR == st;
}

/* Runs the statement once, keeping its whole result. */
static enum db_status
execute(struct pg_stmt *s)
{
  struct pg_db *db = pg_db(s->base.db);
  bool was_idle = PQTRANS_IDLE == PQtransactionStatus(db->conn);
  enum db_status st;
  const char *state;

  s->sqlstate[0] = '\0';
  st = send_prepared(s);
  if (may_resend(s, was_idle, st)) {
    PQclear(s->res);
    s->res = NULL;
    s->sqlstate[0] = '\0';
    st = send_prepared(s);
  }
  if (DB_ONE != st)
    return st;
  switch (PQresultStatus(s->res)) {
  case PGRES_TUPLES_OK:
    /* an INSERT's RETURNING id (DB_PG_INSERT) is the last insert id, no row */
    if (0 == strncmp(PQcmdStatus(s->res), "INSERT", 6)) {
      db->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
      if (PQntuples(s->res) > 0)
        db->last_insert_id = strtoll(PQgetvalue(s->res, 0, 0), NULL, 10);
      s->row = PQntuples(s->res) - 1;
    }
    return DB_ONE;
  case PGRES_COMMAND_OK:
    db->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
    /* COMMIT of a transaction a failed statement aborted "succeeds" as a
     * ROLLBACK: nothing was written, so it must not count as a commit */
    if (0 == strcmp(PQcmdStatus(s->res), "ROLLBACK") && 0 == strncmp(s->sql, "COMMIT", 6)) {
      pg_db_keep_error(db, "the transaction had failed and was rolled back");
      snprintf(s->sqlstate, sizeof s->sqlstate, "25P02");
      return DB_HARD;
    }
    return DB_ONE;
  default:
    state = PQresultErrorField(s->res, PG_DIAG_SQLSTATE);
    snprintf(s->sqlstate, sizeof s->sqlstate, "%s", NULL == state ? "" : state);
    pg_db_keep_error(db, NULL == s->res ? PQerrorMessage(db->conn)
                                        : PQresultErrorMessage(s->res));
    pg_db_note_failure(db, s->sqlstate);
    PQclear(s->res); /* state pointed into it: only the copy is left */
    s->res = NULL;
    return pg_status_of_sqlstate(s->sqlstate);
  }
}

static bool
is_utf8(const char *text)
{
  size_t len = strlen(text);
  uint32_t cp;

  for (size_t at = 0, n; at < len; at += n)
    if (0 == (n = utf8_decode((const unsigned char *) text + at, len - at, &cp)))
      return false;
  return true;
}

/* PostgreSQL refuses a text parameter that is not UTF-8, and holds no
 * such text either: a query given one (a path segment of raw bytes) would
 * find nothing on SQLite, so it finds nothing here, instead of failing. */
static bool
query_that_matches_nothing(const struct pg_stmt *s)
{
  const char *sql = s->sql;
  bool unmatchable = false;

  for (int i = 0; i < s->nparams && !unmatchable; i++)
    unmatchable = OID_TEXT == s->types[i] && NULL != s->values[i] && !is_utf8(s->values[i]);
  while (isspace((unsigned char) *sql))
    sql++;
  return unmatchable && (0 == strncasecmp(sql, "SELECT", 6) || 0 == strncasecmp(sql, "WITH", 4));
}

static enum db_status
step(struct db_stmt *stmt)
{
  struct pg_stmt *s = (struct pg_stmt *) stmt;

  if (NULL == s->res) {
    enum db_status st;

    if (query_that_matches_nothing(s))
      return DB_NONE;
    s->row = -1;
    st = execute(s);
    if (DB_ONE != st)
      return st;
  }
  s->row++;
  return s->row < PQntuples(s->res) ? DB_ONE : DB_NONE;
}

static enum db_status
failure(struct db_stmt *stmt, const char *what)
{
  struct pg_stmt *s = (struct pg_stmt *) stmt;

  return pg_db_report(pg_db(stmt->db), pg_status_of_sqlstate(s->sqlstate), what);
}

static bool
refused(struct db_stmt *stmt)
{
  /* class 23: integrity constraint violation */
  return 0 == strncmp(((struct pg_stmt *) stmt)->sqlstate, "23", 2);
}

static const char *
value_of(struct db_stmt *stmt, int col)
{
  struct pg_stmt *s = (struct pg_stmt *) stmt;

  if (NULL == s->res || s->row < 0 || s->row >= PQntuples(s->res) || col >= PQnfields(s->res))
    return NULL;
  if (PQgetisnull(s->res, s->row, col))
    return NULL;
  return PQgetvalue(s->res, s->row, col);
}

static int64_t
column_int64(struct db_stmt *stmt, int col)
{
  const char *v = value_of(stmt, col);

  if (NULL == v)
    return 0;
  /* a boolean reads as 0/1, as SQLite stores it */
  if ('t' == v[0] && '\0' == v[1])
    return 1;
  return strtoll(v, NULL, 10);
}

static double
column_double(struct db_stmt *stmt, int col)
{
  const char *v = value_of(stmt, col);

  return NULL == v ? 0.0 : strtod(v, NULL);
}

static const char *
column_text(struct db_stmt *stmt, int col)
{
  const char *v = value_of(stmt, col);

  return NULL == v ? "" : v;
}

static bool
column_is_null(struct db_stmt *stmt, int col)
{
  return NULL == value_of(stmt, col);
}

static enum db_type
column_type(struct db_stmt *stmt, int col)
{
  if (NULL == value_of(stmt, col))
    return DB_TYPE_NULL;
  switch (PQftype(((struct pg_stmt *) stmt)->res, col)) {
  case OID_BOOL:
  case OID_INT2:
  case OID_INT4:
  case OID_INT8:
    return DB_TYPE_INT;
  case OID_FLOAT4:
  case OID_FLOAT8:
  case OID_NUMERIC:
    return DB_TYPE_REAL;
  default:
    return DB_TYPE_TEXT;
  }
}

static int64_t
changes(struct db *db)
{
  return pg_db(db)->changes;
}

static int64_t
last_insert_id(struct db *db)
{
  return pg_db(db)->last_insert_id;
}

static const char *
errmsg(struct db *db)
{
  return pg_db(db)->errmsg;
}

static bool
in_transaction(struct db *db)
{
  return PQTRANS_IDLE != PQtransactionStatus(pg_db(db)->conn);
}

static enum db_status
exec_uncached(struct db *db, const char *sql, const char *what)
{
  enum db_status st = pg_db_command(pg_db(db), sql);

  return DB_ONE == st ? st : pg_db_report(pg_db(db), st, what);
}

static bool
table_exists(struct db *db, const char *name)
{
  const char *values[1] = { name };
  PGresult *res = PQexecParams(pg_db(db)->conn,
                               "SELECT to_regclass(quote_ident($1)) IS NOT NULL", 1, NULL,
                               values, NULL, NULL, 0);
  bool exists = PGRES_TUPLES_OK == PQresultStatus(res) && 1 == PQntuples(res)
                && 't' == PQgetvalue(res, 0, 0)[0];

  PQclear(res);
  return exists;
}

static const char *
file_path(struct db *db)
{
  (void) db;
  return NULL; /* the data lives in the server's files, not ours */
}

static enum db_status
explain(struct db *db, const char *sql, char *out, size_t size)
{
  /* a plan needs the parameters' values (or PG 16's GENERIC_PLAN): not offered yet */
  (void) db, (void) sql, (void) out, (void) size;
  return DB_HARD;
}

const struct db_driver pg_driver = {
  .name = "postgresql",
  DB_DRIVER_STATEMENT_ENTRIES,
  .close = pg_close, .read_begin = pg_read_begin, .read_end = pg_read_end,
  .write_begin = pg_write_begin, .write_commit = pg_write_commit,
  .file_check = pg_file_check, .vm_steps = pg_vm_steps,
  .data_version = pg_data_version, .checkpoint = pg_checkpoint, .migrate = pg_migrate,
  .migrate_status = pg_migrate_status, .spec = pg_spec, .postgresql = true,
};
