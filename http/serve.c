/**
 * @file http/serve.c
 * @brief What the network thread does with a request: refuse what the
 *        headers alone condemn, answer from the response cache, and hand
 *        everything that needs the application's thread state to the pool
 *        (http/dispatch.h).
 */
#include "http/serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/auth.h"
#include "http/cors.h"
#include "http/dispatch.h"
#include "http/framing.h"
#include "http/metrics.h"
#include "http/negotiate.h"
#include "http/request_state.h"
#include "http/respond.h"
#include "http/server_internal.h"
#include "http/stream.h"
#include "http/worker.h"

/* Suspends the connection and hands @a job's @a step to the pool. */
static enum MHD_Result
hand_over(struct request_state *rs, struct request_job *job, enum dispatch_step step)
{
  rs->job = job;
  dispatch_submit(job, step);
  return MHD_YES;
}

static enum MHD_Result
out_of_memory(struct request_state *rs, struct MHD_Connection *conn, struct reply *rep)
{
  reply_problem(rep, PROBLEM_UNAVAILABLE, NULL, "the server is out of memory; try again");
  return respond_reply(rs, conn, rep);
}

/* Missing or wrong credentials: @return 0 when the request may go on. */
static int
check_auth(struct request_state *rs, struct MHD_Connection *conn, struct reply *rep)
{
  switch (auth_check(rs->srv->auth, server_request_header(conn, MHD_HTTP_HEADER_AUTHORIZATION),
                     rs->token_id)) {
  case AUTH_OK:
    return 0;
  case AUTH_NO_TOKENS:
    reply_problem(rep, PROBLEM_FORBIDDEN, NULL, "%s", rs->srv->texts.no_tokens);
    return -1;
  case AUTH_READ_ONLY:
    reply_problem(rep, PROBLEM_FORBIDDEN, NULL, "%s", rs->srv->texts.read_only);
    return -1;
  case AUTH_MISSING:
  case AUTH_WRONG:
  default:
    reply_problem(rep, PROBLEM_UNAUTHORIZED, NULL, "%s", rs->srv->texts.unauthorized);
    reply_header(rep, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"%s\"",
                 rs->srv->texts.realm);
    return -1;
  }
}

/* What can be refused from the headers alone, before a byte of the body
 * is read: missing or wrong credentials, and a body of the wrong type or
 * size. @return true when @a rep holds the refusal. */
static bool
refused_early(struct request_state *rs, struct MHD_Connection *conn, const struct route *r,
              struct reply *rep)
{
  if (r->auth && 0 != check_auth(rs, conn, rep))
    return true;
  if (BODY_NONE != r->body
      && 0 != body_check_headers(r->body, server_request_header(conn, MHD_HTTP_HEADER_CONTENT_TYPE),
                                 server_request_header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH),
                                 /* a streamed body is never held whole: no limit */
                                 NULL != r->stream ? SIZE_MAX : rs->srv->max_body, rep))
    return true;
  rs->wants_body = BODY_NONE != r->body;
  return false;
}

/* A streamed upload's headers passed: parameters, Accept and format= are
 * refused (400, 406) before the body is read, then its context is made
 * on the pool. */
static enum MHD_Result
stream_begin(struct request_state *rs, struct MHD_Connection *conn, const char *method,
             const char *url, const struct route_match *m, struct reply *rep)
{
  struct param params[REQUEST_MAX_PARAMS];
  struct param_collector pc = { .params = params };
  struct request_job *job;
  enum representation repr;

  variant_collect_params(conn, &pc);
  if (0 != variant_params_check(&pc, rep) || 0 != variant_choose(conn, m->route, &pc, &repr, rep))
    return respond_reply(rs, conn, rep);
  job = dispatch_new(rs, conn, method, url, m, &pc);
  if (NULL == job)
    return out_of_memory(rs, conn, rep);
  return hand_over(rs, job, STEP_BEGIN);
}

bool
serve_headers(struct request_state *rs, struct MHD_Connection *conn, const char *method,
              const char *url, enum MHD_Result *ret)
{
  struct reply rep = { .instance = url };
  struct route_match m;

  if (TARGET_OK != rs->target_refusal) {
    framing_target_refuse((enum framing_target) rs->target_refusal, &rep);
    goto refused;
  }
  if (0 != framing_check(conn, rs->target_sent_len, &rep)) {
    rs->must_close = true; /* where this request ends is in doubt: read nothing after it */
    goto refused;
  }
  if (ROUTE_FOUND != route_find_in(rs->srv->routes, method, url, &m)
      || (!m.route->auth && BODY_NONE == m.route->body))
    return false;
  request_state_route(rs, m.route);
  if (refused_early(rs, conn, m.route, &rep)) {
    /* queued on the first call: libmicrohttpd answers without reading the body */
    *ret = respond_reply(rs, conn, &rep);
  } else if (NULL != m.route->stream) {
    *ret = stream_begin(rs, conn, method, url, &m, &rep);
  } else {
    /* an authorised upload may be slow: --timeout still bounds its silences */
    deadline_entry_disarm(&rs->deadline);
    return false;
  }
  rs->answered_early = NULL == rs->job;
  reply_clear(&rep);
  return true;
refused:
  *ret = respond_reply(rs, conn, &rep);
  rs->answered_early = true;
  reply_clear(&rep);
  return true;
}

enum MHD_Result
serve_upload(struct request_state *rs, struct MHD_Connection *conn, const char *data,
             size_t *size)
{
  struct request_job *job;

  if (NULL == rs->stream_ctx) {
    if (rs->wants_body && 0 != body_append(&rs->body, data, *size, rs->srv->max_body))
      return MHD_NO;
    *size = 0; /* a body sent to a route that reads none is discarded */
    return MHD_YES;
  }
  job = calloc(1, sizeof *job);
  if (NULL == job || NULL == (job->chunk = malloc(*size))) {
    free(job);
    return MHD_NO; /* out of memory: drop the connection */
  }
  job->srv = rs->srv;
  job->conn = conn;
  job->rs = rs;
  job->stream = rs->stream;
  job->stream_ctx = rs->stream_ctx;
  job->m.route = rs->stream_route;
  memcpy(job->chunk, data, *size);
  job->chunk_len = *size;
  *size = 0;
  return hand_over(rs, job, STEP_FEED);
}

/* The application's data version; without a hook the data never changes. */
static bool
data_version_of(const struct server *srv, int64_t *version)
{
  if (NULL == srv->app || NULL == srv->app->data_version) {
    *version = 0;
    return true;
  }
  return srv->app->data_version(srv->app->cls, version);
}

/* The response-cache key of this request (into @a key) and the data
 * version its answer holds for; 0 when it is answered afresh. A file of the
 * web page is the same for every query (its script reads the query) and
 * every data version. */
static size_t
cache_key_of(struct server *srv, const struct route *r, const struct entity_spec *spec,
             const char *url, const struct param_collector *pc, char *key, int64_t *version)
{
  if (!r->cacheable || server_is_stopping(srv))
    return 0;
  if (r->page)
    return variant_cache_key(key, spec, false, url, pc->params, 0);
  if (!data_version_of(srv, version))
    return 0;
  return variant_cache_key(key, spec, NULL != pc->format, url, pc->params, pc->n);
}

/* Answers from this thread's cache when the same request was answered at
 * the same data version; runs a route that needs no thread state here; hands
 * the rest to the pool. */
static enum MHD_Result
serve_route(struct request_state *rs, struct MHD_Connection *conn, const char *method,
            const char *url, const struct route_match *m, struct reply *rep)
{
  struct server *srv = rs->srv;
  struct param params[REQUEST_MAX_PARAMS];
  struct param_collector pc = { .params = params };
  bool page = m->route->page;
  /* a page file is revalidated on every use: its assets' names carry no version */
  struct entity_spec spec = { .csv_offered = m->route->list,
                              .shared = m->route->cacheable && !page, .cors = &srv->cors,
                              .token_route = m->route->auth };
  struct response_cache *cache = workers_cache(srv->workers);
  const struct entity *hit;
  struct request_job *job;
  struct request_job here;
  char key[VARIANT_KEY_MAX];
  size_t key_len;
  int64_t version = 0;
  enum MHD_Result ret;

  variant_collect_params(conn, &pc);
  if (0 != variant_params_check(&pc, rep)
      || (!page && 0 != variant_choose(conn, m->route, &pc, &spec.repr, rep)))
    return respond_reply(rs, conn, rep);
  spec.gzip = negotiate_gzip(server_request_header(conn, MHD_HTTP_HEADER_ACCEPT_ENCODING));
  key_len = NULL == cache ? 0 : cache_key_of(srv, m->route, &spec, url, &pc, key, &version);
  if (0 != key_len && NULL != (hit = cache_get(cache, key, key_len, version))) {
    metrics_cache_lookup(METRICS_CACHE_HIT);
    return respond_entity(rs, conn, hit);
  }
  if (m->route->cacheable)
    metrics_cache_lookup(0 != key_len ? METRICS_CACHE_MISS : METRICS_CACHE_BYPASS);
  job = m->route->no_db ? &here : dispatch_new(rs, conn, method, url, m, &pc);
  if (NULL == job)
    return out_of_memory(rs, conn, rep);
  if (job == &here)
    dispatch_init(job, rs, conn, method, url, m, &pc);
  job->spec = spec;
  job->version = version;
  job->key_len = key_len;
  job->req.has_data_version = 0 != key_len && !page;
  job->req.data_version = version;
  memcpy(job->key, key, key_len);
  if (job != &here)
    return hand_over(rs, job, STEP_HANDLE);
  dispatch_run_here(job);
  ret = dispatch_respond(job);
  dispatch_clear(job);
  return ret;
}

/* A known path asked with a method it lacks: OPTIONS is the CORS preflight
 * (204), anything else 405. Both list OPTIONS among the allowed methods. */
static enum MHD_Result
serve_other_method(struct request_state *rs, struct MHD_Connection *conn, const char *method,
                   const char *url, const struct route_match *m, struct reply *rep)
{
  char allow[sizeof m->allow + sizeof ", " MHD_HTTP_METHOD_OPTIONS];
  struct route_match get;

  /* Label the request with the path's route (every route is a GET), so
   * preflights and 405s count where the path belongs. */
  if (ROUTE_FOUND == route_find_in(rs->srv->routes, MHD_HTTP_METHOD_GET, url, &get))
    request_state_route(rs, get.route);
  snprintf(allow, sizeof allow, "%s, " MHD_HTTP_METHOD_OPTIONS, m->allow);
  if (0 == strcmp(method, MHD_HTTP_METHOD_OPTIONS))
    return respond_owned(rs, conn, MHD_HTTP_NO_CONTENT,
                         cors_preflight(&rs->srv->cors, allow, server_request_header(conn, "Origin")),
                         0);
  reply_problem(rep, PROBLEM_METHOD_NOT_ALLOWED, NULL,
                "%.16s is not supported here; allowed: %s", method, allow);
  rep->allow = allow;
  return respond_reply(rs, conn, rep);
}

/* The whole upload of a streamed route arrived: finish it on the pool. */
static enum MHD_Result
stream_finish(struct request_state *rs, struct MHD_Connection *conn, const char *method,
              const char *url, const struct route_match *m, struct reply *rep)
{
  struct param params[REQUEST_MAX_PARAMS];
  struct param_collector pc = { .params = params };
  struct request_job *job;

  variant_collect_params(conn, &pc);
  job = dispatch_new(rs, conn, method, url, m, &pc);
  if (NULL == job)
    return out_of_memory(rs, conn, rep);
  job->stream_ctx = rs->stream_ctx;
  rs->stream_ctx = NULL; /* the job's now: finish() frees it */
  return hand_over(rs, job, STEP_FINISH);
}

enum MHD_Result
serve_complete(struct request_state *rs, struct MHD_Connection *conn, const char *method,
               const char *url)
{
  struct route_match m;
  struct reply rep = { .instance = url };
  enum MHD_Result ret;

  deadline_entry_disarm(&rs->deadline); /* the request is in: its answer may take a while */
  switch (route_find_in(rs->srv->routes, method, url, &m)) {
  case ROUTE_FOUND:
    request_state_route(rs, m.route);
    if (NULL != rs->stream_ctx)
      ret = stream_finish(rs, conn, method, url, &m, &rep);
    else
      ret = serve_route(rs, conn, method, url, &m, &rep);
    break;
  case ROUTE_METHOD_NOT_ALLOWED:
    ret = serve_other_method(rs, conn, method, url, &m, &rep);
    break;
  case ROUTE_NOT_FOUND:
    reply_problem(&rep, PROBLEM_NOT_FOUND, NULL, "%s", rs->srv->texts.not_found);
    ret = respond_reply(rs, conn, &rep);
    break;
  case ROUTE_URI_TOO_LONG:
  default:
    rep.instance = NULL; /* too long to echo back */
    reply_problem(&rep, PROBLEM_URI_TOO_LONG, NULL,
                  "paths longer than %d bytes are not served", ROUTE_MAX_PATH);
    ret = respond_reply(rs, conn, &rep);
    break;
  }
  reply_clear(&rep);
  return ret;
}

bool
serve_job_done(struct request_state *rs, enum MHD_Result *ret)
{
  struct request_job *job = rs->job;
  bool answered = true;

  rs->job = NULL;
  switch (job->step) {
  case STEP_BEGIN:
    if (NULL != job->stream_ctx) {
      rs->stream = job->stream;
      rs->stream_ctx = job->stream_ctx;
      rs->stream_route = job->m.route;
      /* an authorised upload may be slow: --timeout still bounds its silences */
      deadline_entry_disarm(&rs->deadline);
      *ret = MHD_YES;
    } else {
      rs->answered_early = true;
      *ret = dispatch_respond(job);
    }
    break;
  case STEP_FEED:
    answered = 0 != job->feed_rc;
    *ret = MHD_NO; /* out of memory: drop the connection */
    break;
  case STEP_FINISH:
    /* the pool refused it: the context is undone when the request ends */
    rs->stream_ctx = job->stream_ctx;
    job->stream_ctx = NULL;
    *ret = dispatch_respond(job);
    break;
  case STEP_HANDLE:
  default:
    *ret = dispatch_respond(job);
    break;
  }
  dispatch_free(job);
  return answered;
}
