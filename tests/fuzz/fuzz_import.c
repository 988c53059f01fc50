/**
 * @file tests/fuzz/fuzz_import.c
 * @brief libFuzzer target: a POST /import body, CSV or NDJSON, through the
 *        streaming row parser (import_rows.c). The first byte chooses the
 *        format and a chunk size; the body is parsed twice, whole and cut
 *        into chunks of that size, and both parses must report the same
 *        rows and errors: the parser promises that where the body is cut
 *        does not matter. Every valid row must also satisfy the bounds the
 *        parser documents.
 */
#include <stdlib.h>
#include <string.h>

#include "model/import_rows.h"
#include "handlers/validate.h"
#include "model/country.h"
#include "model/vocab.h"
#include "tests/fuzz/fuzz_support.h"

/* What a parse reported, folded so that two parses can be compared. */
struct outcome {
  uint64_t rows;
  uint64_t bad;
  uint64_t hash;
};

static uint64_t
fold(uint64_t h, const void *data, size_t len)
{
  const unsigned char *p = data;

  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= UINT64_C(1099511628211);
  }
  return h;
}

static uint64_t
fold_str(uint64_t h, const char *s)
{
  return NULL == s ? fold(h, "\x01", 1) : fold(h, s, strlen(s) + 1);
}

static void
check_factors(const struct report_factors *f)
{
  if (NULL != f->location && LOCATION_OK != location_check(f->location, strlen(f->location)))
    fuzz_fail("a row passed with a location that is not a country or subdivision");
  if (f->has_experience && (f->experience_years < 0 || f->experience_years > MODEL_EXPERIENCE_MAX))
    fuzz_fail("a row passed with experience out of range");
  if (NULL != f->industry && 0 != validate_slug(f->industry))
    fuzz_fail("a row passed with an industry that is not a slug");
}

static void
check_row(const struct salary_report *row)
{
  if (row->amount < 1 || row->amount > IMPORT_AMOUNT_MAX)
    fuzz_fail("a row passed with an amount out of range");
  if (NULL == row->kind || NULL == row->statistic || NULL == row->bound)
    fuzz_fail("a row passed without kind, statistic or bound");
  if (NULL == row->role && NULL == row->subject)
    fuzz_fail("a row passed with neither role nor subject");
  if (NULL != row->role && 0 != validate_slug(row->role))
    fuzz_fail("a row passed with a role that is not a slug");
  if (row->has_year && (row->year < 1900 || row->year > 2100))
    fuzz_fail("a row passed with a year out of range");
  if (row->has_source && (row->source_id < 1 || NULL == row->section))
    fuzz_fail("a row passed with a source but no id or section");
  check_factors(&row->factors);
}

static int
on_row(void *cls, const struct salary_report *row, const struct field_error *errors,
       size_t n_errors)
{
  struct outcome *o = cls;

  o->rows++;
  if (NULL != row) {
    if (0 != n_errors)
      fuzz_fail("a valid row came with errors");
    check_row(row);
    o->hash = fold(o->hash, &row->line, sizeof row->line);
    o->hash = fold(o->hash, &row->amount, sizeof row->amount);
    o->hash = fold_str(o->hash, row->role);
    o->hash = fold_str(o->hash, row->subject);
    o->hash = fold_str(o->hash, row->note);
    o->hash = fold_str(o->hash, row->scope);
    o->hash = fold_str(o->hash, row->section);
    o->hash = fold_str(o->hash, row->factors.location);
    o->hash = fold_str(o->hash, row->factors.industry);
    o->hash = fold_str(o->hash, row->factors.education);
    o->hash = fold_str(o->hash, row->factors.company_stage);
    o->hash = fold(o->hash, &row->factors.experience_years, sizeof row->factors.experience_years);
    o->hash = fold(o->hash, &row->factors.remote, sizeof row->factors.remote);
    return 0;
  }
  if (0 == n_errors || n_errors > IMPORT_ROW_MAX_ERRORS)
    fuzz_fail("a bad row without errors, or with too many");
  o->bad++;
  for (size_t i = 0; i < n_errors; i++) {
    if (NULL == memchr(errors[i].field, '\0', sizeof errors[i].field)
        || NULL == memchr(errors[i].reason, '\0', sizeof errors[i].reason))
      fuzz_fail("an error that is not a string");
    o->hash = fold(o->hash, &errors[i].line, sizeof errors[i].line);
    o->hash = fold_str(o->hash, errors[i].field);
    o->hash = fold_str(o->hash, errors[i].reason);
  }
  return 0;
}

static enum import_status
parse(enum import_format format, const char *body, size_t len, size_t chunk, struct outcome *o)
{
  struct import_parser *p = import_parser_new(format, on_row, o);
  enum import_status st = IMPORT_CONTINUE;
  const struct field_errors *errs;

  if (NULL == p)
    fuzz_fail("out of memory making a parser");
  for (size_t off = 0; IMPORT_CONTINUE == st && off < len; off += chunk)
    st = import_parser_feed(p, body + off, len - off < chunk ? len - off : chunk);
  if (IMPORT_CONTINUE == st)
    st = import_parser_finish(p);
  errs = import_parser_errors(p);
  if (errs->count > IMPORT_MAX_ERRORS || errs->count > errs->total)
    fuzz_fail("import error counts out of bounds");
  o->hash = fold(o->hash, &errs->total, sizeof errs->total);
  o->hash = fold(o->hash, &errs->bad_rows, sizeof errs->bad_rows);
  for (size_t i = 0; i < errs->count; i++) {
    o->hash = fold(o->hash, &errs->items[i].line, sizeof errs->items[i].line);
    o->hash = fold_str(o->hash, errs->items[i].field);
    o->hash = fold_str(o->hash, errs->items[i].reason);
  }
  if (import_parser_rows(p) != o->rows)
    fuzz_fail("the parser's row count disagrees with the rows it passed on");
  import_parser_free(p);
  return st;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  enum import_format format;
  size_t chunk;
  struct outcome whole = { .hash = UINT64_C(14695981039346656037) };
  struct outcome cut = { .hash = UINT64_C(14695981039346656037) };
  enum import_status st_whole;
  enum import_status st_cut;

  if (size < 1)
    return 0;
  format = (data[0] & 1) ? IMPORT_NDJSON : IMPORT_CSV;
  chunk = (size_t) (data[0] >> 1) + 1; /* 1..128 */
  data++;
  size--;
  st_whole = parse(format, (const char *) data, size, size > 0 ? size : 1, &whole);
  st_cut = parse(format, (const char *) data, size, chunk, &cut);
  if (st_whole != st_cut || whole.rows != cut.rows || whole.bad != cut.bad
      || whole.hash != cut.hash)
    fuzz_fail("the same body cut into chunks parsed differently");
  return 0;
}
