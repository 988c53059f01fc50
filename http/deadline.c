/**
 * @file http/deadline.c
 * @brief A deadline for each request to arrive: a connection that has not
 *        delivered its request within it is closed.
 *
 * The watcher shuts the socket down rather than closing it: libmicrohttpd
 * owns the descriptor, sees the end of the stream on its next read and
 * closes the connection the ordinary way. The list's mutex is held while
 * it does, and entries leave the list (under that mutex) in the
 * connection-closed notification, which libmicrohttpd makes before it
 * closes the socket: a descriptor shut down here is always still ours.
 */
#include "http/deadline.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "util/log.h"
#include "http/metrics.h"

struct deadline_watch {
  pthread_mutex_t lock;
  pthread_cond_t wake;     /* on CLOCK_MONOTONIC; signalled to stop */
  pthread_t thread;
  bool stopping;
  uint64_t limit_ns;
  struct deadline_entry *head;
};

/* Shuts down every connection armed for longer than the limit. @return how many */
static unsigned
sweep(struct deadline_watch *w)
{
  uint64_t now = metrics_now_ns();
  unsigned cut = 0;

  for (struct deadline_entry *e = w->head; NULL != e; e = e->next) {
    uint64_t since = atomic_load_explicit(&e->since_ns, memory_order_relaxed);

    /* a connection may arm after 'now' was read: its 'since' is then later
     * than 'now', and the unsigned difference must not wrap into a huge age */
    if (0 == since || since >= now || now - since <= w->limit_ns)
      continue;
    shutdown(e->fd, SHUT_RDWR);
    atomic_store_explicit(&e->since_ns, 0, memory_order_relaxed);
    cut++;
  }
  return cut;
}

static void *
watch_run(void *arg)
{
  struct deadline_watch *w = arg;

  pthread_mutex_lock(&w->lock);
  while (!w->stopping) {
    struct timespec until;
    unsigned cut;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += 1; /* deadlines are whole seconds: a sweep a second is enough */
    pthread_cond_timedwait(&w->wake, &w->lock, &until);
    if (w->stopping)
      break;
    cut = sweep(w);
    if (0 == cut)
      continue;
    /* one line a second at most, however many are cut; not under the lock,
     * which every connection takes as it opens and closes */
    pthread_mutex_unlock(&w->lock);
    log_msg(LOG_INFO, "closed %u connection(s) that sent no complete request within %llu s",
            cut, (unsigned long long) (w->limit_ns / 1000000000u));
    pthread_mutex_lock(&w->lock);
  }
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

struct deadline_watch *
deadline_watch_start(unsigned seconds, char *err, size_t err_size)
{
  struct deadline_watch *w = calloc(1, sizeof *w);
  pthread_condattr_t attr;
  int rc;

  if (NULL == w) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  w->limit_ns = (uint64_t) seconds * 1000000000u;
  pthread_mutex_init(&w->lock, NULL);
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&w->wake, &attr);
  pthread_condattr_destroy(&attr);
  rc = pthread_create(&w->thread, NULL, watch_run, w);
  if (0 != rc) {
    snprintf(err, err_size, "cannot start the request deadline thread: %s", strerror(rc));
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
    return NULL;
  }
  return w;
}

void
deadline_watch_stop(struct deadline_watch *w)
{
  if (NULL == w)
    return;
  pthread_mutex_lock(&w->lock);
  w->stopping = true;
  pthread_cond_signal(&w->wake);
  pthread_mutex_unlock(&w->lock);
  pthread_join(w->thread, NULL);
  pthread_cond_destroy(&w->wake);
  pthread_mutex_destroy(&w->lock);
  free(w);
}

void
deadline_watch_add(struct deadline_watch *w, struct deadline_entry *e, int fd)
{
  e->fd = fd;
  e->prev = NULL;
  deadline_entry_arm(e);
  if (NULL == w || fd < 0)
    return;
  pthread_mutex_lock(&w->lock);
  e->next = w->head;
  if (NULL != w->head)
    w->head->prev = e;
  w->head = e;
  pthread_mutex_unlock(&w->lock);
}

void
deadline_watch_remove(struct deadline_watch *w, struct deadline_entry *e)
{
  if (NULL == w || e->fd < 0)
    return;
  pthread_mutex_lock(&w->lock);
  if (NULL != e->prev)
    e->prev->next = e->next;
  else
    w->head = e->next;
  if (NULL != e->next)
    e->next->prev = e->prev;
  e->prev = NULL;
  e->next = NULL;
  pthread_mutex_unlock(&w->lock);
}

void
deadline_entry_arm(struct deadline_entry *e)
{
  atomic_store_explicit(&e->since_ns, metrics_now_ns(), memory_order_relaxed);
}

void
deadline_entry_disarm(struct deadline_entry *e)
{
  atomic_store_explicit(&e->since_ns, 0, memory_order_relaxed);
}
