/**
 * @file handlers/validate.h
 * @brief Checks the JSON bodies of the write routes and reports every
 *        problem at once, field by field, for a 422 answer. Pure: no
 *        database, no HTTP; the handlers do the lookups (does the role or
 *        source exist, is the slug taken) after a body passes.
 *
 * Common rules:
 * - The body must be an object. Members the route does not know are errors
 *   ("unknown field"), one per member; server-owned members of the shapes
 *   the read API serves are accepted and ignored, so that an exported
 *   object can be sent back unchanged.
 * - Strings must be valid UTF-8 without NUL or control characters (newline
 *   and tab are allowed in the long free texts: a role's summary, a
 *   salary's note), must not start or end with whitespace, and are
 *   measured in characters (code points), not bytes.
 * - null is accepted only where the read API serves null.
 * - A nested member is named with a dot ("source.id"); a problem with the
 *   body as a whole has the field name "".
 */
#ifndef TECHPAY_HANDLERS_VALIDATE_H
#define TECHPAY_HANDLERS_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "model/body_check.h"
#include "model/salary_report.h"
#include "model/vocab.h"

/* The write routes' names for the limits of model/vocab.h. */
#define VALIDATE_SLUG_MAX MODEL_SLUG_MAX
#define VALIDATE_SOURCE_ID_MAX MODEL_SOURCE_ID_MAX
#define VALIDATE_AMOUNT_MAX MODEL_AMOUNT_MAX

/*
 * The validated members. Strings are borrowed from the body (valid while
 * it lives), except kind, statistic and bound, which point into the static
 * tables of model/vocab.h. A has_ flag says the member was given; the
 * output is meaningful only when the validator returned 0.
 */

struct role_input {
  const char *slug;
  const char *title;
  const char *category;
  const char *summary;
  bool has_slug;
  bool has_title;
  bool has_category;
  bool has_summary;
};

/* POST /salaries fills the row the import fills too (line 0). */
#define salary_input salary_report

struct skill_input {
  const char *slug;
  const char *name;
  bool has_slug;
  bool has_name;
  bool has_demand_rank; /* the member was given, as a number or as null */
  int64_t demand_rank;  /* 1..1000, or 0 for null (no rank) */
};

/**
 * A slug: 1 to VALIDATE_SLUG_MAX characters, lowercase ASCII letters and
 * digits in words joined by single hyphens (^[a-z0-9]+(-[a-z0-9]+)*$).
 * @param s a NUL-terminated string, or NULL
 * @return 0 when @a s is a slug, -1 otherwise (NULL included)
 */
int validate_slug(const char *s);

/**
 * POST /roles: slug, title (1..200), category (1..80) and summary
 * (1..2000), all required.
 * @param body the parsed request body (borrowed), or NULL
 * @param[out] out the members, borrowed from @a body
 * @param[out] v every problem found (reset first)
 * @return 0 when the body is valid, -1 when @a v holds problems
 */
int validate_role_create(const json_t *body, struct role_input *out, struct field_errors *v);

/**
 * PATCH /roles/{slug}: title, category, summary, each optional, at least
 * one; the slug is the identifier and cannot be changed.
 * @return 0 when valid, -1 when @a v holds problems
 */
int validate_role_patch(const json_t *body, struct role_input *out, struct field_errors *v);

/**
 * POST /salaries: one observation in the shape GET /salaries serves.
 * - role: a slug or null; subject (1..200 or null) is required when role is null;
 * - amount: a whole number from 1 to VALIDATE_AMOUNT_MAX (no fractions, strings);
 * - currency: optional, "USD";
 * - kind, statistic: required, from salary_kinds and salary_statistics;
 * - bound: optional, from salary_bounds;
 * - scope (1..200), year (1900..2100), note (1..1000): optional or null;
 * - source: optional {id: whole number >= 1, section: 1..200}.
 * Server-owned members are ignored: id, source.slug, source.title.
 * @return 0 when valid, -1 when @a v holds problems
 */
int validate_salary_create(const json_t *body, struct salary_input *out, struct field_errors *v);

/**
 * POST /skills: slug and name (1..100) required; demand_rank optional, a
 * whole number from 1 to 1000 or null.
 * @return 0 when valid, -1 when @a v holds problems
 */
int validate_skill_create(const json_t *body, struct skill_input *out, struct field_errors *v);

/**
 * PATCH /skills/{slug}: name and demand_rank (null removes the rank), each
 * optional, at least one; the slug cannot be changed.
 * @return 0 when valid, -1 when @a v holds problems
 */
int validate_skill_patch(const json_t *body, struct skill_input *out, struct field_errors *v);

/**
 * Problems for a 422 answer, of a body or of an import:
 * [{"field":"amount","reason":"..."}, ...] in the order given, each with
 * its "line" first when @a with_line.
 * @return new reference; NULL when out of memory
 */
json_t *field_errors_json(const struct field_error *items, size_t n, bool with_line);

/**
 * The kept problems as [{"field":"amount","reason":"..."}, ...], in the
 * order found.
 * @return new reference; NULL when out of memory
 */
json_t *validation_errors_json(const struct field_errors *v);

#endif
