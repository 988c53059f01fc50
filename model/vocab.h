/**
 * @file model/vocab.h
 * @brief What a salary report may say and how large its values may be:
 *        the vocabularies and limits that the write routes and the import
 *        both check against, so that they can never disagree.
 */
#ifndef TECHPAY_MODEL_VOCAB_H
#define TECHPAY_MODEL_VOCAB_H

#include <stdint.h>

/** Salary amounts are whole USD from 1 to this (the schema keeps them below 10^8). */
#define MODEL_AMOUNT_MAX 99999999
/** The longest slug, in characters (the schema's CHECK). */
#define MODEL_SLUG_MAX 80
/** Source ids are SQLite rowids we assign; nothing beyond 2^31 is ever addressed. */
#define MODEL_SOURCE_ID_MAX ((int64_t) 1 << 31)
/** The years a figure may be about. */
#define MODEL_YEAR_MIN 1900
#define MODEL_YEAR_MAX 2100
/** Names, titles, scopes, subjects and sections, in characters. */
#define MODEL_SHORT_TEXT_MAX 200
/** A role's category, in characters. */
#define MODEL_CATEGORY_MAX 80
/** A skill's name, in characters. */
#define MODEL_SKILL_NAME_MAX 100
/** A salary's note, in characters. */
#define MODEL_NOTE_MAX 1000
/** A role's summary, in characters. */
#define MODEL_SUMMARY_MAX 2000
/** A skill's demand rank: 1 is the most wanted. */
#define MODEL_DEMAND_RANK_MAX 1000

/** The salary kinds, NULL-ended: "base", "total". */
extern const char *const salary_kinds[];
/**
 * The salary statistics, NULL-ended: "average", "median", "minimum",
 * "maximum", "individual" (one person's reported salary), "p25", "p75"
 * (the 25th and 75th percentiles).
 */
extern const char *const salary_statistics[];
/** The bounds of a stated figure, NULL-ended; the first, "exact", is the default. */
extern const char *const salary_bounds[];
/** A report's years of experience: whole years from 0 to this. */
#define MODEL_EXPERIENCE_MAX 60
/** A report's education, NULL-ended: "high_school", "associate", "bachelor", "master", "phd". */
extern const char *const report_educations[];
/** The stage of a report's company, NULL-ended: "startup", "growth", "established". */
extern const char *const report_company_stages[];
/** The currencies a figure may be stated in, NULL-ended: "USD" only. */
extern const char *const salary_currencies[];

#endif
