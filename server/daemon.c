/**
 * @file server/daemon.c
 * @brief libmicrohttpd glue: the access handler, request accounting for a
 *        graceful stop, and turning a struct reply into an HTTP response.
 */
#include "server/daemon.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server/log.h"
#include "server/reply.h"
#include "server/router.h"
#include "server/worker.h"

#define LISTEN_BACKLOG 1024
/* Cache keys are built on the stack; longer requests are just not cached. */
#define KEY_MAX 1024

struct server {
  struct MHD_Daemon *mhd;
  struct workers *workers;
  int listen_fd;
  uint16_t port;
  atomic_uint in_flight; /* requests whose headers arrived and that are not completed */
  atomic_bool stopping;  /* replies then ask clients to close the connection */
};

static const char static_500[] =
  "{\"type\":\"/problems/internal\",\"title\":\"Internal server error\",\"status\":500}";

struct param_collector {
  struct param *params;
  unsigned n;
  bool overflow;
};

static enum MHD_Result
collect_param(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
  struct param_collector *pc = cls;

  (void) kind;
  if (pc->n == REQUEST_MAX_PARAMS) {
    pc->overflow = true;
    return MHD_NO;
  }
  pc->params[pc->n].key = key;
  pc->params[pc->n].value = value ? value : "";
  pc->n++;
  return MHD_YES;
}

/* Path and parameters, NUL-separated: decoded values cannot contain NUL,
 * so distinct requests never share a key. */
static size_t
cache_key(char *key, const char *path, const struct param *params, unsigned n)
{
  size_t len = 0;
  const char *parts[1 + 2 * REQUEST_MAX_PARAMS];
  unsigned nparts = 0;

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

static struct MHD_Response *
build_response(struct server *srv, const struct reply *rep, unsigned *status)
{
  struct MHD_Response *resp = NULL;
  char *text = NULL;

  if (0 != rep->status && NULL != rep->body)
    text = json_dumps(rep->body, JSON_COMPACT);
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
  if (NULL != rep->allow)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rep->allow);
  for (unsigned i = 0; i < rep->nheaders; i++)
    MHD_add_response_header(resp, rep->headers[i].name, rep->headers[i].value);
  /* A busy database is a passing state: tell clients when to come back. */
  if (MHD_HTTP_SERVICE_UNAVAILABLE == *status)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
  if (atomic_load_explicit(&srv->stopping, memory_order_relaxed))
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  return resp;
}

static enum MHD_Result
send_reply(struct server *srv, struct MHD_Connection *conn, struct reply *rep)
{
  unsigned status;
  struct MHD_Response *resp = build_response(srv, rep, &status);
  enum MHD_Result ret;

  if (NULL == resp)
    return MHD_NO;
  ret = MHD_queue_response(conn, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* Runs the matched handler, answering from the worker's cache when the
 * same request was answered at the same data version. */
static enum MHD_Result
serve_route(struct server *srv, struct MHD_Connection *conn, const char *method,
            const char *url, const struct route_match *m, struct reply *rep)
{
  struct param params[REQUEST_MAX_PARAMS];
  struct param_collector pc = { .params = params };
  struct request req = { .method = method, .path = url };
  struct worker *w;
  char key[KEY_MAX];
  size_t key_len = 0;
  int64_t version = 0;
  struct MHD_Response *resp;
  unsigned status;
  enum MHD_Result ret;

  MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, &collect_param, &pc);
  if (pc.overflow) {
    reply_problem(rep, PROBLEM_TOO_MANY_PARAMETERS, NULL,
                  "at most %d query parameters are accepted", REQUEST_MAX_PARAMS);
    return send_reply(srv, conn, rep);
  }
  w = workers_get(srv->workers);
  if (NULL == w) {
    reply_problem(rep, PROBLEM_UNAVAILABLE, NULL, "the database cannot be opened");
    return send_reply(srv, conn, rep);
  }
  if (m->route->cacheable && !atomic_load_explicit(&srv->stopping, memory_order_relaxed)
      && 0 == db_data_version(w->db, &version)) {
    key_len = cache_key(key, url, params, pc.n);
    if (0 != key_len && NULL != (resp = cache_get(w->cache, key, key_len, version)))
      return MHD_queue_response(conn, MHD_HTTP_OK, resp);
  }
  req.params = params;
  req.nparams = pc.n;
  req.nargs = m->nargs;
  memcpy(req.args, m->args, sizeof req.args);
  req.db = w->db;
  if (0 != m->route->handler(&req, rep))
    reply_clear(rep);
  resp = build_response(srv, rep, &status);
  if (NULL == resp)
    return MHD_NO;
  ret = MHD_queue_response(conn, status, resp);
  if (MHD_HTTP_OK == status && 0 != key_len)
    cache_put(w->cache, key, key_len, version, resp); /* keeps our reference */
  else
    MHD_destroy_response(resp);
  return ret;
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
    reply_clear(&rep);
    return ret;
  case ROUTE_NOT_FOUND:
    reply_problem(&rep, PROBLEM_NOT_FOUND, NULL, "nothing is served at this path; try GET /roles");
    break;
  case ROUTE_METHOD_NOT_ALLOWED:
    reply_problem(&rep, PROBLEM_METHOD_NOT_ALLOWED, NULL,
                  "%.16s is not supported here; allowed: %s", method, m.allow);
    rep.allow = m.allow;
    break;
  case ROUTE_URI_TOO_LONG:
    rep.instance = NULL; /* too long to echo back */
    reply_problem(&rep, PROBLEM_URI_TOO_LONG, NULL,
                  "paths longer than %d bytes are not served", ROUTE_MAX_PATH);
    break;
  }
  ret = send_reply(srv, conn, &rep);
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

/* Binding ourselves (instead of letting libmicrohttpd do it) is what lets
 * us tell the operator why: "address in use" rather than a bare failure. */
static int
listen_on(const char *bind_addr, uint16_t port, uint16_t *bound_port, char *err, size_t err_size)
{
  struct sockaddr_storage ss;
  socklen_t len;
  int one = 1;
  int zero = 0;
  int fd;

  memset(&ss, 0, sizeof ss);
  if (1 == inet_pton(AF_INET, bind_addr, &((struct sockaddr_in *) &ss)->sin_addr)) {
    ((struct sockaddr_in *) &ss)->sin_family = AF_INET;
    ((struct sockaddr_in *) &ss)->sin_port = htons(port);
    len = sizeof(struct sockaddr_in);
  } else if (1 == inet_pton(AF_INET6, bind_addr, &((struct sockaddr_in6 *) &ss)->sin6_addr)) {
    ((struct sockaddr_in6 *) &ss)->sin6_family = AF_INET6;
    ((struct sockaddr_in6 *) &ss)->sin6_port = htons(port);
    len = sizeof(struct sockaddr_in6);
  } else {
    snprintf(err, err_size, "bind address '%s' is not an IPv4 or IPv6 address", bind_addr);
    return -1;
  }
  fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    snprintf(err, err_size, "cannot create socket: %s", strerror(errno));
    return -1;
  }
  /* Lets a restarted server reuse the port while old connections linger in
   * TIME_WAIT; it does not allow two listeners on one port. */
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (AF_INET6 == ss.ss_family)
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  if (0 != bind(fd, (struct sockaddr *) &ss, len) || 0 != listen(fd, LISTEN_BACKLOG)) {
    snprintf(err, err_size, "cannot listen on %s port %u: %s", bind_addr, port, strerror(errno));
    close(fd);
    return -1;
  }
  len = sizeof ss;
  getsockname(fd, (struct sockaddr *) &ss, &len);
  *bound_port = ntohs(AF_INET6 == ss.ss_family ? ((struct sockaddr_in6 *) &ss)->sin6_port
                                               : ((struct sockaddr_in *) &ss)->sin_port);
  return fd;
}

struct server *
server_start(const struct server_options *opts, char *err, size_t err_size)
{
  struct server *srv = calloc(1, sizeof *srv);
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;

  if (NULL == srv) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  srv->listen_fd = listen_on(opts->bind, opts->port, &srv->port, err, err_size);
  if (srv->listen_fd < 0) {
    free(srv);
    return NULL;
  }
  srv->workers = workers_new(opts->db_path, DB_OPEN_READWRITE);
  if (NULL == srv->workers) {
    snprintf(err, err_size, "out of memory");
    goto fail;
  }
  srv->mhd = MHD_start_daemon(
    flags, 0, NULL, NULL, &on_request, srv,
    MHD_OPTION_EXTERNAL_LOGGER, &on_mhd_log, NULL, /* first, or early messages miss it */
    MHD_OPTION_LISTEN_SOCKET, (MHD_socket) srv->listen_fd,
    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int) (opts->threads > 1 ? opts->threads : 0),
    MHD_OPTION_CONNECTION_LIMIT, (unsigned int) opts->max_connections,
    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) opts->timeout_s,
    MHD_OPTION_NOTIFY_COMPLETED, &on_completed, srv,
    MHD_OPTION_END);
  if (NULL == srv->mhd) {
    snprintf(err, err_size, "cannot start the HTTP server (see messages above)");
    goto fail;
  }
  return srv;
fail:
  workers_free(srv->workers);
  close(srv->listen_fd);
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
  free(srv);
}
