/**
 * @file db/data_version.c
 * @brief A watcher thread that turns the database's changes into a
 *        counter: SQLite's PRAGMA data_version polled, or PostgreSQL's
 *        change signal (db/pg_signal.c).
 */
#include "db/data_version.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db_metrics.h"
#include "db/engine.h"
#include "db/version_signal.h"
#include "db/write.h"

struct data_version {
  char *db_path;
  enum db_open_mode mode;
  struct db *db;            /* the SQLite watcher's own connection; NULL until it opens */
  struct version_signal vs;
  bool bounded;             /* PostgreSQL: cached only while confirmed recently */
  int64_t first;            /* the version read at the start (SQLite) */
  pthread_t thread;
};

/* The version now; -1 while the database cannot be opened or read. */
static int
poll_version(struct data_version *dv, int64_t *now)
{
  char err[256];

  if (NULL == dv->db && 0 != db_open(dv->db_path, dv->mode, &dv->db, err, sizeof err)) {
    dv->db = NULL; /* the requests that need it say why */
    return -1;
  }
  return db_data_version(dv->db, now);
}

/* SQLite: the file's data version is a local read, cheap enough to poll. */
static void *
poll_main(void *cls)
{
  struct data_version *dv = cls;
  struct timespec tick = { 0, DATA_VERSION_POLL_MS * 1000 * 1000 };
  int64_t last = dv->first;
  int64_t now;

  while (!atomic_load_explicit(&dv->vs.stopping, memory_order_relaxed)) {
    nanosleep(&tick, NULL);
    if (0 != poll_version(dv, &now)) {
      atomic_store(&dv->vs.known, false);
      continue;
    }
    /* a change or a recovery both mean cached answers may be stale */
    if (now != last || !atomic_load_explicit(&dv->vs.known, memory_order_relaxed))
      version_signal_bump(&dv->vs);
    atomic_store(&dv->vs.known, true);
    last = now;
  }
  return NULL;
}

static void *
signal_main(void *cls)
{
  struct data_version *dv = cls;

  pg_signal_watch(dv->db_path, &dv->vs);
  return NULL;
}

struct data_version *
data_version_start(const char *db_path, enum db_open_mode mode, char *err, size_t err_size)
{
  struct data_version *dv = calloc(1, sizeof *dv);
  int rc;

  if (NULL == dv) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  dv->db_path = strdup(db_path);
  dv->mode = mode;
  dv->bounded = db_spec_is_postgresql(db_path);
  /* The first reading before the first request: answers are cached from
   * the start, not only after the thread's first poll. PostgreSQL's
   * signal tells the version once it listens, a moment after the start. */
  if (NULL != dv->db_path && !dv->bounded && 0 == poll_version(dv, &dv->first))
    atomic_store(&dv->vs.known, true);
  rc = NULL == dv->db_path ? -1
                           : pthread_create(&dv->thread, NULL,
                                            dv->bounded ? &signal_main : &poll_main, dv);
  if (0 != rc) {
    snprintf(err, err_size, "cannot start the data version thread");
    db_close(dv->db);
    free(dv->db_path);
    free(dv);
    return NULL;
  }
  return dv;
}

bool
data_version_get(const struct data_version *dv, int64_t *version)
{
  uint64_t confirmed = atomic_load_explicit(&dv->vs.confirmed_ns, memory_order_acquire);
  uint64_t changes = atomic_load_explicit(&dv->vs.changes, memory_order_acquire);

  if (!atomic_load_explicit(&dv->vs.known, memory_order_acquire))
    return false;
  /* a signal that may have been lost delays a change at most this long:
   * past it, answers are made afresh until the signal confirms again */
  if (dv->bounded && db_now_coarse_ns() - confirmed > DATA_VERSION_BOUND_MS * 1000000ull)
    return false;
  /* our own commits do not wait for the next poll */
  *version = (int64_t) ((changes & 0xffffffffu) | (db_write_generation() << 32));
  return true;
}

void
data_version_stop(struct data_version *dv)
{
  if (NULL == dv)
    return;
  atomic_store(&dv->vs.stopping, true);
  pthread_join(dv->thread, NULL);
  db_close(dv->db);
  free(dv->db_path);
  free(dv);
}
