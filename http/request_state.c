/**
 * @file http/request_state.c
 * @brief Per-request bookkeeping, metrics and the access log line.
 */
#include "http/request_state.h"

#include "http/daemon.h"
#include "http/dispatch.h"
#include "http/framing.h"
#include "http/stream.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server_internal.h"

/* The peer's address as text; an IPv4 client of a dual-stack socket is
 * written as IPv4, as it connected. */
static void
format_client(struct MHD_Connection *conn, char *out, size_t size)
{
  const union MHD_ConnectionInfo *ci =
    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *sa = NULL != ci ? ci->client_addr : NULL;

  out[0] = '\0';
  if (NULL == sa)
    return;
  if (AF_INET == sa->sa_family) {
    inet_ntop(AF_INET, &((const struct sockaddr_in *) (const void *) sa)->sin_addr, out,
              (socklen_t) size);
  } else if (AF_INET6 == sa->sa_family) {
    const struct in6_addr *a = &((const struct sockaddr_in6 *) (const void *) sa)->sin6_addr;

    if (IN6_IS_ADDR_V4MAPPED(a))
      inet_ntop(AF_INET, &a->s6_addr[12], out, (socklen_t) size);
    else
      inet_ntop(AF_INET6, a, out, (socklen_t) size);
  }
}

static struct request_state *
request_state_new(struct server *srv, struct MHD_Connection *conn)
{
  struct request_state *rs = calloc(1, sizeof *rs);

  if (NULL == rs)
    return NULL;
  rs->srv = srv;
  format_client(conn, rs->client, sizeof rs->client);
  return rs;
}

void
request_state_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                            enum MHD_ConnectionNotificationCode toe)
{
  struct server *srv = cls;

  if (MHD_CONNECTION_NOTIFY_STARTED == toe) {
    const union MHD_ConnectionInfo *fd = MHD_get_connection_info(conn,
                                                                 MHD_CONNECTION_INFO_CONNECTION_FD);
    struct request_state *rs = request_state_new(srv, conn);

    *socket_context = rs;
    if (NULL == rs) {
      log_msg(LOG_ERROR, "out of memory for a new connection: closing it");
    } else {
      server_fresh_connections_add(srv, 1);
      deadline_watch_add(srv->deadline, &rs->deadline, NULL != fd ? fd->connect_fd : -1);
    }
    metrics_connections_add(1);
  } else {
    struct request_state *rs = *socket_context;

    if (NULL != rs && !rs->used)
      server_fresh_connections_add(srv, -1);
    if (NULL != rs) {
      deadline_watch_remove(srv->deadline, &rs->deadline);
      request_state_abort_stream(rs);
      body_clear(&rs->body);
    }
    free(*socket_context);
    *socket_context = NULL;
    metrics_connections_add(-1);
  }
}

static void
keep_target(struct request_state *rs, const char *target)
{
  size_t len = strnlen(target, sizeof rs->target);

  memcpy(rs->target, target, len);
  rs->target_len = len;
}

static void
request_state_arrived(struct request_state *rs, const char *target)
{
  if (!rs->used) {
    rs->used = true;
    server_fresh_connections_add(rs->srv, -1);
  }
  rs->arrived = true;
  rs->start_ns = metrics_now_ns();
  clock_gettime(CLOCK_REALTIME, &rs->start);
  keep_target(rs, target);
}

void *
request_state_on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
  const union MHD_ConnectionInfo *ci =
    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  struct request_state *rs = NULL != ci ? ci->socket_context : NULL;

  (void) cls;
  if (NULL != rs) {
    request_state_arrived(rs, uri);
    /* libmicrohttpd hands over its own buffer, which it cuts up next */
    rs->target_refusal = (int) framing_target_check((char *) (uintptr_t) uri,
                                                     &rs->target_sent_len);
  }
  return rs;
}

void
request_state_begin(struct request_state *rs, struct MHD_Connection *conn, const char *method,
                    const char *url)
{
  if (!rs->arrived)
    request_state_arrived(rs, url);
  rs->active = true;
  rs->head = 0 == strcmp(method, MHD_HTTP_METHOD_HEAD);
  rs->route = -1;
  rs->route_pattern = NULL;
  rs->token_route = false;
  rs->status = 0;
  rs->body_bytes = 0;
  snprintf(rs->method, sizeof rs->method, "%s", method);
  request_id_assign(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, REQUEST_ID_HEADER),
                    rs->request_id);
}

void
request_state_route(struct request_state *rs, const struct route *route)
{
  rs->route = metrics_route_index(route);
  rs->route_pattern = NULL != route ? route->pattern : NULL;
  rs->token_route = NULL != route && route->auth;
}

void
request_state_answered(struct request_state *rs, unsigned status, size_t body_len)
{
  rs->status = status;
  rs->body_bytes = rs->head ? 0 : body_len;
  deadline_entry_disarm(&rs->deadline);
}

void
request_state_finish(struct request_state *rs, const struct access_log *log)
{
  uint64_t duration_ns = metrics_now_ns() - rs->start_ns;

  metrics_request_done(rs->route, rs->method, rs->status, duration_ns);
  if (log->fd >= 0) {
    struct access_entry e = {
      .time = rs->start,
      .request_id = rs->request_id,
      .method = rs->method,
      .target = rs->target,
      .target_len = rs->target_len,
      .route = rs->route_pattern,
      .status = rs->status,
      .bytes = rs->body_bytes,
      .duration_us = duration_ns / 1000,
      .client = rs->client,
    };

    access_log_write(log, &e);
  }
  deadline_entry_arm(&rs->deadline); /* for the next request on this connection */
  rs->arrived = false;
  rs->active = false;
  rs->target_refusal = TARGET_OK;
  rs->target_sent_len = 0;
  rs->answered_early = false;
  rs->wants_body = false;
  rs->token_id[0] = '\0';
  request_state_abort_stream(rs);
  body_clear(&rs->body);
}

void
request_state_abort_stream(struct request_state *rs)
{
  if (NULL != rs->stream_ctx)
    dispatch_abort_stream(rs->srv, rs->stream, rs->stream_ctx);
  rs->stream_ctx = NULL;
  rs->stream = NULL;
  rs->stream_route = NULL;
}
