/**
 * @file http/jobs.c
 * @brief A fixed set of threads per lane taking jobs from a FIFO queue.
 */
#include "http/jobs.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* How much less CPU a pool thread asks for than a network thread: enough
 * that the scheduler runs a network thread first when both are ready. */
#define JOB_NICE 5

struct job_lane_state {
  pthread_mutex_t lock;
  pthread_cond_t ready;
  struct job *head;
  struct job *tail;
  unsigned waiting;
  unsigned queue_max;
  bool stopping;
  unsigned nthreads;
  pthread_t *threads;
  void (*thread_init)(void *cls);
  void *thread_init_cls;
  unsigned initialised;   /* threads past thread_init */
  pthread_cond_t started; /* signalled as each gets there */
};

struct job_pool {
  struct job_lane_state lanes[JOB_LANES];
};

static void *
lane_main(void *cls)
{
  struct job_lane_state *l = cls;

  /* Linux schedules threads one by one: this lowers this thread alone. */
  (void) setpriority(PRIO_PROCESS, (id_t) syscall(SYS_gettid), JOB_NICE);
  if (NULL != l->thread_init)
    l->thread_init(l->thread_init_cls);
  pthread_mutex_lock(&l->lock);
  l->initialised++;
  pthread_cond_signal(&l->started);
  for (;;) {
    struct job *job;

    while (NULL == l->head && !l->stopping)
      pthread_cond_wait(&l->ready, &l->lock);
    job = l->head;
    if (NULL == job)
      break; /* stopping, and nothing left to run */
    l->head = job->next;
    if (NULL == l->head)
      l->tail = NULL;
    l->waiting--;
    pthread_mutex_unlock(&l->lock);
    job->next = NULL;
    job->run(job);
    pthread_mutex_lock(&l->lock);
  }
  pthread_mutex_unlock(&l->lock);
  return NULL;
}

static void
lane_stop(struct job_lane_state *l)
{
  pthread_mutex_lock(&l->lock);
  l->stopping = true;
  pthread_cond_broadcast(&l->ready);
  pthread_mutex_unlock(&l->lock);
  for (unsigned i = 0; i < l->nthreads; i++)
    pthread_join(l->threads[i], NULL);
  free(l->threads);
  pthread_cond_destroy(&l->started);
  pthread_cond_destroy(&l->ready);
  pthread_mutex_destroy(&l->lock);
}

static int
lane_start(struct job_lane_state *l, const struct job_pool_options *o, unsigned threads,
           char *err, size_t err_size)
{
  int rc;

  pthread_mutex_init(&l->lock, NULL);
  pthread_cond_init(&l->ready, NULL);
  pthread_cond_init(&l->started, NULL);
  l->queue_max = o->queue_max;
  l->thread_init = o->thread_init;
  l->thread_init_cls = o->thread_init_cls;
  l->threads = calloc(threads, sizeof *l->threads);
  if (NULL == l->threads) {
    snprintf(err, err_size, "out of memory");
    return -1;
  }
  for (l->nthreads = 0; l->nthreads < threads; l->nthreads++) {
    rc = pthread_create(&l->threads[l->nthreads], NULL, &lane_main, l);
    if (0 != rc) {
      snprintf(err, err_size, "cannot start a database thread: %s", strerror(rc));
      return -1;
    }
  }
  /* ready when start returns: a job never waits for a connection to open */
  pthread_mutex_lock(&l->lock);
  while (l->initialised < l->nthreads)
    pthread_cond_wait(&l->started, &l->lock);
  pthread_mutex_unlock(&l->lock);
  return 0;
}

struct job_pool *
job_pool_start(const struct job_pool_options *o, char *err, size_t err_size)
{
  struct job_pool *pool = calloc(1, sizeof *pool);
  unsigned started = 0;

  if (NULL == pool) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  for (; started < JOB_LANES; started++) {
    unsigned n = 0 != o->threads[started] ? o->threads[started] : 1;

    if (0 != lane_start(&pool->lanes[started], o, n, err, err_size)) {
      started++; /* its threads that did start are joined below */
      goto fail;
    }
  }
  return pool;
fail:
  while (started-- > 0)
    lane_stop(&pool->lanes[started]);
  free(pool);
  return NULL;
}

int
job_pool_submit(struct job_pool *pool, enum job_lane lane, struct job *job)
{
  struct job_lane_state *l = &pool->lanes[lane];
  int rc = -1;

  job->next = NULL;
  pthread_mutex_lock(&l->lock);
  if (!l->stopping && l->waiting < l->queue_max) {
    if (NULL == l->tail)
      l->head = job;
    else
      l->tail->next = job;
    l->tail = job;
    l->waiting++;
    pthread_cond_signal(&l->ready);
    rc = 0;
  }
  pthread_mutex_unlock(&l->lock);
  return rc;
}

unsigned
job_pool_waiting(struct job_pool *pool, enum job_lane lane)
{
  struct job_lane_state *l = &pool->lanes[lane];
  unsigned n;

  pthread_mutex_lock(&l->lock);
  n = l->waiting;
  pthread_mutex_unlock(&l->lock);
  return n;
}

void
job_pool_stop(struct job_pool *pool)
{
  if (NULL == pool)
    return;
  for (int lane = 0; lane < JOB_LANES; lane++)
    lane_stop(&pool->lanes[lane]);
  free(pool);
}
