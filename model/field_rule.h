/**
 * @file model/field_rule.h
 * @brief The one field-rule engine: what each member of a role, skill or
 *        salary report must be, as a table of rules, and the check of one
 *        value against its rule with the message that explains a refusal.
 *        The write routes' JSON bodies and the import's CSV and NDJSON rows
 *        are judged by the same rules in the same words.
 *
 * A value is given as a struct field_value (a JSON value's type and
 * contents, or a CSV cell as a string or a number read from it), so that
 * the engine knows neither jansson objects nor CSV.
 */
#ifndef TECHPAY_MODEL_FIELD_RULE_H
#define TECHPAY_MODEL_FIELD_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

enum rule_kind {
  RULE_TEXT,    /* a string of min..max characters */
  RULE_SLUG,    /* a slug of at most max characters (model/text.h) */
  RULE_INTEGER, /* a whole number from min to max */
  RULE_CHOICE,  /* one of the strings in choices */
  RULE_BOOLEAN, /* true or false */
  RULE_LOCATION, /* a country, optionally with its subdivision (model/country.h) */
  RULE_OBJECT,  /* an object; its members have rules of their own */
  RULE_FIXED,   /* the identifier: never accepted in a change */
  RULE_IGNORED, /* server-owned: any value, not used */
};

#define R_REQUIRED 0x1u  /* absent is an error */
#define R_NULLABLE 0x2u  /* null is accepted and means "none" */
#define R_MULTILINE 0x4u /* text may hold newlines and tabs */

struct field_rule {
  const char *name;
  enum rule_kind kind;
  unsigned flags;
  int64_t min;
  int64_t max;
  const char *const *choices; /* RULE_CHOICE: NULL-ended */
};

#define TEXT(n, f, lo, hi) { .name = (n), .kind = RULE_TEXT, .flags = (f), .min = (lo), .max = (hi) }
#define SLUG(n, f) { .name = (n), .kind = RULE_SLUG, .flags = (f), .min = 1, .max = MODEL_SLUG_MAX }
#define INTEGER(n, f, lo, hi) { .name = (n), .kind = RULE_INTEGER, .flags = (f), .min = (lo), .max = (hi) }
#define CHOICE(n, f, list) { .name = (n), .kind = RULE_CHOICE, .flags = (f), .choices = (list) }
#define BOOLEAN(n, f) { .name = (n), .kind = RULE_BOOLEAN, .flags = (f) }
#define LOCATION(n, f) { .name = (n), .kind = RULE_LOCATION, .flags = (f) }
#define OBJECT(n, f) { .name = (n), .kind = RULE_OBJECT, .flags = (f) }
#define FIXED(n) { .name = (n), .kind = RULE_FIXED }
#define IGNORED(n) { .name = (n), .kind = RULE_IGNORED }

/** A value to check: what it is, and its contents for a string or number. */
struct field_value {
  json_type type;
  const char *s; /* JSON_STRING: NUL-terminated at n */
  size_t n;
  int64_t i;     /* JSON_INTEGER */
  double real;   /* JSON_REAL */
};

/** A jansson value as the engine sees it (strings borrowed). */
struct field_value field_value_of_json(const json_t *j);

/** How a check ended. */
enum rule_verdict {
  RULE_OK,        /* the value passed; the result is set */
  RULE_BAD,       /* refused for something the message states in full (a length, a character) */
  RULE_BAD_VALUE, /* refused for what the value is: a reader may quote it after the message */
};

/** What a value that passed holds. */
struct rule_result {
  const char *text; /* TEXT, SLUG, LOCATION: the value's own string; CHOICE: the static entry */
  int64_t number;   /* INTEGER; BOOLEAN: 1 for true, 0 for false */
};

/**
 * Checks @a v against @a r (null is the caller's: a rule never sees an
 * accepted null).
 * @param mention_null whether the message of a value of the wrong kind
 *        says that null is accepted too
 * @param[out] out set when RULE_OK
 * @param[out] reason the message when not RULE_OK ("must be ...")
 */
enum rule_verdict rule_check(const struct field_rule *r, const struct field_value *v,
                             bool mention_null, struct rule_result *out, char *reason,
                             size_t size);

/**
 * What a value of @a r must be, for a value of the wrong kind: "must be a
 * whole number from 1 to 99999999", "must be one of: base, total".
 */
void rule_expectation(const struct field_rule *r, bool mention_null, char *out, size_t size);

/** @return the rule named @a name (@a len bytes) in @a rules, or NULL */
const struct field_rule *rule_find(const struct field_rule *rules, size_t n, const char *name,
                                   size_t len);

/**
 * Describes @a v for a message: a string sanitized and quoted, a number as
 * written, else "true", "null", "an array"...
 */
void field_value_describe(const struct field_value *v, char *out, size_t size);

#endif
