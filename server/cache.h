/**
 * @file server/cache.h
 * @brief A small per-thread cache of finished responses, keyed by the
 *        request's path and parameters and stamped with the database's data
 *        version, so that an unchanged database answers repeated requests
 *        without a query or JSON encoding.
 *
 * Not thread-safe by design: each worker thread owns one.
 */
#ifndef TECHPAY_SERVER_CACHE_H
#define TECHPAY_SERVER_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

struct response_cache;

struct response_cache *cache_new(void);

/** Drops every entry (releasing the cache's reference to each response). */
void cache_free(struct response_cache *cache);

/**
 * @return the cached response for @a key made at @a version (borrowed: queue
 *         it, do not destroy it), or NULL. A stale entry is dropped.
 */
struct MHD_Response *cache_get(struct response_cache *cache, const char *key,
                               size_t key_len, int64_t version);

/**
 * Keeps @a response for @a key. Takes over the caller's reference to
 * @a response, even when it cannot store it.
 */
void cache_put(struct response_cache *cache, const char *key, size_t key_len,
               int64_t version, struct MHD_Response *response);

#endif
