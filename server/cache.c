/**
 * @file server/cache.c
 * @brief Direct-mapped response cache: a colliding key replaces the old
 *        entry, which bounds memory without any bookkeeping on the hot path.
 */
#include "server/cache.h"

#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 256 /* power of two */
/* A longer key is a request nobody repeats verbatim: do not cache it. */
#define CACHE_MAX_KEY 1024

struct cache_slot {
  char *key;
  size_t key_len;
  uint64_t hash;
  int64_t version;
  struct entity entity; /* the cache's own references */
};

struct response_cache {
  struct cache_slot slots[CACHE_SLOTS];
};

static uint64_t
hash_key(const char *key, size_t len)
{
  uint64_t h = UINT64_C(14695981039346656037);

  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char) key[i];
    h *= UINT64_C(1099511628211);
  }
  return h;
}

static void
slot_clear(struct cache_slot *slot)
{
  entity_clear(&slot->entity);
  free(slot->key);
  memset(slot, 0, sizeof *slot);
}

struct response_cache *
cache_new(void)
{
  return calloc(1, sizeof(struct response_cache));
}

void
cache_free(struct response_cache *cache)
{
  if (NULL == cache)
    return;
  for (size_t i = 0; i < CACHE_SLOTS; i++)
    slot_clear(&cache->slots[i]);
  free(cache);
}

const struct entity *
cache_get(struct response_cache *cache, const char *key, size_t key_len, int64_t version)
{
  uint64_t hash = hash_key(key, key_len);
  struct cache_slot *slot = &cache->slots[hash & (CACHE_SLOTS - 1)];

  if (NULL == slot->entity.ok || slot->hash != hash || slot->key_len != key_len
      || 0 != memcmp(slot->key, key, key_len))
    return NULL;
  if (slot->version != version) {
    slot_clear(slot);
    return NULL;
  }
  return &slot->entity;
}

void
cache_put(struct response_cache *cache, const char *key, size_t key_len,
          int64_t version, struct entity *entity)
{
  uint64_t hash = hash_key(key, key_len);
  struct cache_slot *slot = &cache->slots[hash & (CACHE_SLOTS - 1)];
  char *copy;

  if (key_len > CACHE_MAX_KEY || NULL == (copy = malloc(key_len))) {
    entity_clear(entity);
    return;
  }
  memcpy(copy, key, key_len);
  slot_clear(slot);
  slot->key = copy;
  slot->key_len = key_len;
  slot->hash = hash;
  slot->version = version;
  slot->entity = *entity;
  memset(entity, 0, sizeof *entity);
}
