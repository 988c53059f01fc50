/**
 * @file http/jobs.h
 * @brief The pool of threads that run the handlers needing the
 *        application's thread state (its store, say), so that the threads
 *        serving the network never wait on a query or a lock.
 *
 * A request whose answer needs the database is suspended by the network
 * thread and handed here as a job; a pool thread runs it and resumes the
 * connection. Two lanes keep writes from starving reads: a write that
 * waits for SQLite's write lock (or a long import) occupies a write
 * thread, never a read thread. Pool threads run at a lower scheduling
 * priority than the network threads, so a burst of expensive queries
 * slows other queries, not the answers that need no query at all.
 */
#ifndef TECHPAY_HTTP_JOBS_H
#define TECHPAY_HTTP_JOBS_H

#include <stddef.h>

enum job_lane {
  JOB_READ,
  JOB_WRITE,
  JOB_LANES,
};

struct job {
  void (*run)(struct job *job); /* on a pool thread; owns the job until it returns */
  struct job *next;             /* the pool's */
};

struct job_pool;

struct job_pool_options {
  unsigned threads[JOB_LANES]; /* per lane; 0 counts as 1 */
  unsigned queue_max;          /* waiting jobs per lane */
  /* run by each thread before its first job (e.g. to open its database
   * connection while the file is known to be there); may be NULL */
  void (*thread_init)(void *cls);
  void *thread_init_cls;
};

/** Starts the pool. @return it, or NULL with @a err set */
struct job_pool *job_pool_start(const struct job_pool_options *o, char *err, size_t err_size);

/**
 * Queues @a job on @a lane. @return 0, or -1 when that lane's queue is
 * full or the pool is stopping (the caller answers 503 at once)
 */
int job_pool_submit(struct job_pool *pool, enum job_lane lane, struct job *job);

/** Jobs waiting on @a lane, for metrics. */
unsigned job_pool_waiting(struct job_pool *pool, enum job_lane lane);

/**
 * Refuses new jobs, runs every job already queued, joins the threads and
 * frees the pool; NULL is ignored.
 */
void job_pool_stop(struct job_pool *pool);

#endif
