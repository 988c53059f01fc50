/**
 * @file server/cors.h
 * @brief Cross-origin resource sharing: the headers every response
 *        carries, and the answer to a preflight (OPTIONS) request.
 */
#ifndef TECHPAY_SERVER_CORS_H
#define TECHPAY_SERVER_CORS_H

#include <stdbool.h>

#include <microhttpd.h>

#define CORS_ANY_ORIGIN "*"
/* Response headers a browser script may read beyond the CORS-safelisted ones. */
#define CORS_EXPOSE_HEADERS "ETag, Link, Retry-After"
/* Request headers a script may send; a fixed list, never a reflection of
 * Access-Control-Request-Headers. */
#define CORS_ALLOW_HEADERS "Authorization, Content-Type, If-None-Match, Accept"
/* How long (seconds) a browser may reuse a preflight answer. */
#define CORS_MAX_AGE "600"

struct cors {
  const char *origin; /* "*" or one origin, sent as Access-Control-Allow-Origin */
  bool one_origin;    /* not "*": answers vary with the Origin request header */
};

/**
 * @return whether @a origin is "*" or a serialised origin:
 *         scheme "://" host [":" port], e.g. "https://example.com:8443",
 *         with no path, user info, spaces or control characters
 */
bool cors_origin_valid(const char *origin);

/** Adds Access-Control-Allow-Origin and Access-Control-Expose-Headers. */
void cors_add_headers(struct MHD_Response *resp, const struct cors *c);

/**
 * The 204 answer to OPTIONS on a known path.
 * @param methods the path's methods including OPTIONS, e.g. "GET, HEAD, OPTIONS";
 *        sent as Allow and Access-Control-Allow-Methods
 * @return a new response (the caller destroys it), or NULL when out of memory
 */
struct MHD_Response *cors_preflight(const struct cors *c, const char *methods);

#endif
