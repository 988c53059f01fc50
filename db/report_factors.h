/**
 * @file db/report_factors.h
 * @brief The five pay factors of a salary report in SQL: the columns they
 *        are written to, how a row's are read back, and the conditions of
 *        GET /salaries' filters on them. Every write path (one report, an
 *        import's batches) binds them here, so the mapping of a report to
 *        its columns is in one place.
 */
#ifndef TECHPAY_DB_REPORT_FACTORS_H
#define TECHPAY_DB_REPORT_FACTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/stmt.h"
#include "model/salary_report.h"

/* The columns of salaries that db_factors_bind() fills, in its order. */
#define DB_FACTOR_COLUMNS \
  "location, remote, experience_years, education, industry_id, company_stage"
#define DB_FACTOR_PARAMS 6
/* The same columns read back, the industry as its slug: i is industries,
 * joined by DB_FACTOR_JOIN. */
#define DB_FACTOR_SELECT \
  "sa.location, sa.remote, sa.experience_years, sa.education, i.slug, sa.company_stage"
#define DB_FACTOR_JOIN " LEFT JOIN industries i ON i.id = sa.industry_id"

/**
 * Binds @a f to parameters @a first .. @a first + 5 (NULL where a factor
 * is not stated); @a industry_id is the id of f->industry (0: none).
 * @return 0, or -1 when a bind failed
 */
int db_factors_bind(struct db_stmt *stmt, int first, const struct report_factors *f,
                    int64_t industry_id);

/** Reads the DB_FACTOR_SELECT columns from @a first on (strings borrowed). */
void db_factors_read(struct db_stmt *stmt, int first, struct report_factors *f);

/* GET /salaries' filters on the factors; an absent one matches every row. */
struct factor_filter {
  const char *location;  /* a country (its subdivisions match too) or a subdivision */
  bool has_remote;
  bool remote;
  bool has_experience;
  int64_t experience_min; /* inclusive */
  int64_t experience_max; /* inclusive */
  const char *education;
  bool has_industry;
  int64_t industry_id;
  const char *company_stage;
};

/* The parameters the conditions use: ?11 .. ?18. */
#define DB_FACTOR_FILTER_FIRST 11

/** Whether @a f filters on anything. */
bool db_factor_filter_any(const struct factor_filter *f);

/**
 * Appends the conditions of @a f, each after " AND " (or first when @a out
 * is empty), to the conjunction in @a out.
 */
void db_factor_filter_sql(const struct factor_filter *f, char *out, size_t size);

/** Binds the parameters of the conditions of @a f that @a stmt has. */
void db_factor_filter_bind(struct db_stmt *stmt, const struct factor_filter *f);

#endif
