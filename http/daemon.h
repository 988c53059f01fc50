/**
 * @file http/daemon.h
 * @brief The HTTP server: libmicrohttpd with its own epoll thread pool,
 *        routing each request to a handler and sending its reply.
 */
#ifndef TECHPAY_HTTP_DAEMON_H
#define TECHPAY_HTTP_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/log.h"

/* Each connection's libmicrohttpd memory pool (request line, headers, the
 * header block of the answer, upload chunks): larger headers get 431, a
 * larger request line 414. libmicrohttpd zeroes all of it after every
 * request on a kept-alive connection: at its default of 32 KiB that memset
 * was 7% of a cached answer's CPU. 16 KiB still holds request headers far
 * beyond what browsers send. */
#define SERVER_CONNECTION_MEMORY (16u * 1024)

struct server_options {
  const char *bind;         /* IPv4 or IPv6 literal */
  uint16_t port;            /* 0 picks a free port (tests) */
  unsigned threads;         /* worker threads, each with its own connection */
  unsigned max_connections;
  unsigned max_connections_per_ip; /* from one client address; 0: no limit */
  unsigned timeout_s;       /* idle connections are closed after this */
  unsigned request_timeout_s; /* a request must arrive within this; 0: no deadline */
  const char *db_path;      /* an existing, migrated database */
  const char *cors_origin;  /* Access-Control-Allow-Origin: "*" (also when NULL) or one origin */
  const char *cors_write_origin; /* the one origin whose scripts may send a token; NULL: none */
  FILE *access_log;         /* where access log lines go; NULL means stdout */
  bool access_log_off;      /* no access log (it is also off below log level info) */
  enum log_format log_format; /* of the access log lines; LOG_FORMAT_JSON is 0 */
  const struct auth *auth;  /* write tokens (borrowed; NULL: writes answer 403) */
  bool read_only;           /* open the database read-only */
  size_t max_body;          /* larger request bodies get 413; 0 means 8 MiB */
};

struct server;

/**
 * Listens and starts serving.
 * @return the server, or NULL with one line in @a err (port in use, ...)
 */
struct server *server_start(const struct server_options *opts, char *err, size_t err_size);

/**
 * Counts connections accepted that have not sent a request line yet: a
 * stop waits for them too, so that a client whose connection was accepted
 * just before the stop still gets its answer.
 */
void server_fresh_connections_add(struct server *srv, int delta);

/** The port actually listened on. */
uint16_t server_port(const struct server *srv);

/**
 * Stops accepting, lets requests in flight finish (for at most
 * @a grace_ms), then closes every connection and the database.
 * @return how many requests were still in flight when the grace period
 *         ended (their connections were closed)
 */
unsigned server_stop(struct server *srv, unsigned grace_ms);

#endif
