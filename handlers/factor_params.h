/**
 * @file handlers/factor_params.h
 * @brief The query parameters that filter a list by the five pay factors
 *        (not an endpoint): location, remote, experience, education,
 *        industry, company_stage. Each bad value is a 400 naming it.
 */
#ifndef TECHPAY_HANDLERS_FACTOR_PARAMS_H
#define TECHPAY_HANDLERS_FACTOR_PARAMS_H

#include <stddef.h>

#include "db/db.h"
#include "db/report_factors.h"
#include "http/reply.h"
#include "http/request.h"

struct factor_params {
  struct factor_filter filter; /* has_industry is set by factor_params_resolve() */
  const char *industry;        /* the slug asked for, borrowed; NULL when absent */
};

/**
 * Reads the parameters: location "GB" or "US-WA" (a country matches its
 * subdivisions too), remote true|false, experience "3-5", "10-" or "4"
 * (whole years, inclusive), education, industry (a slug), company_stage.
 * @return 0, or -1 with the 400 in @a rep
 */
int factor_params_read(const struct request *req, struct factor_params *p, struct reply *rep);

/**
 * Looks the industry up, inside the caller's read transaction.
 * @return DB_ONE; DB_NONE when there is no such industry (then @a rep
 *         holds the 400); or an error
 */
enum db_status factor_params_resolve(struct db *db, struct factor_params *p, struct reply *rep);

/** The filters as one canonical text, for a cursor's fingerprint. */
void factor_params_text(const struct factor_params *p, char *out, size_t size);

#endif
