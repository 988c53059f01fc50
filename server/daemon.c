/**
 * @file server/daemon.c
 * @brief libmicrohttpd glue: the access handler, request accounting for a
 *        graceful stop, and turning a struct reply into an HTTP response.
 *
 * Every answer carries the CORS headers; OPTIONS is answered here for every
 * known path, without a handler; a GET 200 becomes a struct entity (ETag,
 * 304, CSV and gzip variants), which the per-thread cache keeps.
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

#include "server/cors.h"
#include "server/entity.h"
#include "server/listen.h"
#include "server/log.h"
#include "server/negotiate.h"
#include "server/reply.h"
#include "server/router.h"
#include "server/worker.h"

/* Cache keys are built on the stack; longer requests are just not cached. */
#define KEY_MAX 1024

struct server {
  struct MHD_Daemon *mhd;
  struct workers *workers;
  int listen_fd;
  uint16_t port;
  atomic_uint in_flight; /* requests whose headers arrived and that are not completed */
  atomic_bool stopping;  /* replies then ask clients to close the connection */
  struct cors cors;
  char *cors_origin;     /* owned; cors.origin points here */
};

static const char static_500[] =
  "{\"type\":\"/problems/internal\",\"title\":\"Internal server error\",\"status\":500}";

struct param_collector {
  struct param *params;
  unsigned n;
  bool overflow;
  const char *format;   /* "format" chooses the representation; handlers never see it */
  unsigned nformat;
};

static enum MHD_Result
collect_param(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
  struct param_collector *pc = cls;

  (void) kind;
  if (0 == strcmp(key, "format")) {
    pc->format = value ? value : "";
    pc->nformat++;
    return MHD_YES;
  }
  if (pc->n == REQUEST_MAX_PARAMS) {
    pc->overflow = true;
    return MHD_NO;
  }
  pc->params[pc->n].key = key;
  pc->params[pc->n].value = value ? value : "";
  pc->n++;
  return MHD_YES;
}

/* Variant, path and parameters, NUL-separated: decoded values cannot
 * contain NUL, so distinct requests never share a key. The variant keeps
 * JSON, CSV and their gzip forms apart. */
static size_t
cache_key(char *key, const struct entity_spec *spec, bool explicit_format, const char *path,
          const struct param *params, unsigned n)
{
  /* representation, encoding, and whether format= chose it (it then
   * appears in the Link header) */
  const char variant[] = { REPR_CSV == spec->repr ? 'c' : 'j', spec->gzip ? 'g' : 'i',
                           explicit_format ? 'f' : 'a', '\0' };
  size_t len = 0;
  const char *parts[2 + 2 * REQUEST_MAX_PARAMS];
  unsigned nparts = 0;

  parts[nparts++] = variant;
  parts[nparts++] = path;
  for (unsigned i = 0; i < n; i++) {
    parts[nparts++] = params[i].key;
    parts[nparts++] = params[i].value;
  }
  for (unsigned i = 0; i < nparts; i++) {
    size_t l = strlen(parts[i]);

    if (len + l + 1 > KEY_MAX)
      return 0;
    memcpy(key + len, parts[i], l);
    len += l;
    key[len++] = '\0';
  }
  return len;
}

static bool
is_stopping(struct server *srv)
{
  return atomic_load_explicit(&srv->stopping, memory_order_relaxed);
}

/* Queues @a resp, which this function releases. */
static enum MHD_Result
queue_owned(struct server *srv, struct MHD_Connection *conn, unsigned status,
            struct MHD_Response *resp)
{
  enum MHD_Result ret;

  if (NULL == resp)
    return MHD_NO;
  if (is_stopping(srv))
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  ret = MHD_queue_response(conn, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

static struct MHD_Response *
build_response(struct server *srv, const struct reply *rep, unsigned *status)
{
  struct MHD_Response *resp = NULL;
  char *text = NULL;

  if (0 != rep->status && NULL != rep->body)
    text = json_dumps(rep->body, REPLY_JSON_FLAGS);
  if (NULL != text) {
    resp = MHD_create_response_from_buffer_with_free_callback(strlen(text), text, &free);
    if (NULL == resp)
      free(text);
  }
  if (NULL == resp) {
    if (0 == rep->status)
      log_msg(LOG_ERROR, "handler for %s returned no reply", rep->instance ? rep->instance : "?");
    *status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    resp = MHD_create_response_from_buffer(sizeof static_500 - 1, (void *) static_500,
                                           MHD_RESPMEM_PERSISTENT);
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
send_reply(struct server *srv, struct MHD_Connection *conn, struct reply *rep)
{
  unsigned status = 0;
  struct MHD_Response *resp = build_response(srv, rep, &status);

  return queue_owned(srv, conn, status, resp);
}

static const char *
request_header(struct MHD_Connection *conn, const char *name)
{
  return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* The representation asked for: format= wins over Accept. Fills @a rep
 * with a problem and returns -1 when no answer would do. */
static int
choose_representation(struct MHD_Connection *conn, const struct route *route,
                      const struct param_collector *pc, enum representation *repr,
                      struct reply *rep)
{
  if (pc->nformat > 1) {
    reply_problem(rep, PROBLEM_DUPLICATE_PARAMETER, "format", "'format' may be given only once");
    return -1;
  }
  if (NULL != pc->format) {
    *repr = 0 == strcmp(pc->format, "csv") ? REPR_CSV : REPR_JSON;
    if (0 == strcmp(pc->format, "json") || (route->list && REPR_CSV == *repr))
      return 0;
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, "format", "'format' must be %s",
                  route->list ? "one of: json, csv" : "json (csv is offered by lists only)");
    return -1;
  }
  if (0 == negotiate_representation(request_header(conn, MHD_HTTP_HEADER_ACCEPT), route->list,
                                    repr))
    return 0;
  reply_problem(rep, PROBLEM_NOT_ACCEPTABLE, NULL,
                "this resource is served as application/json%s, which Accept does not admit",
                route->list ? " or text/csv" : "");
  return -1;
}

/* Sends the handler's reply: a GET 200 as an entity (tagged, maybe CSV or
 * gzip, then cached when @a key_len is not 0), anything else as it is. */
static enum MHD_Result
send_answer(struct server *srv, struct MHD_Connection *conn, const char *method,
            struct reply *rep, const struct entity_spec *spec, struct worker *w,
            const char *key, size_t key_len, int64_t version)
{
  struct entity e;
  enum MHD_Result ret;

  if (MHD_HTTP_OK != rep->status || NULL == rep->content_type
      || 0 != strcmp(rep->content_type, CONTENT_TYPE_JSON)
      || (0 != strcmp(method, MHD_HTTP_METHOD_GET) && 0 != strcmp(method, MHD_HTTP_METHOD_HEAD)))
    return send_reply(srv, conn, rep);
  if (0 != entity_build(rep, spec, &e)) {
    reply_clear(rep);
    reply_problem(rep, PROBLEM_INTERNAL, NULL, "the answer could not be encoded");
    return send_reply(srv, conn, rep);
  }
  if (is_stopping(srv))
    entity_add_header(&e, MHD_HTTP_HEADER_CONNECTION, "close");
  ret = entity_queue(conn, &e, request_header(conn, MHD_HTTP_HEADER_IF_NONE_MATCH));
  if (0 != key_len)
    cache_put(w->cache, key, key_len, version, &e); /* keeps our references */
  else
    entity_clear(&e);
  return ret;
}

/* Handlers never see format=, so their paging links lack it: add it, so
 * that following "next" keeps the representation the client chose. */
static void
links_keep_format(struct reply *rep, const char *format)
{
  for (unsigned i = 0; i < rep->nheaders; i++) {
    char *value;

    if (0 != strcasecmp(rep->headers[i].name, "Link"))
      continue;
    value = negotiate_link_with_format(rep->headers[i].value, format);
    if (NULL == value)
      continue; /* out of memory: the link still works, in JSON */
    free(rep->headers[i].value);
    rep->headers[i].value = value;
  }
}

static void
run_handler(const struct route_match *m, const char *method, const char *url,
            const struct param_collector *pc, struct worker *w, struct reply *rep)
{
  struct request req = {
    .method = method,
    .path = url,
    .params = pc->params,
    .nparams = pc->n,
    .nargs = m->nargs,
    .db = w->db,
  };

  memcpy(req.args, m->args, sizeof req.args);
  if (0 != m->route->handler(&req, rep))
    reply_clear(rep);
}

/* Runs the matched handler, answering from the worker's cache when the
 * same request was answered at the same data version. */
static enum MHD_Result
serve_route(struct server *srv, struct MHD_Connection *conn, const char *method,
            const char *url, const struct route_match *m, struct reply *rep)
{
  struct param params[REQUEST_MAX_PARAMS];
  struct param_collector pc = { .params = params };
  struct entity_spec spec = { .csv_offered = m->route->list, .shared = m->route->cacheable,
                              .cors = &srv->cors };
  const struct entity *hit;
  struct worker *w;
  char key[KEY_MAX];
  size_t key_len = 0;
  int64_t version = 0;

  MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, &collect_param, &pc);
  if (pc.overflow)
    reply_problem(rep, PROBLEM_TOO_MANY_PARAMETERS, NULL,
                  "at most %d query parameters are accepted", REQUEST_MAX_PARAMS);
  if (pc.overflow || 0 != choose_representation(conn, m->route, &pc, &spec.repr, rep))
    return send_reply(srv, conn, rep);
  spec.gzip = negotiate_gzip(request_header(conn, MHD_HTTP_HEADER_ACCEPT_ENCODING));
  w = workers_get(srv->workers);
  if (NULL == w) {
    reply_problem(rep, PROBLEM_UNAVAILABLE, NULL, "the database cannot be opened");
    return send_reply(srv, conn, rep);
  }
  if (m->route->cacheable && !is_stopping(srv) && 0 == db_data_version(w->db, &version)) {
    key_len = cache_key(key, &spec, NULL != pc.format, url, params, pc.n);
    if (0 != key_len && NULL != (hit = cache_get(w->cache, key, key_len, version)))
      return entity_queue(conn, hit, request_header(conn, MHD_HTTP_HEADER_IF_NONE_MATCH));
  }
  run_handler(m, method, url, &pc, w, rep);
  if (NULL != pc.format)
    links_keep_format(rep, pc.format);
  return send_answer(srv, conn, method, rep, &spec, w, key, key_len, version);
}

/* A known path asked with a method it lacks: OPTIONS is the CORS preflight
 * (204), anything else 405. Both list OPTIONS among the allowed methods. */
static enum MHD_Result
serve_other_method(struct server *srv, struct MHD_Connection *conn, const char *method,
                   const struct route_match *m, struct reply *rep)
{
  char allow[sizeof m->allow + sizeof ", " MHD_HTTP_METHOD_OPTIONS];

  snprintf(allow, sizeof allow, "%s, " MHD_HTTP_METHOD_OPTIONS, m->allow);
  if (0 == strcmp(method, MHD_HTTP_METHOD_OPTIONS))
    return queue_owned(srv, conn, MHD_HTTP_NO_CONTENT, cors_preflight(&srv->cors, allow));
  reply_problem(rep, PROBLEM_METHOD_NOT_ALLOWED, NULL,
                "%.16s is not supported here; allowed: %s", method, allow);
  rep->allow = allow;
  return send_reply(srv, conn, rep);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
  struct server *srv = cls;
  struct route_match m;
  struct reply rep = { .instance = url };
  enum MHD_Result ret;

  (void) version;
  (void) upload_data;
  /* Queueing on the first call makes libmicrohttpd close the connection
   * (it has not yet seen whether a body follows), which costs a TCP
   * handshake per request; so the first call only marks the request. */
  if (NULL == *req_cls) {
    *req_cls = srv;
    atomic_fetch_add_explicit(&srv->in_flight, 1, memory_order_relaxed);
    return MHD_YES;
  }
  if (0 != *upload_size) {
    *upload_size = 0; /* no route reads a body yet */
    return MHD_YES;
  }
  switch (route_find(method, url, &m)) {
  case ROUTE_FOUND:
    ret = serve_route(srv, conn, method, url, &m, &rep);
    break;
  case ROUTE_METHOD_NOT_ALLOWED:
    ret = serve_other_method(srv, conn, method, &m, &rep);
    break;
  case ROUTE_NOT_FOUND:
    reply_problem(&rep, PROBLEM_NOT_FOUND, NULL, "nothing is served at this path; try GET /roles");
    ret = send_reply(srv, conn, &rep);
    break;
  case ROUTE_URI_TOO_LONG:
  default:
    rep.instance = NULL; /* too long to echo back */
    reply_problem(&rep, PROBLEM_URI_TOO_LONG, NULL,
                  "paths longer than %d bytes are not served", ROUTE_MAX_PATH);
    ret = send_reply(srv, conn, &rep);
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

  (void) conn;
  (void) toe;
  if (NULL != *req_cls) {
    atomic_fetch_sub_explicit(&srv->in_flight, 1, memory_order_relaxed);
    *req_cls = NULL;
  }
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

uint16_t
server_port(const struct server *srv)
{
  return srv->port;
}

void
server_stop(struct server *srv, unsigned grace_ms)
{
  struct timespec tick = { 0, 5 * 1000 * 1000 };
  MHD_socket fd;

  if (NULL == srv)
    return;
  atomic_store(&srv->stopping, true);
  fd = MHD_quiesce_daemon(srv->mhd);
  if (MHD_INVALID_SOCKET != fd)
    close(fd);
  for (unsigned waited = 0;
       waited < grace_ms && 0 != atomic_load_explicit(&srv->in_flight, memory_order_relaxed);
       waited += 5)
    nanosleep(&tick, NULL);
  MHD_stop_daemon(srv->mhd);
  workers_free(srv->workers);
  free(srv->cors_origin);
  free(srv);
}
