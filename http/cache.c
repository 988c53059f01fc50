/**
 * @file http/cache.c
 * @brief A two-way set-associative response cache with a second chance:
 *        an entry that was asked for again since it was stored survives
 *        one newcomer, so a stream of requests nobody repeats (a client
 *        varying a parameter to miss the cache) cannot evict the answers
 *        everyone else repeats. Memory stays bounded by the slot count.
 */
#include "http/cache.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"

#define CACHE_WAYS 2
#define CACHE_SETS 128 /* power of two */
/* A longer key is a request nobody repeats verbatim: do not cache it. */
#define CACHE_MAX_KEY 1024

struct cache_slot {
  char *key;
  size_t key_len;
  uint64_t hash;
  int64_t version;
  bool hit;             /* asked for since it was stored or last passed over */
  struct entity entity; /* the cache's own references */
};

struct response_cache {
  struct cache_slot slots[CACHE_SETS][CACHE_WAYS];
};

static uint64_t
hash_key(const char *key, size_t len)
{
  return hash_bytes(HASH_INIT, key, len);
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
  for (size_t i = 0; i < CACHE_SETS; i++)
    for (size_t w = 0; w < CACHE_WAYS; w++)
      slot_clear(&cache->slots[i][w]);
  free(cache);
}

static bool
slot_holds(const struct cache_slot *slot, uint64_t hash, const char *key, size_t key_len)
{
  return NULL != slot->entity.ok && slot->hash == hash && slot->key_len == key_len
         && 0 == memcmp(slot->key, key, key_len);
}

const struct entity *
cache_get(struct response_cache *cache, const char *key, size_t key_len, int64_t version)
{
  uint64_t hash = hash_key(key, key_len);
  struct cache_slot *set = cache->slots[hash & (CACHE_SETS - 1)];

  for (size_t w = 0; w < CACHE_WAYS; w++) {
    struct cache_slot *slot = &set[w];

    if (!slot_holds(slot, hash, key, key_len))
      continue;
    if (slot->version != version) {
      slot_clear(slot);
      return NULL;
    }
    slot->hit = true;
    return &slot->entity;
  }
  return NULL;
}

/* The slot a new entry at @a version takes: an empty or stale one, else
 * one not asked for again; NULL when every entry earned its second
 * chance, which each of them has now used. */
static struct cache_slot *
victim(struct cache_slot *set, int64_t version)
{
  for (size_t w = 0; w < CACHE_WAYS; w++)
    if (NULL == set[w].entity.ok || set[w].version != version)
      return &set[w];
  for (size_t w = 0; w < CACHE_WAYS; w++)
    if (!set[w].hit)
      return &set[w];
  for (size_t w = 0; w < CACHE_WAYS; w++)
    set[w].hit = false;
  return NULL;
}

void
cache_put(struct response_cache *cache, const char *key, size_t key_len,
          int64_t version, struct entity *entity)
{
  uint64_t hash = hash_key(key, key_len);
  struct cache_slot *set = cache->slots[hash & (CACHE_SETS - 1)];
  struct cache_slot *slot = NULL;
  char *copy;

  for (size_t w = 0; w < CACHE_WAYS && NULL == slot; w++)
    if (slot_holds(&set[w], hash, key, key_len))
      slot = &set[w]; /* a newer answer for the same key */
  if (NULL == slot)
    slot = victim(set, version);
  if (NULL == slot || key_len > CACHE_MAX_KEY || NULL == (copy = malloc(key_len))) {
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
