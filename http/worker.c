/**
 * @file http/worker.c
 * @brief Per-thread worker state, found through a pthread key and kept on
 *        a list so that shutdown can close it from the main thread.
 */
#include "http/worker.h"

#include <pthread.h>
#include <stdlib.h>

struct worker_entry {
  struct worker w;
  struct worker_entry *next;
};

struct workers {
  const struct server_app *app;
  pthread_key_t key;
  pthread_mutex_t lock; /* guards entries: taken once per thread, not per request */
  struct worker_entry *entries;
};

struct workers *
workers_new(const struct server_app *app)
{
  struct workers *ws = calloc(1, sizeof *ws);

  if (NULL == ws)
    return NULL;
  ws->app = app;
  if (0 != pthread_key_create(&ws->key, NULL)) {
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

bool
workers_have_app(const struct workers *ws)
{
  return NULL != ws->app && NULL != ws->app->thread_open;
}

void *
workers_app(struct workers *ws)
{
  struct worker_entry *e;

  if (!workers_have_app(ws) || NULL == (e = thread_entry(ws)))
    return NULL;
  if (NULL == e->w.app)
    e->w.app = ws->app->thread_open(ws->app->cls);
  return e->w.app;
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
    if (NULL != e->w.app && NULL != ws->app->thread_close)
      ws->app->thread_close(ws->app->cls, e->w.app);
    free(e);
    e = next;
  }
  /* Clear this thread's slot too, in case the key number is reused. */
  pthread_setspecific(ws->key, NULL);
  pthread_key_delete(ws->key);
  pthread_mutex_destroy(&ws->lock);
  free(ws);
}
