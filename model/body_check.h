/**
 * @file model/body_check.h
 * @brief A JSON object checked member by member against a rule table, for
 *        the write routes' bodies: every problem at once, in the table's
 *        order, then every member the table does not name as unknown. A
 *        rule reports at most one problem for its member, the first found.
 */
#ifndef TECHPAY_MODEL_BODY_CHECK_H
#define TECHPAY_MODEL_BODY_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "model/field_error.h"
#include "model/field_rule.h"

/** At most this many problems of a body are kept; the rest are counted. */
#define VALIDATION_MAX_ERRORS 32

/** What a rule found in its member. */
struct body_value {
  bool present;          /* the member was given, null included */
  bool null;             /* it was null (and the rule allows that) */
  struct rule_result r;  /* when it passed */
  const json_t *json;    /* RULE_OBJECT: the object */
};

/** Records a problem with member @a name of the object at @a prefix ("" for the body). */
void validation_add(struct field_errors *v, const char *prefix, const char *name,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * Resets @a v and checks @a body against @a rules (see
 * body_check_members()); a @a change must also change something (see
 * body_require_change()).
 * @return false when @a body is not an object (@a values are then unset)
 */
bool body_check(const json_t *body, const struct field_rule *rules, size_t n, bool change,
                struct body_value *values, struct field_errors *v);

/** Checks every rule against object @a obj, then reports the members no rule names. */
void body_check_members(const json_t *obj, const char *prefix, const struct field_rule *rules,
                        size_t n, struct body_value *values, struct field_errors *v);

/** A change must change something: one member at least that the change may set. */
void body_require_change(const struct field_rule *rules, const struct body_value *values,
                         size_t n, struct field_errors *v);

/** @return 0 when @a v holds no problem, -1 otherwise */
int body_finish(const struct field_errors *v);

#endif
