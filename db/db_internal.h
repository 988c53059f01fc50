/**
 * @file db/db_internal.h
 * @brief What the query files in db/ share; not for handlers.
 */
#ifndef TECHPAY_DB_DB_INTERNAL_H
#define TECHPAY_DB_DB_INTERNAL_H

#include <sqlite3.h>

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

/* Room for every distinct statement a connection runs. The SQL texts are
 * our own (string literals, or assembled from fixed fragments), never
 * request text, so their number is bounded by the code. */
#define DB_STMT_SLOTS 2048

struct stmt_slot {
  uint64_t hash;
  char *sql;           /* own copy: the key */
  sqlite3_stmt *stmt;
};

struct db {
  sqlite3 *conn;
  bool budget_armed;        /* inside db_read_begin()/db_read_end() */
  int64_t budget_start_ns;  /* CLOCK_MONOTONIC when the budget began; 0: not yet */
  struct stmt_slot slots[DB_STMT_SLOTS]; /* open addressing on the SQL text */
  unsigned nslots_used;
};

/**
 * The prepared statement for @a sql, prepared on this connection's first
 * use of that text and reused after. Keep the SQL of a query next to the C
 * code that runs it. Callers bind, step and then always call db_stmt_done().
 * @return borrowed statement, or NULL (logged) if it cannot be prepared
 */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

/**
 * Runs @a sql (cached like any statement) that returns no rows or one
 * ignored row: BEGIN, COMMIT, a pragma. @return DB_ONE, or an error status
 */
enum db_status db_exec(struct db *db, const char *sql);

/** Resets the statement and clears its bindings for the next use. */
void db_stmt_done(sqlite3_stmt *stmt);

/** Maps an sqlite3 result code from a failed step to a status, logging hard errors. */
enum db_status db_status_from_rc(struct db *db, int rc, const char *what);

/** Binds text; the statement keeps its own copy only as long as needed. */
int db_bind_text(sqlite3_stmt *stmt, int index, const char *text);

/** Column text, never NULL ("" for SQL NULL), valid until the next step or reset. */
const char *db_column_text(sqlite3_stmt *stmt, int col);

/** Column text or NULL for SQL NULL. */
const char *db_column_text_or_null(sqlite3_stmt *stmt, int col);

#endif
