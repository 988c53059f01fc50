/**
 * @file db/report_factors.c
 * @brief The pay factors in SQL (see db/report_factors.h).
 */
#include "db/report_factors.h"

#include <stdio.h>
#include <string.h>

#include "db/rows.h"
#include "model/country.h"

int
db_factors_bind(struct db_stmt *stmt, int first, const struct report_factors *f,
                int64_t industry_id)
{
  if (0 != db_rows_bind_opt_text(stmt, first, f->location)
      || 0 != db_rows_bind_opt_int(stmt, first + 1, f->has_remote, f->remote ? 1 : 0)
      || 0 != db_rows_bind_opt_int(stmt, first + 2, f->has_experience, f->experience_years)
      || 0 != db_rows_bind_opt_text(stmt, first + 3, f->education)
      || 0 != db_rows_bind_opt_int(stmt, first + 4, 0 != industry_id, industry_id)
      || 0 != db_rows_bind_opt_text(stmt, first + 5, f->company_stage))
    return -1;
  return 0;
}

void
db_factors_read(struct db_stmt *stmt, int first, struct report_factors *f)
{
  int64_t remote = 0;

  f->location = db_column_text_or_null(stmt, first);
  f->has_remote = db_rows_opt_int(stmt, first + 1, &remote);
  f->remote = 0 != remote;
  f->has_experience = db_rows_opt_int(stmt, first + 2, &f->experience_years);
  f->education = db_column_text_or_null(stmt, first + 3);
  f->industry = db_column_text_or_null(stmt, first + 4);
  f->company_stage = db_column_text_or_null(stmt, first + 5);
}

bool
db_factor_filter_any(const struct factor_filter *f)
{
  return NULL != f->location || f->has_remote || f->has_experience || NULL != f->education
         || f->has_industry || NULL != f->company_stage;
}

static void
conjoin(char *out, size_t size, bool when, const char *cond)
{
  size_t len = strlen(out);

  if (when)
    snprintf(out + len, size - len, "%s%s", 0 == len ? "" : " AND ", cond);
}

void
db_factor_filter_sql(const struct factor_filter *f, char *out, size_t size)
{
  bool country = NULL != f->location && 2 == strlen(f->location);

  /* a country matches its own rows and those of its subdivisions ("US-WA"
   * starts with ?12, "US-"); substr() is the same on both engines */
  conjoin(out, size, country, "(location = ?11 OR substr(location, 1, 3) = ?12)");
  conjoin(out, size, NULL != f->location && !country, "location = ?11");
  conjoin(out, size, f->has_remote, "remote = ?13");
  conjoin(out, size, f->has_experience, "experience_years >= ?14 AND experience_years <= ?15");
  conjoin(out, size, NULL != f->education, "education = ?16");
  conjoin(out, size, f->has_industry, "industry_id = ?17");
  conjoin(out, size, NULL != f->company_stage, "company_stage = ?18");
}

void
db_factor_filter_bind(struct db_stmt *stmt, const struct factor_filter *f)
{
  int have = db_stmt_param_count(stmt);
  char prefix[MODEL_LOCATION_MAX + 2];

  if (NULL != f->location && have >= 11)
    db_bind_text(stmt, 11, f->location);
  if (NULL != f->location && have >= 12) {
    snprintf(prefix, sizeof prefix, "%.2s-", f->location);
    db_bind_text(stmt, 12, prefix);
  }
  if (f->has_remote && have >= 13)
    db_bind_int64(stmt, 13, f->remote ? 1 : 0);
  if (f->has_experience && have >= 15) {
    db_bind_int64(stmt, 14, f->experience_min);
    db_bind_int64(stmt, 15, f->experience_max);
  }
  if (NULL != f->education && have >= 16)
    db_bind_text(stmt, 16, f->education);
  if (f->has_industry && have >= 17)
    db_bind_int64(stmt, 17, f->industry_id);
  if (NULL != f->company_stage && have >= 18)
    db_bind_text(stmt, 18, f->company_stage);
}
