/**
 * @file db/stmt.h
 * @brief The statement interface every query file in db/ speaks: prepare
 *        (cached per connection), bind, step, read columns, done. Private
 *        to db/: handlers see only the query APIs of db/.
 *
 * Its functions name no engine, so that a second one (PostgreSQL through libpq) can
 * be added as a driver (db/driver.h) without touching the query files' C
 * logic. Only the SQLite engine's own files include SQLite's header:
 * db/db.c (connections, the query time budget), db/sqlite_stmt.c (this
 * interface over SQLite's statements), db/sqlite_db.h (their shared
 * state) and db/migrate.c (SQLite's migrations).
 *
 * SQL texts use SQLite's numbered placeholders, ?1 ?2 ...: the PostgreSQL
 * driver will translate ?N to $N when it prepares a text. A text that is
 * not portable will be chosen per engine beside the portable one, in the
 * query file that runs it.
 *
 * Strings read from a row are borrowed: valid until the next db_step() or
 * db_stmt_done() on the same statement.
 */
#ifndef TECHPAY_DB_STMT_H
#define TECHPAY_DB_STMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/** A prepared statement, owned by its connection's statement cache. */
struct db_stmt;

/**
 * The prepared statement for @a sql, prepared on this connection's first
 * use of that text and reused after. Keep the SQL of a query next to the C
 * code that runs it. Callers bind, step and then always call db_stmt_done().
 * @return borrowed statement, or NULL (logged) if it cannot be prepared
 */
struct db_stmt *db_stmt(struct db *db, const char *sql);

/**
 * Runs @a sql (cached like any statement) that returns no rows or one
 * ignored row: BEGIN, COMMIT, a pragma. @return DB_ONE, or an error status
 */
enum db_status db_exec(struct db *db, const char *sql);

/**
 * Runs @a sql once without keeping it in the statement cache: a text
 * made at run time that a connection runs rarely (a trigger's definition).
 * @return DB_ONE, or an error (logged, naming @a what)
 */
enum db_status db_exec_uncached(struct db *db, const char *sql, const char *what);

/**
 * Begins a write transaction that holds the engine's write lock from its
 * start: one writer at a time, as SQLite's BEGIN IMMEDIATE.
 * @return DB_ONE, or an error status
 */
enum db_status db_exec_write_begin(struct db *db);

/**
 * Commits the write transaction db_exec_write_begin() began; on
 * PostgreSQL it also notifies every techpayd's change signal, inside the
 * transaction, so the notification is delivered if and only if the
 * commit succeeds (db/pg_db.c). Every write commit goes through here.
 * @return DB_ONE, or an error status (logged)
 */
enum db_status db_exec_write_commit(struct db *db);

/**
 * The text of a query for @a db's engine: @a sqlite_text on SQLite,
 * @a pg_text on PostgreSQL, where their dialects differ. Both stay side
 * by side in the query file that runs them.
 */
const char *db_sql(struct db *db, const char *sqlite_text, const char *pg_text);

/** Resets the statement and clears its bindings for the next use. */
void db_stmt_done(struct db_stmt *stmt);

/* Binding: @a index counts from 1 (the N of ?N). Each returns 0, or -1
 * when the value could not be bound (out of memory, no such parameter). */

int db_bind_int64(struct db_stmt *stmt, int index, int64_t value);
int db_bind_double(struct db_stmt *stmt, int index, double value);
int db_bind_null(struct db_stmt *stmt, int index);
/** Binds a copy of @a text: the caller may free it at once. */
int db_bind_text(struct db_stmt *stmt, int index, const char *text);
/** Binds @a text itself, which must stay valid until db_stmt_done(). */
int db_bind_text_static(struct db_stmt *stmt, int index, const char *text);

/** The largest N of the ?N placeholders in the statement's text. */
int db_stmt_param_count(struct db_stmt *stmt);

/**
 * Runs the statement to its next row.
 * @param what names the query in the log when the step fails; NULL: the
 *        failure is not logged (the caller reports it, or it is expected)
 * @return DB_ONE when a row is ready for the column readers, DB_NONE when
 *         the statement has run to its end, or an error status
 */
enum db_status db_step(struct db_stmt *stmt, const char *what);

/**
 * Logs the failure of the last db_step() of @a stmt, naming @a what, as
 * db_step() would have; for a caller that first looked at db_stmt_refused().
 * @return the failure's status
 */
enum db_status db_stmt_failure(struct db_stmt *stmt, const char *what);

/** Whether the last db_step() of @a stmt failed on a constraint (CHECK, UNIQUE, foreign key). */
bool db_stmt_refused(struct db_stmt *stmt);

/* Column readers: @a col counts from 0. SQL NULL reads as 0, 0.0, "". */

/** What a column of the current row holds (a blob counts as text). */
enum db_type { DB_TYPE_NULL, DB_TYPE_INT, DB_TYPE_REAL, DB_TYPE_TEXT };

enum db_type db_column_type(struct db_stmt *stmt, int col);

int64_t db_column_int64(struct db_stmt *stmt, int col);
double db_column_double(struct db_stmt *stmt, int col);
/** Column text, never NULL ("" for SQL NULL). */
const char *db_column_text(struct db_stmt *stmt, int col);
/** Column text or NULL for SQL NULL. */
const char *db_column_text_or_null(struct db_stmt *stmt, int col);
bool db_column_is_null(struct db_stmt *stmt, int col);

/* The connection's side of a statement. */

/** Rows changed by the last INSERT, UPDATE or DELETE on @a db. */
int64_t db_changes(struct db *db);
/** The id of the row the last INSERT on @a db added. */
int64_t db_last_insert_id(struct db *db);
/** The engine's message for the last failure on @a db, for a one-line error. */
const char *db_errmsg(struct db *db);
/** Whether a transaction is open on @a db. */
bool db_in_transaction(struct db *db);
/** Whether table @a name exists (a database before its first migration has none). */
bool db_table_exists(struct db *db, const char *name);
/** The file @a db opened, or NULL when the engine keeps its data in no file of ours. */
const char *db_file_path(struct db *db);
/**
 * Appends the engine's plan for @a sql to @a out, one line per step.
 * @return DB_ONE, or DB_HARD when the text cannot be explained
 */
enum db_status db_explain(struct db *db, const char *sql, char *out, size_t size);

#endif
