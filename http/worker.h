/**
 * @file http/worker.h
 * @brief What each thread owns: a network thread its response cache, a
 *        pool thread the application's state for it (a store connection
 *        that is never shared, say). Each is made on first use.
 */
#ifndef TECHPAY_HTTP_WORKER_H
#define TECHPAY_HTTP_WORKER_H

#include "http/cache.h"
#include "http/daemon.h"

struct worker {
  void *app; /* from server_app.thread_open */
  struct response_cache *cache;
};

struct workers;

/** @return a registry asking @a app (borrowed; NULL: none) for each thread's state, or NULL */
struct workers *workers_new(const struct server_app *app);

/** @return the calling thread's response cache (borrowed), or NULL when out of memory */
struct response_cache *workers_cache(struct workers *ws);

/** @return the calling thread's application state (borrowed), or NULL (logged by the hook) */
void *workers_app(struct workers *ws);

/** Whether the application keeps state per thread: then a NULL from workers_app() is a failure. */
bool workers_have_app(const struct workers *ws);

/** Hands every worker's state back and frees its cache; no thread may still use them. */
void workers_free(struct workers *ws);

#endif
