/**
 * @file server/daemon.c
 * @brief libmicrohttpd glue: the access handler, request accounting for a
 *        graceful stop, and turning a struct reply into an HTTP response.
 *
 * Every answer carries the CORS headers and the request id; OPTIONS is
 * answered here for every known path, without a handler; a GET 200 becomes
 * a struct entity (ETag, 304, CSV and gzip variants), which the per-thread
 * cache keeps. Each request's own response is made from the entity, so it
 * can carry the request's id while the body bytes stay shared.
 *
 * A reply whose body is a JSON string and whose content type is not JSON
 * is sent as that string's bare text (GET /metrics).
 */
#include "server/daemon.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "db/write.h"

#include "server/access_log.h"
#include "server/auth.h"
#include "server/body.h"
#include "server/cors.h"
#include "server/entity.h"
#include "server/listen.h"
#include "server/log.h"
#include "server/metrics.h"
#include "server/negotiate.h"
#include "server/reply.h"
#include "server/request_id.h"
#include "server/request_state.h"
#include "server/respond.h"
#include "server/router.h"
#include "server/server_internal.h"
#include "server/stream.h"
#include "server/variant.h"
#include "server/worker.h"


/* Runs the handler, timing it: handlers do the database work. */
static struct request
make_request(struct request_state *rs, struct MHD_Connection *conn, const struct route_match *m,
             const char *method, const char *url, const struct param_collector *pc,
             struct worker *w, const json_t *json)
{
  struct request req = {
    .method = method,
    .path = url,
    .params = pc->params,
    .nparams = pc->n,
    .nargs = m->nargs,
    .db = w->db,
    .json = json,
    .body = rs->wants_body ? (NULL != rs->body.data ? rs->body.data : "") : NULL,
    .body_len = rs->body.len,
    .content_type = server_request_header(conn, MHD_HTTP_HEADER_CONTENT_TYPE),
    .token_id = '\0' != rs->token_id[0] ? rs->token_id : NULL,
    .idempotency_key = server_request_header(conn, "Idempotency-Key"),
    .route_pattern = m->route->pattern,
  };

  memcpy(req.args, m->args, sizeof req.args);
  return req;
}

static void
run_handler(struct request_state *rs, struct MHD_Connection *conn, const struct route_match *m,
            const char *method, const char *url, const struct param_collector *pc,
            struct worker *w, const json_t *json, struct reply *rep)
{
  uint64_t start = metrics_now_ns();
  struct request req = make_request(rs, conn, m, method, url, pc, w, json);
  int rc;

  rc = m->route->handler(&req, rep);
  metrics_handler_done(metrics_route_index(m->route), metrics_now_ns() - start);
  if (0 != rc)
    reply_clear(rep);
}

/* The gathered body as JSON, or a 413 / 400 problem in @a rep. */
static int
body_parse(struct request_state *rs, json_t **json, struct reply *rep)
{
  if (rs->body.too_large) {
    reply_problem(rep, PROBLEM_BODY_TOO_LARGE, NULL, "at most %zu bytes are accepted",
                  rs->srv->max_body);
    return -1;
  }
  return body_parse_json(&rs->body, json, rep);
}

/* Starts or finishes a streaming route: the same request (parameters,
 * this thread's connection, the token) for both calls. */
static enum MHD_Result
stream_call(struct request_state *rs, struct MHD_Connection *conn, const char *method,
            const char *url, const struct route_match *m, bool finish, struct reply *rep)
{
  struct param params[REQUEST_MAX_PARAMS];
  struct param_collector pc = { .params = params };
  struct worker *w = workers_get(rs->srv->workers);
  enum representation repr;
  struct request req;
  void *ctx;

  variant_collect_params(conn, &pc);
  /* parameters, Accept and format= are refused (400, 406) before the body is read */
  if (!finish && (0 != variant_params_check(&pc, rep)
                  || 0 != variant_choose(conn, m->route, &pc, &repr, rep))) {
    rs->answered_early = true;
    return respond_reply(rs, conn, rep);
  }
  if (NULL == w) {
    request_state_abort_stream(rs);
    reply_problem(rep, PROBLEM_UNAVAILABLE, NULL, "the database cannot be opened");
    rs->answered_early = !finish;
    return respond_reply(rs, conn, rep);
  }
  req = make_request(rs, conn, m, method, url, &pc, w, NULL);
  if (finish) {
    ctx = rs->stream_ctx;
    rs->stream_ctx = NULL;
    if (0 != m->route->stream->finish(ctx, &req, rep))
      reply_clear(rep);
    return respond_reply(rs, conn, rep);
  }
  rs->stream = m->route->stream;
  rs->stream_ctx = rs->stream->begin(&req, rep);
  if (NULL != rs->stream_ctx)
    return MHD_YES;
  rs->answered_early = true;
  return respond_reply(rs, conn, rep);
}

/* What can be refused from the headers alone, before a byte of the body
 * is read: missing or wrong credentials, and a body of the wrong type or
 * size. @return true when an answer was queued. */
static bool
refuse_early(struct request_state *rs, struct MHD_Connection *conn, const struct route *r,
             struct reply *rep, enum MHD_Result *ret)
{
  if (r->auth) {
    switch (auth_check(rs->srv->auth, server_request_header(conn, MHD_HTTP_HEADER_AUTHORIZATION),
                       rs->token_id)) {
    case AUTH_OK:
      break;
    case AUTH_NO_TOKENS:
      reply_problem(rep, PROBLEM_FORBIDDEN, NULL, "writes are disabled: start techpayd with "
                    "--admin-token-file FILE or TECHPAY_ADMIN_TOKEN to enable them");
      goto refuse;
    case AUTH_READ_ONLY:
      reply_problem(rep, PROBLEM_FORBIDDEN, NULL, "this server runs --read-only");
      goto refuse;
    case AUTH_MISSING:
    case AUTH_WRONG:
      reply_problem(rep, PROBLEM_UNAUTHORIZED, NULL,
                    "send Authorization: Bearer <token> with a configured admin token");
      reply_header(rep, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"techpay\"");
      goto refuse;
    }
  }
  if (BODY_NONE != r->body
      && 0 != body_check_headers(r->body, server_request_header(conn, MHD_HTTP_HEADER_CONTENT_TYPE),
                                 server_request_header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH),
                                 /* a streamed body is never held whole: no limit */
                                 NULL != r->stream ? SIZE_MAX : rs->srv->max_body, rep))
    goto refuse;
  rs->wants_body = BODY_NONE != r->body;
  return false;
refuse:
  /* queued on the first call: libmicrohttpd answers without reading the body */
  rs->answered_early = true;
  *ret = respond_reply(rs, conn, rep);
  return true;
}

/* The response-cache key of this request (into @a key) and the data
 * version its answer holds for; 0 when it is answered afresh. A file of the
 * web page is the same for every query (its script reads the query) and
 * every data version. */
static size_t
cache_key_of(struct server *srv, struct worker *w, const struct route *r,
             const struct entity_spec *spec, const char *url, const struct param_collector *pc,
             char *key, int64_t *version)
{
  if (!r->cacheable || server_is_stopping(srv))
    return 0;
  if (r->page)
    return variant_cache_key(key, spec, false, url, pc->params, 0);
  if (0 != db_data_version(w->db, version))
    return 0;
  /* our own commits do not move this connection's data version */
  *version += (int64_t) (db_write_generation() << 32);
  return variant_cache_key(key, spec, NULL != pc->format, url, pc->params, pc->n);
}

/* Runs the matched handler, answering from the worker's cache when the
 * same request was answered at the same data version. */
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
  const struct entity *hit;
  struct worker *w;
  json_t *json = NULL;
  char key[VARIANT_KEY_MAX];
  size_t key_len;
  int64_t version = 0;

  variant_collect_params(conn, &pc);
  if (0 != variant_params_check(&pc, rep)
      || (!page && 0 != variant_choose(conn, m->route, &pc, &spec.repr, rep)))
    return respond_reply(rs, conn, rep);
  spec.gzip = negotiate_gzip(server_request_header(conn, MHD_HTTP_HEADER_ACCEPT_ENCODING));
  w = workers_get(srv->workers);
  if (NULL == w) {
    reply_problem(rep, PROBLEM_UNAVAILABLE, NULL, "the database cannot be opened");
    return respond_reply(rs, conn, rep);
  }
  key_len = cache_key_of(srv, w, m->route, &spec, url, &pc, key, &version);
  if (0 != key_len && NULL != (hit = cache_get(w->cache, key, key_len, version))) {
    metrics_cache_lookup(true);
    return respond_entity(rs, conn, hit);
  }
  if (m->route->cacheable)
    metrics_cache_lookup(false);
  if (BODY_JSON == m->route->body && 0 != body_parse(rs, &json, rep))
    return respond_reply(rs, conn, rep);
  run_handler(rs, conn, m, method, url, &pc, w, json, rep);
  json_decref(json);
  if (NULL != pc.format)
    variant_links_keep_format(rep, pc.format);
  return respond_answer(rs, conn, method, rep, &spec, w, key, key_len, version);
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
  if (ROUTE_FOUND == route_find(MHD_HTTP_METHOD_GET, url, &get))
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

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
  struct server *srv = cls;
  struct request_state *rs = *req_cls; /* from on_uri */
  struct route_match m;
  struct reply rep = { .instance = url };
  enum MHD_Result ret;

  (void) version;
  if (NULL == rs)
    return MHD_NO; /* no memory for the connection's state: close it */
  /* Queueing on the first call makes libmicrohttpd close the connection
   * (it has not yet seen whether a body follows), which costs a TCP
   * handshake per request; so the first call only marks the request. */
  if (!rs->active) {
    request_state_begin(rs, conn, method, url);
    atomic_fetch_add_explicit(&srv->in_flight, 1, memory_order_relaxed);
    metrics_in_flight_add(1);
    if (ROUTE_FOUND == route_find(method, url, &m)
        && (m.route->auth || BODY_NONE != m.route->body)) {
      request_state_route(rs, m.route);
      if (refuse_early(rs, conn, m.route, &rep, &ret)
          || (NULL != m.route->stream
              && MHD_YES != (ret = stream_call(rs, conn, method, url, &m, false, &rep)))
          || rs->answered_early) {
        reply_clear(&rep);
        return ret;
      }
      /* an authorised upload may be slow: --timeout still bounds its silences */
      deadline_entry_disarm(&rs->deadline);
    }
    return MHD_YES;
  }
  if (rs->answered_early) {
    *upload_size = 0;
    return MHD_YES;
  }
  if (0 != *upload_size) {
    if (NULL != rs->stream_ctx) {
      if (0 != rs->stream->feed(rs->stream_ctx, upload_data, *upload_size))
        return MHD_NO; /* out of memory: drop the connection */
    } else if (rs->wants_body
               && 0 != body_append(&rs->body, upload_data, *upload_size, srv->max_body)) {
      return MHD_NO;
    }
    *upload_size = 0; /* a body sent to a route that reads none is discarded */
    return MHD_YES;
  }
  switch (route_find(method, url, &m)) {
  case ROUTE_FOUND:
    request_state_route(rs, m.route);
    if (NULL != rs->stream_ctx)
      ret = stream_call(rs, conn, method, url, &m, true, &rep);
    else
      ret = serve_route(rs, conn, method, url, &m, &rep);
    break;
  case ROUTE_METHOD_NOT_ALLOWED:
    ret = serve_other_method(rs, conn, method, url, &m, &rep);
    break;
  case ROUTE_NOT_FOUND:
    reply_problem(&rep, PROBLEM_NOT_FOUND, NULL, "nothing is served at this path; try GET /roles");
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

static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
             enum MHD_RequestTerminationCode toe)
{
  struct server *srv = cls;
  struct request_state *rs = *req_cls;

  (void) conn;
  (void) toe;
  *req_cls = NULL;
  if (NULL == rs)
    return;
  if (!rs->active) {
    rs->arrived = false; /* answered by libmicrohttpd itself (a malformed request) */
    return;
  }
  request_state_finish(rs, &srv->access_log);
  atomic_fetch_sub_explicit(&srv->in_flight, 1, memory_order_relaxed);
  metrics_in_flight_add(-1);
}

struct server *
server_start(const struct server_options *opts, char *err, size_t err_size)
{
  struct server *srv = calloc(1, sizeof *srv);
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;

  enum MHD_OPTION pool_option;

  if (NULL == srv) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  if (0 != metrics_init(err, err_size)) {
    free(srv);
    return NULL;
  }
  /* Access lines are info messages: quiet below that level. */
  srv->access_log.fd = -1;
  if (!opts->access_log_off && log_threshold >= LOG_INFO)
    srv->access_log.fd = fileno(NULL != opts->access_log ? opts->access_log : stdout);
  srv->access_log.format = opts->log_format;
  if (0 != cors_init(&srv->cors, opts->cors_origin, opts->cors_write_origin, err, err_size)) {
    free(srv);
    return NULL;
  }
  srv->listen_fd = listen_socket(opts->bind, opts->port, &srv->port, err, err_size);
  if (srv->listen_fd < 0) {
    cors_clear(&srv->cors);
    free(srv);
    return NULL;
  }
  srv->auth = opts->auth;
  srv->max_body = 0 != opts->max_body ? opts->max_body : 8u * 1024 * 1024;
  srv->workers = workers_new(opts->db_path, opts->read_only ? DB_OPEN_READONLY : DB_OPEN_READWRITE);
  if (NULL == srv->workers) {
    snprintf(err, err_size, "out of memory");
    goto fail;
  }
  if (0 != opts->request_timeout_s
      && NULL == (srv->deadline = deadline_watch_start(opts->request_timeout_s, err, err_size)))
    goto fail;
  /* One thread means the single internal polling thread: no pool option at
   * all (libmicrohttpd warns about a pool of size 0 or 1). Ending the list
   * early there skips it. */
  pool_option = opts->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END;
  srv->mhd = MHD_start_daemon(
    flags, 0, NULL, NULL, &on_request, srv,
    MHD_OPTION_EXTERNAL_LOGGER, &log_mhd, NULL, /* first, or early messages miss it */
    MHD_OPTION_LISTEN_SOCKET, (MHD_socket) srv->listen_fd,
    MHD_OPTION_CONNECTION_LIMIT, (unsigned int) opts->max_connections,
    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int) opts->max_connections_per_ip,
    /* the request line and headers must fit: larger ones get 431 (or 414) */
    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t) SERVER_CONNECTION_MEMORY,
    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) opts->timeout_s,
    MHD_OPTION_NOTIFY_COMPLETED, &on_completed, srv,
    MHD_OPTION_NOTIFY_CONNECTION, &request_state_on_connection, srv,
    MHD_OPTION_URI_LOG_CALLBACK, &request_state_on_uri, srv,
    MHD_OPTION_UNESCAPE_CALLBACK, &variant_unescape, NULL,
    pool_option, (unsigned int) opts->threads,
    MHD_OPTION_END);
  if (NULL == srv->mhd) {
    snprintf(err, err_size, "cannot start the HTTP server (see messages above)");
    goto fail;
  }
  return srv;
fail:
  deadline_watch_stop(srv->deadline);
  workers_free(srv->workers);
  close(srv->listen_fd);
  cors_clear(&srv->cors);
  free(srv);
  return NULL;
}

void
server_fresh_connections_add(struct server *srv, int delta)
{
  atomic_fetch_add_explicit(&srv->fresh, delta, memory_order_relaxed);
}

static bool
draining(struct server *srv)
{
  return 0 != atomic_load_explicit(&srv->in_flight, memory_order_relaxed)
         || 0 < atomic_load_explicit(&srv->fresh, memory_order_relaxed);
}

uint16_t
server_port(const struct server *srv)
{
  return srv->port;
}

unsigned
server_stop(struct server *srv, unsigned grace_ms)
{
  struct timespec tick = { 0, 5 * 1000 * 1000 };
  MHD_socket fd;
  unsigned left;

  if (NULL == srv)
    return 0;
  atomic_store(&srv->stopping, true);
  fd = MHD_quiesce_daemon(srv->mhd);
  if (MHD_INVALID_SOCKET != fd)
    close(fd);
  /* Idle keep-alive connections are not waited for: closing them between
   * requests is ordinary HTTP. Requests in flight and connections that
   * were accepted but have not spoken yet are. */
  for (unsigned waited = 0; waited < grace_ms && draining(srv); waited += 5)
    nanosleep(&tick, NULL);
  left = atomic_load_explicit(&srv->in_flight, memory_order_relaxed);
  MHD_stop_daemon(srv->mhd); /* connections leave the deadline watch as they close */
  deadline_watch_stop(srv->deadline);
  workers_free(srv->workers);
  cors_clear(&srv->cors);
  free(srv);
  return left;
}
