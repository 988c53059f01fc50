/**
 * @file db/data_version.h
 * @brief The version of the data that cached answers are keyed by, read
 *        without touching the database.
 *
 * A thread of its own asks SQLite for its data version every
 * DATA_VERSION_POLL_MS and counts each change; our own commits count at
 * once (db_write_generation()). So a cache hit costs two atomic loads and
 * no query, and a commit by another process (techpayd import, the SQLite
 * shell) shows in cached answers within one poll interval.
 *
 * On PostgreSQL the thread is the change signal (db/pg_signal.c): a
 * notification from every write commit of every techpayd, and a check of
 * the server's snapshot every few tens of ms for the other writers. A
 * cache hit then also reads a coarse clock: answers are cached only while
 * the signal confirmed the version within DATA_VERSION_BOUND_MS, so a lost
 * signal never serves an answer older than that.
 */
#ifndef TECHPAY_DB_DATA_VERSION_H
#define TECHPAY_DB_DATA_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define DATA_VERSION_POLL_MS 2
/* Replicas must reflect a write within 100 ms. A cached answer is served
 * until its version's last confirmation is this old; the rest is margin
 * for the coarse clock's tick (4 ms at HZ=250, 10 ms at HZ=100) and for
 * sending the answer. */
#define DATA_VERSION_BOUND_MS 80

struct data_version;

/**
 * Starts watching the database at @a db_path (copied), opened with @a mode.
 * @return the watch, or NULL with @a err set
 */
struct data_version *data_version_start(const char *db_path, enum db_open_mode mode,
                                        char *err, size_t err_size);

/**
 * The current version into @a version. @return false while the database
 * cannot tell it (a damaged or missing file, a change signal lost or not
 * confirmed within DATA_VERSION_BOUND_MS): answer afresh, uncached.
 */
bool data_version_get(const struct data_version *dv, int64_t *version);

/** Stops the thread and frees the watch; NULL is ignored. */
void data_version_stop(struct data_version *dv);

#endif
