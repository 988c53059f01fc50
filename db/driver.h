/**
 * @file db/driver.h
 * @brief What a storage engine provides behind db/stmt.h: a table of
 *        functions, and the first members of its connection and statement.
 *
 * A table of function pointers rather than a switch on an engine field:
 * each engine stays in files of its own (db/sqlite_stmt.c; the PostgreSQL
 * driver beside it), and an engine left out of the build (libpq is
 * optional) is simply a table that does not exist, not a case to leave
 * out of every function. The engine is chosen once, when a connection is
 * opened from the --db value; the cost is one indirect call per bind,
 * step or column read, nothing next to the engine's own work.
 *
 * Included by db/stmt.c and by the engines' own files, never by a query file.
 */
#ifndef TECHPAY_DB_DRIVER_H
#define TECHPAY_DB_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "db/stmt.h"

/* Room for every distinct statement a connection runs. The SQL texts are
 * our own (string literals, or assembled from fixed fragments), never
 * request text, so their number is bounded by the code. */
#define DB_STMT_SLOTS 2048

struct db_driver {
  const char *name;
  /* a new statement for @a sql (logged when it fails), freed by finalize */
  struct db_stmt *(*prepare)(struct db *db, const char *sql);
  void (*finalize)(struct db_stmt *stmt);
  void (*reset)(struct db_stmt *stmt);
  int (*bind_int64)(struct db_stmt *stmt, int index, int64_t value);
  int (*bind_double)(struct db_stmt *stmt, int index, double value);
  int (*bind_null)(struct db_stmt *stmt, int index);
  int (*bind_text)(struct db_stmt *stmt, int index, const char *text, bool copy);
  int (*param_count)(struct db_stmt *stmt);
  /* DB_ONE a row, DB_NONE the end, or the failure's status, not logged */
  enum db_status (*step)(struct db_stmt *stmt);
  enum db_status (*failure)(struct db_stmt *stmt, const char *what);
  bool (*refused)(struct db_stmt *stmt);
  int64_t (*column_int64)(struct db_stmt *stmt, int col);
  double (*column_double)(struct db_stmt *stmt, int col);
  const char *(*column_text)(struct db_stmt *stmt, int col);
  bool (*column_is_null)(struct db_stmt *stmt, int col);
  enum db_type (*column_type)(struct db_stmt *stmt, int col);
  int64_t (*changes)(struct db *db);
  int64_t (*last_insert_id)(struct db *db);
  const char *(*errmsg)(struct db *db);
  bool (*in_transaction)(struct db *db);
  enum db_status (*exec_uncached)(struct db *db, const char *sql, const char *what);
  bool (*table_exists)(struct db *db, const char *name);
  const char *(*file_path)(struct db *db);
  enum db_status (*explain)(struct db *db, const char *sql, char *out, size_t size);
  /* the connection's side of db/db.h, db/ops.h and db/write.h */
  void (*close)(struct db *db);
  enum db_status (*read_begin)(struct db *db);
  void (*read_end)(struct db *db);
  enum db_status (*write_begin)(struct db *db); /* one writer at a time */
  /* COMMIT of a write: every commit of a write passes here, so that an
   * engine can tell other processes about it inside the transaction */
  enum db_status (*write_commit)(struct db *db);
  enum db_status (*file_check)(struct db *db);
  uint64_t (*vm_steps)(struct db *db);
  int (*data_version)(struct db *db, int64_t *version);
  int (*checkpoint)(struct db *db, int *wal_frames, int *copied, char *err, size_t err_size);
  int (*migrate)(struct db *db, unsigned upto, unsigned *applied, char *err, size_t err_size);
  int (*migrate_status)(struct db *db, FILE *out);
  const char *(*spec)(struct db *db); /* what db_open() was given, to open another connection */
  bool postgresql;          /* which of a query's per-engine texts it runs (db_sql()) */
};

/* The statement entries of a driver table, for an engine file that names
 * its static functions after them (prepare, finalize, ...), as each does:
 * the tables then differ only where the engines do. */
#define DB_DRIVER_STATEMENT_ENTRIES \
  .prepare = prepare, .finalize = finalize, .reset = reset, .bind_int64 = bind_int64, \
  .bind_double = bind_double, .bind_null = bind_null, .bind_text = bind_text, \
  .param_count = param_count, .step = step, .failure = failure, .refused = refused, \
  .column_int64 = column_int64, .column_double = column_double, .column_text = column_text, \
  .column_is_null = column_is_null, .column_type = column_type, .changes = changes, \
  .last_insert_id = last_insert_id, .errmsg = errmsg, .in_transaction = in_transaction, \
  .exec_uncached = exec_uncached, .table_exists = table_exists, .file_path = file_path, \
  .explain = explain

/* The first member of every engine's statement. */
struct db_stmt {
  const struct db_driver *driver;
  struct db *db;
};

struct stmt_slot {
  uint64_t hash;
  char *sql;              /* own copy: the key */
  struct db_stmt *stmt;
};

/* The first member of every engine's connection. */
struct db {
  const struct db_driver *driver;
  struct stmt_slot slots[DB_STMT_SLOTS]; /* open addressing on the SQL text */
  unsigned nslots_used;
};

/** Finalizes every cached statement of @a db; the engine then closes it. */
void db_stmt_cache_free(struct db *db);

#endif
