/**
 * @file http/dispatch.c
 * @brief Running a request's handler on the pool, with the thread's
 *        application state, and handing the answer back to the
 *        connection's network thread.
 */
#include "http/dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "http/body.h"
#include "util/log.h"
#include "http/metrics.h"
#include "http/request_state.h"
#include "http/respond.h"
#include "http/server_internal.h"
#include "http/stream.h"
#include "http/worker.h"

void
dispatch_init(struct request_job *job, struct request_state *rs, struct MHD_Connection *conn,
              const char *method, const char *url, const struct route_match *m,
              const struct param_collector *pc)
{
  memset(job, 0, sizeof *job);
  job->srv = rs->srv;
  job->conn = conn;
  job->rs = rs;
  job->rep.instance = url;
  job->m = *m;
  for (unsigned i = 0; i < m->nargs; i++) /* into the job's own copy of the path */
    job->m.args[i] = job->m.buf + (m->args[i] - m->buf);
  job->stream = m->route->stream;
  memcpy(job->params, pc->params, pc->n * sizeof pc->params[0]);
  job->format = pc->format;
  job->req = (struct request) {
    .method = method,
    .path = url,
    .params = job->params,
    .nparams = pc->n,
    .nargs = job->m.nargs,
    .body = rs->wants_body ? (NULL != rs->body.data ? rs->body.data : "") : NULL,
    .body_len = rs->body.len,
    .content_type = server_request_header(conn, MHD_HTTP_HEADER_CONTENT_TYPE),
    .token_id = '\0' != rs->token_id[0] ? rs->token_id : NULL,
    .idempotency_key = server_request_header(conn, "Idempotency-Key"),
    .route_pattern = m->route->pattern,
  };
  memcpy(job->req.args, job->m.args, sizeof job->req.args);
}

struct request_job *
dispatch_new(struct request_state *rs, struct MHD_Connection *conn, const char *method,
             const char *url, const struct route_match *m, const struct param_collector *pc)
{
  struct request_job *job = malloc(sizeof *job);

  if (NULL != job)
    dispatch_init(job, rs, conn, method, url, m, pc);
  return job;
}

/* The gathered body as JSON, or a 413 / 400 problem in the job's reply. */
static int
parse_body(struct request_job *job, json_t **json)
{
  const struct request_body *body = &job->rs->body;

  if (body->too_large) {
    reply_problem(&job->rep, PROBLEM_BODY_TOO_LARGE, NULL, "at most %zu bytes are accepted",
                  job->srv->max_body);
    return -1;
  }
  return body_parse_json(body, json, &job->rep);
}

static void
run_handler(struct request_job *job)
{
  const struct route *r = job->m.route;
  json_t *json = NULL;
  uint64_t start;

  if (BODY_JSON == r->body && 0 != parse_body(job, &json))
    return;
  job->req.json = json;
  start = metrics_now_ns();
  /* a refused query is answered by the refusal in the reply */
  if (0 == route_query_check(r, &job->req, &job->rep) && 0 != r->handler(&job->req, &job->rep))
    reply_clear(&job->rep);
  metrics_handler_done(metrics_route_index(r), metrics_now_ns() - start);
  job->req.json = NULL;
  json_decref(json);
  if (NULL != job->format)
    variant_links_keep_format(&job->rep, job->format);
  job->has_entity = respond_prepare(job->req.method, &job->rep, &job->spec, &job->entity);
}

static void
run_stream_step(struct request_job *job)
{
  void *ctx;

  switch (job->step) {
  case STEP_BEGIN:
    if (0 == route_query_check(job->m.route, &job->req, &job->rep))
      job->stream_ctx = job->stream->begin(&job->req, &job->rep);
    break;
  case STEP_FEED:
    job->feed_rc = job->stream->feed(job->stream_ctx, job->chunk, job->chunk_len);
    break;
  case STEP_FINISH:
    ctx = job->stream_ctx;
    job->stream_ctx = NULL;
    if (0 != job->stream->finish(ctx, &job->req, &job->rep))
      reply_clear(&job->rep);
    break;
  case STEP_HANDLE:
    break;
  }
}

static void
run(struct job *base)
{
  struct request_job *job = (struct request_job *) (void *) base;
  struct MHD_Connection *conn = job->conn;

  job->req.app = workers_app(job->srv->workers);
  job->req.shared = NULL != job->srv->app ? job->srv->app->shared : NULL;
  if (NULL == job->req.app && workers_have_app(job->srv->workers)
      && STEP_FEED != job->step && STEP_FINISH != job->step)
    reply_problem(&job->rep, PROBLEM_UNAVAILABLE, NULL, "%s", job->srv->texts.unavailable);
  else if (STEP_HANDLE == job->step)
    run_handler(job);
  else
    run_stream_step(job);
  /* the job is the network thread's from here on: touch it no more */
  atomic_store_explicit(&job->done, true, memory_order_release);
  MHD_resume_connection(conn);
}

void
dispatch_run_here(struct request_job *job)
{
  run_handler(job);
}

static enum job_lane
lane_of(const struct route *r)
{
  bool reads = 0 == strcmp(r->method, MHD_HTTP_METHOD_GET) && NULL == r->stream;

  return reads ? JOB_READ : JOB_WRITE;
}

void
dispatch_submit(struct request_job *job, enum dispatch_step step)
{
  job->step = step;
  job->job.run = &run;
  atomic_store_explicit(&job->done, false, memory_order_relaxed);
  /* suspended first: the pool may resume the connection before we return */
  MHD_suspend_connection(job->conn);
  if (0 == job_pool_submit(job->srv->jobs, lane_of(job->m.route), &job->job))
    return;
  if (STEP_FEED == step)
    job->feed_rc = -1;
  reply_clear(&job->rep);
  reply_problem(&job->rep, PROBLEM_UNAVAILABLE, NULL,
                "the server is too busy to start this request now; try again");
  atomic_store_explicit(&job->done, true, memory_order_release);
  MHD_resume_connection(job->conn);
}

enum MHD_Result
dispatch_respond(struct request_job *job)
{
  enum MHD_Result ret;

  if (!job->has_entity)
    return respond_reply(job->rs, job->conn, &job->rep);
  ret = respond_entity(job->rs, job->conn, &job->entity); /* shares the body */
  job->has_entity = false;
  if (0 != job->key_len) {
    struct response_cache *cache = workers_cache(job->srv->workers);

    if (NULL != cache) {
      cache_put(cache, job->key, job->key_len, job->version, &job->entity); /* keeps our refs */
      return ret;
    }
  }
  entity_clear(&job->entity);
  return ret;
}

void
dispatch_clear(struct request_job *job)
{
  if (job->has_entity)
    entity_clear(&job->entity);
  job->has_entity = false;
  reply_clear(&job->rep);
  free(job->chunk);
  job->chunk = NULL;
}

void
dispatch_free(struct request_job *job)
{
  if (NULL == job)
    return;
  dispatch_clear(job);
  free(job);
}

struct abort_job {
  struct job job;
  const struct stream_ops *ops;
  void *ctx;
};

static void
run_abort(struct job *base)
{
  struct abort_job *a = (struct abort_job *) (void *) base;

  a->ops->abort(a->ctx);
  free(a);
}

void
dispatch_abort_stream(struct server *srv, const struct stream_ops *ops, void *ctx)
{
  struct abort_job *a;

  if (NULL != srv->jobs && NULL != (a = calloc(1, sizeof *a))) {
    a->job.run = &run_abort;
    a->ops = ops;
    a->ctx = ctx;
    if (0 == job_pool_submit(srv->jobs, JOB_WRITE, &a->job))
      return;
    free(a);
  }
  ops->abort(ctx); /* stopping, or out of memory: here, at once */
}
