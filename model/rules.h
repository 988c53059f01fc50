/**
 * @file model/rules.h
 * @brief The rule tables of the resources: a role, a skill, a salary
 *        report and its source, in the shape the read API serves them.
 *        The write routes check bodies against them and the import checks
 *        its rows against the salary and source tables.
 *
 * Each table is indexed by its enum; a table's order is the order in which
 * a body's problems are reported.
 */
#ifndef TECHPAY_MODEL_RULES_H
#define TECHPAY_MODEL_RULES_H

#include "model/field_rule.h"

enum { ROLE_SLUG, ROLE_TITLE, ROLE_CATEGORY, ROLE_SUMMARY, ROLE__COUNT };

/** POST /roles: every member required. */
extern const struct field_rule role_create_rules[ROLE__COUNT];
/** PATCH /roles/{slug}: the slug fixed, the rest optional. */
extern const struct field_rule role_patch_rules[ROLE__COUNT];

enum {
  SAL_ID, SAL_ROLE, SAL_SUBJECT, SAL_AMOUNT, SAL_CURRENCY, SAL_KIND, SAL_STATISTIC,
  SAL_BOUND, SAL_SCOPE, SAL_YEAR, SAL_NOTE, SAL_SOURCE, SAL_LOCATION, SAL_REMOTE,
  SAL_EXPERIENCE, SAL_EDUCATION, SAL_INDUSTRY, SAL_COMPANY_STAGE, SAL__COUNT
};

/** A salary report as GET /salaries serves it; null only where it serves null. */
extern const struct field_rule salary_rules[SAL__COUNT];

enum { SRC_ID, SRC_SECTION, SRC_SLUG, SRC_TITLE, SRC__COUNT };

/** The source of a salary report: which one, and where in it. */
extern const struct field_rule source_rules[SRC__COUNT];

enum { SKILL_SLUG, SKILL_NAME, SKILL_DEMAND_RANK, SKILL__COUNT };

/** POST /skills. */
extern const struct field_rule skill_create_rules[SKILL__COUNT];
/** PATCH /skills/{slug}. */
extern const struct field_rule skill_patch_rules[SKILL__COUNT];

#endif
