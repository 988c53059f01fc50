/**
 * @file model/row_fields.c
 * @brief One import row checked field by field through the field-rule
 *        engine (model/field_rule.h) with the salary and source rules of
 *        the write routes, so that a row and a request body are judged in
 *        the same words; a refused value is quoted after the message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/rows_internal.h"
#include "model/rules.h"
#include "model/text.h"
#include "util/number.h"

/* More digits than any limit has: the cell is refused unread. */
#define DIGITS_CAP 999999999999999999u

const struct column_name column_names[N_COLUMN_NAMES] = {
  { "id", COL_IGNORED, false },
  { "amount", COL_AMOUNT, false },
  { "currency", COL_CURRENCY, false },
  { "kind", COL_KIND, false },
  { "statistic", COL_STATISTIC, false },
  { "bound", COL_BOUND, false },
  { "scope", COL_SCOPE, false },
  { "year", COL_YEAR, false },
  { "note", COL_NOTE, false },
  { "source", COL_SOURCE, false },
  { "source.id", COL_SOURCE_ID, true },
  { "source.slug", COL_SOURCE_OTHER, true },
  { "source.title", COL_SOURCE_OTHER, true },
  { "source.section", COL_SOURCE_SECTION, true },
  { "role", COL_ROLE, false },
  { "subject", COL_SUBJECT, false },
  { "location", COL_LOCATION, false },
  { "remote", COL_REMOTE, false },
  { "experience_years", COL_EXPERIENCE, false },
  { "education", COL_EDUCATION, false },
  { "industry", COL_INDUSTRY, false },
  { "company_stage", COL_COMPANY_STAGE, false },
};

const char known_columns[]
  = "known: id, amount, currency, kind, statistic, bound, scope, year, note, "
    "source or source.id/.slug/.title/.section, role, subject, location, remote, "
    "experience_years, education, industry, company_stage";

/* The rule each column is checked by. */
static const struct field_rule *const column_rules[COL__COUNT] = {
  [COL_IGNORED] = &salary_rules[SAL_ID],
  [COL_AMOUNT] = &salary_rules[SAL_AMOUNT],
  [COL_CURRENCY] = &salary_rules[SAL_CURRENCY],
  [COL_KIND] = &salary_rules[SAL_KIND],
  [COL_STATISTIC] = &salary_rules[SAL_STATISTIC],
  [COL_BOUND] = &salary_rules[SAL_BOUND],
  [COL_SCOPE] = &salary_rules[SAL_SCOPE],
  [COL_YEAR] = &salary_rules[SAL_YEAR],
  [COL_NOTE] = &salary_rules[SAL_NOTE],
  [COL_SOURCE] = &salary_rules[SAL_SOURCE],
  [COL_SOURCE_ID] = &source_rules[SRC_ID],
  [COL_SOURCE_SECTION] = &source_rules[SRC_SECTION],
  [COL_SOURCE_OTHER] = &source_rules[SRC_SLUG],
  [COL_ROLE] = &salary_rules[SAL_ROLE],
  [COL_SUBJECT] = &salary_rules[SAL_SUBJECT],
  [COL_LOCATION] = &salary_rules[SAL_LOCATION],
  [COL_REMOTE] = &salary_rules[SAL_REMOTE],
  [COL_EXPERIENCE] = &salary_rules[SAL_EXPERIENCE],
  [COL_EDUCATION] = &salary_rules[SAL_EDUCATION],
  [COL_INDUSTRY] = &salary_rules[SAL_INDUSTRY],
  [COL_COMPANY_STAGE] = &salary_rules[SAL_COMPANY_STAGE],
};

bool
column_nullable(enum column col)
{
  return 0 != (column_rules[col]->flags & R_NULLABLE);
}

const struct column_name *
find_column(const char *name, size_t n, bool flat_ok)
{
  for (size_t i = 0; i < N_COLUMN_NAMES; i++)
    if (strlen(column_names[i].name) == n && 0 == memcmp(column_names[i].name, name, n)
        && (flat_ok || !column_names[i].flat))
      return &column_names[i];
  return NULL;
}

static void set_error(struct field_error *e, uint64_t line, const char *field,
                      const char *fmt, va_list ap)
  __attribute__((format(printf, 4, 0)));

static void
set_error(struct field_error *e, uint64_t line, const char *field, const char *fmt,
          va_list ap)
{
  e->line = line;
  text_sanitize(e->field, field, strlen(field), sizeof e->field - 4);
  vsnprintf(e->reason, sizeof e->reason, fmt, ap);
}

void
row_error(struct row_build *rb, const char *field, const char *fmt, ...)
{
  struct field_error *e = field_errors_next(&rb->errs);
  va_list ap;

  if (NULL == e)
    return;
  va_start(ap, fmt);
  set_error(e, rb->row.line, field, fmt, ap);
  va_end(ap);
}

/* Keeps a value that passed its rule. */
static void
row_store(struct salary_report *r, enum column col, const struct rule_result *res)
{
  switch (col) {
  case COL_AMOUNT: r->amount = res->number; break;
  case COL_YEAR:
    r->year = res->number;
    r->has_year = true;
    break;
  case COL_SOURCE_ID:
    r->source_id = res->number;
    r->has_source = true;
    break;
  case COL_KIND: r->kind = res->text; break;
  case COL_STATISTIC: r->statistic = res->text; break;
  case COL_BOUND: r->bound = res->text; break;
  case COL_SCOPE: r->scope = res->text; break;
  case COL_NOTE: r->note = res->text; break;
  case COL_SOURCE_SECTION: r->section = res->text; break;
  case COL_ROLE: r->role = res->text; break;
  case COL_SUBJECT: r->subject = res->text; break;
  case COL_LOCATION: r->factors.location = res->text; break;
  case COL_REMOTE:
    r->factors.remote = 0 != res->number;
    r->factors.has_remote = true;
    break;
  case COL_EXPERIENCE:
    r->factors.experience_years = res->number;
    r->factors.has_experience = true;
    break;
  case COL_EDUCATION: r->factors.education = res->text; break;
  case COL_INDUSTRY: r->factors.industry = res->text; break;
  case COL_COMPANY_STAGE: r->factors.company_stage = res->text; break;
  case COL_IGNORED:
  case COL_CURRENCY:
  case COL_SOURCE:
  case COL_SOURCE_OTHER:
  case COL__COUNT:
    break;
  }
}

/* Reports a refusal: the message, and for a value of the wrong kind, the value. */
static void
row_refuse(struct row_build *rb, const char *field, enum rule_verdict verdict,
           const char *reason, const struct field_value *shown)
{
  char got[QUOTE_MAX + 8];

  if (RULE_BAD == verdict) {
    row_error(rb, field, "%s", reason);
    return;
  }
  field_value_describe(shown, got, sizeof got);
  row_error(rb, field, "%s, not %s", reason, got);
}

void
row_set(struct row_build *rb, enum column col, const char *field, const struct field_value *v,
        const struct field_value *shown, bool mention_null)
{
  char reason[sizeof rb->errs.items[0].reason];
  struct rule_result res;
  enum rule_verdict verdict = rule_check(column_rules[col], v, mention_null, &res, reason,
                                         sizeof reason);

  if (COL_SOURCE_ID == col || COL_SOURCE_SECTION == col) {
    rb->source_given = true;
    rb->source_bad |= RULE_OK != verdict;
  }
  if (RULE_OK == verdict)
    row_store(&rb->row, col, &res);
  else
    row_refuse(rb, field, verdict, reason, NULL == shown ? v : shown);
}

void
row_set_digits(struct row_build *rb, enum column col, const char *field, const char *s,
               size_t n)
{
  struct field_value text = { .type = JSON_STRING, .s = s, .n = n };
  struct field_value number = { .type = JSON_INTEGER };
  char reason[sizeof rb->errs.items[0].reason];
  uint64_t v;

  if (0 == number_parse_digits(s, n, DIGITS_CAP, &v)) {
    number.i = (int64_t) v;
    row_set(rb, col, field, &number, &text, false);
    return;
  }
  if (COL_SOURCE_ID == col) {
    rb->source_given = true;
    rb->source_bad = true;
  }
  rule_expectation(column_rules[col], false, reason, sizeof reason);
  row_refuse(rb, field, RULE_BAD_VALUE, reason, &text);
}

void
source_member(struct row_build *rb, const char *key, size_t klen, const struct field_value *v)
{
  if (2 == klen && 0 == memcmp(key, "id", 2)) {
    row_set(rb, COL_SOURCE_ID, "source.id", v, NULL, false);
  } else if (7 == klen && 0 == memcmp(key, "section", 7)) {
    row_set(rb, COL_SOURCE_SECTION, "source.section", v, NULL, false);
  } else if (!(4 == klen && 0 == memcmp(key, "slug", 4))
             && !(5 == klen && 0 == memcmp(key, "title", 5))) {
    char field[80];

    snprintf(field, sizeof field, "source.%s", key);
    row_error(rb, field, "unknown field");
  }
}

void
read_source_object(struct row_build *rb, const json_t *obj)
{
  const char *key;
  const json_t *v;

  rb->source_given = true;
  json_object_foreach((json_t *) obj, key, v) {
    struct field_value value = field_value_of_json(v);

    source_member(rb, key, strlen(key), &value);
  }
}

/* Starts a row (the error slots are left as they are: only the count matters). */
void
row_begin(struct row_build *rb, uint64_t line)
{
  json_decref(rb->hold);
  rb->hold = NULL;
  rb->row = (struct salary_report) { .line = line, .bound = salary_bounds[0] };
  field_errors_clear(&rb->errs, IMPORT_ROW_MAX_ERRORS);
  memset(rb->given, 0, sizeof rb->given);
  rb->source_given = false;
  rb->source_bad = false;
}

/* The checks that span fields, once every field is in. */
static void
row_check_required(struct row_build *rb)
{
  struct salary_report *r = &rb->row;

  /* A member given but bad is reported already, not again as missing. */
  if (!rb->given[COL_AMOUNT])
    row_error(rb, "amount", "is required");
  if (!rb->given[COL_KIND])
    row_error(rb, "kind", "is required");
  if (!rb->given[COL_STATISTIC])
    row_error(rb, "statistic", "is required");
  if (!rb->given[COL_ROLE] && !rb->given[COL_SUBJECT])
    row_error(rb, "subject", "is required when role is null or absent");
  if (rb->source_given && !rb->source_bad) {
    if (!r->has_source)
      row_error(rb, "source.id", "is required");
    if (NULL == r->section)
      row_error(rb, "source.section", "is required");
  }
  if (NULL == r->section)
    r->has_source = false;
}

void
errors_add(struct field_errors *errs, uint64_t line, const char *field, const char *fmt, ...)
{
  struct field_error *e = field_errors_next(errs);
  va_list ap;

  if (NULL == e)
    return;
  va_start(ap, fmt);
  set_error(e, line, field, fmt, ap);
  va_end(ap);
}

/* Records the row's problems (after the checks across fields, when
 * @a check) and passes the row, or its problems, to the callback. */
void
row_deliver(struct import_parser *p, bool check)
{
  struct row_build *rb = &p->rb;
  struct field_errors *e = &p->errors;
  int rc;

  if (check)
    row_check_required(rb);
  p->rows++;
  if (0 == rb->errs.total) {
    rc = p->cb(p->cls, &rb->row, NULL, 0);
  } else {
    struct field_error *slot;

    e->bad_rows++;
    e->total += rb->errs.total - rb->errs.count; /* the ones the row could not keep */
    for (size_t i = 0; i < rb->errs.count; i++)
      if (NULL != (slot = field_errors_next(e)))
        *slot = rb->errs.items[i];
    rc = p->cb(p->cls, NULL, rb->errs.items, rb->errs.count);
  }
  json_decref(rb->hold);
  rb->hold = NULL;
  if (0 != rc && IMPORT_CONTINUE == p->status)
    p->status = IMPORT_ABORTED;
}

/* Line ends in @a s: CRLF, a lone CR and a lone LF each count once. */
uint64_t
count_line_ends(const char *s, size_t n)
{
  uint64_t lines = 0;

  for (size_t i = 0; i < n; i++) {
    if ('\n' == s[i])
      lines++;
    else if ('\r' == s[i] && (i + 1 == n || '\n' != s[i + 1]))
      lines++;
  }
  return lines;
}

/* A fatal problem of the body: recorded, not passed to the callback. */
void
parse_fail(struct import_parser *p, uint64_t line, const char *fmt, ...)
{
  struct field_errors *e = &p->errors;
  struct field_error *slot = field_errors_next(e);
  va_list ap;

  e->bad_rows++;
  if (NULL != slot) {
    va_start(ap, fmt);
    set_error(slot, line, "", fmt, ap);
    va_end(ap);
  }
  p->status = IMPORT_MALFORMED;
}

