/**
 * @file http/request.h
 * @brief What a handler sees of a request: read-only, no libmicrohttpd
 *        types, so tests can call handlers directly.
 */
#ifndef TECHPAY_HTTP_REQUEST_H
#define TECHPAY_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define REQUEST_MAX_ARGS 8
#define REQUEST_MAX_PARAMS 32

struct param {
  const char *key;
  const char *value; /* "" when the query had "key" without "=" */
};

struct request {
  const char *method;
  const char *path;
  const char *args[REQUEST_MAX_ARGS]; /* the {placeholders} of the route, in order */
  unsigned nargs;
  const struct param *params;         /* borrowed, decoded query parameters */
  unsigned nparams;
  void *app;                          /* the application's state of the thread running the
                                       * handler (server_app.thread_open), or NULL */
  const json_t *json;                 /* the parsed body of a JSON route, else NULL */
  const char *body;                   /* the raw body of a route that reads one, else NULL */
  size_t body_len;
  const char *content_type;           /* the request's Content-Type, or NULL */
  const char *token_id;               /* who is writing (an auth route), else NULL */
  const char *idempotency_key;        /* the Idempotency-Key header, or NULL */
  const char *route_pattern;          /* the matched route, e.g. "/roles/{slug}" */
  void *shared;                       /* the application's state shared by every thread
                                       * (server_app.shared), or NULL */
  bool has_data_version;              /* data_version is the one this answer is cached at:
                                       * what it derives from may be kept for that version */
  int64_t data_version;
};

#endif
