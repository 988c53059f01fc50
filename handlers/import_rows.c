/**
 * @file handlers/import_rows.c
 * @brief Streaming CSV (libcsv) and NDJSON (jansson) parsing of salary
 *        observations for POST /import, with field-by-field checks.
 *
 * CSV goes through libcsv, an RFC 4180 parser that keeps its state between
 * calls, so a chunk may end anywhere, even inside a quoted field. It hands
 * over one field at a time; the fields of the current row are copied into
 * one fixed buffer, and the row is checked when libcsv reports its end.
 * NDJSON is split into lines here (a line is copied, into a fixed buffer,
 * only when it straddles two chunks) and each line is parsed by jansson.
 *
 * The checks and their wording follow the write routes (POST /salaries),
 * so that a row and a request body are judged alike.
 */
#include "handlers/import_rows.h"

#include <csv.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/csv.h"
#include "util/utf8.h"

/* Bytes given to libcsv per call: its field buffer can outgrow the row
 * limit by at most this much before the limit is checked. */
#define CSV_SLICE 65536
/* More columns than a header can sensibly have (12 members, 4 flattened). */
#define MAX_COLUMNS 32
/* The row buffer: every field with its NUL. */
#define ROW_CAP (IMPORT_MAX_LINE + MAX_COLUMNS + 1)
/* Parsed "source" cells of the CSV export, by text: a few sources and
 * sections repeat across many rows, and each parse costs a microsecond. */
#define SOURCE_CACHE_SLOTS 64
#define SOURCE_CACHE_TEXT 1024
/* How many bytes of a bad value an error quotes. */
#define QUOTE_MAX 32

#define SLUG_MAX 80
#define SHORT_TEXT_MAX 200
#define NOTE_MAX 1000
#define YEAR_MIN 1900
#define YEAR_MAX 2100

static const char *const salary_kinds[] = { "base", "total", NULL };
static const char *const salary_statistics[] = {
  "average", "median", "minimum", "maximum", "individual", "p25", "p75", NULL,
};
static const char *const salary_bounds[] = { "exact", "at_least", "below", NULL };

enum column {
  COL_IGNORED, /* server-owned: id */
  COL_AMOUNT,
  COL_CURRENCY,
  COL_KIND,
  COL_STATISTIC,
  COL_BOUND,
  COL_SCOPE,
  COL_YEAR,
  COL_NOTE,
  COL_SOURCE,         /* the nested object (in CSV, its JSON text) */
  COL_SOURCE_ID,      /* CSV only: flattened source.id */
  COL_SOURCE_SECTION, /* CSV only: flattened source.section */
  COL_SOURCE_OTHER,   /* CSV only: source.slug, source.title (server-owned) */
  COL_ROLE,
  COL_SUBJECT,
  COL__COUNT
};

struct column_name {
  const char *name;
  enum column col;
  bool flat; /* a flattened CSV column, not a member of the JSON object */
};

static const struct column_name column_names[] = {
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
};
#define N_COLUMN_NAMES (sizeof column_names / sizeof column_names[0])

static const char known_columns[]
  = "known: id, amount, currency, kind, statistic, bound, scope, year, note, "
    "source or source.id/.slug/.title/.section, role, subject";

/* What a member must be, for the errors of a value of the wrong kind. */
static const char *
rule_of(enum column col)
{
  switch (col) {
  case COL_AMOUNT:
    return "must be a whole number from 1 to 99999999";
  case COL_CURRENCY:
    return "must be \"USD\"";
  case COL_KIND:
    return "must be one of: base, total";
  case COL_STATISTIC:
    return "must be one of: average, median, minimum, maximum, individual, p25, p75";
  case COL_BOUND:
    return "must be one of: exact, at_least, below";
  case COL_YEAR:
    return "must be a whole number from 1900 to 2100";
  case COL_SOURCE:
    return "must be an object";
  case COL_SOURCE_ID:
    return "must be a whole number of at least 1";
  case COL_ROLE:
    return "must be lowercase letters and digits in words joined by single hyphens";
  case COL_SOURCE_SECTION:
    return "must be a string";
  case COL_SCOPE:
  case COL_NOTE:
  case COL_SUBJECT:
    return "must be a string or null";
  case COL_IGNORED:
  case COL_SOURCE_OTHER:
  case COL__COUNT:
    break;
  }
  return "is not valid";
}

/* ---------------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------------ */

/* C0, DEL and C1 */
static bool
is_control(uint32_t cp)
{
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* White space, ASCII and Unicode (as the write routes count it). */
static bool
is_space(uint32_t cp)
{
  return (cp >= 0x09 && cp <= 0x0D) || 0x20 == cp || 0x85 == cp || 0xA0 == cp
         || 0x1680 == cp || (cp >= 0x2000 && cp <= 0x200A) || 0x2028 == cp
         || 0x2029 == cp || 0x202F == cp || 0x205F == cp || 0x3000 == cp || 0xFEFF == cp;
}

/*
 * Copies at most @a max bytes of @a s (@a n bytes) into @a out (at least
 * @a max + 4 bytes), in whole characters; bytes that are not UTF-8 and
 * control characters become '?'. Appends "..." when cut.
 */
static void
sanitize(char *out, const char *s, size_t n, size_t max)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t o = 0;
  size_t i = 0;

  while (i < n) {
    uint32_t cp;
    size_t len = utf8_decode(u + i, n - i, &cp);

    if (0 == len || is_control(cp)) {
      if (o + 1 > max)
        break;
      out[o++] = '?';
      i += 0 == len ? 1 : len;
      continue;
    }
    if (o + len > max)
      break;
    memcpy(out + o, s + i, len);
    o += len;
    i += len;
  }
  if (i < n) {
    memcpy(out + o, "...", 3);
    o += 3;
  }
  out[o] = '\0';
}

/* ---------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------ */

/* A row being checked: the observation so far and its problems. */
struct row_build {
  struct salary_row_in row;
  struct import_error errs[IMPORT_ROW_MAX_ERRORS];
  size_t n_errs;      /* kept in errs */
  size_t n_total;     /* found */
  bool given[COL__COUNT]; /* members given a value (not empty, not null), valid or not */
  bool source_given;  /* a source object, or a flattened source cell, was given */
  bool source_bad;    /* ... and a problem with it is reported already */
  json_t *hold;       /* a parsed "source" cell whose strings the row borrows */
};

static void set_error(struct import_error *e, uint64_t line, const char *field,
                      const char *fmt, va_list ap)
  __attribute__((format(printf, 4, 0)));

static void
set_error(struct import_error *e, uint64_t line, const char *field, const char *fmt,
          va_list ap)
{
  e->line = line;
  sanitize(e->field, field, strlen(field), sizeof e->field - 4);
  vsnprintf(e->reason, sizeof e->reason, fmt, ap);
}

static void row_error(struct row_build *rb, const char *field, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

static void
row_error(struct row_build *rb, const char *field, const char *fmt, ...)
{
  va_list ap;

  rb->n_total++;
  if (rb->n_errs >= IMPORT_ROW_MAX_ERRORS)
    return;
  va_start(ap, fmt);
  set_error(&rb->errs[rb->n_errs++], rb->row.line, field, fmt, ap);
  va_end(ap);
}

/* "rule, not "text"" for a bad text value */
static void
row_error_text(struct row_build *rb, const char *field, const char *rule, const char *s,
               size_t n)
{
  char quoted[QUOTE_MAX + 4];

  sanitize(quoted, s, n, QUOTE_MAX);
  row_error(rb, field, "%s, not \"%s\"", rule, quoted);
}

/* A JSON value: from jansson, or from the compact-line shortcut (which
 * makes only strings, integers and null). */
struct jv {
  json_type type;
  const char *s; /* JSON_STRING: NUL-terminated at n */
  size_t n;
  int64_t i;     /* JSON_INTEGER */
  double real;   /* JSON_REAL */
};

static struct jv
jv_of(const json_t *v)
{
  struct jv out = { .type = json_typeof(v) };

  if (JSON_STRING == out.type) {
    out.s = json_string_value(v);
    out.n = json_string_length(v);
  } else if (JSON_INTEGER == out.type) {
    out.i = json_integer_value(v);
  } else if (JSON_REAL == out.type) {
    out.real = json_real_value(v);
  }
  return out;
}

/* "rule, not <v>" for a JSON value of the wrong kind */
static void
row_error_jv(struct row_build *rb, const char *field, const char *rule, const struct jv *v)
{
  char got[QUOTE_MAX + 4];

  switch (v->type) {
  case JSON_STRING:
    row_error_text(rb, field, rule, v->s, v->n);
    return;
  case JSON_INTEGER:
    snprintf(got, sizeof got, "%" PRId64, v->i);
    break;
  case JSON_REAL:
    snprintf(got, sizeof got, "%.17g", v->real);
    break;
  case JSON_TRUE:
    snprintf(got, sizeof got, "true");
    break;
  case JSON_FALSE:
    snprintf(got, sizeof got, "false");
    break;
  case JSON_NULL:
    snprintf(got, sizeof got, "null");
    break;
  case JSON_ARRAY:
    snprintf(got, sizeof got, "an array");
    break;
  case JSON_OBJECT:
    snprintf(got, sizeof got, "an object");
    break;
  }
  row_error(rb, field, "%s, not %s", rule, got);
}

/* ---------------------------------------------------------------------------
 * Field checks, shared by both formats
 * ------------------------------------------------------------------------ */

/* @return the entry of @a table equal to @a s (@a n bytes), or NULL */
static const char *
choice(const char *const table[], const char *s, size_t n)
{
  for (size_t i = 0; NULL != table[i]; i++)
    if (strlen(table[i]) == n && 0 == memcmp(table[i], s, n))
      return table[i];
  return NULL;
}

/* ^[a-z0-9]+(-[a-z0-9]+)*$ */
static bool
slug_shape(const char *s, size_t n)
{
  bool after_hyphen = true; /* the start behaves like a hyphen: no hyphen may follow */

  for (size_t i = 0; i < n; i++) {
    char c = s[i];

    if ('-' == c) {
      if (after_hyphen)
        return false;
      after_hyphen = true;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      after_hyphen = false;
    } else {
      return false;
    }
  }
  return n > 0 && !after_hyphen;
}

/*
 * Free text: UTF-8 without NUL and control characters (newline and tab
 * allowed when @a multiline), not starting or ending with white space,
 * 1..@a max characters. @return whether it passed (a problem is reported).
 */
static bool
check_text(struct row_build *rb, const char *field, const char *s, size_t n, size_t max,
           bool multiline)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t chars = 0;
  size_t i = 0;
  uint32_t first = 0;
  uint32_t last = 0;

  while (i < n) {
    uint32_t cp = u[i];
    size_t len = 1;

    if (cp >= 0x80) {
      len = utf8_decode(u + i, n - i, &cp);
      if (0 == len) {
        row_error(rb, field, "must be valid UTF-8");
        return false;
      }
    }
    if (0 == cp) {
      row_error(rb, field, "must not contain NUL characters");
      return false;
    }
    if (is_control(cp) && !(multiline && ('\n' == cp || '\t' == cp))) {
      row_error(rb, field, "must not contain control characters%s",
                multiline ? " other than newline and tab" : "");
      return false;
    }
    if (0 == chars)
      first = cp;
    last = cp;
    i += len;
    chars++;
  }
  if (chars > 0 && (is_space(first) || is_space(last))) {
    row_error(rb, field, "must not start or end with whitespace");
    return false;
  }
  if (0 == chars || chars > max) {
    row_error(rb, field, "must be 1 to %zu characters long, not %zu", max, chars);
    return false;
  }
  return true;
}

/*
 * A text member, or NULL for an absent one (an empty CSV cell, a JSON
 * null where null is allowed). @a s is NUL-terminated at @a n.
 */
static void
set_text(struct row_build *rb, enum column col, const char *field, const char *s, size_t n)
{
  struct salary_row_in *r = &rb->row;
  const char *c;

  switch (col) {
  case COL_KIND:
  case COL_STATISTIC:
  case COL_BOUND:
    if (NULL == s) /* required (kind, statistic) or defaulted (bound) later */
      return;
    c = choice(COL_KIND == col ? salary_kinds
               : COL_STATISTIC == col ? salary_statistics : salary_bounds, s, n);
    if (NULL == c)
      row_error_text(rb, field, rule_of(col), s, n);
    else if (COL_KIND == col)
      r->kind = c;
    else if (COL_STATISTIC == col)
      r->statistic = c;
    else
      r->bound = c;
    return;
  case COL_CURRENCY:
    if (NULL != s && !(3 == n && 0 == memcmp(s, "USD", 3)))
      row_error_text(rb, field, rule_of(col), s, n);
    return;
  case COL_ROLE:
    if (NULL == s || 0 == n)
      return; /* no role: then a subject is required */
    if (!slug_shape(s, n))
      row_error_text(rb, field, rule_of(col), s, n);
    else if (n > SLUG_MAX)
      row_error(rb, field, "must be 1 to %d characters long, not %zu", SLUG_MAX, n);
    else
      r->role = s;
    return;
  case COL_SUBJECT:
    if (NULL != s && check_text(rb, field, s, n, SHORT_TEXT_MAX, false))
      r->subject = s;
    return;
  case COL_SCOPE:
    if (NULL != s && check_text(rb, field, s, n, SHORT_TEXT_MAX, false))
      r->scope = s;
    return;
  case COL_NOTE:
    if (NULL != s && check_text(rb, field, s, n, NOTE_MAX, true))
      r->note = s;
    return;
  case COL_SOURCE_SECTION:
    if (NULL == s)
      return;
    rb->source_given = true;
    if (check_text(rb, field, s, n, SHORT_TEXT_MAX, false))
      r->section = s;
    else
      rb->source_bad = true;
    return;
  case COL_IGNORED:
  case COL_SOURCE_OTHER:
  case COL_AMOUNT:
  case COL_YEAR:
  case COL_SOURCE:
  case COL_SOURCE_ID:
  case COL__COUNT:
    break;
  }
}

/* A whole-number member (amount, year, source.id) that is a whole number;
 * @a json or @a text is the value as given, for the error. */
static void
set_number(struct row_build *rb, enum column col, const char *field, int64_t v,
           const struct jv *json, const char *text, size_t n)
{
  struct salary_row_in *r = &rb->row;
  bool ok;

  if (COL_AMOUNT == col)
    ok = v >= 1 && v <= IMPORT_AMOUNT_MAX;
  else if (COL_YEAR == col)
    ok = v >= YEAR_MIN && v <= YEAR_MAX;
  else
    ok = v >= 1;
  if (COL_SOURCE_ID == col) {
    rb->source_given = true;
    rb->source_bad |= !ok;
  }
  if (!ok) {
    if (NULL != json)
      row_error_jv(rb, field, rule_of(col), json);
    else
      row_error_text(rb, field, rule_of(col), text, n);
    return;
  }
  if (COL_AMOUNT == col) {
    r->amount = v;
  } else if (COL_YEAR == col) {
    r->year = v;
    r->has_year = true;
  } else {
    r->source_id = v;
    r->has_source = true;
  }
}

/* A whole number written in ASCII digits only: no sign, no separators, no
 * exponent, no fraction, no spaces. */
static void
set_number_text(struct row_build *rb, enum column col, const char *field, const char *s,
                size_t n)
{
  int64_t v = 0;
  size_t i = 0;

  while (i < n && '0' == s[i]) /* leading zeros cannot overflow */
    i++;
  if (n - i > 18)
    v = -1; /* far out of every range */
  for (; i < n && v >= 0; i++) {
    if (s[i] < '0' || s[i] > '9')
      v = -1;
    else
      v = v * 10 + (s[i] - '0');
  }
  if (v < 0) {
    if (COL_SOURCE_ID == col) {
      rb->source_given = true;
      rb->source_bad = true;
    }
    row_error_text(rb, field, rule_of(col), s, n);
    return;
  }
  set_number(rb, col, field, v, NULL, s, n);
}

/* One member of a source object: id and section; slug and title are
 * server-owned and ignored. */
static void
source_member(struct row_build *rb, const char *key, size_t klen, const struct jv *v)
{
  if (2 == klen && 0 == memcmp(key, "id", 2)) {
    if (JSON_INTEGER == v->type) {
      set_number(rb, COL_SOURCE_ID, "source.id", v->i, v, NULL, 0);
    } else {
      rb->source_bad = true;
      row_error_jv(rb, "source.id", rule_of(COL_SOURCE_ID), v);
    }
  } else if (7 == klen && 0 == memcmp(key, "section", 7)) {
    if (JSON_STRING == v->type) {
      set_text(rb, COL_SOURCE_SECTION, "source.section", v->s, v->n);
    } else {
      rb->source_bad = true;
      row_error_jv(rb, "source.section", rule_of(COL_SOURCE_SECTION), v);
    }
  } else if (!(4 == klen && 0 == memcmp(key, "slug", 4))
             && !(5 == klen && 0 == memcmp(key, "title", 5))) {
    char field[80];

    snprintf(field, sizeof field, "source.%s", key);
    row_error(rb, field, "unknown field");
  }
}

/* The members of a source object parsed by jansson. */
static void
read_source_object(struct row_build *rb, const json_t *obj)
{
  const char *key;
  const json_t *v;

  rb->source_given = true;
  json_object_foreach((json_t *) obj, key, v) {
    struct jv value = jv_of(v);

    source_member(rb, key, strlen(key), &value);
  }
}

/* Starts a row (the error slots are left as they are: only n_errs count). */
static void
row_begin(struct row_build *rb, uint64_t line)
{
  json_decref(rb->hold);
  rb->hold = NULL;
  rb->row = (struct salary_row_in) { .line = line, .bound = salary_bounds[0] };
  rb->n_errs = 0;
  rb->n_total = 0;
  memset(rb->given, 0, sizeof rb->given);
  rb->source_given = false;
  rb->source_bad = false;
}

/* The checks that span fields, once every field is in. */
static void
row_check_required(struct row_build *rb)
{
  struct salary_row_in *r = &rb->row;

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

/* ---------------------------------------------------------------------------
 * The parser
 * ------------------------------------------------------------------------ */

struct field_pos {
  uint32_t off;
  uint32_t len;
};

/* A "source" cell already read: its text and what it holds. */
struct source_slot {
  size_t text_len;
  int64_t id;
  char *section; /* in the same allocation, after text */
  char text[];
};

struct import_parser {
  enum import_format format;
  import_row_fn cb;
  void *cls;
  enum import_status status;
  struct import_errors errors;
  uint64_t rows;
  uint64_t lines_done; /* line ends consumed so far */
  unsigned bom_matched;
  bool started;        /* past the byte order mark, or sure there is none */
  bool finished;
  struct row_build rb;

  /* CSV */
  struct csv_parser csv;
  bool header_done;
  bool after_cr;       /* the last thing libcsv reported was a row end at a CR */
  size_t n_columns;
  enum column columns[MAX_COLUMNS];
  const char *column_field[MAX_COLUMNS]; /* the columns' names, static */
  char *row;           /* ROW_CAP bytes: the fields of the current row */
  size_t row_len;      /* bytes used in row */
  size_t row_bytes;    /* bytes of the current row, kept or not */
  struct field_pos fields[MAX_COLUMNS];
  size_t n_fields;     /* fields of the current row, kept or not */
  uint64_t row_line;
  struct source_slot *cache[SOURCE_CACHE_SLOTS];

  /* NDJSON */
  char *line;          /* IMPORT_MAX_LINE + 1 bytes: a line split across chunks */
  size_t line_len;
  bool line_too_long;
};

static const unsigned char utf8_bom[3] = { 0xEF, 0xBB, 0xBF };

static void errors_add(struct import_errors *errs, uint64_t line, const char *field,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
errors_add(struct import_errors *errs, uint64_t line, const char *field, const char *fmt, ...)
{
  va_list ap;

  errs->total++;
  if (errs->count >= IMPORT_MAX_ERRORS)
    return;
  va_start(ap, fmt);
  set_error(&errs->items[errs->count++], line, field, fmt, ap);
  va_end(ap);
}

/* Records the row's problems (after the checks across fields, when
 * @a check) and passes the row, or its problems, to the callback. */
static void
row_deliver(struct import_parser *p, bool check)
{
  struct row_build *rb = &p->rb;
  struct import_errors *e = &p->errors;
  int rc;

  if (check)
    row_check_required(rb);
  p->rows++;
  if (0 == rb->n_total) {
    rc = p->cb(p->cls, &rb->row, NULL, 0);
  } else {
    e->bad_rows++;
    e->total += rb->n_total;
    for (size_t i = 0; i < rb->n_errs && e->count < IMPORT_MAX_ERRORS; i++)
      e->items[e->count++] = rb->errs[i];
    rc = p->cb(p->cls, NULL, rb->errs, rb->n_errs);
  }
  json_decref(rb->hold);
  rb->hold = NULL;
  if (0 != rc && IMPORT_CONTINUE == p->status)
    p->status = IMPORT_ABORTED;
}

/* Line ends in @a s: CRLF, a lone CR and a lone LF each count once. */
static uint64_t
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

/* ---------------------------------------------------------------------------
 * CSV
 * ------------------------------------------------------------------------ */

static const struct column_name *
find_column(const char *name, size_t n, bool flat_ok)
{
  for (size_t i = 0; i < N_COLUMN_NAMES; i++)
    if (strlen(column_names[i].name) == n && 0 == memcmp(column_names[i].name, name, n)
        && (flat_ok || !column_names[i].flat))
      return &column_names[i];
  return NULL;
}

/* Appends ", name" (or "name" first) to @a list when it still fits. */
static void
list_add(char *list, size_t size, const char *name, size_t n)
{
  size_t used = strlen(list);
  char clean[QUOTE_MAX + 4];

  if (n > 0)
    sanitize(clean, name, n, QUOTE_MAX);
  else
    snprintf(clean, sizeof clean, "(empty)");
  snprintf(list + used, size - used, "%s%s", 0 == used ? "" : ", ", clean);
}

/* The header row: known columns, each once, the required ones present.
 * Every problem is reported, then the parse ends. */
static void
csv_header(struct import_parser *p)
{
  struct import_errors *e = &p->errors;
  char unknown[sizeof e->items[0].reason] = "";
  size_t n_unknown = 0;
  bool seen[N_COLUMN_NAMES] = { false };
  bool has[COL__COUNT] = { false };
  uint64_t line = p->row_line;
  uint64_t before = e->total;

  if (p->n_fields > MAX_COLUMNS) {
    errors_add(e, line, "", "the header has %zu columns; %s", p->n_fields, known_columns);
  } else {
    for (size_t i = 0; i < p->n_fields; i++) {
      size_t guard = csv_text_guard_len(p->row + p->fields[i].off, p->fields[i].len);
      const char *name = p->row + p->fields[i].off + guard;
      size_t n = p->fields[i].len - guard;
      const struct column_name *c = find_column(name, n, true);

      if (NULL == c) {
        n_unknown++;
        list_add(unknown, sizeof unknown, name, n);
        continue;
      }
      if (seen[c - column_names])
        errors_add(e, line, c->name, "the column is given more than once");
      seen[c - column_names] = true;
      has[c->col] = true;
      p->columns[i] = c->col;
      p->column_field[i] = c->name;
    }
    if (n_unknown > 0)
      errors_add(e, line, unknown, "unknown column%s (%s)", 1 == n_unknown ? "" : "s",
                 known_columns);
    if (has[COL_SOURCE] && (has[COL_SOURCE_ID] || has[COL_SOURCE_SECTION] || has[COL_SOURCE_OTHER]))
      errors_add(e, line, "source",
                 "give the source as one source column (its JSON text) or as source.* columns,"
                 " not both");
    if (!has[COL_AMOUNT])
      errors_add(e, line, "amount", "the column is required");
    if (!has[COL_KIND])
      errors_add(e, line, "kind", "the column is required");
    if (!has[COL_STATISTIC])
      errors_add(e, line, "statistic", "the column is required");
    if (!has[COL_ROLE] && !has[COL_SUBJECT])
      errors_add(e, line, "role", "a role or a subject column is required");
  }
  if (e->total != before) {
    e->bad_rows++;
    p->status = IMPORT_MALFORMED;
    return;
  }
  p->n_columns = p->n_fields;
  p->header_done = true;
}

static uint64_t
text_hash(const char *s, size_t n)
{
  uint64_t h = 0xcbf29ce484222325u ^ n;

  for (; n >= 8; s += 8, n -= 8) {
    uint64_t w;

    memcpy(&w, s, 8);
    h = (h ^ w) * 0x100000001b3u;
    h ^= h >> 29;
  }
  for (; n > 0; s++, n--)
    h = (h ^ (unsigned char) *s) * 0x100000001b3u;
  return h ^ (h >> 32);
}

/* The "source" cell of the CSV export: the compact JSON text of the object. */
static void
csv_source_cell(struct import_parser *p, const char *s, size_t n)
{
  struct row_build *rb = &p->rb;
  size_t slot = (size_t) (text_hash(s, n) % SOURCE_CACHE_SLOTS);
  struct source_slot *c = p->cache[slot];
  size_t before = rb->n_total;
  size_t section_len;
  json_t *obj;

  if (NULL != c && c->text_len == n && 0 == memcmp(c->text, s, n)) {
    rb->source_given = true;
    rb->row.source_id = c->id;
    rb->row.has_source = true;
    rb->row.section = c->section;
    return;
  }
  obj = json_loadb(s, n, JSON_REJECT_DUPLICATES, NULL);
  if (!json_is_object(obj)) {
    json_decref(obj);
    rb->source_given = true;
    rb->source_bad = true;
    row_error_text(rb, "source", "must be the JSON text of an object", s, n);
    return;
  }
  read_source_object(rb, obj);
  rb->hold = obj; /* the row borrows the section */
  if (rb->n_total != before || !rb->row.has_source || NULL == rb->row.section
      || n > SOURCE_CACHE_TEXT)
    return;
  section_len = strlen(rb->row.section);
  c = realloc(c, sizeof *c + n + 1 + section_len + 1);
  if (NULL == c) { /* the cache is only a shortcut */
    free(p->cache[slot]);
    p->cache[slot] = NULL;
    return;
  }
  p->cache[slot] = c;
  c->text_len = n;
  memcpy(c->text, s, n);
  c->text[n] = '\0';
  c->section = c->text + n + 1;
  memcpy(c->section, rb->row.section, section_len + 1);
  c->id = rb->row.source_id;
}

/* A data row: one cell per column; an empty cell is an absent value. */
static void
csv_record(struct import_parser *p)
{
  struct row_build *rb = &p->rb;

  row_begin(rb, p->row_line);
  if (p->n_fields != p->n_columns) {
    row_error(rb, "", "has %zu field%s; the header has %zu", p->n_fields,
              1 == p->n_fields ? "" : "s", p->n_columns);
    row_deliver(p, false);
    return;
  }
  for (size_t i = 0; i < p->n_columns; i++) {
    const char *s = p->row + p->fields[i].off;
    size_t n = p->fields[i].len;
    enum column col = p->columns[i];
    const char *field = p->column_field[i];

    if (0 == n)
      continue;
    rb->given[col] = true;
    switch (col) {
    case COL_IGNORED:
    case COL_SOURCE_OTHER:
    case COL__COUNT:
      break;
    case COL_AMOUNT:
    case COL_YEAR:
    case COL_SOURCE_ID:
      set_number_text(rb, col, field, s, n);
      break;
    case COL_SOURCE:
      csv_source_cell(p, s, n);
      break;
    case COL_CURRENCY:
    case COL_KIND:
    case COL_STATISTIC:
    case COL_BOUND:
    case COL_SCOPE:
    case COL_NOTE:
    case COL_SOURCE_SECTION:
    case COL_ROLE:
    case COL_SUBJECT: {
      /* the export's guard against spreadsheet formulas is not data */
      size_t guard = csv_text_guard_len(s, n);

      set_text(rb, col, field, s + guard, n - guard);
      break;
    }
    }
  }
  row_deliver(p, true);
}

/* A fatal problem of the body: recorded, not passed to the callback. */
static void fail(struct import_parser *p, uint64_t line, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

static void
fail(struct import_parser *p, uint64_t line, const char *fmt, ...)
{
  struct import_errors *e = &p->errors;
  va_list ap;

  e->total++;
  e->bad_rows++;
  if (e->count < IMPORT_MAX_ERRORS) {
    va_start(ap, fmt);
    set_error(&e->items[e->count++], line, "", fmt, ap);
    va_end(ap);
  }
  p->status = IMPORT_MALFORMED;
}

/* libcsv: one field of the current row. */
static void
csv_on_field(void *data, size_t len, void *cls)
{
  struct import_parser *p = cls;

  if (IMPORT_CONTINUE != p->status)
    return;
  p->after_cr = false;
  if (0 == p->n_fields)
    p->row_line = p->lines_done + 1;
  p->row_bytes += len + 1;
  if (p->row_bytes > IMPORT_MAX_LINE + 1) {
    fail(p, p->row_line, "the row is longer than %d bytes", IMPORT_MAX_LINE);
    return;
  }
  /* a quoted field may hold line ends */
  if (len > 0 && (NULL != memchr(data, '\n', len) || NULL != memchr(data, '\r', len)))
    p->lines_done += count_line_ends(data, len);
  if (p->n_fields < MAX_COLUMNS) {
    struct field_pos *f = &p->fields[p->n_fields];

    f->off = (uint32_t) p->row_len;
    f->len = (uint32_t) len;
    if (len > 0)
      memcpy(p->row + p->row_len, data, len);
    p->row[p->row_len + len] = '\0';
    p->row_len += len + 1;
  }
  p->n_fields++;
}

/* No field, or one of spaces and tabs only: a blank line. */
static bool
csv_row_blank(const struct import_parser *p)
{
  if (1 != p->n_fields)
    return 0 == p->n_fields;
  for (uint32_t i = 0; i < p->fields[0].len; i++)
    if (' ' != p->row[i] && '\t' != p->row[i])
      return false;
  return true;
}

/* libcsv: the end of a row, with the character that ended it (CR, LF, or
 * -1 at the end of the body). CSV_REPALL_NL makes every line end outside
 * quotes a row end, empty rows included, so that lines can be counted. */
static void
csv_on_row(int c, void *cls)
{
  struct import_parser *p = cls;

  if (IMPORT_CONTINUE != p->status)
    return;
  if (!csv_row_blank(p)) {
    if (p->header_done)
      csv_record(p);
    else
      csv_header(p);
  }
  p->n_fields = 0;
  p->row_len = 0;
  p->row_bytes = 0;
  if ('\r' == c || ('\n' == c && !p->after_cr))
    p->lines_done++;
  p->after_cr = '\r' == c;
}

static int
csv_no_space(unsigned char c)
{
  (void) c;
  return 0; /* fields are taken as written: libcsv would trim spaces and tabs */
}

/* The line libcsv has reached: the field in progress may span lines. */
static uint64_t
csv_current_line(const struct import_parser *p)
{
  return p->lines_done + 1 + count_line_ends((const char *) p->csv.entry_buf, p->csv.entry_pos);
}

static void
csv_feed(struct import_parser *p, const char *data, size_t len)
{
  while (len > 0 && IMPORT_CONTINUE == p->status) {
    size_t n = len < CSV_SLICE ? len : CSV_SLICE;
    size_t done = csv_parse(&p->csv, data, n, csv_on_field, csv_on_row, p);

    if (IMPORT_CONTINUE != p->status)
      return;
    if (done < n) {
      if (CSV_EPARSE == csv_error(&p->csv))
        fail(p, csv_current_line(p),
             "malformed CSV: a field with a quote must be quoted whole, with its quotes"
             " doubled and nothing after its closing quote");
      else
        p->status = IMPORT_NOMEM;
      return;
    }
    if (p->row_bytes + p->csv.entry_pos > IMPORT_MAX_LINE + 1) {
      fail(p, 0 == p->n_fields ? p->lines_done + 1 : p->row_line,
           "the row is longer than %d bytes", IMPORT_MAX_LINE);
      return;
    }
    data += n;
    len -= n;
  }
}

static void
csv_finish(struct import_parser *p)
{
  uint64_t line = 0 == p->n_fields ? p->lines_done + 1 : p->row_line;

  if (0 != csv_fini(&p->csv, csv_on_field, csv_on_row, p) && IMPORT_CONTINUE == p->status)
    fail(p, line, "malformed CSV: a quoted field is not closed");
}

/* ---------------------------------------------------------------------------
 * NDJSON
 * ------------------------------------------------------------------------ */

/* One member of a GET /salaries item (@a c: which). A source object's own
 * members are the caller's to pass to source_member(). */
static void
ndjson_member(struct row_build *rb, const struct column_name *c, const struct jv *v)
{
  enum column col = c->col;
  const char *key = c->name;
  bool null = JSON_NULL == v->type;
  bool nullable = COL_SCOPE == col || COL_NOTE == col || COL_YEAR == col || COL_ROLE == col
                  || COL_SUBJECT == col;

  /* null is "none" where GET /salaries serves null; elsewhere a bad value */
  rb->given[col] = !(null && nullable) && !(COL_ROLE == col && JSON_STRING == v->type && 0 == v->n);
  switch (col) {
  case COL_IGNORED:
  case COL_SOURCE_ID:
  case COL_SOURCE_SECTION:
  case COL_SOURCE_OTHER:
  case COL__COUNT:
    break;
  case COL_AMOUNT:
  case COL_YEAR:
    if (JSON_INTEGER == v->type)
      set_number(rb, col, key, v->i, v, NULL, 0);
    else if (COL_AMOUNT == col)
      row_error_jv(rb, key, rule_of(col), v);
    else if (!null)
      row_error_jv(rb, key, "must be a whole number from 1900 to 2100 or null", v);
    break;
  case COL_SOURCE:
    if (JSON_OBJECT == v->type)
      rb->source_given = true;
    else
      row_error_jv(rb, key, rule_of(col), v);
    break;
  case COL_CURRENCY:
  case COL_KIND:
  case COL_STATISTIC:
  case COL_BOUND:
  case COL_SCOPE:
  case COL_NOTE:
  case COL_ROLE:
  case COL_SUBJECT:
    if (JSON_STRING == v->type)
      set_text(rb, col, key, v->s, v->n);
    else if (!(null && nullable))
      row_error_jv(rb, key, COL_ROLE == col ? "must be a string or null" : rule_of(col), v);
    break;
  }
}

/* An object parsed by jansson. */
static void
ndjson_object(struct row_build *rb, const json_t *obj)
{
  const char *key;
  const json_t *v;

  json_object_foreach((json_t *) obj, key, v) {
    const struct column_name *c = find_column(key, strlen(key), false);
    struct jv value;

    if (NULL == c) {
      row_error(rb, key, "unknown field");
      continue;
    }
    value = jv_of(v);
    ndjson_member(rb, c, &value);
    if (COL_SOURCE == c->col && JSON_OBJECT == value.type)
      read_source_object(rb, v);
  }
}

/*
 * The shortcut for compact lines, the common case by far (a GET /salaries
 * item as json_dumps() writes it): jansson reads about 50 MB/s, which would
 * make parsing most of the time an import takes. It accepts only a subset
 * of JSON it can read exactly as jansson does: an object whose members are
 * the known ones, each once, with strings free of escapes, integers of at
 * most 18 digits and null, and a "source" object of the same kind. Any
 * other line (escapes, reals, true, false, arrays, unknown or repeated
 * members, anything malformed) is left to jansson, so that jansson's
 * reading, and its error messages, decide every line this one does not.
 */
#define SHORTCUT_MAX_MEMBERS 24

struct shortcut_member {
  const struct column_name *c; /* top level: which member; NULL inside "source" */
  const char *key;             /* the key, in the line */
  size_t key_len;
  struct jv v;                 /* v.s points into the line, NUL-terminated once accepted */
};

struct shortcut {
  char *p;
  char *end;
  struct shortcut_member m[SHORTCUT_MAX_MEMBERS];
  size_t n;
};

static void
sc_ws(struct shortcut *sc)
{
  while (sc->p < sc->end && (' ' == *sc->p || '\t' == *sc->p))
    sc->p++;
}

/* A string without escapes or control characters, in valid UTF-8. */
static bool
sc_string(struct shortcut *sc, const char **s, size_t *n)
{
  const unsigned char *u;
  const unsigned char *end = (const unsigned char *) sc->end;

  if (sc->p >= sc->end || '"' != *sc->p)
    return false;
  u = (const unsigned char *) ++sc->p;
  while (u < end && '"' != *u) {
    uint32_t cp;
    size_t len;

    if (*u >= 0x20 && *u < 0x80 && '\\' != *u) {
      u++;
      continue;
    }
    if (*u < 0x80)
      return false; /* an escape or a control character */
    len = utf8_decode(u, (size_t) (end - u), &cp);
    if (0 == len)
      return false;
    u += len;
  }
  if (u >= end)
    return false;
  *s = sc->p;
  *n = (size_t) ((const char *) u - sc->p);
  sc->p = (char *) u + 1;
  return true;
}

/* A string, an integer or null; a "source" object is read by the caller. */
static bool
sc_value(struct shortcut *sc, struct jv *v)
{
  char c;

  if (sc->p >= sc->end)
    return false;
  c = *sc->p;
  if ('"' == c) {
    v->type = JSON_STRING;
    return sc_string(sc, &v->s, &v->n);
  }
  if ('n' == c) {
    if (sc->end - sc->p < 4 || 0 != memcmp(sc->p, "null", 4))
      return false;
    sc->p += 4;
    v->type = JSON_NULL;
  } else if ('-' == c || (c >= '0' && c <= '9')) {
    bool neg = '-' == c;
    const char *digits = sc->p + neg;
    const char *d = digits;
    int64_t i = 0;

    /* 18 digits always fit in int64_t; longer numbers are left to jansson,
     * so they are only skipped here, never accumulated */
    for (; d < sc->end && *d >= '0' && *d <= '9'; d++)
      if (d - digits < 18)
        i = i * 10 + (*d - '0');
    /* JSON: no leading zero; no fraction or exponent here (jansson makes a real) */
    if (d == digits || d - digits > 18 || ('0' == *digits && d - digits > 1))
      return false;
    if (d < sc->end && ('.' == *d || 'e' == *d || 'E' == *d))
      return false;
    sc->p = (char *) d;
    v->type = JSON_INTEGER;
    v->i = neg ? -i : i;
  } else {
    return false;
  }
  /* what follows a value: white space, then ',' or '}' */
  sc_ws(sc);
  return sc->p < sc->end && (',' == *sc->p || '}' == *sc->p);
}

/* The members of one object, from just after its '{' to just after its
 * '}'. @a top: the item itself (else its "source"). */
static bool
sc_object(struct shortcut *sc, bool top)
{
  static const char *const source_keys[] = { "id", "section", "slug", "title" };
  unsigned seen = 0;

  sc_ws(sc);
  if (sc->p < sc->end && '}' == *sc->p) {
    sc->p++;
    return true;
  }
  for (;;) {
    struct shortcut_member *m;
    unsigned bit = 0;

    if (sc->n == SHORTCUT_MAX_MEMBERS)
      return false;
    m = &sc->m[sc->n++];
    if (!sc_string(sc, &m->key, &m->key_len))
      return false;
    m->c = NULL;
    if (top) {
      m->c = find_column(m->key, m->key_len, false);
      if (NULL != m->c)
        bit = 1u << (m->c - column_names);
    } else {
      for (unsigned k = 0; k < 4 && 0 == bit; k++)
        if (strlen(source_keys[k]) == m->key_len
            && 0 == memcmp(source_keys[k], m->key, m->key_len))
          bit = 1u << k;
    }
    /* unknown and repeated members are jansson's to report */
    if (0 == bit || 0 != (seen & bit))
      return false;
    seen |= bit;
    sc_ws(sc);
    if (sc->p >= sc->end || ':' != *sc->p++)
      return false;
    sc_ws(sc);
    if (top && COL_SOURCE == m->c->col && sc->p < sc->end && '{' == *sc->p) {
      sc->p++;
      m->v.type = JSON_OBJECT;
      if (!sc_object(sc, false))
        return false;
      sc_ws(sc);
    } else if (!sc_value(sc, &m->v)) {
      return false;
    }
    if (sc->p >= sc->end)
      return false;
    if ('}' == *sc->p) {
      sc->p++;
      return true;
    }
    if (',' != *sc->p++)
      return false;
    sc_ws(sc);
  }
}

/*
 * Reads @a line (@a n bytes, writable) through the shortcut.
 * @return false, having reported nothing, when the line is for jansson
 */
static bool
ndjson_shortcut(struct row_build *rb, char *line, size_t n)
{
  struct shortcut sc = { .p = line, .end = line + n };

  sc_ws(&sc);
  if (sc.p >= sc.end || '{' != *sc.p++ || !sc_object(&sc, true))
    return false;
  sc_ws(&sc);
  if (sc.p != sc.end)
    return false;
  /* accepted: each string ends where its closing quote is */
  for (size_t i = 0; i < sc.n; i++)
    if (JSON_STRING == sc.m[i].v.type)
      line[sc.m[i].v.s - line + (ptrdiff_t) sc.m[i].v.n] = '\0';
  for (size_t i = 0; i < sc.n; i++) {
    const struct shortcut_member *m = &sc.m[i];

    if (NULL != m->c)
      ndjson_member(rb, m->c, &m->v);
    else
      source_member(rb, m->key, m->key_len, &m->v);
  }
  return true;
}

/* One line, without its LF; @a too_long when it was not kept. */
static void
ndjson_line(struct import_parser *p, const char *s, size_t n, bool too_long)
{
  struct row_build *rb = &p->rb;
  json_error_t jerr;
  json_t *obj;
  size_t i;

  row_begin(rb, p->lines_done + 1);
  if (!too_long) {
    if (n > 0 && '\r' == s[n - 1])
      n--;
    for (i = 0; i < n && (' ' == s[i] || '\t' == s[i]); i++)
      ;
    if (i == n)
      return; /* blank */
    too_long = n > IMPORT_MAX_LINE;
  }
  if (too_long) {
    row_error(rb, "", "the line is longer than %d bytes", IMPORT_MAX_LINE);
    row_deliver(p, false);
    return;
  }
  /* the shortcut ends strings in place, so it needs the line in its own buffer */
  if (s != p->line)
    memcpy(p->line, s, n);
  if (ndjson_shortcut(rb, p->line, n)) {
    row_deliver(p, true);
    return;
  }
  obj = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
  if (NULL == obj) {
    char text[sizeof jerr.text + 4];

    sanitize(text, jerr.text, strlen(jerr.text), 100);
    row_error(rb, "", "is not valid JSON: %s (column %d)", text, jerr.column);
    row_deliver(p, false);
    return;
  }
  rb->hold = obj; /* the row borrows its strings */
  if (!json_is_object(obj)) {
    row_error(rb, "", "must be a JSON object");
    row_deliver(p, false);
    return;
  }
  ndjson_object(rb, obj);
  row_deliver(p, true);
}

static void
ndjson_feed(struct import_parser *p, const char *data, size_t len)
{
  while (len > 0 && IMPORT_CONTINUE == p->status) {
    const char *lf = memchr(data, '\n', len);
    size_t piece = NULL == lf ? len : (size_t) (lf - data);

    /* +1: a CR before the LF is not part of the line */
    if (!p->line_too_long && p->line_len + piece > IMPORT_MAX_LINE + 1) {
      p->line_too_long = true; /* keep no more of it */
      p->line_len = 0;
    }
    if (NULL == lf) {
      if (!p->line_too_long) {
        memcpy(p->line + p->line_len, data, piece);
        p->line_len += piece;
      }
      return;
    }
    if (p->line_too_long) {
      ndjson_line(p, NULL, 0, true);
    } else if (0 == p->line_len) {
      ndjson_line(p, data, piece, false); /* whole in this chunk: no copy */
    } else {
      memcpy(p->line + p->line_len, data, piece);
      ndjson_line(p, p->line, p->line_len + piece, false);
    }
    p->lines_done++;
    p->line_len = 0;
    p->line_too_long = false;
    data += piece + 1;
    len -= piece + 1;
  }
}

static void
ndjson_finish(struct import_parser *p)
{
  if (p->line_too_long || p->line_len > 0)
    ndjson_line(p, p->line, p->line_len, p->line_too_long);
  p->line_len = 0;
  p->line_too_long = false;
}

/* ---------------------------------------------------------------------------
 * API
 * ------------------------------------------------------------------------ */

struct import_parser *
import_parser_new(enum import_format format, import_row_fn cb, void *cls)
{
  struct import_parser *p = calloc(1, sizeof *p);

  if (NULL == p)
    return NULL;
  p->format = format;
  p->cb = cb;
  p->cls = cls;
  if (IMPORT_CSV == format) {
    p->row = malloc(ROW_CAP);
    if (NULL == p->row
        || 0 != csv_init(&p->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) {
      free(p->row);
      free(p);
      return NULL;
    }
    csv_set_space_func(&p->csv, csv_no_space);
    csv_set_blk_size(&p->csv, 4096);
  } else {
    p->line = malloc(IMPORT_MAX_LINE + 1);
    if (NULL == p->line) {
      free(p);
      return NULL;
    }
  }
  return p;
}

static void
feed_body(struct import_parser *p, const char *data, size_t len)
{
  if (IMPORT_CSV == p->format)
    csv_feed(p, data, len);
  else
    ndjson_feed(p, data, len);
}

enum import_status
import_parser_feed(struct import_parser *p, const char *data, size_t len)
{
  if (IMPORT_CONTINUE != p->status || p->finished)
    return p->status;
  while (!p->started && len > 0) {
    if ((unsigned char) *data == utf8_bom[p->bom_matched]) {
      data++;
      len--;
      p->started = ++p->bom_matched == sizeof utf8_bom;
    } else {
      p->started = true;
      if (p->bom_matched > 0) /* not a mark after all: those bytes are data */
        feed_body(p, (const char *) utf8_bom, p->bom_matched);
    }
  }
  if (len > 0 && IMPORT_CONTINUE == p->status)
    feed_body(p, data, len);
  return p->status;
}

enum import_status
import_parser_finish(struct import_parser *p)
{
  if (p->finished)
    return p->status;
  p->finished = true;
  if (IMPORT_CONTINUE != p->status)
    return p->status;
  if (!p->started && p->bom_matched > 0)
    feed_body(p, (const char *) utf8_bom, p->bom_matched);
  p->started = true;
  if (IMPORT_CONTINUE != p->status)
    return p->status;
  if (IMPORT_CSV == p->format)
    csv_finish(p);
  else
    ndjson_finish(p);
  return p->status;
}

const struct import_errors *
import_parser_errors(const struct import_parser *p)
{
  return &p->errors;
}

uint64_t
import_parser_rows(const struct import_parser *p)
{
  return p->rows;
}

void
import_parser_free(struct import_parser *p)
{
  if (NULL == p)
    return;
  if (IMPORT_CSV == p->format)
    csv_free(&p->csv);
  for (size_t i = 0; i < SOURCE_CACHE_SLOTS; i++)
    free(p->cache[i]);
  json_decref(p->rb.hold);
  free(p->row);
  free(p->line);
  free(p);
}
