/**
 * @file http/entity.h
 * @brief A successful GET answer, prepared once when it is built: the 200
 *        response, the matching 304 and the entity tag that chooses
 *        between them. The response cache keeps these, so a repeated
 *        request costs a lookup, a tag comparison and a queue.
 */
#ifndef TECHPAY_HTTP_ENTITY_H
#define TECHPAY_HTTP_ENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "http/cors.h"
#include "http/negotiate.h"
#include "http/reply.h"

#define CONTENT_TYPE_CSV "text/csv; charset=utf-8"

/* Shared caches and browsers may reuse a 200 for this long without asking;
 * afterwards If-None-Match makes the check cheap. Short, because the data
 * can change at any time. */
#define CACHE_CONTROL_SHARED "public, max-age=30"
/* For answers that depend on more than the database (e.g. /healthz). */
#define CACHE_CONTROL_REVALIDATE "no-cache"
/* For problems: an error must not outlive its cause. */
#define CACHE_CONTROL_NO_STORE "no-store"

/* Bodies shorter than this are sent as they are: gzip saves too little. */
#define ENTITY_GZIP_MIN 1024

/* '"', 16 hex digits, "-csv", "-gz", '"', NUL */
#define ENTITY_ETAG_MAX 32

struct entity_body;

struct entity {
  struct MHD_Response *ok;           /* 200 with the body */
  struct MHD_Response *not_modified; /* 304: the same validators, no body */
  char etag[ENTITY_ETAG_MAX];        /* "\"0123456789abcdef\"", quotes included */
  struct entity_body *body;          /* ok's body bytes; ok holds the reference */
};

/** How the answer is to be represented, and the headers that depend on the route. */
struct entity_spec {
  enum representation repr;
  bool gzip;               /* the client accepts gzip */
  bool csv_offered;        /* a list route: the representation varies with Accept */
  bool shared;             /* cacheable route: CACHE_CONTROL_SHARED, else _REVALIDATE */
  const struct cors *cors;
  bool token_route;        /* the route needs a token (GET /audit): its CORS origin is the
                            * write origin's */
};

/**
 * Builds @a e from the 200 reply @a rep: serialises it (or its "data"
 * rows as CSV; a reply_static() text is taken as it is), tags it, compresses it when that pays, and makes both
 * responses. The entity tag is a hash of the uncompressed body, suffixed
 * "-csv" for CSV and "-gz" when compressed, so each variant has its own.
 * @return 0, or -1 (out of memory, or CSV asked of a reply without rows)
 */
int entity_build(const struct reply *rep, const struct entity_spec *spec, struct entity *e);

/** Adds a header to both responses (e.g. Connection: close while stopping). */
void entity_add_header(struct entity *e, const char *name, const char *value);

/** Queues the 304 when @a if_none_match (may be NULL) matches the tag, else the 200. */
enum MHD_Result entity_queue(struct MHD_Connection *conn, const struct entity *e,
                             const char *if_none_match);

/**
 * A response for one request, to which the caller may add headers of its
 * own (a request id, Connection: close) before queueing it: the 304 when
 * @a if_none_match (may be NULL) matches the tag, else the 200, with the
 * entity's headers. The 200 shares the entity's body bytes, which stay
 * alive (reference-counted) until the last response using them is
 * destroyed, so the entity may be dropped from the cache in the meantime.
 * @param[out] status MHD_HTTP_OK or MHD_HTTP_NOT_MODIFIED
 * @param[out] body_len bytes of body the response carries (0 for the 304)
 * @return a new response (the caller queues and destroys it), or NULL when
 *         out of memory
 */
struct MHD_Response *entity_response(const struct entity *e, const char *if_none_match,
                                     unsigned *status, size_t *body_len);

/** Releases both responses; @a e may be partly built or empty. */
void entity_clear(struct entity *e);

/** The 64-bit body hash behind the entity tags (not cryptographic). */
uint64_t entity_hash(const void *data, size_t len);

#endif
