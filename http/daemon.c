/**
 * @file http/daemon.c
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
#include "http/daemon.h"

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

#include "http/access_log.h"
#include "http/cors.h"
#include "http/dispatch.h"
#include "http/jobs.h"
#include "http/listen.h"
#include "util/log.h"
#include "http/metrics.h"
#include "http/request_state.h"
#include "http/serve.h"
#include "http/server_internal.h"
#include "http/variant.h"
#include "http/worker.h"

/* Jobs that may wait for a pool thread, per lane; beyond, 503 at once. */
#define SERVER_JOB_QUEUE_MAX 4096
/* Write threads: one may wait for SQLite's write lock while another
 * holds it for an import, without either holding up the reads. */
#define SERVER_WRITE_THREADS 2


/* A job of this request is still on the pool, or done but its connection
 * not yet resumed (libmicrohttpd may call again at once with more of a
 * chunked upload): nothing is taken until the connection resumes. */
static bool
job_pending(struct request_state *rs, struct MHD_Connection *conn)
{
  const union MHD_ConnectionInfo *ci =
    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_SUSPENDED);

  return !atomic_load_explicit(&rs->job->done, memory_order_acquire)
         || (NULL != ci && MHD_YES == ci->suspended);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
  struct server *srv = cls;
  struct request_state *rs = *req_cls; /* from on_uri */
  enum MHD_Result ret;

  (void) version;
  if (NULL == rs)
    return MHD_NO; /* no memory for the connection's state: close it */
  if (NULL != rs->job) {
    if (job_pending(rs, conn))
      return MHD_YES;
    if (serve_job_done(rs, &ret))
      return ret;
  }
  /* Queueing on the first call makes libmicrohttpd close the connection
   * (it has not yet seen whether a body follows), which costs a TCP
   * handshake per request; so the first call only marks the request. */
  if (!rs->active) {
    request_state_begin(rs, conn, method, url);
    atomic_fetch_add_explicit(&srv->in_flight, 1, memory_order_relaxed);
    metrics_in_flight_add(1);
    if (serve_headers(rs, conn, method, url, &ret))
      return ret;
    return MHD_YES;
  }
  if (rs->answered_early) {
    *upload_size = 0;
    return MHD_YES;
  }
  if (0 != *upload_size)
    return serve_upload(rs, conn, upload_data, upload_size);
  return serve_complete(rs, conn, method, url);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
             enum MHD_RequestTerminationCode toe)
{
  struct server *srv = cls;
  struct request_state *rs = *req_cls;

  (void) conn;
  *req_cls = NULL;
  if (NULL == rs)
    return;
  if (NULL != rs->job) {
    /* Connections are only closed while no job of theirs is on the pool
     * (the pool stops before the daemon); one still there is not ours to free. */
    if (atomic_load_explicit(&rs->job->done, memory_order_acquire))
      dispatch_free(rs->job);
    else
      log_msg(LOG_ERROR, "a request ended while the database worked on it");
    rs->job = NULL;
  }
  if (!rs->active) {
    rs->arrived = false; /* answered by libmicrohttpd itself (a malformed request) */
    return;
  }
  /* An answer queued is not an answer sent: the log and the metrics say
   * what reached the client (status 0: nothing whole did). */
  if (MHD_REQUEST_TERMINATED_COMPLETED_OK != toe)
    request_state_answered(rs, 0, 0);
  request_state_finish(rs, &srv->access_log);
  atomic_fetch_sub_explicit(&srv->in_flight, 1, memory_order_relaxed);
  metrics_in_flight_add(-1);
}

/* A pool thread asks for its application state before any job: a store
 * opened then is there for every job, even once its file is gone. */
static void
open_thread_state(void *cls)
{
  (void) workers_app(cls);
}

/* Frees what server_start() made before the daemon; each part may be unset. */
static void
server_free_parts(struct server *srv)
{
  job_pool_stop(srv->jobs);
  deadline_watch_stop(srv->deadline);
  workers_free(srv->workers);
  if (srv->listen_fd >= 0)
    close(srv->listen_fd);
  cors_clear(&srv->cors);
  free(srv);
}

/* The access log, CORS and the listening socket. @return 0, or -1 with @a err set */
static int
server_front(struct server *srv, const struct server_options *opts, char *err, size_t err_size)
{
  /* Access lines are info messages: quiet below that level. */
  srv->access_log.fd = -1;
  if (!opts->access_log_off && log_threshold >= LOG_INFO)
    srv->access_log.fd = fileno(NULL != opts->access_log ? opts->access_log : stdout);
  srv->access_log.format = opts->log_format;
  if (0 != cors_init(&srv->cors, opts->cors_origin, opts->cors_write_origin, err, err_size))
    return -1;
  srv->listen_fd = listen_socket(opts->bind, opts->port, &srv->port, err, err_size);
  return srv->listen_fd < 0 ? -1 : 0;
}

/* The per-thread state, the job pool and the deadline watch. @return 0, or -1 with @a err set */
static int
server_back(struct server *srv, const struct server_options *opts, char *err, size_t err_size)
{
  struct job_pool_options pool = {
    .threads = { [JOB_READ] = opts->threads, [JOB_WRITE] = SERVER_WRITE_THREADS },
    .queue_max = SERVER_JOB_QUEUE_MAX,
    .thread_init = &open_thread_state,
  };

  srv->workers = workers_new(opts->app);
  if (NULL == srv->workers) {
    snprintf(err, err_size, "out of memory");
    return -1;
  }
  pool.thread_init_cls = srv->workers;
  srv->jobs = job_pool_start(&pool, err, err_size);
  if (NULL == srv->jobs)
    return -1;
  if (0 != opts->request_timeout_s
      && NULL == (srv->deadline = deadline_watch_start(opts->request_timeout_s, err, err_size)))
    return -1;
  return 0;
}

static struct MHD_Daemon *
daemon_start(struct server *srv, const struct server_options *opts)
{
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG
                   | MHD_ALLOW_SUSPEND_RESUME;
  /* One thread means the single internal polling thread: no pool option at
   * all (libmicrohttpd warns about a pool of size 0 or 1). Ending the list
   * early there skips it. */
  enum MHD_OPTION pool_option = opts->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END;

  return MHD_start_daemon(
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
}

/* The application's wording, each member it leaves out in generic words. */
static struct server_texts
texts_of(const struct server_texts *app)
{
  static const struct server_texts none;
  const struct server_texts *t = NULL != app ? app : &none;

  return (struct server_texts) {
    .not_found = t->not_found ? t->not_found : "nothing is served at this path",
    .no_tokens = t->no_tokens ? t->no_tokens : "writes are disabled: no token is configured",
    .read_only = t->read_only ? t->read_only : "this server refuses every write",
    .unauthorized = t->unauthorized ? t->unauthorized : "send Authorization: Bearer <token>",
    .realm = t->realm ? t->realm : "api",
    .unavailable = t->unavailable ? t->unavailable
                                  : "the server cannot serve this request now; try again",
  };
}

struct server *
server_start(const struct server_options *opts, char *err, size_t err_size)
{
  struct server *srv = calloc(1, sizeof *srv);

  if (NULL == srv) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  srv->listen_fd = -1;
  if (0 != metrics_init(opts->routes, opts->build_info, err, err_size)) {
    free(srv);
    return NULL;
  }
  srv->routes = opts->routes;
  srv->app = opts->app;
  srv->texts = texts_of(opts->texts);
  srv->auth = opts->auth;
  srv->max_body = 0 != opts->max_body ? opts->max_body : 8u * 1024 * 1024;
  if (0 != server_front(srv, opts, err, err_size) || 0 != server_back(srv, opts, err, err_size)) {
    server_free_parts(srv);
    return NULL;
  }
  srv->mhd = daemon_start(srv, opts);
  if (NULL == srv->mhd) {
    snprintf(err, err_size, "cannot start the HTTP server (see messages above)");
    server_free_parts(srv);
    return NULL;
  }
  return srv;
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
  /* Every job still queued runs to its end and resumes its connection
   * before the daemon closes them: none is freed under a pool thread. */
  job_pool_stop(srv->jobs);
  srv->jobs = NULL;
  MHD_stop_daemon(srv->mhd); /* connections leave the deadline watch as they close */
  deadline_watch_stop(srv->deadline);
  workers_free(srv->workers);
  cors_clear(&srv->cors);
  if (NULL != srv->app && NULL != srv->app->stop)
    srv->app->stop(srv->app->cls);
  free(srv);
  return left;
}
