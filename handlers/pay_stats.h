/**
 * @file handlers/pay_stats.h
 * @brief The figures of a pay distribution, by the rule the role pay uses
 *        (migrations/0006_role_pay_linear.sql): p50 is the median, the
 *        mean of the two middle reports of an even count rounded half up;
 *        p10, p25, p75 and p90 are nearest-rank, the report at rank
 *        ceil(p x n / 100); the mean is rounded half up. Whole USD,
 *        integer arithmetic only, so both engines give the same bytes.
 *        Not an endpoint.
 */
#ifndef TECHPAY_HANDLERS_PAY_STATS_H
#define TECHPAY_HANDLERS_PAY_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

/* The method, as meta states it. */
#define PAY_METHOD \
  "individual exact base reports, whole USD; p50 is the median (the mean of the two middle" \
  " reports for an even count, rounded half up); p10, p25, p75 and p90 are nearest-rank (the" \
  " report at rank ceil(p x n / 100)); mean rounded half up; below min_reports reports a" \
  " distribution is suppressed"

struct pay_dist {
  int64_t n;
  bool suppressed; /* fewer than min_reports (or no) reports: no figure is shown */
  int64_t p10, p25, p50, p75, p90, min, max, mean;
};

/** The distribution of @a n amounts sorted ascending. */
void pay_dist_compute(const int64_t *sorted, int64_t n, int64_t min_reports,
                      struct pay_dist *d);

/**
 * {"n", "suppressed", "reason", "p10", ..., "mean"}: every key always
 * present (null figures when suppressed, so CSV columns never move),
 * after @a group_key / @a group when @a group_key is not NULL.
 * @return new reference, or NULL when out of memory
 */
json_t *pay_dist_json(const struct pay_dist *d, int64_t min_reports, const char *group_key,
                      json_t *group);

/** Why a distribution of @a n reports is suppressed, or NULL when it is not. */
const char *pay_suppressed_reason(int64_t n, int64_t min_reports, char *buf, size_t size);

/** Sorts @a n amounts ascending. */
void pay_sort_amounts(int64_t *amounts, size_t n);

/**
 * The percentile rank of @a amount among @a n sorted amounts: the share
 * below it plus half the share equal to it, x100, to one decimal, rounded
 * half up. @return tenths of a percent
 */
int64_t pay_standing_tenths(const int64_t *sorted, int64_t n, int64_t amount);

#endif
