/**
 * @file http/cors.h
 * @brief Cross-origin resource sharing: the headers every response
 *        carries, and the answer to a preflight (OPTIONS) request.
 */
#ifndef TECHPAY_HTTP_CORS_H
#define TECHPAY_HTTP_CORS_H

#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

#define CORS_ANY_ORIGIN "*"
/* Response headers a browser script may read beyond the CORS-safelisted ones. */
#define CORS_EXPOSE_HEADERS "ETag, Link, Retry-After"
/* Request headers a script of any origin may send; a fixed list, never a
 * reflection of Access-Control-Request-Headers. */
#define CORS_READ_ALLOW_HEADERS "If-None-Match, Accept"
/* What only a script of the write origin may send besides: a token, and a
 * write's body type and idempotency key. */
#define CORS_WRITE_ALLOW_HEADERS "Authorization, Content-Type, Idempotency-Key"
/* How long (seconds) a browser may reuse a preflight answer. */
#define CORS_MAX_AGE "600"

struct cors {
  const char *origin;       /* "*" or one origin: Access-Control-Allow-Origin of the answers
                             * of routes that need no token */
  bool one_origin;          /* not "*": answers vary with the Origin request header */
  const char *write_origin; /* the one origin whose scripts may send a token (write, read
                             * the audit); NULL: none may */
  char *owned[2];           /* the copies origin and write_origin point to */
};

/**
 * @return whether @a origin is "*" or a serialised origin:
 *         scheme "://" host [":" port], e.g. "https://example.com:8443",
 *         with no path, user info, spaces or control characters
 */
bool cors_origin_valid(const char *origin);

/**
 * Sets @a c up with copies of @a origin ("*" when NULL) and
 * @a write_origin (NULL: none; "*" is refused, as it would let any page
 * use a token).
 * @return 0, or -1 with one line in @a err
 */
int cors_init(struct cors *c, const char *origin, const char *write_origin, char *err,
              size_t err_size);

/** Frees what cors_init() copied. */
void cors_clear(struct cors *c);

/**
 * Adds Access-Control-Allow-Origin and Access-Control-Expose-Headers. The
 * answer of a route that needs a token (@a token_route) names the write
 * origin, or no origin at all when there is none, so that no script of
 * another page can read it.
 */
void cors_add_headers(struct MHD_Response *resp, const struct cors *c, bool token_route);

/** @return whether such an answer depends on the Origin request header (Vary: Origin) */
bool cors_varies(const struct cors *c, bool token_route);

/**
 * The 204 answer to OPTIONS on a known path. Only a preflight from the
 * write origin (@a request_origin, the Origin header, NULL when absent)
 * is allowed the write methods and the headers that carry a token; any
 * other gets the path's GET, HEAD and OPTIONS and the read headers.
 * @param methods the path's methods including OPTIONS, e.g. "GET, HEAD, POST, OPTIONS";
 *        sent as Allow
 * @return a new response (the caller destroys it), or NULL when out of memory
 */
struct MHD_Response *cors_preflight(const struct cors *c, const char *methods,
                                    const char *request_origin);

#endif
