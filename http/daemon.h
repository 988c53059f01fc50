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

struct route;

/**
 * What the application adds to the framework. The server knows no store:
 * each pool thread asks thread_open() once for the application's state of
 * that thread, hands it to every handler run there (request.app), and
 * gives it back to thread_close() when the server stops. Any hook may be
 * NULL; @a cls is passed to each. The struct and @a cls must live until
 * stop() is called; a server_start() that fails calls none of them.
 */
struct server_app {
  void *cls;
  void *shared; /* handed to every handler as request.shared; NULL: none */
  /** @return the calling pool thread's state, or NULL when it cannot be had (logged) */
  void *(*thread_open)(void *cls);
  void (*thread_close)(void *cls, void *thread_state);
  /** The version of the data the cached answers hold for, into @a version.
   *  @return false while it cannot be told: answer afresh, uncached.
   *  Without this hook the data never changes (version 0). */
  bool (*data_version)(void *cls, int64_t *version);
  /** Called last by server_stop(), once no thread uses the state: the
   *  application may free what it handed in, @a cls included. */
  void (*stop)(void *cls);
};

/**
 * The details of the framework's own refusals, in the application's words
 * (naming its resources or its options). A NULL member, or no struct at
 * all, takes a generic wording.
 */
struct server_texts {
  const char *not_found;    /* 404: no route serves the path */
  const char *no_tokens;    /* 403: a route needs a token and none is configured */
  const char *read_only;    /* 403: the server refuses every write */
  const char *unauthorized; /* 401: no token, or a wrong one */
  const char *realm;        /* of WWW-Authenticate: Bearer realm="..."; no quote in it */
  const char *unavailable;  /* 503: server_app.thread_open() gave no state */
};

struct server_options {
  const char *bind;         /* IPv4 or IPv6 literal */
  uint16_t port;            /* 0 picks a free port (tests) */
  unsigned threads;         /* network threads, and as many pool threads for reads (each
                             * with its own application state) */
  unsigned max_connections;
  unsigned max_connections_per_ip; /* from one client address; 0: no limit */
  unsigned timeout_s;       /* idle connections are closed after this */
  unsigned request_timeout_s; /* a request must arrive within this; 0: no deadline */
  const char *cors_origin;  /* Access-Control-Allow-Origin: "*" (also when NULL) or one origin */
  const char *cors_write_origin; /* the one origin whose scripts may send a token; NULL: none */
  FILE *access_log;         /* where access log lines go; NULL means stdout */
  bool access_log_off;      /* no access log (it is also off below log level info) */
  enum log_format log_format; /* of the access log lines; LOG_FORMAT_JSON is 0 */
  const struct auth *auth;  /* write tokens (borrowed; NULL: writes answer 403) */
  size_t max_body;          /* larger request bodies get 413; 0 means 8 MiB */
  const struct route *routes; /* the application's table (borrowed), ended by a NULL pattern */
  const struct server_app *app; /* its per-thread state and data version (borrowed); NULL: none */
  const char *build_info;   /* label pairs of the build_info metric (borrowed), or NULL */
  const struct server_texts *texts; /* borrowed for the server's life; NULL: generic */
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
 * @a grace_ms), then closes every connection and hands every thread's
 * application state back to thread_close().
 * @return how many requests were still in flight when the grace period
 *         ended (their connections were closed)
 */
unsigned server_stop(struct server *srv, unsigned grace_ms);

#endif
