/**
 * @file model/rules.c
 * @brief The rule tables (see model/rules.h).
 */
#include "model/rules.h"

#include "model/vocab.h"

const struct field_rule role_create_rules[ROLE__COUNT] = {
  [ROLE_SLUG] = SLUG("slug", R_REQUIRED),
  [ROLE_TITLE] = TEXT("title", R_REQUIRED, 1, MODEL_SHORT_TEXT_MAX),
  [ROLE_CATEGORY] = TEXT("category", R_REQUIRED, 1, MODEL_CATEGORY_MAX),
  [ROLE_SUMMARY] = TEXT("summary", R_REQUIRED | R_MULTILINE, 1, MODEL_SUMMARY_MAX),
};

const struct field_rule role_patch_rules[ROLE__COUNT] = {
  [ROLE_SLUG] = FIXED("slug"),
  [ROLE_TITLE] = TEXT("title", 0, 1, MODEL_SHORT_TEXT_MAX),
  [ROLE_CATEGORY] = TEXT("category", 0, 1, MODEL_CATEGORY_MAX),
  [ROLE_SUMMARY] = TEXT("summary", R_MULTILINE, 1, MODEL_SUMMARY_MAX),
};

const struct field_rule salary_rules[SAL__COUNT] = {
  [SAL_ID] = IGNORED("id"),
  [SAL_ROLE] = SLUG("role", R_NULLABLE),
  [SAL_SUBJECT] = TEXT("subject", R_NULLABLE, 1, MODEL_SHORT_TEXT_MAX),
  [SAL_AMOUNT] = INTEGER("amount", R_REQUIRED, 1, MODEL_AMOUNT_MAX),
  [SAL_CURRENCY] = CHOICE("currency", 0, salary_currencies),
  [SAL_KIND] = CHOICE("kind", R_REQUIRED, salary_kinds),
  [SAL_STATISTIC] = CHOICE("statistic", R_REQUIRED, salary_statistics),
  [SAL_BOUND] = CHOICE("bound", 0, salary_bounds),
  [SAL_SCOPE] = TEXT("scope", R_NULLABLE, 1, MODEL_SHORT_TEXT_MAX),
  [SAL_YEAR] = INTEGER("year", R_NULLABLE, MODEL_YEAR_MIN, MODEL_YEAR_MAX),
  [SAL_NOTE] = TEXT("note", R_NULLABLE | R_MULTILINE, 1, MODEL_NOTE_MAX),
  [SAL_SOURCE] = OBJECT("source", 0),
  [SAL_LOCATION] = LOCATION("location", R_NULLABLE),
  [SAL_REMOTE] = BOOLEAN("remote", R_NULLABLE),
  [SAL_EXPERIENCE] = INTEGER("experience_years", R_NULLABLE, 0, MODEL_EXPERIENCE_MAX),
  [SAL_EDUCATION] = CHOICE("education", R_NULLABLE, report_educations),
  [SAL_INDUSTRY] = SLUG("industry", R_NULLABLE),
  [SAL_COMPANY_STAGE] = CHOICE("company_stage", R_NULLABLE, report_company_stages),
};

const struct field_rule source_rules[SRC__COUNT] = {
  [SRC_ID] = INTEGER("id", R_REQUIRED, 1, INT64_MAX),
  [SRC_SECTION] = TEXT("section", R_REQUIRED, 1, MODEL_SHORT_TEXT_MAX),
  [SRC_SLUG] = IGNORED("slug"),
  [SRC_TITLE] = IGNORED("title"),
};

const struct field_rule skill_create_rules[SKILL__COUNT] = {
  [SKILL_SLUG] = SLUG("slug", R_REQUIRED),
  [SKILL_NAME] = TEXT("name", R_REQUIRED, 1, MODEL_SKILL_NAME_MAX),
  [SKILL_DEMAND_RANK] = INTEGER("demand_rank", R_NULLABLE, 1, MODEL_DEMAND_RANK_MAX),
};

const struct field_rule skill_patch_rules[SKILL__COUNT] = {
  [SKILL_SLUG] = FIXED("slug"),
  [SKILL_NAME] = TEXT("name", 0, 1, MODEL_SKILL_NAME_MAX),
  [SKILL_DEMAND_RANK] = INTEGER("demand_rank", R_NULLABLE, 1, MODEL_DEMAND_RANK_MAX),
};
