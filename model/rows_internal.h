/**
 * @file model/rows_internal.h
 * @brief What the import's readers share: the columns (members) of a
 *        salary report row, the row being checked, and the parser state.
 *        Only model/import_rows.c, model/row_fields.c, model/csv_rows.c,
 *        model/ndjson_rows.c and model/ndjson_shortcut.c include it.
 */
#ifndef TECHPAY_MODEL_ROWS_INTERNAL_H
#define TECHPAY_MODEL_ROWS_INTERNAL_H

#include <csv.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/field_rule.h"
#include "model/import_rows.h"

/* Bytes given to libcsv per call: its field buffer can outgrow the row
 * limit by at most this much before the limit is checked. */
#define CSV_SLICE 65536
/* More columns than a header can sensibly have (18 members, 4 flattened). */
#define MAX_COLUMNS 32
/* The row buffer: every field with its NUL. */
#define ROW_CAP (IMPORT_MAX_LINE + MAX_COLUMNS + 1)
/* Parsed "source" cells of the CSV export, by text: a few sources and
 * sections repeat across many rows, and each parse costs a microsecond. */
#define SOURCE_CACHE_SLOTS 64
#define SOURCE_CACHE_TEXT 1024
/* How many bytes of a name an error quotes. */
#define QUOTE_MAX 32

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
  COL_LOCATION,
  COL_REMOTE,
  COL_EXPERIENCE,
  COL_EDUCATION,
  COL_INDUSTRY,
  COL_COMPANY_STAGE,
  COL__COUNT
};

struct column_name {
  const char *name;
  enum column col;
  bool flat; /* a flattened CSV column, not a member of the JSON object */
};


/* The members and columns, in the order of enum column's bits. */
#define N_COLUMN_NAMES 22
extern const struct column_name column_names[N_COLUMN_NAMES];
/* Every known column, for the message about an unknown one. */
extern const char known_columns[];

/* A row being checked: the observation so far and its problems. */
struct row_build {
  struct salary_report row;
  struct field_errors errs; /* keeps IMPORT_ROW_MAX_ERRORS */
  bool given[COL__COUNT]; /* members given a value (not empty, not null), valid or not */
  bool source_given;  /* a source object, or a flattened source cell, was given */
  bool source_bad;    /* ... and a problem with it is reported already */
  json_t *hold;       /* a parsed "source" cell whose strings the row borrows */
};

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
  struct field_errors errors;
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

/* row_fields.c: checking one row */

/* @return the member or column named @a name; flattened CSV columns only with @a flat_ok */
const struct column_name *find_column(const char *name, size_t n, bool flat_ok);
/* Whether GET /salaries serves null for the member of @a col (its rule accepts null). */
bool column_nullable(enum column col);
void row_error(struct row_build *rb, const char *field, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
/*
 * Checks value @a v of column @a col (named @a field) against its rule and
 * keeps it when it passes; a refusal quotes @a shown (the value as written;
 * NULL: @a v). @a mention_null: the message says null is accepted too.
 */
void row_set(struct row_build *rb, enum column col, const char *field,
             const struct field_value *v, const struct field_value *shown, bool mention_null);
/* A whole number cell written in ASCII digits only. */
void row_set_digits(struct row_build *rb, enum column col, const char *field, const char *s,
                    size_t n);
/* One member of a source object: id and section; slug and title are ignored. */
void source_member(struct row_build *rb, const char *key, size_t klen,
                   const struct field_value *v);
/* The members of a source object parsed by jansson. */
void read_source_object(struct row_build *rb, const json_t *obj);
/* Starts a row (the error slots are left as they are: only the count matters). */
void row_begin(struct row_build *rb, uint64_t line);
/* Records the row's problems (after the checks across fields, when
 * @a check) and passes the row, or its problems, to the callback. */
void row_deliver(struct import_parser *p, bool check);
void errors_add(struct field_errors *errs, uint64_t line, const char *field, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));
/* A fatal problem of the body: recorded, not passed to the callback. */
void parse_fail(struct import_parser *p, uint64_t line, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
/* Line ends in @a s: CRLF, a lone CR and a lone LF each count once. */
uint64_t count_line_ends(const char *s, size_t n);

/* csv_rows.c */
int csv_rows_init(struct import_parser *p);
void csv_rows_feed(struct import_parser *p, const char *data, size_t len);
void csv_rows_finish(struct import_parser *p);

/* ndjson_rows.c */
void ndjson_rows_feed(struct import_parser *p, const char *data, size_t len);
void ndjson_rows_finish(struct import_parser *p);
/* ndjson_shortcut.c: @return false, having reported nothing, when the line is for jansson */
bool ndjson_shortcut(struct row_build *rb, char *line, size_t n);
/* One member of a GET /salaries item (@a c: which). */
void ndjson_member(struct row_build *rb, const struct column_name *c,
                   const struct field_value *v);

#endif
