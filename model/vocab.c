/**
 * @file model/vocab.c
 * @brief The vocabularies of a salary report (see model/vocab.h).
 */
#include "model/vocab.h"

#include <stddef.h>

const char *const salary_kinds[] = { "base", "total", NULL };
const char *const salary_statistics[] = {
  "average", "median", "minimum", "maximum", "individual", "p25", "p75", NULL,
};
const char *const salary_bounds[] = { "exact", "at_least", "below", NULL };
const char *const salary_currencies[] = { "USD", NULL };
const char *const report_educations[] = {
  "high_school", "associate", "bachelor", "master", "phd", NULL,
};
const char *const report_company_stages[] = { "startup", "growth", "established", NULL };
