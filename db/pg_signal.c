/**
 * @file db/pg_signal.c
 * @brief The PostgreSQL change signal: a connection of its own that
 *        LISTENs for the notification every write commit sends
 *        (db/pg_db.c, pg_write_commit()) and waits on its socket, with a
 *        slower check of the server's snapshot between notifications.
 *
 * A notification moves the data version at once. The check (a hash of
 * pg_current_snapshot(), which moves whenever a transaction that wrote
 * ends) every PG_SIGNAL_CHECK_MS catches what sends none: another
 * client's writes, a migration, a notification lost with a connection.
 * Each notification read and each check answered confirms the version
 * (db/version_signal.h); db/data_version.c serves cached answers only
 * while the last confirmation is recent, so a lost signal can delay a
 * change by at most that bound. A lost connection (a restart, a failover,
 * pg_terminate_backend) makes the version unknown at once and is opened
 * again with a bounded backoff; once it listens again, the version moves
 * once, since notifications may have been missed meanwhile.
 */
#include "db/version_signal.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "db/db_metrics.h"
#include "db/pg_conn.h"
#include "db/pg_db.h"
#include "util/hash.h"
#include "util/log.h"

/* How the connection shows in pg_stat_activity (tests look for it). */
#define PG_SIGNAL_APPLICATION "techpayd-signal"
/* Between checks of the snapshot: well inside the bound of
 * DATA_VERSION_BOUND_MS, so that on an idle healthy server the version is
 * always confirmed in time and cached answers keep being served, even when
 * a check waits a while for this busy thread or a busy server; and a write
 * by another client reaches cached answers within this. 40 checks a second
 * (each a few tens of µs of server time) per replica. */
#define PG_SIGNAL_CHECK_MS 25
/* A check unanswered this long: the connection is taken for lost (a host
 * that vanished answers no TCP packet). */
#define PG_SIGNAL_ANSWER_MS 1000
#define PG_SIGNAL_BACKOFF_MIN_MS 10
#define PG_SIGNAL_BACKOFF_MAX_MS 500

#define SNAPSHOT_SQL "SELECT pg_current_snapshot()::text"

struct watch {
  const char *spec;
  struct version_signal *vs;
  PGconn *conn;
  uint64_t hash;         /* of the last snapshot checked */
  bool in_flight;        /* a check was sent and not yet answered */
  uint64_t sent_ns;      /* db_now_ns() when it was sent */
  uint64_t sent_coarse;  /* db_now_coarse_ns() then: what its answer confirms */
  uint64_t next_check_ns;
};

static void
sleep_ms(unsigned ms)
{
  struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000L };

  nanosleep(&ts, NULL);
}

static void
lose(struct watch *w, const char *why)
{
  atomic_store(&w->vs->known, false);
  db_metrics_signal(false, 0, false);
  if (NULL != w->conn) {
    log_msg(LOG_WARNING, "change signal: %s; cached answers are bypassed until it is back", why);
    PQfinish(w->conn);
    db_metrics_connections_add(DB_METRICS_POSTGRESQL, -1);
  }
  w->conn = NULL;
  w->in_flight = false;
}

/* The snapshot's hash from @a res; false when it is no answer of the check. */
static bool
snapshot_hash(PGresult *res, uint64_t *hash)
{
  if (PGRES_TUPLES_OK != PQresultStatus(res) || 1 != PQntuples(res))
    return false;
  *hash = hash_str(HASH_INIT, PQgetvalue(res, 0, 0));
  return true;
}

/* Connects and listens; true when it does. The version moves once:
 * what was committed while no one listened is not known. */
static bool
connect_and_listen(struct watch *w, bool reconnecting)
{
  char err[512];
  uint64_t at = db_now_coarse_ns();
  PGresult *res;
  bool ok;

  w->conn = pg_conn_open_as(w->spec, PG_SIGNAL_APPLICATION, err, sizeof err);
  if (NULL == w->conn)
    return false;
  db_metrics_connections_add(DB_METRICS_POSTGRESQL, 1);
  res = PQexec(w->conn, "LISTEN " PG_SIGNAL_CHANNEL);
  ok = PGRES_COMMAND_OK == PQresultStatus(res);
  PQclear(res);
  /* listening from here on: a commit before it is in the snapshot */
  res = ok ? PQexec(w->conn, SNAPSHOT_SQL) : NULL;
  ok = ok && snapshot_hash(res, &w->hash);
  PQclear(res);
  if (!ok) {
    lose(w, "cannot listen for notifications");
    return false;
  }
  version_signal_bump(w->vs);
  version_signal_confirm(w->vs, at);
  db_metrics_signal(true, at, reconnecting);
  if (reconnecting)
    log_msg(LOG_INFO, "change signal: listening again");
  w->next_check_ns = db_now_ns() + PG_SIGNAL_CHECK_MS * 1000000ull;
  return true;
}

/* Reads what arrived: notifications move the version; the check's
 * answer, once whole, confirms it. @return false when the connection is lost */
static bool
read_input(struct watch *w)
{
  uint64_t at = db_now_coarse_ns();
  PGnotify *n;
  int seen = 0;

  if (!PQconsumeInput(w->conn))
    return false;
  while (NULL != (n = PQnotifies(w->conn))) {
    seen++;
    PQfreemem(n);
  }
  if (seen > 0) {
    version_signal_bump(w->vs);
    version_signal_confirm(w->vs, at);
    db_metrics_signal(true, at, false);
  }
  if (w->in_flight && !PQisBusy(w->conn)) {
    PGresult *res = PQgetResult(w->conn);
    uint64_t hash = 0;
    bool ok = snapshot_hash(res, &hash);

    PQclear(res);
    while (NULL != (res = PQgetResult(w->conn)))
      PQclear(res);
    if (!ok)
      return false;
    if (hash != w->hash)
      version_signal_bump(w->vs);
    w->hash = hash;
    version_signal_confirm(w->vs, w->sent_coarse);
    db_metrics_signal(true, w->sent_coarse, false);
    w->in_flight = false;
    w->next_check_ns = w->sent_ns + PG_SIGNAL_CHECK_MS * 1000000ull;
  }
  return true;
}

/* Milliseconds from @a now to @a until, rounded up, and never longer than
 * a check interval: a stop is seen within one. */
static int
wait_ms(uint64_t now, uint64_t until)
{
  uint64_t ms = until <= now ? 0 : (until - now + 999999) / 1000000;

  return ms > PG_SIGNAL_CHECK_MS ? PG_SIGNAL_CHECK_MS : (int) ms;
}

/* One wait on the socket and what follows it. @return false when the connection is lost */
static bool
watch_once(struct watch *w)
{
  uint64_t now = db_now_ns();
  uint64_t until;
  struct pollfd pfd = { .fd = PQsocket(w->conn), .events = POLLIN };
  int rc;

  if (!w->in_flight && now >= w->next_check_ns) {
    w->sent_coarse = db_now_coarse_ns();
    w->sent_ns = now;
    if (!PQsendQuery(w->conn, SNAPSHOT_SQL))
      return false;
    w->in_flight = true;
  }
  until = w->in_flight ? w->sent_ns + PG_SIGNAL_ANSWER_MS * 1000000ull : w->next_check_ns;
  if (w->in_flight && now >= until)
    return false;
  rc = poll(&pfd, 1, wait_ms(now, until));
  if (rc < 0)
    return EINTR == errno;
  return 0 == rc || read_input(w);
}

void
pg_signal_watch(const char *spec, struct version_signal *vs)
{
  struct watch w = { .spec = spec, .vs = vs };
  unsigned backoff = PG_SIGNAL_BACKOFF_MIN_MS;
  bool ever = false;

  while (!atomic_load_explicit(&vs->stopping, memory_order_relaxed)) {
    if (NULL == w.conn) {
      if (connect_and_listen(&w, ever)) {
        ever = true;
        backoff = PG_SIGNAL_BACKOFF_MIN_MS;
        continue;
      }
      atomic_store(&vs->known, false);
      db_metrics_signal(false, 0, false);
      sleep_ms(backoff);
      backoff = backoff * 2 > PG_SIGNAL_BACKOFF_MAX_MS ? PG_SIGNAL_BACKOFF_MAX_MS : backoff * 2;
      continue;
    }
    if (!watch_once(&w))
      lose(&w, CONNECTION_OK == PQstatus(w.conn) ? "no answer from the database"
                                                 : "the connection was lost");
  }
  if (NULL != w.conn) {
    PQfinish(w.conn);
    db_metrics_connections_add(DB_METRICS_POSTGRESQL, -1);
  }
}
