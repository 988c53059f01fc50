/**
 * @file db/db_metrics.c
 * @brief The store's series of GET /metrics (see db/db_metrics.h).
 */
#include "db/db_metrics.h"

#include <stdatomic.h>
#include <time.h>

static const char *const engine_names[DB_METRICS_ENGINES] = { "sqlite", "postgresql" };

/* A round trip on a unix socket is some 20 µs, over a network a few ms:
 * the buckets start finer than those of the HTTP durations. */
static const uint64_t bucket_ns[] = {
  50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000, 25000000,
  50000000, 100000000, 250000000, 500000000, 1000000000, 2500000000, 5000000000,
};
static const char *const bucket_labels[] = {
  "0.00005", "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025",
  "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5",
};
#define NBUCKETS (sizeof bucket_ns / sizeof bucket_ns[0])

struct engine_counters {
  atomic_uint_fast64_t buckets[NBUCKETS + 1]; /* not cumulative; the last is +Inf */
  atomic_uint_fast64_t sum_ns;
  atomic_int_fast64_t connections;
  atomic_uint_fast64_t reconnects;
};

static struct engine_counters engines[DB_METRICS_ENGINES];
static atomic_bool signal_seen; /* a change signal exists in this process */
static atomic_bool signal_listening;
static atomic_uint_fast64_t signal_confirmed_ns;
static atomic_uint_fast64_t signal_reconnects;

uint64_t
db_now_coarse_ns(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

uint64_t
db_now_ns(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

void
db_metrics_round_trip(enum db_metrics_engine engine, uint64_t ns)
{
  struct engine_counters *e = &engines[engine];
  unsigned b = 0;

  while (b < NBUCKETS && ns > bucket_ns[b])
    b++;
  atomic_fetch_add_explicit(&e->buckets[b], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&e->sum_ns, ns, memory_order_relaxed);
}

void
db_metrics_connections_add(enum db_metrics_engine engine, int delta)
{
  atomic_fetch_add_explicit(&engines[engine].connections, delta, memory_order_relaxed);
}

void
db_metrics_reconnect(enum db_metrics_engine engine)
{
  atomic_fetch_add_explicit(&engines[engine].reconnects, 1, memory_order_relaxed);
}

void
db_metrics_signal(bool listening, uint64_t confirmed_ns, bool reconnected)
{
  atomic_store_explicit(&signal_seen, true, memory_order_relaxed);
  atomic_store_explicit(&signal_listening, listening, memory_order_relaxed);
  if (0 != confirmed_ns)
    atomic_store_explicit(&signal_confirmed_ns, confirmed_ns, memory_order_relaxed);
  if (reconnected)
    atomic_fetch_add_explicit(&signal_reconnects, 1, memory_order_relaxed);
}

static uint64_t
load(atomic_uint_fast64_t *v)
{
  return atomic_load_explicit(v, memory_order_relaxed);
}

static void
render_round_trips(FILE *out)
{
  fputs("# HELP techpay_db_round_trip_seconds Time from sending a statement to a database"
        " server to its whole answer, by engine (SQLite runs in the process: no round trip).\n"
        "# TYPE techpay_db_round_trip_seconds histogram\n", out);
  for (unsigned e = 0; e < DB_METRICS_ENGINES; e++) {
    uint64_t cumulative = 0;
    uint64_t sum_ns = load(&engines[e].sum_ns);

    if (DB_METRICS_SQLITE == e)
      continue;
    for (unsigned b = 0; b <= NBUCKETS; b++) {
      cumulative += load(&engines[e].buckets[b]);
      fprintf(out, "techpay_db_round_trip_seconds_bucket{engine=\"%s\",le=\"%s\"} %llu\n",
              engine_names[e], b < NBUCKETS ? bucket_labels[b] : "+Inf",
              (unsigned long long) cumulative);
    }
    fprintf(out, "techpay_db_round_trip_seconds_sum{engine=\"%s\"} %llu.%09llu\n",
            engine_names[e], (unsigned long long) (sum_ns / 1000000000u),
            (unsigned long long) (sum_ns % 1000000000u));
    fprintf(out, "techpay_db_round_trip_seconds_count{engine=\"%s\"} %llu\n", engine_names[e],
            (unsigned long long) cumulative);
  }
}

static void
render_connections(FILE *out)
{
  fputs("# HELP techpay_db_connections_open Database connections open, by engine.\n"
        "# TYPE techpay_db_connections_open gauge\n", out);
  for (unsigned e = 0; e < DB_METRICS_ENGINES; e++)
    fprintf(out, "techpay_db_connections_open{engine=\"%s\"} %lld\n", engine_names[e],
            (long long) atomic_load_explicit(&engines[e].connections, memory_order_relaxed));
  fputs("# HELP techpay_db_reconnects_total Lost request connections opened again, by"
        " engine.\n# TYPE techpay_db_reconnects_total counter\n", out);
  for (unsigned e = 0; e < DB_METRICS_ENGINES; e++)
    fprintf(out, "techpay_db_reconnects_total{engine=\"%s\"} %llu\n", engine_names[e],
            (unsigned long long) load(&engines[e].reconnects));
}

/* Only where a change signal runs (PostgreSQL): SQLite's data version is
 * read from the file and has no connection to lose. */
static void
render_signal(FILE *out)
{
  uint64_t confirmed = load(&signal_confirmed_ns);
  uint64_t now = db_now_coarse_ns();
  uint64_t age = 0 == confirmed || now < confirmed ? 0 : now - confirmed;

  if (!atomic_load_explicit(&signal_seen, memory_order_relaxed))
    return;
  fprintf(out,
          "# HELP techpay_db_change_signal_listening Whether the change signal's connection"
          " listens for notifications (1) or is being opened again (0).\n"
          "# TYPE techpay_db_change_signal_listening gauge\n"
          "techpay_db_change_signal_listening %d\n"
          "# HELP techpay_db_change_signal_age_seconds Time since the data version was last"
          " confirmed (a notification or a check); cached answers are served only while it"
          " is below the bound.\n"
          "# TYPE techpay_db_change_signal_age_seconds gauge\n"
          "techpay_db_change_signal_age_seconds %llu.%06llu\n"
          "# HELP techpay_db_change_signal_reconnects_total Times the change signal's"
          " connection was opened again.\n"
          "# TYPE techpay_db_change_signal_reconnects_total counter\n"
          "techpay_db_change_signal_reconnects_total %llu\n",
          atomic_load_explicit(&signal_listening, memory_order_relaxed) ? 1 : 0,
          (unsigned long long) (age / 1000000000u),
          (unsigned long long) (age % 1000000000u / 1000u),
          (unsigned long long) load(&signal_reconnects));
}

void
db_metrics_render(FILE *out)
{
  render_round_trips(out);
  render_connections(out);
  render_signal(out);
}
