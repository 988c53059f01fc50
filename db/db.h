/**
 * @file db/db.h
 * @brief Database connections: opening, per-connection prepared statements,
 *        read snapshots. Handlers use this header and the query headers;
 *        they never see the engine's own header.
 *
 * A struct db is one SQLite connection opened without a mutex: it and its
 * statements must only ever be used by one thread at a time.
 */
#ifndef TECHPAY_DB_DB_H
#define TECHPAY_DB_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;

/** The outcome of a query: DB_ONE done (what was asked for was found),
 *  DB_NONE nothing found, < 0 an error. It is never a count: the queries
 *  that count hand their numbers back through an out-parameter. The faults
 *  of the file itself have their own values so that clients and operators
 *  are told what is wrong instead of a bare 500. */
enum db_status {
  DB_TIMEOUT = -8,  /* a read ran over the query time budget and was stopped */
  DB_IOERR = -7,    /* the file could not be read or written (I/O error) */
  DB_CORRUPT = -6,  /* the file is damaged or no longer a database */
  DB_GONE = -5,     /* the file was deleted or replaced under the open handle */
  DB_READONLY = -4, /* the file (or its directory) may no longer be written */
  DB_FULL = -3,     /* the disk, or --max-db-size, has no room left */
  DB_HARD = -2, /* misuse, out of memory, callback failure: a server fault */
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

/**
 * Caps every read-write connection opened after this call at @a bytes of
 * database pages (SQLite's max_page_count; 0: no cap), so that a full
 * disk can be reached on purpose: a write beyond it fails with DB_FULL
 * and changes nothing. A database already larger keeps what it has.
 * Call once at start-up, before any thread opens a connection.
 */
void db_set_max_size(uint64_t bytes);

/**
 * Gives the reads of every connection opened after this call a budget of
 * @a ms milliseconds (0: none): the statements run between db_read_begin()
 * and db_read_end() that together take longer are stopped and fail with
 * DB_TIMEOUT. Writes are never stopped: a statement that runs while the
 * connection holds a write transaction (a write, an import) goes on
 * however long it takes. Call once at start-up, like db_set_max_size().
 */
void db_set_query_timeout(unsigned ms);

/** The budget db_set_query_timeout() set, in milliseconds; 0: none. */
unsigned db_query_timeout(void);

/**
 * Whether the file this connection opened is still at its path: DB_ONE
 * when it is, DB_GONE when it was deleted or replaced (the connection
 * keeps reading the old file, but what it wrote would be lost with it).
 */
enum db_status db_file_check(struct db *db);

/** What a failure status means, for a log line: "is full: ...", "is damaged". */
const char *db_status_describe(enum db_status st);

/** Runs a trivial query: DB_ONE when the database answers. */
enum db_status db_ping(struct db *db);

/**
 * Starts a read transaction so that several queries see one snapshot,
 * and starts the time budget they share (db_set_query_timeout()).
 * Every successful db_read_begin() needs a db_read_end().
 */
enum db_status db_read_begin(struct db *db);
void db_read_end(struct db *db);

/**
 * The virtual machine instructions the statements of @a db have run since
 * the previous call: what the queries of a request cost, as a count that
 * does not depend on the machine (tests bound it, benchmarks report it).
 */
uint64_t db_vm_steps(struct db *db);

/**
 * A number that changes whenever another connection commits to the
 * database; lets callers cache what they derived from it.
 * @return 0 on success, -1 on error
 */
int db_data_version(struct db *db, int64_t *version);

/** The SQLite library's version ("3.40.1"), for the build information. */
const char *db_engine_version(void);

#endif
