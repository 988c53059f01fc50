/**
 * @file server/worker.h
 * @brief What each worker thread owns: its database connection (SQLite
 *        connections here are opened without a mutex and never shared) and
 *        its response cache. Created on the thread's first request.
 */
#ifndef TECHPAY_SERVER_WORKER_H
#define TECHPAY_SERVER_WORKER_H

#include "db/db.h"
#include "server/cache.h"

struct worker {
  struct db *db;
  struct response_cache *cache;
};

struct workers;

/** @return a registry opening @a db_path (copied) with @a mode, or NULL */
struct workers *workers_new(const char *db_path, enum db_open_mode mode);

/** @return the calling thread's worker (borrowed), or NULL (logged) */
struct worker *workers_get(struct workers *ws);

/** Closes every worker's connection and cache; no thread may still use them. */
void workers_free(struct workers *ws);

#endif
