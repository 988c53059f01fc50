/**
 * @file db/sqlite_db.h
 * @brief The SQLite engine's connection, shared by its own files (db/db.c,
 *        db/sqlite_stmt.c, db/migrate.c); never by a query file.
 */
#ifndef TECHPAY_DB_SQLITE_DB_H
#define TECHPAY_DB_SQLITE_DB_H

#include <sqlite3.h>

#include <stdbool.h>
#include <stdint.h>

#include "db/driver.h"

struct sqlite_db {
  struct db base;           /* first: a struct db * is a struct sqlite_db * */
  sqlite3 *conn;
  bool budget_armed;        /* inside db_read_begin()/db_read_end() */
  int64_t budget_start_ns;  /* CLOCK_MONOTONIC when the budget began; 0: not yet */
};

/* A statement of the SQLite engine. */
struct sqlite_stmt {
  struct db_stmt base;      /* first */
  sqlite3_stmt *stmt;
  int rc;                   /* the result of the last step */
};

extern const struct db_driver sqlite_driver;

static inline struct sqlite_db *
sqlite_db(struct db *db)
{
  return (struct sqlite_db *) db;
}

static inline sqlite3 *
sqlite_conn(struct db *db)
{
  return sqlite_db(db)->conn;
}

static inline sqlite3_stmt *
sqlite_stmt(struct db_stmt *stmt)
{
  return ((struct sqlite_stmt *) stmt)->stmt;
}

/* The connection-level entries of the driver table (db/db.c). */
void sqlite_close(struct db *db);
enum db_status sqlite_read_begin(struct db *db);
void sqlite_read_end(struct db *db);
enum db_status sqlite_file_check(struct db *db);
uint64_t sqlite_vm_steps(struct db *db);
int sqlite_data_version(struct db *db, int64_t *version);
int sqlite_checkpoint(struct db *db, int *wal_frames, int *copied, char *err, size_t err_size);

/** The status of an sqlite3 result code from a failed step, logging nothing. */
enum db_status db_status_of_rc(int rc);

/** Maps an sqlite3 result code from a failed step to a status, logging hard errors. */
enum db_status db_status_from_rc(struct db *db, int rc, const char *what);

/** Column text, never NULL ("" for SQL NULL), valid until the next step or reset. */
const char *sqlite_column_text(sqlite3_stmt *stmt, int col);

#endif
