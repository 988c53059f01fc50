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

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server/access_log.h"
#include "server/cors.h"
#include "server/entity.h"
#include "server/listen.h"
#include "server/log.h"
#include "server/metrics.h"
#include "server/negotiate.h"
#include "server/reply.h"
#include "server/request_id.h"
#include "server/request_state.h"
#include "server/router.h"
#include "server/variant.h"
#include "server/worker.h"

struct server {
  struct MHD_Daemon *mhd;
  struct workers *workers;
  int listen_fd;
  uint16_t port;
  atomic_uint in_flight; /* requests whose headers arrived and that are not completed */
  atomic_int fresh;      /* connections accepted that have not sent a request line yet */
  atomic_bool stopping;  /* replies then ask clients to close the connection */
  struct cors cors;
  char *cors_origin;     /* owned; cors.origin points here */
  struct access_log access_log;
};

static const char static_500[] =
  "{\"type\":\"/problems/internal\",\"title\":\"Internal server error\",\"status\":500}";

static const char *
request_header(struct MHD_Connection *conn, const char *name)
{
  return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static bool
is_stopping(struct server *srv)
{
  return atomic_load_explicit(&srv->stopping, memory_order_relaxed);
}

/* Queues @a resp, this request's own, which this function releases: every
 * answer goes through here, so every one carries the request id. */
static enum MHD_Result
queue_owned(struct request_state *rs, struct MHD_Connection *conn, unsigned status,
            struct MHD_Response *resp, size_t body_len)
{
  enum MHD_Result ret;

  if (NULL == resp)
    return MHD_NO;
  MHD_add_response_header(resp, REQUEST_ID_HEADER, rs->request_id);
  if (is_stopping(rs->srv))
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  ret = MHD_queue_response(conn, status, resp);
  MHD_destroy_response(resp);
  if (MHD_YES == ret)
    request_state_answered(rs, status, body_len);
  return ret;
}

/* The body of @a rep: its JSON text, or the bare text of a string body
 * under a non-JSON content type. */
static struct MHD_Response *
reply_body(const struct reply *rep, size_t *len)
{
  struct MHD_Response *resp;
  char *text;

  if (0 == rep->status || NULL == rep->body)
    return NULL;
  if (json_is_string(rep->body) && NULL != rep->content_type
      && 0 != strcmp(rep->content_type, CONTENT_TYPE_JSON)) {
    *len = json_string_length(rep->body);
    return MHD_create_response_from_buffer(*len, (void *) json_string_value(rep->body),
                                           MHD_RESPMEM_MUST_COPY);
  }
  text = json_dumps(rep->body, REPLY_JSON_FLAGS);
  if (NULL == text)
    return NULL;
  *len = strlen(text);
  resp = MHD_create_response_from_buffer_with_free_callback(*len, text, &free);
  if (NULL == resp)
    free(text);
  return resp;
}

static struct MHD_Response *
build_response(struct server *srv, const struct reply *rep, unsigned *status, size_t *len)
{
  struct MHD_Response *resp = reply_body(rep, len);

  if (NULL == resp) {
    if (0 == rep->status)
      log_msg(LOG_ERROR, "handler for %s returned no reply", rep->instance ? rep->instance : "?");
    *status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    *len = sizeof static_500 - 1;
    resp = MHD_create_response_from_buffer(*len, (void *) static_500, MHD_RESPMEM_PERSISTENT);
    if (NULL == resp)
      return NULL;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, CONTENT_TYPE_PROBLEM);
  } else {
    *status = rep->status;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rep->content_type);
  }
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  cors_add_headers(resp, &srv->cors);
  if (srv->cors.one_origin)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Origin");
  if (*status >= 400)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_CONTROL_NO_STORE);
  if (NULL != rep->allow)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rep->allow);
  for (unsigned i = 0; i < rep->nheaders; i++)
    MHD_add_response_header(resp, rep->headers[i].name, rep->headers[i].value);
  /* A busy database is a passing state: tell clients when to come back. */
  if (MHD_HTTP_SERVICE_UNAVAILABLE == *status)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
  return resp;
}

static enum MHD_Result
send_reply(struct request_state *rs, struct MHD_Connection *conn, struct reply *rep)
{
  unsigned status = 0;
  size_t len = 0;
  struct MHD_Response *resp = build_response(rs->srv, rep, &status, &len);

  return queue_owned(rs, conn, status, resp, len);
}

/* This request's response from entity @a e: the 200 or, when the client
 * has it already, the 304. */
static enum MHD_Result
send_entity(struct request_state *rs, struct MHD_Connection *conn, const struct entity *e)
{
  unsigned status = 0;
  size_t len = 0;
  struct MHD_Response *resp =
    entity_response(e, request_header(conn, MHD_HTTP_HEADER_IF_NONE_MATCH), &status, &len);

  return queue_owned(rs, conn, status, resp, len);
}

/* Sends the handler's reply: a GET 200 as an entity (tagged, maybe CSV or
 * gzip, then cached when @a key_len is not 0), anything else as it is. */
static enum MHD_Result
send_answer(struct request_state *rs, struct MHD_Connection *conn, const char *method,
            struct reply *rep, const struct entity_spec *spec, struct worker *w,
            const char *key, size_t key_len, int64_t version)
{
  struct entity e;
  enum MHD_Result ret;

  if (MHD_HTTP_OK != rep->status || NULL == rep->content_type
      || 0 != strcmp(rep->content_type, CONTENT_TYPE_JSON)
      || (0 != strcmp(method, MHD_HTTP_METHOD_GET) && 0 != strcmp(method, MHD_HTTP_METHOD_HEAD)))
    return send_reply(rs, conn, rep);
  if (0 != entity_build(rep, spec, &e)) {
    reply_clear(rep);
    reply_problem(rep, PROBLEM_INTERNAL, NULL, "the answer could not be encoded");
    return send_reply(rs, conn, rep);
  }
  ret = send_entity(rs, conn, &e); /* shares the body, so the entity may go */
  if (0 != key_len)
    cache_put(w->cache, key, key_len, version, &e); /* keeps our references */
  else
    entity_clear(&e);
  return ret;
}

/* Runs the handler, timing it: handlers do the database work. */
static void
run_handler(const struct route_match *m, const char *method, const char *url,
            const struct param_collector *pc, struct worker *w, struct reply *rep)
{
  uint64_t start = metrics_now_ns();
  int rc;
  struct request req = {
    .method = method,
    .path = url,
    .params = pc->params,
    .nparams = pc->n,
    .nargs = m->nargs,
    .db = w->db,
  };

  memcpy(req.args, m->args, sizeof req.args);
  rc = m->route->handler(&req, rep);
  metrics_handler_done(metrics_route_index(m->route), metrics_now_ns() - start);
  if (0 != rc)
    reply_clear(rep);
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
  struct entity_spec spec = { .csv_offered = m->route->list, .shared = m->route->cacheable,
                              .cors = &srv->cors };
  const struct entity *hit;
  struct worker *w;
  char key[VARIANT_KEY_MAX];
  size_t key_len = 0;
  int64_t version = 0;

  variant_collect_params(conn, &pc);
  if (pc.overflow)
    reply_problem(rep, PROBLEM_TOO_MANY_PARAMETERS, NULL,
                  "at most %d query parameters are accepted", REQUEST_MAX_PARAMS);
  if (pc.overflow || 0 != variant_choose(conn, m->route, &pc, &spec.repr, rep))
    return send_reply(rs, conn, rep);
  spec.gzip = negotiate_gzip(request_header(conn, MHD_HTTP_HEADER_ACCEPT_ENCODING));
  w = workers_get(srv->workers);
  if (NULL == w) {
    reply_problem(rep, PROBLEM_UNAVAILABLE, NULL, "the database cannot be opened");
    return send_reply(rs, conn, rep);
  }
  if (m->route->cacheable && !is_stopping(srv) && 0 == db_data_version(w->db, &version)) {
    key_len = variant_cache_key(key, &spec, NULL != pc.format, url, params, pc.n);
    if (0 != key_len && NULL != (hit = cache_get(w->cache, key, key_len, version))) {
      metrics_cache_lookup(true);
      return send_entity(rs, conn, hit);
    }
  }
  if (m->route->cacheable)
    metrics_cache_lookup(false);
  run_handler(m, method, url, &pc, w, rep);
  if (NULL != pc.format)
    variant_links_keep_format(rep, pc.format);
  return send_answer(rs, conn, method, rep, &spec, w, key, key_len, version);
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
    return queue_owned(rs, conn, MHD_HTTP_NO_CONTENT, cors_preflight(&rs->srv->cors, allow), 0);
  reply_problem(rep, PROBLEM_METHOD_NOT_ALLOWED, NULL,
                "%.16s is not supported here; allowed: %s", method, allow);
  rep->allow = allow;
  return send_reply(rs, conn, rep);
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
  (void) upload_data;
  if (NULL == rs)
    return MHD_NO; /* no memory for the connection's state: close it */
  /* Queueing on the first call makes libmicrohttpd close the connection
   * (it has not yet seen whether a body follows), which costs a TCP
   * handshake per request; so the first call only marks the request. */
  if (!rs->active) {
    request_state_begin(rs, conn, method, url);
    atomic_fetch_add_explicit(&srv->in_flight, 1, memory_order_relaxed);
    metrics_in_flight_add(1);
    return MHD_YES;
  }
  if (0 != *upload_size) {
    *upload_size = 0; /* no route reads a body yet */
    return MHD_YES;
  }
  switch (route_find(method, url, &m)) {
  case ROUTE_FOUND:
    request_state_route(rs, m.route);
    ret = serve_route(rs, conn, method, url, &m, &rep);
    break;
  case ROUTE_METHOD_NOT_ALLOWED:
    ret = serve_other_method(rs, conn, method, url, &m, &rep);
    break;
  case ROUTE_NOT_FOUND:
    reply_problem(&rep, PROBLEM_NOT_FOUND, NULL, "nothing is served at this path; try GET /roles");
    ret = send_reply(rs, conn, &rep);
    break;
  case ROUTE_URI_TOO_LONG:
  default:
    rep.instance = NULL; /* too long to echo back */
    reply_problem(&rep, PROBLEM_URI_TOO_LONG, NULL,
                  "paths longer than %d bytes are not served", ROUTE_MAX_PATH);
    ret = send_reply(rs, conn, &rep);
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

__attribute__((format(printf, 2, 0)))
static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
  char line[512];
  size_t len;

  (void) cls;
  vsnprintf(line, sizeof line, fmt, ap);
  len = strlen(line);
  while (len > 0 && '\n' == line[len - 1])
    line[--len] = '\0';
  log_msg(LOG_WARNING, "http: %s", line);
}

/* The origin every answer names; NULL means any ("*"). */
static int
cors_setup(struct cors *cors, char **copy, const char *origin, char *err, size_t err_size)
{
  if (NULL == origin)
    origin = CORS_ANY_ORIGIN;
  if (!cors_origin_valid(origin)) {
    snprintf(err, err_size, "CORS origin '%.80s' is not '*' or scheme://host[:port]", origin);
    return -1;
  }
  *copy = strdup(origin);
  if (NULL == *copy) {
    snprintf(err, err_size, "out of memory");
    return -1;
  }
  cors->origin = *copy;
  cors->one_origin = 0 != strcmp(origin, CORS_ANY_ORIGIN);
  return 0;
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
  if (0 != cors_setup(&srv->cors, &srv->cors_origin, opts->cors_origin, err, err_size)) {
    free(srv);
    return NULL;
  }
  srv->listen_fd = listen_socket(opts->bind, opts->port, &srv->port, err, err_size);
  if (srv->listen_fd < 0) {
    free(srv->cors_origin);
    free(srv);
    return NULL;
  }
  srv->workers = workers_new(opts->db_path, DB_OPEN_READWRITE);
  if (NULL == srv->workers) {
    snprintf(err, err_size, "out of memory");
    goto fail;
  }
  /* One thread means the single internal polling thread: no pool option at
   * all (libmicrohttpd warns about a pool of size 0 or 1). Ending the list
   * early there skips it. */
  pool_option = opts->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END;
  srv->mhd = MHD_start_daemon(
    flags, 0, NULL, NULL, &on_request, srv,
    MHD_OPTION_EXTERNAL_LOGGER, &on_mhd_log, NULL, /* first, or early messages miss it */
    MHD_OPTION_LISTEN_SOCKET, (MHD_socket) srv->listen_fd,
    MHD_OPTION_CONNECTION_LIMIT, (unsigned int) opts->max_connections,
    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) opts->timeout_s,
    MHD_OPTION_NOTIFY_COMPLETED, &on_completed, srv,
    MHD_OPTION_NOTIFY_CONNECTION, &request_state_on_connection, srv,
    MHD_OPTION_URI_LOG_CALLBACK, &request_state_on_uri, srv,
    pool_option, (unsigned int) opts->threads,
    MHD_OPTION_END);
  if (NULL == srv->mhd) {
    snprintf(err, err_size, "cannot start the HTTP server (see messages above)");
    goto fail;
  }
  return srv;
fail:
  workers_free(srv->workers);
  close(srv->listen_fd);
  free(srv->cors_origin);
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
  MHD_stop_daemon(srv->mhd);
  workers_free(srv->workers);
  free(srv->cors_origin);
  free(srv);
  return left;
}
