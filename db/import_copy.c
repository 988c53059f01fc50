/**
 * @file db/import_copy.c
 * @brief The rows of an import on PostgreSQL: streamed by COPY (text
 *        format) instead of batched INSERTs, with the ids SQLite would
 *        give them assigned here.
 *
 * The COPY stays open while rows arrive and is ended only when the
 * connection is needed for something else (looking up a role or source
 * not seen yet), when COPY_MAX_ROWS rows have gone into it, or at the end;
 * the next row starts another. Every COPY runs in the import's one
 * transaction, so a refused row, an abandoned upload or a lost connection
 * leaves none of the import's rows.
 */
#include "db/import_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/copy.h"
#include "db/write.h"

/* Bytes of COPY text gathered before they are handed to libpq: large
 * pieces cost fewer calls, and libpq sends as it goes. */
#define COPY_CHUNK (256 * 1024)
/* Rows in one COPY: bounds the memory that maps a refused row back to
 * its line; ending a COPY and starting the next costs one round trip. */
#define COPY_MAX_ROWS 65536

/* One row as it is written: the parsed report and what the session adds. */
struct copy_row {
  const struct salary_report *row;
  int64_t id;
  int64_t role_id;     /* 0: none */
  int64_t industry_id; /* 0: none */
  int64_t source_id;
  const char *section;
};

/*
 * The columns of salaries an import writes, in order, and where each value
 * comes from (c is a const struct copy_row *): adding a column is one line.
 * X(column, type, present, value): type INT (value written when present,
 * else NULL) or TEXT (value a string, NULL for NULL).
 */
#define IMPORT_COPY_COLUMNS(X, c) \
  X("id",         INT,  true,                 (c)->id) \
  X("role_id",    INT,  0 != (c)->role_id,    (c)->role_id) \
  X("subject",    TEXT, true,                 (c)->row->subject) \
  X("amount_usd", INT,  true,                 (c)->row->amount) \
  X("kind",       TEXT, true,                 (c)->row->kind) \
  X("statistic",  TEXT, true,                 (c)->row->statistic) \
  X("bound",      TEXT, true,                 (c)->row->bound) \
  X("scope",      TEXT, true,                 (c)->row->scope) \
  X("year",       INT,  (c)->row->has_year,   (c)->row->year) \
  X("source_id",  INT,  true,                 (c)->source_id) \
  X("section",    TEXT, true,                 (c)->section) \
  X("note",       TEXT, true,                 (c)->row->note) \
  X("location",   TEXT, true,                 (c)->row->factors.location) \
  X("remote",     INT,  (c)->row->factors.has_remote, (c)->row->factors.remote) \
  X("experience_years", INT, (c)->row->factors.has_experience, \
    (c)->row->factors.experience_years) \
  X("education",  TEXT, true,                 (c)->row->factors.education) \
  X("industry_id", INT, 0 != (c)->industry_id, (c)->industry_id) \
  X("company_stage", TEXT, true,              (c)->row->factors.company_stage)

#define COLUMN_NAME(column, type, present, value) ", " column
#define COLUMN_PUT(column, type, present, value) ok = ok && 0 == put_##type(b, present, value);

static const char copy_columns[] = IMPORT_COPY_COLUMNS(COLUMN_NAME, unused);
static const char max_id_sql[] = "SELECT coalesce(max(id), 0) FROM salaries";

static int
reserve(struct copy_buffer *b, size_t more)
{
  size_t cap = 0 != b->cap ? b->cap : COPY_CHUNK * 2;
  char *p;

  if (b->len + more <= b->cap)
    return 0;
  while (cap < b->len + more)
    cap *= 2;
  if (NULL == (p = realloc(b->data, cap)))
    return -1;
  b->data = p;
  b->cap = cap;
  return 0;
}

static int
put_INT(struct copy_buffer *b, bool present, int64_t v)
{
  char digits[24];
  size_t n = 0;
  uint64_t u = v < 0 ? 0 - (uint64_t) v : (uint64_t) v;

  if (0 != reserve(b, sizeof digits))
    return -1;
  if (!present) {
    memcpy(b->data + b->len, "\\N\t", 3);
    b->len += 3;
    return 0;
  }
  do
    digits[n++] = (char) ('0' + u % 10);
  while (0 != (u /= 10));
  if (v < 0)
    b->data[b->len++] = '-';
  while (n > 0)
    b->data[b->len++] = digits[--n];
  b->data[b->len++] = '\t';
  return 0;
}

/* COPY text: a backslash, tab, newline or carriage return in a value is
 * escaped, so that it cannot end the field or the row; \N is NULL. */
static int
put_TEXT(struct copy_buffer *b, bool present, const char *s)
{
  size_t len = present && NULL != s ? strlen(s) : 0;

  if (0 != reserve(b, 2 * len + 3))
    return -1;
  if (!present || NULL == s) {
    memcpy(b->data + b->len, "\\N\t", 3);
    b->len += 3;
    return 0;
  }
  for (;;) {
    size_t plain = strcspn(s, "\\\t\n\r");

    memcpy(b->data + b->len, s, plain);
    b->len += plain;
    s += plain;
    if ('\0' == *s)
      break;
    b->data[b->len++] = '\\';
    b->data[b->len++] = '\\' == *s ? '\\' : '\t' == *s ? 't' : '\n' == *s ? 'n' : 'r';
    s++;
  }
  b->data[b->len++] = '\t';
  return 0;
}

/* Appends @a c as one line of COPY text. @return 0, or -1 out of memory */
static int
copy_row_put(struct copy_buffer *b, const struct copy_row *c)
{
  bool ok = true;

  IMPORT_COPY_COLUMNS(COLUMN_PUT, c)
  if (ok)
    b->data[b->len - 1] = '\n'; /* the last field's tab ends the row */
  return ok ? 0 : -1;
}

enum db_status
import_copy_prepare(struct import_session *s)
{
  struct db_stmt *stmt = db_stmt(s->db, max_id_sql);
  enum db_status st;

  /* the write lock is held: no other writer moves the largest id */
  if (NULL == stmt)
    return DB_HARD;
  st = db_step(stmt, "import_max_id");
  s->next_id = db_column_int64(stmt, 0) + 1;
  db_stmt_done(stmt);
  if (DB_ONE != st)
    return st < DB_NONE ? st : DB_HARD;
  s->copy_lines = malloc(COPY_MAX_ROWS * sizeof *s->copy_lines);
  if (NULL == s->copy_lines)
    return DB_HARD;
  snprintf(s->copy_sql, sizeof s->copy_sql, "COPY salaries (%s) FROM STDIN", copy_columns + 2);
  s->copy = true;
  return DB_ONE;
}

/* Hands the gathered text to libpq. */
static enum db_status
copy_send(struct import_session *s)
{
  enum db_status st = DB_ONE;

  if (s->copy_buf.len > 0)
    st = db_copy_put(s->db, s->copy_buf.data, s->copy_buf.len);
  s->copy_buf.len = 0;
  return st;
}

enum db_status
import_copy_flush(struct import_session *s)
{
  enum db_status st;
  uint64_t at = 0;

  if (!db_copy_open(s->db))
    return DB_ONE;
  st = copy_send(s);
  if (DB_ONE != st) {
    import_copy_abandon(s);
    return st;
  }
  st = db_copy_end(s->db, NULL, &at);
  if (DB_NONE == st) {
    uint64_t line = at >= 1 && at <= s->copy_rows ? s->copy_lines[at - 1] : s->copy_lines[0];

    import_row_error(s, line, "", "this row was refused by the database: %s", db_errmsg(s->db));
    /* nothing more is written; the checks that go on need a working connection */
    db_write_rollback(s->db);
  }
  s->copy_rows = 0;
  return st;
}

void
import_copy_abandon(struct import_session *s)
{
  uint64_t at;

  s->copy_buf.len = 0;
  s->copy_rows = 0;
  if (db_copy_open(s->db))
    (void) db_copy_end(s->db, "the import was abandoned; none of its rows is kept", &at);
}

enum db_status
import_copy_add(struct import_session *s, const struct salary_report *row, int64_t rid,
                int64_t iid)
{
  const char *section = row->has_source ? row->section : NULL;
  struct copy_row c = {
    .row = row, .id = s->next_id, .role_id = rid, .industry_id = iid,
    .source_id = row->has_source ? row->source_id : s->source_id,
    .section = NULL != section ? section : IMPORT_SECTION,
  };
  enum db_status st;

  if (!db_copy_open(s->db) && DB_ONE != (st = db_copy_begin(s->db, s->copy_sql)))
    return st;
  if (0 != copy_row_put(&s->copy_buf, &c))
    return DB_HARD;
  s->next_id++;
  s->copy_lines[s->copy_rows++] = row->line;
  if (COPY_MAX_ROWS == s->copy_rows)
    return import_copy_flush(s);
  return s->copy_buf.len >= COPY_CHUNK ? copy_send(s) : DB_ONE;
}

void
import_copy_free(struct import_session *s)
{
  import_copy_abandon(s);
  free(s->copy_buf.data);
  free(s->copy_lines);
}
