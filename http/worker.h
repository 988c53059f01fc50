/**
 * @file http/worker.h
 * @brief What each thread owns: a network thread its response cache, a
 *        database thread its connection (SQLite connections here are opened
 *        without a mutex and never shared). Each is made on first use.
 */
#ifndef TECHPAY_HTTP_WORKER_H
#define TECHPAY_HTTP_WORKER_H

#include "db/db.h"
#include "http/cache.h"

struct worker {
  struct db *db;
  struct response_cache *cache;
};

struct workers;

/** @return a registry opening @a db_path (copied) with @a mode, or NULL */
struct workers *workers_new(const char *db_path, enum db_open_mode mode);

/** @return the calling thread's response cache (borrowed), or NULL when out of memory */
struct response_cache *workers_cache(struct workers *ws);

/** @return the calling thread's database connection (borrowed), or NULL (logged) */
struct db *workers_db(struct workers *ws);

/** Closes every worker's connection and cache; no thread may still use them. */
void workers_free(struct workers *ws);

#endif
