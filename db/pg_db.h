/**
 * @file db/pg_db.h
 * @brief The PostgreSQL engine's connection and statement, shared by its
 *        own files (db/pg_db.c, db/pg_stmt.c); never by a query file.
 *
 * One libpq connection per struct db, as SQLite has one connection per
 * pool thread: a connection is used by one thread at a time and needs no
 * lock of ours.
 */
#ifndef TECHPAY_DB_PG_DB_H
#define TECHPAY_DB_PG_DB_H

#include <libpq-fe.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "db/driver.h"

/* The channel every write commit notifies and every change signal
 * listens on (db/pg_signal.c). */
#define PG_SIGNAL_CHANNEL "techpay_data_version"

struct pg_db {
  struct db base;           /* first: a struct db * is a struct pg_db * */
  PGconn *conn;
  char *spec;               /* the --db value: for messages (redacted) and reconnecting */
  unsigned epoch;           /* bumped on reconnecting: the server forgot our statements */
  bool reconnect;           /* reached a standby (25006): connect again between transactions */
  unsigned next_name;       /* statements are named s1, s2, ... on this connection */
  int64_t changes;          /* rows changed by the last INSERT, UPDATE or DELETE */
  int64_t last_insert_id;   /* the RETURNING id of the last INSERT that had one */
  char errmsg[512];         /* the last failure, one line, without the password */
  bool copying;             /* a COPY FROM STDIN is open (db/pg_copy.c) */
};

/* A statement of the PostgreSQL engine: its ?N text translated to $N,
 * prepared by name on its first execution (the bound values give the
 * parameter types), its result read row by row from one PGresult. */
struct pg_stmt {
  struct db_stmt base;      /* first */
  char name[16];
  char *sql;                /* the translated text */
  int nparams;              /* the largest N of its $N */
  bool *seen;               /* seen[N - 1]: the text names $N */
  unsigned prepared_epoch;  /* 0: not prepared on this connection yet */
  Oid *types;               /* per parameter: what was bound (0: NULL, let the server infer) */
  char **values;            /* per parameter: the text form, or NULL for SQL NULL */
  bool *owned;              /* per parameter: whether values[i] is ours to free */
  PGresult *res;            /* the last execution's result; NULL before it */
  int row;                  /* the current row of res */
  char sqlstate[6];         /* of the last failed execution; "" when it succeeded */
};

extern const struct db_driver pg_driver;

static inline struct pg_db *
pg_db(struct db *db)
{
  return (struct pg_db *) db;
}

/** The status a SQLSTATE stands for (NULL or "": the connection was lost). */
enum db_status pg_status_of_sqlstate(const char *sqlstate);

/** Notes a failed statement's SQLSTATE: one that says the connection reached
 *  a standby (25006) has it opened again before the next transaction. */
void pg_db_note_failure(struct pg_db *db, const char *sqlstate);

/** Keeps libpq's message of a failure as the connection's one-line errmsg. */
void pg_db_keep_error(struct pg_db *db, const char *msg);

/** Logs a failed step or command naming @a what; @return @a st */
enum db_status pg_db_report(struct pg_db *db, enum db_status st, const char *what);

/** Makes sure the connection is up (and not on a standby), reconnecting once
 *  if it was lost. @return DB_ONE or DB_IOERR */
enum db_status pg_db_ensure(struct pg_db *db);

/** Runs @a sql (no parameters) once, unprepared. @return DB_ONE, or the failure's status (kept, not logged) */
enum db_status pg_db_command(struct pg_db *db, const char *sql);

/* The connection-level entries of the driver table (db/pg_db.c). */
void pg_close(struct db *db);
enum db_status pg_read_begin(struct db *db);
void pg_read_end(struct db *db);
enum db_status pg_write_begin(struct db *db);
enum db_status pg_write_commit(struct db *db);
enum db_status pg_file_check(struct db *db);
uint64_t pg_vm_steps(struct db *db);
int pg_data_version(struct db *db, int64_t *version);
int pg_checkpoint(struct db *db, int *wal_frames, int *copied, char *err, size_t err_size);
int pg_migrate(struct db *db, unsigned upto, unsigned *applied, char *err, size_t err_size);
int pg_migrate_status(struct db *db, FILE *out);
const char *pg_spec(struct db *db);

#endif
