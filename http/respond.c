/**
 * @file http/respond.c
 * @brief Turning a struct reply into this request's HTTP response: the
 *        headers every answer carries (CORS, request id, security headers,
 *        Cache-Control), problems, and GET 200s as cached entities (ETag,
 *        304, variants).
 *
 * A reply whose body is a JSON string and whose content type is not JSON
 * is sent as that string's bare text (GET /metrics).
 */
#include "http/respond.h"

#include <stdlib.h>
#include <string.h>

#include "http/cors.h"
#include "util/log.h"
#include "http/metrics.h"
#include "http/negotiate.h"
#include "http/request_id.h"
#include "http/security_headers.h"

static const char static_500[] =
  "{\"type\":\"/problems/internal\",\"title\":\"Internal server error\",\"status\":500}";

/* Queues @a resp, this request's own, which this function releases: every
 * answer goes through here, so every one carries the request id and the
 * security headers. */
enum MHD_Result
respond_owned(struct request_state *rs, struct MHD_Connection *conn, unsigned status,
            struct MHD_Response *resp, size_t body_len)
{
  enum MHD_Result ret;

  if (NULL == resp)
    return MHD_NO;
  MHD_add_response_header(resp, REQUEST_ID_HEADER, rs->request_id);
  security_headers_add(resp, status);
  if (server_is_stopping(rs->srv) || rs->must_close)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  ret = MHD_queue_response(conn, status, resp);
  MHD_destroy_response(resp);
  if (MHD_YES == ret)
    request_state_answered(rs, status, body_len);
  return ret;
}

/* The body of @a rep: its static text, its JSON text, or the bare text of
 * a string body under a non-JSON content type. */
static struct MHD_Response *
reply_body(const struct reply *rep, size_t *len)
{
  struct MHD_Response *resp;
  char *text;

  if (0 == rep->status)
    return NULL;
  if (NULL != rep->text) {
    *len = rep->text_len;
    return MHD_create_response_from_buffer(*len, (void *) rep->text, MHD_RESPMEM_PERSISTENT);
  }
  if (NULL == rep->body && NULL == rep->content_type) {
    /* reply_empty(): no body at all (204) */
    *len = 0;
    return MHD_create_response_from_buffer(0, (void *) "", MHD_RESPMEM_PERSISTENT);
  }
  if (NULL == rep->body)
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
build_response(struct server *srv, bool token_route, const struct reply *rep, unsigned *status,
               size_t *len)
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
    if (NULL != rep->content_type)
      MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rep->content_type);
  }
  cors_add_headers(resp, &srv->cors, token_route);
  if (cors_varies(&srv->cors, token_route))
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

enum MHD_Result
respond_reply(struct request_state *rs, struct MHD_Connection *conn, struct reply *rep)
{
  unsigned status = 0;
  size_t len = 0;
  struct MHD_Response *resp = build_response(rs->srv, rs->token_route, rep, &status, &len);

  return respond_owned(rs, conn, status, resp, len);
}

/* This request's response from entity @a e: the 200 or, when the client
 * has it already, the 304. */
enum MHD_Result
respond_entity(struct request_state *rs, struct MHD_Connection *conn, const struct entity *e)
{
  unsigned status = 0;
  size_t len = 0;
  struct MHD_Response *resp =
    entity_response(e, server_request_header(conn, MHD_HTTP_HEADER_IF_NONE_MATCH), &status, &len);

  return respond_owned(rs, conn, status, resp, len);
}

bool
respond_prepare(const char *method, struct reply *rep, const struct entity_spec *spec,
                struct entity *e)
{
  if (MHD_HTTP_OK != rep->status || NULL == rep->content_type
      || (NULL == rep->text && 0 != strcmp(rep->content_type, CONTENT_TYPE_JSON))
      || (0 != strcmp(method, MHD_HTTP_METHOD_GET) && 0 != strcmp(method, MHD_HTTP_METHOD_HEAD)))
    return false;
  if (0 != entity_build(rep, spec, e)) {
    reply_clear(rep);
    reply_problem(rep, PROBLEM_INTERNAL, NULL, "the answer could not be encoded");
    return false;
  }
  return true;
}

enum MHD_Result
respond_answer(struct request_state *rs, struct MHD_Connection *conn, const char *method,
               struct reply *rep, const struct entity_spec *spec, struct response_cache *cache,
               const char *key, size_t key_len, int64_t version)
{
  struct entity e;
  enum MHD_Result ret;

  if (!respond_prepare(method, rep, spec, &e))
    return respond_reply(rs, conn, rep);
  ret = respond_entity(rs, conn, &e); /* shares the body, so the entity may go */
  if (0 != key_len && NULL != cache)
    cache_put(cache, key, key_len, version, &e); /* keeps our references */
  else
    entity_clear(&e);
  return ret;
}
