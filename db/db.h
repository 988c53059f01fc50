/**
 * @file db/db.h
 * @brief Database connections: opening, per-connection prepared statements,
 *        read snapshots. Handlers use this header and the query headers;
 *        they never see sqlite3.h.
 *
 * A struct db is one SQLite connection opened without a mutex: it and its
 * statements must only ever be used by one thread at a time.
 */
#ifndef TECHPAY_DB_DB_H
#define TECHPAY_DB_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;

/** Result of a query: < 0 error, 0 nothing found, > 0 rows. */
enum db_status {
  DB_HARD = -2, /* corrupt, I/O, misuse, callback failure: a server fault */
  DB_BUSY = -1, /* lock not obtained within the busy timeout: retry later */
  DB_NONE = 0,
  DB_ONE = 1,
};

enum db_open_mode {
  DB_OPEN_CREATE,    /* read-write; creates the file if missing */
  DB_OPEN_READWRITE, /* the file must exist */
  DB_OPEN_READONLY,
};

/**
 * Opens @a path. On failure writes one human-readable line to @a err
 * (no trailing newline) and returns -1; nothing is created or changed
 * unless @a mode is DB_OPEN_CREATE and the file does not exist.
 *
 * @param[out] out the connection; caller closes with db_close()
 */
int db_open(const char *path, enum db_open_mode mode, struct db **out,
            char *err, size_t err_size);

/** Finalizes every statement and closes the connection; NULL is fine. */
void db_close(struct db *db);

/** Runs a trivial query: DB_ONE when the database answers. */
enum db_status db_ping(struct db *db);

/**
 * Starts a read transaction so that several queries see one snapshot.
 * Every successful db_read_begin() needs a db_read_end().
 */
enum db_status db_read_begin(struct db *db);
void db_read_end(struct db *db);

/**
 * A number that changes whenever another connection commits to the
 * database; lets callers cache what they derived from it.
 * @return 0 on success, -1 on error
 */
int db_data_version(struct db *db, int64_t *version);

#endif
