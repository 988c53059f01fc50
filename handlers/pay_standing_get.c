/**
 * @file handlers/pay_standing_get.c
 * @brief GET /pay/standing: where an amount falls among the matching
 *        individual reports, as a percentile rank (the share below it plus
 *        half the share equal to it, x100, to one decimal). Suppressed
 *        below min_reports like GET /pay: then no percentile is given.
 */
#include "handlers/handlers.h"

#include <stdlib.h>

#include "handlers/pay_set.h"
#include "handlers/pay_stats.h"
#include "handlers/problems.h"
#include "http/params.h"

/* The schema keeps amounts below this (salaries.amount_usd CHECK). */
#define MAX_AMOUNT 99999999

static json_t *
standing_json(const struct pay_set *set, int64_t amount)
{
  int64_t n = (int64_t) set->n;
  char buf[160];
  const char *reason = pay_suppressed_reason(n, set->min_reports, buf, sizeof buf);
  json_t *percentile = json_null();

  if (NULL == reason) {
    int64_t *amounts = malloc((size_t) n * sizeof *amounts);

    if (NULL == amounts)
      return NULL;
    for (int64_t i = 0; i < n; i++)
      amounts[i] = pay_set_entry(set, i)->amount;
    pay_sort_amounts(amounts, (size_t) n);
    /* tenths as a decimal: JSON writes 62.5, not a binary approximation */
    percentile = json_real((double) pay_standing_tenths(amounts, n, amount) / 10.0);
    free(amounts);
  }
  return json_pack("{s:I, s:I, s:b, s:o, s:o}", "amount", (json_int_t) amount,
                   "n", (json_int_t) n, "suppressed", NULL != reason,
                   "reason", reason ? json_string(reason) : json_null(),
                   "percentile", percentile);
}

int
h_pay_standing_get(const struct request *req, struct reply *rep)
{
  struct pay_set set;
  int64_t amount;
  int64_t min_reports;
  json_t *data;

  if (0 != params_uint(req, "amount", -1, 1, MAX_AMOUNT, &amount, rep))
    return 0;
  if (amount < 0)
    return reply_problem(rep, PROBLEM_INVALID_PARAMETER, "amount",
                         "'amount' is required: a yearly base pay in whole USD, 1-%d",
                         MAX_AMOUNT);
  if (0 != pay_set_load(req, false, &set, rep))
    return 0;
  data = standing_json(&set, amount);
  min_reports = set.min_reports;
  pay_set_free(&set);
  if (NULL == data)
    return -1;
  return reply_json(rep, 200, json_pack("{s:o, s:{s:s, s:I}}", "data", data, "meta", "method",
                                        "percentile rank: 100 x (reports below the amount + half"
                                        " the reports equal to it) / n, to one decimal, rounded"
                                        " half up; individual exact base reports",
                                        "min_reports", (json_int_t) min_reports));
}
