/**
 * @file http/router.h
 * @brief What a route is, and matching a method and path against a table
 *        of them: 404, 405 + Allow and 414 are decided here. The table is
 *        the application's (server_options.routes).
 */
#ifndef TECHPAY_HTTP_ROUTER_H
#define TECHPAY_HTTP_ROUTER_H

#include <stdbool.h>

#include "http/body.h"
#include "http/reply.h"
#include "http/request.h"

/* Longer paths get 414; no resource of ours needs more. */
#define ROUTE_MAX_PATH 512

/**
 * A handler fills @a rep and returns 0, or returns -1 when not even an
 * error reply could be built (the daemon then sends a static 500).
 */
typedef int (*handler_fn)(const struct request *req, struct reply *rep);

struct stream_ops;

struct route {
  const char *method;  /* "GET"; HEAD is served by GET routes */
  const char *pattern; /* "/roles/{slug}": {name} matches one non-empty segment */
  handler_fn handler;
  bool cacheable;      /* a 200 depends only on the URL and the data version */
  bool page;           /* a file of the web page: one fixed type whatever Accept says, the
                        * same for every query and data version, revalidated on every use */
  bool list;           /* answers {"data":[...]}: may also be served as CSV */
  const char *media;   /* the one media type served when it is not JSON ("text/plain;
                        * version=0.0.4"): Accept must admit it; NULL: JSON (and CSV for
                        * lists) */
  bool auth;           /* needs a bearer token: every write */
  bool no_db;          /* needs no per-thread application state (server_app): served
                        * on the network thread */
  enum body_kind body; /* what the route reads */
  const struct stream_ops *stream; /* BODY_IMPORT: consumes the body as it arrives */
  const char *const *query; /* the query parameters it takes, NULL-ended; NULL: none. Any
                             * other is refused before the handler runs (not for a page) */
  const char *example;      /* an example URL, for an index of the routes; or NULL */
  const char *summary;      /* what it answers, in one line, for the same; or NULL */
};

enum route_result {
  ROUTE_FOUND,
  ROUTE_NOT_FOUND,
  ROUTE_METHOD_NOT_ALLOWED,
  ROUTE_URI_TOO_LONG,
};

struct route_match {
  const struct route *route;          /* set when ROUTE_FOUND */
  char buf[ROUTE_MAX_PATH + 1];       /* the path, split in place */
  const char *args[REQUEST_MAX_ARGS]; /* point into buf */
  unsigned nargs;
  char allow[64];                     /* "GET, HEAD": set when ROUTE_METHOD_NOT_ALLOWED */
};

/**
 * Refuses, with a 400 unknown-parameter problem in @a rep, a query
 * parameter @a r does not take. @return 0, or -1 when refused
 */
int route_query_check(const struct route *r, const struct request *req, struct reply *rep);

/** Matches against @a table, ended by an entry with a NULL pattern. */
enum route_result route_find_in(const struct route *table, const char *method,
                                const char *path, struct route_match *m);

#endif
