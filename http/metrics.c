/**
 * @file http/metrics.c
 * @brief The counters behind GET /metrics and their exposition.
 */
#include "http/metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static const char *const method_names[] = {
  "GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "other",
};
#define NMETHODS (sizeof method_names / sizeof method_names[0])

/* Every status techpay or a client is likely to meet, each its own label
 * value; the rest share "other". 0 means no answer was sent (the client
 * went away first). */
static const unsigned status_codes[] = {
  0, 200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308,
  400, 401, 403, 404, 405, 406, 408, 409, 410, 412, 413, 414, 415, 416, 422, 429, 431,
  500, 501, 502, 503, 504, 507,
};
#define NCODES (sizeof status_codes / sizeof status_codes[0])
#define STATUS_OTHER NCODES /* the slot after the known codes */
#define NSTATUS (NCODES + 1)
#define STATUS_TABLE 600

/* Upper bounds of the duration buckets, in nanoseconds and as labels. */
static const uint64_t bucket_ns[] = {
  500000, 1000000, 2500000, 5000000, 10000000, 25000000, 50000000,
  100000000, 250000000, 500000000, 1000000000, 2500000000, 5000000000,
};
static const char *const bucket_labels[] = {
  "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
  "0.1", "0.25", "0.5", "1", "2.5", "5",
};
#define NBUCKETS (sizeof bucket_ns / sizeof bucket_ns[0])

/* Slot METRICS_MAX_ROUTES holds the requests that matched no route. */
#define ROUTE_SLOTS (METRICS_MAX_ROUTES + 1)

struct histogram {
  atomic_uint_fast64_t buckets[NBUCKETS + 1]; /* not cumulative; the last is +Inf */
  atomic_uint_fast64_t sum_ns;
};

static atomic_uint_fast64_t requests[ROUTE_SLOTS][NMETHODS][NSTATUS];
static struct histogram request_durations[ROUTE_SLOTS];
static struct histogram handler_durations[ROUTE_SLOTS];
static atomic_uint_fast64_t cache_hits;
static atomic_uint_fast64_t cache_misses;
static atomic_uint_fast64_t cache_bypasses;
static atomic_int_fast64_t in_flight;
static atomic_int_fast64_t connections;

static unsigned char status_slot[STATUS_TABLE]; /* code -> index into status_codes */
static const struct route *route_table; /* the application's, from the first metrics_init() */
static const char *build_info;          /* label pairs, or NULL: no build_info series */
static unsigned nroutes;
static struct timespec started;
static int init_result;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
init(void)
{
  clock_gettime(CLOCK_REALTIME, &started);
  for (unsigned i = 0; i < STATUS_TABLE; i++)
    status_slot[i] = STATUS_OTHER;
  for (unsigned i = 0; i < NCODES; i++)
    status_slot[status_codes[i]] = (unsigned char) i;
  while (NULL != route_table && NULL != route_table[nroutes].pattern)
    nroutes++;
  init_result = nroutes <= METRICS_MAX_ROUTES ? 0 : -1;
}

int
metrics_init(const struct route *routes, const char *build_labels, char *err, size_t err_size)
{
  if (NULL == route_table) {
    route_table = routes;
    build_info = build_labels;
  }
  pthread_once(&init_once, &init);
  if (0 != init_result)
    snprintf(err, err_size, "%u routes, but metrics have room for %d: raise METRICS_MAX_ROUTES",
             nroutes, METRICS_MAX_ROUTES);
  return init_result;
}

int
metrics_route_index(const struct route *route)
{
  return NULL == route ? -1 : (int) (route - route_table);
}

uint64_t
metrics_now_ns(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static unsigned
route_slot(int route)
{
  return route >= 0 && route < METRICS_MAX_ROUTES ? (unsigned) route : METRICS_MAX_ROUTES;
}

/* The method's slot: a switch on the first letter keeps this to one or
 * two string compares. */
static unsigned
method_slot(const char *m)
{
  switch (m[0]) {
  case 'G':
    return 0 == strcmp(m, "GET") ? 0 : NMETHODS - 1;
  case 'H':
    return 0 == strcmp(m, "HEAD") ? 1 : NMETHODS - 1;
  case 'O':
    return 0 == strcmp(m, "OPTIONS") ? 2 : NMETHODS - 1;
  case 'P':
    if (0 == strcmp(m, "POST"))
      return 3;
    if (0 == strcmp(m, "PUT"))
      return 4;
    return 0 == strcmp(m, "PATCH") ? 6 : NMETHODS - 1;
  case 'D':
    return 0 == strcmp(m, "DELETE") ? 5 : NMETHODS - 1;
  default:
    return NMETHODS - 1;
  }
}

static void
observe(struct histogram *h, uint64_t ns)
{
  unsigned b = 0;

  while (b < NBUCKETS && ns > bucket_ns[b])
    b++;
  atomic_fetch_add_explicit(&h->buckets[b], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&h->sum_ns, ns, memory_order_relaxed);
}

void
metrics_request_done(int route, const char *method, unsigned status, uint64_t duration_ns)
{
  unsigned r = route_slot(route);
  unsigned s = status < STATUS_TABLE ? status_slot[status] : STATUS_OTHER;

  atomic_fetch_add_explicit(&requests[r][method_slot(method)][s], 1, memory_order_relaxed);
  observe(&request_durations[r], duration_ns);
}

void
metrics_handler_done(int route, uint64_t duration_ns)
{
  observe(&handler_durations[route_slot(route)], duration_ns);
}

void
metrics_cache_lookup(enum metrics_cache_outcome outcome)
{
  atomic_uint_fast64_t *counter = METRICS_CACHE_HIT == outcome    ? &cache_hits
                                  : METRICS_CACHE_MISS == outcome ? &cache_misses
                                                                  : &cache_bypasses;

  atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
}

void
metrics_in_flight_add(int delta)
{
  atomic_fetch_add_explicit(&in_flight, delta, memory_order_relaxed);
}

void
metrics_connections_add(int delta)
{
  atomic_fetch_add_explicit(&connections, delta, memory_order_relaxed);
}

/* ------------------------------------------------------------------ rendering */

static uint64_t
load(atomic_uint_fast64_t *v)
{
  return atomic_load_explicit(v, memory_order_relaxed);
}

/* A label value: backslash, double quote and newline escaped. */
static void
label(FILE *out, const char *value)
{
  for (; '\0' != *value; value++) {
    if ('\\' == *value || '"' == *value)
      fputc('\\', out);
    if ('\n' == *value)
      fputs("\\n", out);
    else
      fputc(*value, out);
  }
}

static const char *
route_name(unsigned slot)
{
  return slot < nroutes ? route_table[slot].pattern : METRICS_UNMATCHED;
}

/* Whether an earlier route has the same pattern (another method on the
 * same path): its series already include this one's. */
static bool
pattern_seen(unsigned slot)
{
  for (unsigned i = 0; i < slot && slot < nroutes; i++)
    if (0 == strcmp(route_table[i].pattern, route_table[slot].pattern))
      return true;
  return false;
}

static void
render_requests(FILE *out)
{
  fputs("# HELP techpay_http_requests_total HTTP requests answered, by route pattern, method and"
        " status (status 0: no whole answer was sent, the client left first or the connection broke).\n"
        "# TYPE techpay_http_requests_total counter\n", out);
  for (unsigned r = 0; r < ROUTE_SLOTS; r++) {
    if (r >= nroutes && r != METRICS_MAX_ROUTES)
      continue;
    for (unsigned m = 0; m < NMETHODS; m++) {
      for (unsigned s = 0; s < NSTATUS; s++) {
        uint64_t n = load(&requests[r][m][s]);

        if (0 == n)
          continue;
        fputs("techpay_http_requests_total{route=\"", out);
        label(out, route_name(r));
        fprintf(out, "\",method=\"%s\",status=\"", method_names[m]);
        if (STATUS_OTHER == s)
          fputs("other", out);
        else
          fprintf(out, "%u", status_codes[s]);
        fprintf(out, "\"} %llu\n", (unsigned long long) n);
      }
    }
  }
}

/* One histogram per route pattern that has observations; routes sharing
 * a pattern are added up. */
static void
render_histogram(FILE *out, const char *name, const char *help, struct histogram *hs)
{
  fprintf(out, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
  for (unsigned r = 0; r < ROUTE_SLOTS; r++) {
    uint64_t counts[NBUCKETS + 1] = { 0 };
    uint64_t sum_ns = 0;
    uint64_t cumulative = 0;

    if ((r >= nroutes && r != METRICS_MAX_ROUTES) || pattern_seen(r))
      continue;
    for (unsigned o = r; o < ROUTE_SLOTS; o++) {
      if (o != r && (o >= nroutes || 0 != strcmp(route_name(o), route_name(r))))
        continue;
      for (unsigned b = 0; b <= NBUCKETS; b++)
        counts[b] += load(&hs[o].buckets[b]);
      sum_ns += load(&hs[o].sum_ns);
    }
    for (unsigned b = 0; b <= NBUCKETS; b++)
      cumulative += counts[b];
    if (0 == cumulative)
      continue;
    cumulative = 0;
    for (unsigned b = 0; b <= NBUCKETS; b++) {
      cumulative += counts[b];
      fprintf(out, "%s_bucket{route=\"", name);
      label(out, route_name(r));
      fprintf(out, "\",le=\"%s\"} %llu\n", b < NBUCKETS ? bucket_labels[b] : "+Inf",
              (unsigned long long) cumulative);
    }
    fprintf(out, "%s_sum{route=\"", name);
    label(out, route_name(r));
    fprintf(out, "\"} %llu.%09llu\n", (unsigned long long) (sum_ns / 1000000000u),
            (unsigned long long) (sum_ns % 1000000000u));
    fprintf(out, "%s_count{route=\"", name);
    label(out, route_name(r));
    fprintf(out, "\"} %llu\n", (unsigned long long) cumulative);
  }
}

static void
render_scalars(FILE *out)
{
  fprintf(out,
          "# HELP techpay_http_requests_in_flight Requests whose headers arrived and whose"
          " answer is not finished.\n"
          "# TYPE techpay_http_requests_in_flight gauge\n"
          "techpay_http_requests_in_flight %lld\n"
          "# HELP techpay_http_connections_open Client connections open.\n"
          "# TYPE techpay_http_connections_open gauge\n"
          "techpay_http_connections_open %lld\n"
          "# HELP techpay_response_cache_hits_total Cacheable requests answered from the"
          " response cache.\n"
          "# TYPE techpay_response_cache_hits_total counter\n"
          "techpay_response_cache_hits_total %llu\n"
          "# HELP techpay_response_cache_misses_total Cacheable requests that ran their"
          " handler.\n"
          "# TYPE techpay_response_cache_misses_total counter\n"
          "techpay_response_cache_misses_total %llu\n"
          "# HELP techpay_response_cache_bypasses_total Cacheable requests that ran their"
          " handler without the cache, because the data version was not known (a change"
          " signal not confirmed within its bound, a database that does not answer).\n"
          "# TYPE techpay_response_cache_bypasses_total counter\n"
          "techpay_response_cache_bypasses_total %llu\n"
          "# HELP techpay_build_info The running build; the value is always 1.\n"
          "# TYPE techpay_build_info gauge\n"
          "techpay_build_info{%s} 1\n"
          "# HELP process_start_time_seconds Start time of the process since unix epoch in"
          " seconds.\n"
          "# TYPE process_start_time_seconds gauge\n"
          "process_start_time_seconds %lld.%03ld\n",
          (long long) atomic_load_explicit(&in_flight, memory_order_relaxed),
          (long long) atomic_load_explicit(&connections, memory_order_relaxed),
          (unsigned long long) load(&cache_hits), (unsigned long long) load(&cache_misses),
          (unsigned long long) load(&cache_bypasses),
          NULL != build_info ? build_info : "",
          (long long) started.tv_sec, started.tv_nsec / 1000000);
}

char *
metrics_render(size_t *len)
{
  char *text = NULL;
  FILE *out;

  pthread_once(&init_once, &init);
  out = open_memstream(&text, len);
  if (NULL == out)
    return NULL;
  render_requests(out);
  render_histogram(out, "techpay_http_request_duration_seconds",
                   "Time from the request line to the end of the answer, by route pattern.",
                   request_durations);
  render_histogram(out, "techpay_db_query_duration_seconds",
                   "Time handlers spend answering from the database (queries and reading"
                   " rows, before encoding), by route pattern; answers from the response"
                   " cache run no handler and are not counted.",
                   handler_durations);
  render_scalars(out);
  if (0 != ferror(out)) {
    fclose(out);
    free(text);
    return NULL;
  }
  if (0 != fclose(out)) {
    free(text);
    return NULL;
  }
  return text;
}
