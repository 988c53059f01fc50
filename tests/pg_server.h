/**
 * @file tests/pg_server.h
 * @brief A throwaway PostgreSQL for tests: its own cluster in a fresh
 *        temporary directory, reachable only through a unix socket there,
 *        stopped by that data directory and removed afterwards.
 *
 * Nothing here looks at, connects to or stops any other PostgreSQL on the
 * machine: the socket, the data and the log all live in the directory.
 * tests/pg_server.sh does the same for shell tests.
 */
#ifndef TECHPAY_TESTS_PG_SERVER_H
#define TECHPAY_TESTS_PG_SERVER_H

#include <stddef.h>
#include <sys/types.h>

/** The exit code test runners (meson, automake) count as "skipped". */
#define PG_SERVER_SKIP 77

struct pg_server {
  char dir[256];       /* the temporary directory: socket, data/ and log */
  char bindir[256];    /* where initdb, pg_ctl and postgres were found */
  char conninfo[512];  /* libpq key=value string for the "postgres" database */
  int running;         /* 1 between a successful start and stop */
  pid_t watcher;       /* the process that stops the server when we end */
  int watch_fd;        /* closing it (or dying) tells the watcher to */
};

/**
 * Finds the server binaries: $TECHPAY_PG_BINDIR, else the newest
 * /usr/lib/postgresql/<major>/bin holding initdb.
 * @return 0, or -1 with the reason in @a why
 */
int pg_server_find(struct pg_server *srv, char *why, size_t why_size);

/**
 * Creates and starts a cluster (as the "postgres" user when run as root):
 * initdb with locale C and UTF-8, fsync off, no TCP listener.
 * @return 0 (srv->conninfo is set), PG_SERVER_SKIP when no binaries are
 *         installed, or -1; both failures put one line in @a why
 */
int pg_server_start(struct pg_server *srv, char *why, size_t why_size);

/**
 * The connection string for database @a dbname of the started server.
 */
void pg_server_conninfo(const struct pg_server *srv, const char *dbname, char *out,
                        size_t out_size);

/** Stops the server (pg_ctl stop -m fast on its data directory) and
 *  removes the directory. Safe to call twice or after a failed start.
 *  Should the test program die first (a crash, a timeout's kill), a
 *  watcher process started with the server does the same. */
void pg_server_stop(struct pg_server *srv);

/**
 * Runs `pg_ctl @a action` ("stop", "start", "restart", "promote") on the
 * server's data directory, waiting for it to finish; a stopped server is
 * still stopped and removed by pg_server_stop().
 * @return 0 when pg_ctl succeeded
 */
int pg_server_ctl(const struct pg_server *srv, const char *action);

/**
 * For a test's main(): starts @a srv, or prints why and exits with
 * PG_SERVER_SKIP (binaries missing) or 1 (they failed).
 */
void pg_server_start_or_exit(struct pg_server *srv, const char *program);

#endif
