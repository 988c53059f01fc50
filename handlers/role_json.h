/**
 * @file handlers/role_json.h
 * @brief The JSON shape of a role and of its evidence, shared by the
 *        handlers that return roles.
 */
#ifndef TECHPAY_HANDLERS_ROLE_JSON_H
#define TECHPAY_HANDLERS_ROLE_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "db/catalog.h"
#include "db/roles.h"
#include "db/skills.h"

/** @return new reference: slug, title, category, summary, pay (null when unknown); NULL when out of memory */
json_t *role_json_summary(const struct role_row *row);

/**
 * Adds "pay_basis" ("published_average", "reported_median" or null) and
 * "pay_reports" ({n, p25, p50, p75} when the individual reports make the
 * pay, else null) to @a role. @return 0, or -1 when out of memory
 */
int role_json_add_pay_basis(json_t *role, const struct role_row *row);

/**
 * A skill a role needs, as GET /roles/{slug} lists it and PUT
 * /roles/{slug}/skills/{skill} answers it: slug, name, demand_rank (null
 * when unranked), source.
 * @return new reference; NULL when out of memory
 */
json_t *role_skill_json(const struct role_skill_row *row);

/**
 * The same without its source, as GET /compare and GET /transitions list
 * a role's skills: slug, name, demand_rank.
 * @return new reference; NULL when out of memory
 */
json_t *role_skill_brief_json(const struct role_skill_row *row);

/** @return new reference: {id, slug, title, section}; NULL when out of memory */
json_t *source_json(const struct source_ref *src);

/** @return new reference: a string of @a s, or JSON null when @a s is NULL; NULL when out of memory */
json_t *json_string_or_null(const char *s);

/**
 * A stored REAL as a JSON number: an integer when it is whole (90, not
 * 90.0), a real otherwise.
 * @return new reference; NULL when out of memory or not finite
 */
json_t *number_json(double value);

/**
 * A salary observation: id, amount, currency, kind, statistic, bound,
 * scope, year, note, source. The amount never travels without its bound:
 * "at_least" and "below" figures are limits, not values.
 * @return new reference; NULL when out of memory
 */
json_t *salary_json(const struct salary_row *row);

/*
 * Detail answers (a role, a source) embed at most this many salary
 * figures: after a bulk import one role or source can have hundreds of
 * thousands, and one answer of tens of megabytes would make the server's
 * memory follow the data. The query asks for one row more, only to learn
 * whether there are more.
 */
#define EMBEDDED_SALARIES_MAX 100

/** @return true when @a salaries holds EMBEDDED_SALARIES_MAX figures and takes no more */
bool embedded_salaries_full(const json_t *salaries);

/**
 * "salaries_more" of a detail answer: the GET /salaries query that lists
 * every figure (@a query_fmt, printf-style) when the query of up to
 * EMBEDDED_SALARIES_MAX + 1 rows returned @a rows > EMBEDDED_SALARIES_MAX,
 * else JSON null.
 * @return new reference; NULL when out of memory
 */
json_t *salaries_more_json(int64_t rows, const char *query_fmt, ...)
  __attribute__((format(printf, 2, 3)));

/**
 * A skill without its shares: slug, name, demand_rank, shares (empty),
 * role_count, avg_pay, pay_premium, source (null when none).
 * @return new reference; NULL when out of memory
 */
json_t *skill_json(const struct skill_row *row);

/**
 * Appends {metric, percent, qualifier, scope, source} to the "shares" of
 * @a skill (borrowed, made by skill_json()).
 * @return 0, or -1 when out of memory
 */
int skill_json_add_share(json_t *skill, const struct skill_share_row *share);

/**
 * A salary observation as in GET /salaries: salary_json() plus "role" (its
 * slug, or null) and "subject" (the group a role-less figure is about).
 * @return new reference; NULL when out of memory
 */
json_t *observation_json(const struct observation_row *row);

/**
 * A source document: id, slug, title, kind, year (null when unstated),
 * origin, summary, counts {roles, salaries, skills, data_notes}.
 * @return new reference; NULL when out of memory
 */
json_t *source_doc_json(const struct source_doc_row *row);

#endif
