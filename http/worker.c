/**
 * @file http/worker.c
 * @brief Per-thread worker state, found through a pthread key and kept on
 *        a list so that shutdown can close it from the main thread.
 */
#include "http/worker.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

struct worker_entry {
  struct worker w;
  struct worker_entry *next;
};

struct workers {
  char *db_path;
  enum db_open_mode mode;
  pthread_key_t key;
  pthread_mutex_t lock; /* guards entries: taken once per thread, not per request */
  struct worker_entry *entries;
};

struct workers *
workers_new(const char *db_path, enum db_open_mode mode)
{
  struct workers *ws = calloc(1, sizeof *ws);

  if (NULL == ws)
    return NULL;
  ws->db_path = strdup(db_path);
  ws->mode = mode;
  if (NULL == ws->db_path || 0 != pthread_key_create(&ws->key, NULL)) {
    free(ws->db_path);
    free(ws);
    return NULL;
  }
  pthread_mutex_init(&ws->lock, NULL);
  return ws;
}

/* The calling thread's entry, made empty on its first call. */
static struct worker_entry *
thread_entry(struct workers *ws)
{
  struct worker_entry *e = pthread_getspecific(ws->key);

  if (NULL != e)
    return e;
  e = calloc(1, sizeof *e);
  if (NULL == e)
    return NULL;
  pthread_mutex_lock(&ws->lock);
  e->next = ws->entries;
  ws->entries = e;
  pthread_mutex_unlock(&ws->lock);
  pthread_setspecific(ws->key, e);
  return e;
}

struct response_cache *
workers_cache(struct workers *ws)
{
  struct worker_entry *e = thread_entry(ws);

  if (NULL == e)
    return NULL;
  if (NULL == e->w.cache)
    e->w.cache = cache_new();
  return e->w.cache;
}

struct db *
workers_db(struct workers *ws)
{
  struct worker_entry *e = thread_entry(ws);
  char err[512];

  if (NULL == e)
    return NULL;
  if (NULL == e->w.db && 0 != db_open(ws->db_path, ws->mode, &e->w.db, err, sizeof err)) {
    log_msg(LOG_ERROR, "%s", err);
    e->w.db = NULL;
  }
  return e->w.db;
}

void
workers_free(struct workers *ws)
{
  struct worker_entry *e;

  if (NULL == ws)
    return;
  e = ws->entries;
  while (NULL != e) {
    struct worker_entry *next = e->next;

    cache_free(e->w.cache);
    db_close(e->w.db);
    free(e);
    e = next;
  }
  /* Clear this thread's slot too, in case the key number is reused. */
  pthread_setspecific(ws->key, NULL);
  pthread_key_delete(ws->key);
  pthread_mutex_destroy(&ws->lock);
  free(ws->db_path);
  free(ws);
}
