/**
 * @file http/csv.c
 * @brief JSON rows to CSV through one growing buffer.
 */
#include "http/csv.h"

#include "http/reply.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
  char *data;
  size_t len;
  size_t cap;
  bool failed; /* out of memory: later appends do nothing */
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
  if (b->failed)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    char *p;

    while (b->len + n + 1 > cap)
      cap *= 2;
    p = realloc(b->data, cap);
    if (NULL == p) {
      b->failed = true;
      return;
    }
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

/* Appends @a s as one field, quoted when RFC 4180 requires it (or when
 * @a force_quotes). A @a text field that a spreadsheet would take for a
 * formula gets a leading quote, and is quoted so the quote stays visible
 * as part of the cell. */
static void
add_field(struct buf *b, const char *s, size_t n, bool force_quotes, bool text)
{
  const char *q;
  bool guard = text && csv_text_needs_guard(s, n);

  if (!force_quotes && !guard && NULL == memchr(s, ',', n) && NULL == memchr(s, '"', n)
      && NULL == memchr(s, '\r', n) && NULL == memchr(s, '\n', n)) {
    buf_add(b, s, n);
    return;
  }
  buf_add(b, guard ? "\"'" : "\"", guard ? 2 : 1);
  while (NULL != (q = memchr(s, '"', n))) {
    size_t run = (size_t) (q - s) + 1;

    buf_add(b, s, run); /* up to and including the quote ... */
    buf_add(b, "\"", 1); /* ... which is then doubled */
    s += run;
    n -= run;
  }
  buf_add(b, s, n);
  buf_add(b, "\"", 1);
}

static void
add_value(struct buf *b, const json_t *v)
{
  char num[32];
  char *text;
  int n;

  switch (json_typeof(v)) {
  case JSON_STRING:
    add_field(b, json_string_value(v), json_string_length(v), false, true);
    break;
  case JSON_INTEGER:
    n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    buf_add(b, num, (size_t) n);
    break;
  case JSON_TRUE:
    buf_add(b, "true", 4);
    break;
  case JSON_FALSE:
    buf_add(b, "false", 5);
    break;
  case JSON_NULL:
    break;
  case JSON_REAL:
  case JSON_ARRAY:
  case JSON_OBJECT:
    /* Exactly the text the JSON representation carries. */
    text = json_dumps(v, REPLY_JSON_FLAGS | JSON_ENCODE_ANY);
    if (NULL == text) {
      b->failed = true;
      break;
    }
    add_field(b, text, strlen(text), JSON_REAL != json_typeof(v), false);
    free(text);
    break;
  }
}

static void
add_header(struct buf *b, const json_t *first)
{
  const char *key;
  const json_t *v;
  bool sep = false;

  json_object_foreach((json_t *) first, key, v) {
    if (sep)
      buf_add(b, ",", 1);
    add_field(b, key, strlen(key), false, true);
    sep = true;
  }
  buf_add(b, "\r\n", 2);
}

static void
add_record(struct buf *b, const json_t *first, const json_t *row)
{
  const char *key;
  const json_t *v;
  bool sep = false;

  json_object_foreach((json_t *) first, key, v) {
    const json_t *field = json_object_get(row, key);

    if (sep)
      buf_add(b, ",", 1);
    if (NULL != field)
      add_value(b, field);
    sep = true;
  }
  buf_add(b, "\r\n", 2);
}

char *
csv_from_rows(const json_t *rows, size_t *len)
{
  struct buf b = { 0 };
  const json_t *first = json_array_get(rows, 0);
  size_t i;
  const json_t *row;

  *len = 0;
  if (!json_is_array(rows))
    return NULL;
  json_array_foreach(rows, i, row)
    if (!json_is_object(row))
      return NULL;
  buf_add(&b, "", 0); /* an empty array still gives a (empty) string */
  if (NULL != first) {
    add_header(&b, first);
    json_array_foreach(rows, i, row)
      add_record(&b, first, row);
  }
  if (b.failed) {
    free(b.data);
    return NULL;
  }
  *len = b.len;
  return b.data;
}
