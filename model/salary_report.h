/**
 * @file model/salary_report.h
 * @brief One salary report once checked: what POST /salaries and the
 *        import both hand to the store.
 */
#ifndef TECHPAY_MODEL_SALARY_REPORT_H
#define TECHPAY_MODEL_SALARY_REPORT_H

#include <stdbool.h>
#include <stdint.h>

/**
 * The five factors that move pay, each optional: what one person's report
 * may say about the job. Strings as in struct salary_report; education and
 * company_stage point into the tables of model/vocab.h.
 */
struct report_factors {
  const char *location;      /* "GB", "US-WA" (model/country.h); NULL when not stated */
  bool has_remote;
  bool remote;
  bool has_experience;
  int64_t experience_years;  /* 0..MODEL_EXPERIENCE_MAX when has_experience */
  const char *education;     /* an entry of report_educations, or NULL */
  const char *industry;      /* an industry slug, or NULL */
  const char *company_stage; /* an entry of report_company_stages, or NULL */
};

/**
 * Strings are borrowed from what was checked (a request body, an import
 * row: valid while it lives), except kind, statistic and bound, which
 * point into the static tables of model/vocab.h.
 */
struct salary_report {
  uint64_t line;         /* import: the line the row starts on (1-based); 0 for a body */
  const char *role;      /* a role slug; NULL when null or absent (then subject is set) */
  const char *subject;   /* the group a figure is about; NULL when null or absent */
  int64_t amount;        /* whole USD, 1..MODEL_AMOUNT_MAX */
  const char *kind;      /* an entry of salary_kinds */
  const char *statistic; /* an entry of salary_statistics */
  const char *bound;     /* an entry of salary_bounds; "exact" when absent */
  const char *scope;     /* NULL when null or absent */
  bool has_year;
  int64_t year;          /* MODEL_YEAR_MIN..MODEL_YEAR_MAX when has_year */
  const char *note;      /* NULL when null or absent */
  bool has_source;
  int64_t source_id;     /* >= 1 when has_source */
  const char *section;   /* the section of that source; set when has_source */
  struct report_factors factors;
};

#endif
