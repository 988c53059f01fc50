/**
 * @file http/metrics.h
 * @brief Process-wide counters, gauges and histograms, exposed at
 *        GET /metrics in the Prometheus text format.
 *
 * The hot path is a handful of relaxed atomic additions into fixed arrays
 * indexed by route (the order of the application's table), method and status: no lock, no
 * allocation, no string handling. Routes are labelled by their pattern
 * ("/roles/{slug}"), never by the path asked for, so the number of series
 * is bounded by the route table.
 */
#ifndef TECHPAY_HTTP_METRICS_H
#define TECHPAY_HTTP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/router.h"

/* The Prometheus text format, as GET /metrics negotiates it and as it is sent. */
#define METRICS_MEDIA_TYPE "text/plain; version=0.0.4"
#define METRICS_CONTENT_TYPE METRICS_MEDIA_TYPE "; charset=utf-8"
/* The route label of requests that matched no route (404, 414). */
#define METRICS_UNMATCHED "unmatched"
/* Room for this many routes; metrics_init() refuses a longer table. */
#define METRICS_MAX_ROUTES 48

/**
 * Counts @a routes (the application's table, borrowed for good) and notes
 * the start time; the first call does the work, later calls only repeat
 * its verdict. @a build_labels (borrowed for good, or NULL) are the label
 * pairs of the build_info series, e.g. version="1.0",commit="abc".
 * @return 0, or -1 with one line in @a err when the table is too long
 */
int metrics_init(const struct route *routes, const char *build_labels, char *err,
                 size_t err_size);

/** The index of @a route for the calls below; -1 for no route (NULL). */
int metrics_route_index(const struct route *route);

/**
 * One finished request.
 * @param route metrics_route_index() of its route, -1 for none
 * @param status 0 when no answer was sent
 * @param duration_ns from the request line to the end of the answer
 */
void metrics_request_done(int route, const char *method, unsigned status, uint64_t duration_ns);

/** Time a handler took (its database work, before encoding). */
void metrics_handler_done(int route, uint64_t duration_ns);

/* How a cacheable request was answered. */
enum metrics_cache_outcome {
  METRICS_CACHE_HIT,    /* from the response cache */
  METRICS_CACHE_MISS,   /* by its handler, its answer then cached */
  METRICS_CACHE_BYPASS, /* by its handler without the cache: the data version was not known */
};

/** Counts one lookup of a cacheable request. */
void metrics_cache_lookup(enum metrics_cache_outcome outcome);

/** Requests being handled: +1 when the headers arrived, -1 when completed. */
void metrics_in_flight_add(int delta);

/** Open client connections: +1 when accepted, -1 when closed. */
void metrics_connections_add(int delta);

/**
 * The exposition text.
 * @param[out] len its length
 * @return malloc'd text (caller frees), or NULL when out of memory
 */
char *metrics_render(size_t *len);

/** CLOCK_MONOTONIC in nanoseconds: the clock every duration is taken on. */
uint64_t metrics_now_ns(void);

#endif
