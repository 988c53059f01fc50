/**
 * @file handlers/pay_filters.h
 * @brief The query parameters that choose individual reports by role and
 *        by the five pay factors (role or category, location, remote,
 *        experience, education, industry, company_stage, year), read and
 *        checked once for every route that takes them. Not an endpoint.
 */
#ifndef TECHPAY_HANDLERS_PAY_FILTERS_H
#define TECHPAY_HANDLERS_PAY_FILTERS_H

#include "db/pay_query.h"
#include "http/reply.h"
#include "http/request.h"

/* The names of the filter parameters, for a route's QUERY() list. */
#define PAY_FILTER_PARAMS \
  "role", "category", "location", "remote", "experience", "education", "industry", \
  "company_stage", "year"

/* The filters as asked; slugs still to be looked up in the store. */
struct pay_params {
  const char *roles[PAY_ROLES_MAX]; /* borrowed from the request */
  unsigned nroles;
  const char *industry;             /* slug, or NULL */
  struct pay_filter filter;         /* everything else, checked */
};

/**
 * Reads the factor parameters alone (location, remote, experience,
 * education, industry, company_stage: handlers/factor_params.h, as GET
 * /salaries reads them; and year) into @a f, the industry as its
 * slug into *industry (NULL when absent): what any list of reports, not
 * only the distributions, can be filtered by.
 * @return 0, or -1 with @a rep holding the 400 that names the parameter
 */
int pay_filters_read_factors(const struct request *req, struct pay_filter *f,
                             const char **industry, struct reply *rep);

/**
 * Reads every filter parameter of @a req into @a p: the roles (or the
 * category) and the factors.
 * @return 0, or -1 with @a rep holding the 400 that names the parameter
 */
int pay_filters_read(const struct request *req, struct pay_params *p, struct reply *rep);

/**
 * Resolves the role and industry slugs of @a p in @a db (inside the
 * caller's read snapshot) into p->filter.
 * @return DB_ONE; DB_NONE with @a rep holding the problem (an unknown role
 *         is 404, an unknown industry 400); or a failure status
 */
enum db_status pay_filters_resolve(struct db *db, struct pay_params *p, struct reply *rep);

#endif
