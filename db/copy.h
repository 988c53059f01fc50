/**
 * @file db/copy.h
 * @brief Rows streamed into a table by PostgreSQL's COPY ... FROM STDIN
 *        (text format), for bulk imports: one statement for many rows, the
 *        data sent in large pieces while the server parses what it has.
 *
 * Only a PostgreSQL connection has it (db_is_postgresql()); SQLite's
 * import writes batched INSERTs. While a COPY is open the connection runs
 * nothing else: end it before any other statement. A COPY runs inside the
 * caller's transaction, so a refused or abandoned COPY is undone with it.
 */
#ifndef TECHPAY_DB_COPY_H
#define TECHPAY_DB_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/**
 * Starts @a sql, a `COPY table (columns) FROM STDIN` of our own text.
 * @return DB_ONE, or the failure's status (logged)
 */
enum db_status db_copy_begin(struct db *db, const char *sql);

/**
 * Sends @a len bytes of COPY text (whole rows or not, as they come).
 * @return DB_ONE, or DB_IOERR when the connection failed (logged)
 */
enum db_status db_copy_put(struct db *db, const char *data, size_t len);

/**
 * Ends the COPY that db_copy_begin() started.
 * @param abandon NULL: the data is complete; else the server discards the
 *        COPY with this message (the transaction is then aborted)
 * @param[out] line when the server refused a row: its number among the
 *        rows of this COPY (1-based), 0 when it did not say
 * @return DB_ONE; DB_NONE when a row was refused (a constraint or a bad
 *         value; db_errmsg() says why, not logged); another failure's
 *         status (logged); DB_HARD after an @a abandon (not logged)
 */
enum db_status db_copy_end(struct db *db, const char *abandon, uint64_t *line);

/** Whether a COPY is open on @a db. */
bool db_copy_open(struct db *db);

#endif
