/**
 * @file http/reply.h
 * @brief What a handler hands back: a status and a JSON body, or an
 *        RFC 9457 problem. The daemon turns it into an HTTP response.
 */
#ifndef TECHPAY_HTTP_REPLY_H
#define TECHPAY_HTTP_REPLY_H

#include <stdbool.h>

#include <jansson.h>

#include "http/problem.h"

#define CONTENT_TYPE_JSON "application/json; charset=utf-8"
#define CONTENT_TYPE_PROBLEM "application/problem+json; charset=utf-8"

/* Compact, and reals with 15 significant digits: -6.7 stays "-6.7" on the
 * wire instead of the 17-digit "-6.7000000000000002". */
#define REPLY_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

#define REPLY_MAX_HEADERS 4

struct reply_header {
  const char *name; /* static string */
  char *value;      /* owned */
};

struct reply {
  unsigned status;          /* 0 until a reply_* call succeeds */
  json_t *body;             /* owned; freed by reply_clear() */
  const char *text;         /* reply_static(): bytes sent as they are, else NULL */
  size_t text_len;
  const char *content_type; /* static string */
  const char *allow;        /* static; sent as Allow (405) */
  const char *instance;     /* borrowed request path, echoed in problems */
  struct reply_header headers[REPLY_MAX_HEADERS]; /* extra response headers, e.g. Link */
  unsigned nheaders;
};

/**
 * Sets a JSON reply. Steals @a body, even on failure (jansson's _new rule).
 * @return 0, or -1 when @a body is NULL
 */
int reply_json(struct reply *rep, unsigned status, json_t *body);

/**
 * Sets a reply without a body (204 after a delete): the daemon sends
 * neither a body nor a Content-Type.
 * @return 0
 */
int reply_empty(struct reply *rep, unsigned status);

/**
 * Sets a reply whose body is @a text as it is (an embedded file of the web
 * page). @a text and @a content_type must outlive the server: they are
 * borrowed, never copied or freed.
 * @return 0
 */
int reply_static(struct reply *rep, unsigned status, const char *content_type,
                 const char *text, size_t text_len);

/**
 * Sets a problem reply from the registry row of @a id: an enum problem_id,
 * or one the application registered (problem_register()).
 * @param param the query parameter at fault, or NULL
 * @return 0, or -1 when out of memory
 */
int reply_problem(struct reply *rep, unsigned id, const char *param,
                  const char *detail_fmt, ...)
  __attribute__((format(printf, 4, 5)));

/**
 * Adds a response header. @a name must be a static string; the value is
 * formatted into an owned copy. Values must not contain CR or LF.
 * @return 0, or -1 when out of memory, out of slots or the value has CR/LF
 */
int reply_header(struct reply *rep, const char *name, const char *value_fmt, ...)
  __attribute__((format(printf, 3, 4)));

/** Frees the body and headers and resets @a rep for reuse (keeps instance). */
void reply_clear(struct reply *rep);

/**
 * A JSON string of @a s that never fails on bad input: invalid UTF-8 bytes
 * become U+FFFD, so request text can always be echoed safely.
 * @return new reference, or NULL only when out of memory
 */
json_t *json_string_lossy(const char *s);

#endif
