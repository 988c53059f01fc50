/**
 * @file http/cache.h
 * @brief A small per-thread cache of finished answers (struct entity: the
 *        200, its 304 and its tag), keyed by the request's path, parameters
 *        and chosen representation and stamped with the database's data
 *        version, so that an unchanged database answers repeated requests
 *        without a query, JSON encoding or compression.
 *
 * Not thread-safe by design: each worker thread owns one.
 */
#ifndef TECHPAY_HTTP_CACHE_H
#define TECHPAY_HTTP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "http/entity.h"

struct response_cache;

struct response_cache *cache_new(void);

/** Drops every entry (releasing the cache's references to its responses). */
void cache_free(struct response_cache *cache);

/**
 * @return the cached entity for @a key made at @a version (borrowed: queue
 *         its responses, do not destroy them), or NULL. A stale entry is dropped.
 */
const struct entity *cache_get(struct response_cache *cache, const char *key,
                               size_t key_len, int64_t version);

/**
 * Keeps @a entity for @a key. Takes over the caller's references to its
 * responses, even when it cannot store it; @a entity is left empty.
 */
void cache_put(struct response_cache *cache, const char *key, size_t key_len,
               int64_t version, struct entity *entity);

#endif
