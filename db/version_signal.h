/**
 * @file db/version_signal.h
 * @brief The state a data version watcher shares with the threads that
 *        read the version: shared by db/data_version.c and the PostgreSQL
 *        change signal (db/pg_signal.c), never by a query file.
 */
#ifndef TECHPAY_DB_VERSION_SIGNAL_H
#define TECHPAY_DB_VERSION_SIGNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct version_signal {
  atomic_uint_fast64_t changes;      /* data version changes seen since the start */
  atomic_bool known;                 /* false while the version cannot be told */
  atomic_uint_fast64_t confirmed_ns; /* db_now_coarse_ns() when it was last confirmed */
  atomic_bool stopping;
};

/** Cached answers may be stale: the version moves on. */
static inline void
version_signal_bump(struct version_signal *vs)
{
  atomic_fetch_add(&vs->changes, 1);
}

/**
 * Every commit visible at @a at (db_now_coarse_ns(), taken before the
 * check or the read of the notifications that proved it) is counted.
 * Stored after any bump it follows, so a reader that sees the time sees
 * the bump too.
 */
static inline void
version_signal_confirm(struct version_signal *vs, uint64_t at)
{
  atomic_store(&vs->confirmed_ns, at);
  atomic_store(&vs->known, true);
}

/**
 * The PostgreSQL change signal on @a spec: listens for the notification
 * of every write commit, checks the server's snapshot between them, and
 * opens its connection again when it is lost; returns once
 * @a vs->stopping is set (db/pg_signal.c).
 */
void pg_signal_watch(const char *spec, struct version_signal *vs);

#endif
