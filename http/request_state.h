/**
 * @file http/request_state.h
 * @brief What the server remembers about a request between its arrival
 *        and its completion: when it came, its id, the route and status,
 *        the body size. Completion turns it into metrics and one access
 *        log line.
 *
 * One struct per connection, made when the connection is accepted and
 * reused by each request on it (a connection carries one request at a
 * time), so a request costs no allocation. Only the connection's thread
 * touches it.
 */
#ifndef TECHPAY_HTTP_REQUEST_STATE_H
#define TECHPAY_HTTP_REQUEST_STATE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <microhttpd.h>

#include "http/access_log.h"
#include "http/auth.h"
#include "http/body.h"
#include "http/deadline.h"
#include "http/request_id.h"

struct request_job;
struct route;
struct server;

struct request_state {
  struct server *srv;                     /* borrowed */
  char client[INET6_ADDRSTRLEN];          /* the peer's IP address, "" if unknown */
  bool used;                              /* a request line has come on this connection */
  /* the request in progress */
  bool arrived;                           /* its request line was read */
  bool active;                            /* its headers arrived; counted in flight */
  bool head;                              /* HEAD: no body is sent */
  uint64_t start_ns;                      /* CLOCK_MONOTONIC at the request line */
  struct timespec start;                  /* CLOCK_REALTIME likewise, for the log */
  int route;                              /* metrics_route_index() of the matched route */
  const char *route_pattern;              /* its pattern, NULL when none matched */
  bool token_route;                       /* that route needs a token: CORS lets only the
                                           * write origin read its answers */
  unsigned status;                        /* the status queued, 0 until then */
  uint64_t body_bytes;                    /* body bytes queued */
  char method[ACCESS_LOG_METHOD_MAX + 1];
  char request_id[REQUEST_ID_MAX + 1];
  bool answered_early;                    /* refused from its headers (401, 403, 413, 415) */
  bool wants_body;                        /* the route reads the body: gather it */
  struct request_body body;               /* gathered up to the limit */
  const struct stream_ops *stream;        /* a streaming route's operations */
  void *stream_ctx;                       /* its context until finish or abort */
  const struct route *stream_route;       /* its route */
  struct request_job *job;                /* database work on the pool, or its result */
  char token_id[AUTH_TOKEN_ID_MAX];       /* the token that authorised the request */
  size_t target_len;
  char target[ACCESS_LOG_TARGET_MAX];     /* path and query as received, cut at the limit */
  size_t target_sent_len;                 /* the whole target's length as sent */
  int target_refusal;                     /* enum framing_target: TARGET_OK or why not */
  bool must_close;                        /* its framing is in doubt: close after the answer */
  struct deadline_entry deadline;         /* armed while a request is awaited */
};

/**
 * MHD_OPTION_NOTIFY_CONNECTION (closure: the struct server): makes the
 * state of an accepted connection, frees it when the connection closes
 * (libmicrohttpd completes the request on it first).
 */
void request_state_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                                 enum MHD_ConnectionNotificationCode toe);

/**
 * MHD_OPTION_URI_LOG_CALLBACK: the request line was read, the earliest
 * moment of a request and the only one where its target is seen as sent
 * (the access handler gets the decoded path). Starts the clock and keeps
 * the target.
 * @return the connection's state, which becomes the request's *req_cls
 *         (NULL when it could not be made)
 */
void *request_state_on_uri(void *cls, const char *uri, struct MHD_Connection *conn);

/**
 * The headers arrived: take or make the request id, note the method.
 * @param url the decoded path, logged only when request_state_on_uri() was not called
 */
void request_state_begin(struct request_state *rs, struct MHD_Connection *conn,
                         const char *method, const char *url);

/** Labels the request with @a route (NULL: none matched), and notes whether it needs a token. */
void request_state_route(struct request_state *rs, const struct route *route);

/** Notes the answer queued. */
void request_state_answered(struct request_state *rs, unsigned status, size_t body_len);

/** Undoes and frees a streaming route's context that never finished. */
void request_state_abort_stream(struct request_state *rs);

/** The request completed: counts it, logs it to @a log, and resets @a rs for the next one. */
void request_state_finish(struct request_state *rs, const struct access_log *log);

#endif
