/**
 * @file model/ndjson_rows.c
 * @brief The NDJSON reader of the import: the body is split into lines
 *        here (a line is copied, into a fixed buffer, only when it
 *        straddles two chunks) and each line is read by the shortcut
 *        (model/ndjson_shortcut.c) or by jansson.
 */
#include <stdio.h>
#include <string.h>

#include "model/rows_internal.h"
#include "model/text.h"

/* One member of a GET /salaries item (@a c: which). A source object's own
 * members are the caller's to pass to source_member(). null is "none"
 * where GET /salaries serves null; elsewhere a bad value. */
void
ndjson_member(struct row_build *rb, const struct column_name *c, const struct field_value *v)
{
  enum column col = c->col;
  bool null = JSON_NULL == v->type;
  bool nullable = column_nullable(col);
  bool no_role = COL_ROLE == col && JSON_STRING == v->type && 0 == v->n;

  rb->given[col] = !(null && nullable) && !no_role;
  if ((null && nullable) || no_role)
    return;
  if (COL_SOURCE == col && JSON_OBJECT == v->type) {
    rb->source_given = true;
    return;
  }
  /* a number out of range is refused for its range, not for not being null */
  row_set(rb, col, c->name, v, NULL,
          nullable && !((COL_YEAR == col || COL_EXPERIENCE == col) && JSON_INTEGER == v->type));
}

/* An object parsed by jansson. */
static void
ndjson_object(struct row_build *rb, const json_t *obj)
{
  const char *key;
  const json_t *v;

  json_object_foreach((json_t *) obj, key, v) {
    const struct column_name *c = find_column(key, strlen(key), false);
    struct field_value value;

    if (NULL == c) {
      row_error(rb, key, "unknown field");
      continue;
    }
    value = field_value_of_json(v);
    ndjson_member(rb, c, &value);
    if (COL_SOURCE == c->col && JSON_OBJECT == value.type)
      read_source_object(rb, v);
  }
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

    text_sanitize(text, jerr.text, strlen(jerr.text), 100);
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

void
ndjson_rows_feed(struct import_parser *p, const char *data, size_t len)
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

void
ndjson_rows_finish(struct import_parser *p)
{
  if (p->line_too_long || p->line_len > 0)
    ndjson_line(p, p->line, p->line_len, p->line_too_long);
  p->line_len = 0;
  p->line_too_long = false;
}
