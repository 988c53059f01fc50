/**
 * @file http/dispatch.h
 * @brief A request's handler as a job of the pool: the network thread suspends
 *        the connection and hands the job to the pool (server/jobs.h); a
 *        pool thread runs the handler (or one step of a streamed upload),
 *        prepares the answer and resumes the connection; the network
 *        thread then sends it.
 *
 * While its connection is suspended, libmicrohttpd touches neither the
 * connection's memory nor its request state, so the job borrows the
 * decoded path, the parameters, the headers and the gathered body from
 * there instead of copying them. Exactly one side owns a job at a time:
 * the network thread until it is submitted, the pool thread until it sets
 * @c done, then the network thread again.
 */
#ifndef TECHPAY_HTTP_DISPATCH_H
#define TECHPAY_HTTP_DISPATCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "http/entity.h"
#include "http/jobs.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/router.h"
#include "http/variant.h"

struct request_state;
struct server;

enum dispatch_step {
  STEP_HANDLE,  /* run the route's handler */
  STEP_BEGIN,   /* a streamed upload's headers are in: make its context */
  STEP_FEED,    /* the next piece of a streamed upload */
  STEP_FINISH,  /* the streamed upload is complete: answer it */
};

struct request_job {
  struct job job;                  /* first: the pool's view */
  enum dispatch_step step;
  struct server *srv;              /* borrowed */
  struct MHD_Connection *conn;     /* resumed when the step is done */
  struct request_state *rs;        /* borrowed; nobody else uses it meanwhile */
  atomic_bool done;
  /* what the handler sees; req.args point into m.buf, req.params into params */
  struct route_match m;
  struct param params[REQUEST_MAX_PARAMS];
  struct request req;
  const char *format;              /* format= of the query, kept in paging links */
  /* a streamed upload: its context and the piece being fed, copied */
  const struct stream_ops *stream;
  void *stream_ctx;
  char *chunk;
  size_t chunk_len;
  size_t chunk_cap;
  int feed_rc;                     /* 0, or -1: drop the connection */
  /* the answer */
  struct reply rep;
  struct entity_spec spec;
  bool has_entity;                 /* a GET 200 built into @c entity */
  struct entity entity;
  char key[VARIANT_KEY_MAX];       /* where the entity is cached; key_len 0: nowhere */
  size_t key_len;
  int64_t version;
};

/** Fills @a job (the caller's memory) as dispatch_new() would. */
void dispatch_init(struct request_job *job, struct request_state *rs, struct MHD_Connection *conn,
                   const char *method, const char *url, const struct route_match *m,
                   const struct param_collector *pc);

/**
 * A new job for the request of @a rs on @a conn, matched as @a m, with
 * the parameters @a pc (copied). @return the job, or NULL when out of memory
 */
struct request_job *dispatch_new(struct request_state *rs, struct MHD_Connection *conn,
                                 const char *method, const char *url,
                                 const struct route_match *m, const struct param_collector *pc);

/**
 * Suspends the connection and queues the job's next @a step on the lane
 * its route belongs to. When the queue is full, the job is done at once
 * with a 503 and the connection resumed, so the answer still comes from
 * the network thread's next call.
 */
void dispatch_submit(struct request_job *job, enum dispatch_step step);

/**
 * Runs the handler of a route that needs no database on the calling
 * (network) thread, as a pool thread would.
 */
void dispatch_run_here(struct request_job *job);

/** The job's answer as this request's response (network thread). */
enum MHD_Result dispatch_respond(struct request_job *job);

/** Releases what @a job holds, not the job itself (dispatch_init()'s). */
void dispatch_clear(struct request_job *job);

/** Frees @a job (NULL is fine); it must be done or never submitted. */
void dispatch_free(struct request_job *job);

/**
 * Undoes a streamed upload's context that will never finish, on the
 * write lane when the pool takes it, else here (while stopping).
 */
void dispatch_abort_stream(struct server *srv, const struct stream_ops *ops, void *ctx);

#endif
