/**
 * @file db/db_metrics.h
 * @brief What the store tells GET /metrics: the time of each statement's
 *        round trip to a database server, the connections open and
 *        reopened, and the state of the change signal (db/data_version.c).
 *
 * Process-wide relaxed atomics in fixed arrays, as http/metrics.h: the
 * engines add to them from any thread, the exposition reads them without
 * touching a database (GET /metrics runs on a network thread). Nothing
 * here holds a connection string, so no password can reach the text.
 */
#ifndef TECHPAY_DB_DB_METRICS_H
#define TECHPAY_DB_DB_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum db_metrics_engine {
  DB_METRICS_SQLITE,
  DB_METRICS_POSTGRESQL,
  DB_METRICS_ENGINES,
};

/** One statement executed by a database server, @a ns from send to answer. */
void db_metrics_round_trip(enum db_metrics_engine engine, uint64_t ns);

/** A connection opened (+1) or closed (-1). */
void db_metrics_connections_add(enum db_metrics_engine engine, int delta);

/** A lost request connection opened again. */
void db_metrics_reconnect(enum db_metrics_engine engine);

/**
 * The change signal's state: whether its connection is listening, when
 * it last confirmed the data version (db_now_coarse_ns() time; 0:
 * never), and one more reconnection of it when @a reconnected.
 */
void db_metrics_signal(bool listening, uint64_t confirmed_ns, bool reconnected);

/** Appends the store's series to @a out, in the Prometheus text format. */
void db_metrics_render(FILE *out);

/** CLOCK_MONOTONIC_COARSE in nanoseconds: a clock read without a system call. */
uint64_t db_now_coarse_ns(void);

/** CLOCK_MONOTONIC in nanoseconds. */
uint64_t db_now_ns(void);

#endif
