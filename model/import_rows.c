/**
 * @file model/import_rows.c
 * @brief The import parser's life: a byte order mark skipped, the body
 *        handed to the CSV or NDJSON reader, the errors and counts.
 */
#include "model/import_rows.h"

#include <stdlib.h>

#include "model/rows_internal.h"

static const unsigned char utf8_bom[3] = { 0xEF, 0xBB, 0xBF };

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
    if (0 != csv_rows_init(p)) {
      free(p);
      return NULL;
    }
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
    csv_rows_feed(p, data, len);
  else
    ndjson_rows_feed(p, data, len);
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
    csv_rows_finish(p);
  else
    ndjson_rows_finish(p);
  return p->status;
}

const struct field_errors *
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
