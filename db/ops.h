/**
 * @file db/ops.h
 * @brief Queries for operating the server rather than answering the API:
 *        the schema version a readiness probe compares with the binary's,
 *        and the WAL checkpoint taken when the server stops.
 */
#ifndef TECHPAY_DB_OPS_H
#define TECHPAY_DB_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/**
 * The highest migration version recorded in schema_migrations; 0 when
 * none is (or the table does not exist yet). One indexed lookup, prepared
 * once per connection.
 * @param[out] version
 * @return DB_ONE, or DB_BUSY / DB_HARD (logged)
 */
enum db_status db_schema_version(struct db *db, int64_t *version);

/**
 * Copies the write-ahead log into the database file and truncates it to
 * zero bytes (PRAGMA wal_checkpoint(TRUNCATE)), so a stopped server leaves
 * one self-contained file behind. A SQLite matter, so defined with the
 * SQLite engine's connections in db/db.c.
 * @param[out] wal_frames frames in the log before the checkpoint (-1 when
 *             the database is not in WAL mode)
 * @param[out] copied frames copied into the database file
 * @return 0, or -1 with one line in @a err (e.g. another connection still
 *         reads or writes)
 */
int db_checkpoint(struct db *db, int *wal_frames, int *copied, char *err, size_t err_size);

#endif
