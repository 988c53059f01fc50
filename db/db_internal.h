/**
 * @file db/db_internal.h
 * @brief What the query files in db/ share; not for handlers.
 */
#ifndef TECHPAY_DB_DB_INTERNAL_H
#define TECHPAY_DB_DB_INTERNAL_H

#include <sqlite3.h>

#include "db/db.h"
#include "db/stmt.h"

struct db {
  sqlite3 *conn;
  sqlite3_stmt *stmts[STMT__COUNT]; /* prepared on first use, reused */
};

/**
 * The statement @a id, prepared on first use. Callers bind, step and then
 * always call db_stmt_done().
 * @return borrowed statement, or NULL (logged) if it cannot be prepared
 */
sqlite3_stmt *db_stmt(struct db *db, enum stmt_id id);

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
