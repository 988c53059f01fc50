/**
 * @file http/server_internal.h
 * @brief The server's state, shared by the files of http/ that handle a
 *        request (daemon.c, serve.c, dispatch.c, respond.c); nothing
 *        outside http/ sees it.
 */
#ifndef TECHPAY_HTTP_SERVER_INTERNAL_H
#define TECHPAY_HTTP_SERVER_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "http/access_log.h"
#include "http/auth.h"
#include "http/cors.h"
#include "http/daemon.h"
#include "http/deadline.h"
#include "http/jobs.h"
#include "http/worker.h"

struct server {
  struct MHD_Daemon *mhd;
  struct workers *workers;
  struct job_pool *jobs;           /* the work that needs a thread's application state */
  const struct route *routes;      /* the application's (borrowed) */
  const struct server_app *app;    /* the application's hooks (borrowed), or NULL */
  struct server_texts texts;       /* every member set: the application's or generic */
  int listen_fd;
  uint16_t port;
  atomic_uint in_flight; /* requests whose headers arrived and that are not completed */
  atomic_int fresh;      /* connections accepted that have not sent a request line yet */
  atomic_bool stopping;  /* replies then ask clients to close the connection */
  struct cors cors;
  struct access_log access_log;
  const struct auth *auth;
  size_t max_body;
  struct deadline_watch *deadline; /* NULL: requests may take as long as they like */
};

static inline const char *
server_request_header(struct MHD_Connection *conn, const char *name)
{
  return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static inline bool
server_is_stopping(struct server *srv)
{
  return atomic_load_explicit(&srv->stopping, memory_order_relaxed);
}

#endif
