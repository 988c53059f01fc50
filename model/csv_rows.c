/**
 * @file model/csv_rows.c
 * @brief The CSV reader of the import, through libcsv: an RFC 4180 parser
 *        that keeps its state between calls, so a chunk may end anywhere,
 *        even inside a quoted field. It hands over one field at a time;
 *        the fields of the current row are copied into one fixed buffer,
 *        and the row is checked when libcsv reports its end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/rows_internal.h"
#include "model/text.h"
#include "util/csv_guard.h"
#include "util/hash.h"

/* Appends ", name" (or "name" first) to @a list when it still fits. */
static void
list_add(char *list, size_t size, const char *name, size_t n)
{
  size_t used = strlen(list);
  char clean[QUOTE_MAX + 4];

  if (n > 0)
    text_sanitize(clean, name, n, QUOTE_MAX);
  else
    snprintf(clean, sizeof clean, "(empty)");
  snprintf(list + used, size - used, "%s%s", 0 == used ? "" : ", ", clean);
}

/* The header row: known columns, each once, the required ones present.
 * Every problem is reported, then the parse ends. */
static void
csv_header(struct import_parser *p)
{
  struct field_errors *e = &p->errors;
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

/* A "source" cell that is not the JSON text of an object. */
static void
source_text_refused(struct row_build *rb, const char *s, size_t n)
{
  struct field_value text = { .type = JSON_STRING, .s = s, .n = n };
  char got[QUOTE_MAX + 8];

  rb->source_given = true;
  rb->source_bad = true;
  field_value_describe(&text, got, sizeof got);
  row_error(rb, "source", "must be the JSON text of an object, not %s", got);
}

/* The "source" cell of the CSV export: the compact JSON text of the object. */
static void
csv_source_cell(struct import_parser *p, const char *s, size_t n)
{
  struct row_build *rb = &p->rb;
  size_t slot = (size_t) (hash_bytes(HASH_INIT, s, n) % SOURCE_CACHE_SLOTS);
  struct source_slot *c = p->cache[slot];
  uint64_t before = rb->errs.total;
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
    source_text_refused(rb, s, n);
    return;
  }
  read_source_object(rb, obj);
  rb->hold = obj; /* the row borrows the section */
  if (rb->errs.total != before || !rb->row.has_source || NULL == rb->row.section
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

static void
csv_text_cell(struct row_build *rb, enum column col, const char *field, const char *s, size_t n)
{
  /* the export's guard against spreadsheet formulas is not data */
  size_t guard = csv_text_guard_len(s, n);
  struct field_value text = { .type = JSON_STRING, .s = s + guard, .n = n - guard };

  row_set(rb, col, field, &text, NULL, false);
}

/* true and false as the export writes them (JSON's words); any other
 * text is refused as a string, quoted. */
static void
csv_boolean_cell(struct row_build *rb, enum column col, const char *field, const char *s,
                 size_t n)
{
  struct field_value v = { .type = JSON_STRING, .s = s, .n = n };

  if (4 == n && 0 == memcmp(s, "true", 4))
    v.type = JSON_TRUE;
  else if (5 == n && 0 == memcmp(s, "false", 5))
    v.type = JSON_FALSE;
  row_set(rb, col, field, &v, NULL, false);
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
    case COL_EXPERIENCE:
      row_set_digits(rb, col, field, s, n);
      break;
    case COL_REMOTE:
      csv_boolean_cell(rb, col, field, s, n);
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
    case COL_SUBJECT:
    case COL_LOCATION:
    case COL_EDUCATION:
    case COL_INDUSTRY:
    case COL_COMPANY_STAGE:
      csv_text_cell(rb, col, field, s, n);
      break;
    }
  }
  row_deliver(p, true);
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
    parse_fail(p, p->row_line, "the row is longer than %d bytes", IMPORT_MAX_LINE);
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

void
csv_rows_feed(struct import_parser *p, const char *data, size_t len)
{
  while (len > 0 && IMPORT_CONTINUE == p->status) {
    size_t n = len < CSV_SLICE ? len : CSV_SLICE;
    size_t done = csv_parse(&p->csv, data, n, csv_on_field, csv_on_row, p);

    if (IMPORT_CONTINUE != p->status)
      return;
    if (done < n) {
      if (CSV_EPARSE == csv_error(&p->csv))
        parse_fail(p, csv_current_line(p),
             "malformed CSV: a field with a quote must be quoted whole, with its quotes"
             " doubled and nothing after its closing quote");
      else
        p->status = IMPORT_NOMEM;
      return;
    }
    if (p->row_bytes + p->csv.entry_pos > IMPORT_MAX_LINE + 1) {
      parse_fail(p, 0 == p->n_fields ? p->lines_done + 1 : p->row_line,
           "the row is longer than %d bytes", IMPORT_MAX_LINE);
      return;
    }
    data += n;
    len -= n;
  }
}

void
csv_rows_finish(struct import_parser *p)
{
  uint64_t line = 0 == p->n_fields ? p->lines_done + 1 : p->row_line;

  if (0 != csv_fini(&p->csv, csv_on_field, csv_on_row, p) && IMPORT_CONTINUE == p->status)
    parse_fail(p, line, "malformed CSV: a quoted field is not closed");
}

int
csv_rows_init(struct import_parser *p)
{
  p->row = malloc(ROW_CAP);
  if (NULL == p->row || 0 != csv_init(&p->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) {
    free(p->row);
    p->row = NULL;
    return -1;
  }
  csv_set_space_func(&p->csv, csv_no_space);
  csv_set_blk_size(&p->csv, 4096);
  return 0;
}
