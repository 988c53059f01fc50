/**
 * @file http/variant.h
 * @brief What a GET asks for beyond its path: the query parameters the
 *        handler sees, the representation (format= or Accept), and the
 *        response-cache key that keeps every variant apart.
 */
#ifndef TECHPAY_HTTP_VARIANT_H
#define TECHPAY_HTTP_VARIANT_H

#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

#include "http/entity.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/router.h"

/* Cache keys are built on the stack; longer requests are just not cached. */
#define VARIANT_KEY_MAX 1024

struct param_collector {
  struct param *params; /* room for REQUEST_MAX_PARAMS */
  unsigned n;
  bool overflow;        /* more than REQUEST_MAX_PARAMS */
  const char *format;   /* "format" chooses the representation; handlers never see it */
  const char *not_text; /* the first parameter whose name or value is not UTF-8 text */
  unsigned nformat;
};

/**
 * Collects the query parameters of @a conn (borrowed from it) into @a pc,
 * in canonical order (variant_params_sort), so that handlers and the cache
 * key see the same query however the client ordered it.
 */
void variant_collect_params(struct MHD_Connection *conn, struct param_collector *pc);

/** Sorts @a params by name, then value. */
void variant_params_sort(struct param *params, unsigned n);

/**
 * Refuses parameters no handler should see: more than REQUEST_MAX_PARAMS,
 * or one that is not UTF-8 text. @return 0, or -1 with a 400 in @a rep
 */
int variant_params_check(const struct param_collector *pc, struct reply *rep);

/**
 * libmicrohttpd's unescaper for paths and query strings, except that %00
 * becomes 0xFF, a byte UTF-8 never has: a NUL would cut a C string short
 * ("/roles/x%00y" read as "/roles/x"), while 0xFF fails every text check
 * and matches no route. Fits MHD_OPTION_UNESCAPE_CALLBACK.
 */
size_t variant_unescape(void *cls, struct MHD_Connection *conn, char *s);

/**
 * The representation asked for: format= wins over Accept. A route with a
 * media type of its own (route->media) is served in that type only: Accept
 * must admit it and format= is refused. Fills @a rep with a problem and
 * returns -1 when no answer would do.
 */
int variant_choose(struct MHD_Connection *conn, const struct route *route,
                   const struct param_collector *pc, enum representation *repr,
                   struct reply *rep);

/**
 * Variant, path and parameters, NUL-separated, into @a key (VARIANT_KEY_MAX bytes).
 * @return the key's length, or 0 when it would not fit
 */
size_t variant_cache_key(char *key, const struct entity_spec *spec, bool explicit_format,
                         const char *path, const struct param *params, unsigned n);

/** Adds format= to the paging links of @a rep (handlers never see it). */
void variant_links_keep_format(struct reply *rep, const char *format);

#endif
