/**
 * @file db/import_write.c
 * @brief The rows of an import: each checked against the database (its
 *        role, source and industry exist, all cached), then written in
 *        batches of BATCH_ROWS by one INSERT.
 */
#include "db/import_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/engine.h"
#include "db/report_factors.h"
#include "util/hash.h"

/* OR ROLLBACK: a refused row ends the whole import anyway, and without
 * statement-level undo SQLite keeps no statement journal for each INSERT. */
#define INSERT_HEAD \
  "INSERT OR ROLLBACK INTO salaries (role_id, subject, amount_usd, kind, statistic, bound," \
  " scope, year, source_id, section, note, " DB_FACTOR_COLUMNS ") VALUES "
#define INSERT_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
static const char insert_sql[] = INSERT_HEAD INSERT_ROW;
/* PostgreSQL: a refused row aborts the transaction anyway; row k of a
 * statement gets SQLite's id, the largest before it plus k (every
 * subquery of one statement sees the rows as they were at its start). */
#define INSERT_HEAD_PG \
  "INSERT INTO salaries (id, role_id, subject, amount_usd, kind, statistic, bound," \
  " scope, year, source_id, section, note, " DB_FACTOR_COLUMNS ") VALUES "
#define INSERT_ROW_PG "((SELECT coalesce(max(id), 0) + %d FROM salaries), " \
  "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
static const char role_lookup_sql[] = "SELECT id FROM roles WHERE slug = ?1";
static const char source_lookup_sql[] = "SELECT 1 FROM sources WHERE id = ?1";
static const char industry_lookup_sql[] = "SELECT id FROM industries WHERE slug = ?1";

/* The INSERT of @a rows rows, in @a sql (room for BATCH_ROWS). */
static void
batch_text(bool pg, int rows, char *sql, size_t size)
{
  size_t len = (size_t) snprintf(sql, size, "%s", pg ? INSERT_HEAD_PG : INSERT_HEAD);

  for (int i = 1; i <= rows; i++) {
    len += (size_t) snprintf(sql + len, size - len, "%s", 1 == i ? "" : ", ");
    if (pg)
      len += (size_t) snprintf(sql + len, size - len, INSERT_ROW_PG, i);
    else
      len += (size_t) snprintf(sql + len, size - len, "%s", INSERT_ROW);
  }
}

enum db_status
import_rows_prepare(struct import_session *s)
{
  char batch_sql[sizeof INSERT_HEAD_PG + BATCH_ROWS * (sizeof ", " INSERT_ROW_PG + 8)];
  char one_sql[sizeof batch_sql];
  bool pg = db_is_postgresql(s->db);

  batch_text(pg, BATCH_ROWS, batch_sql, sizeof batch_sql);
  batch_text(pg, 1, one_sql, sizeof one_sql);
  s->arena.first_cap = 16384;
  s->slugs = calloc(SLUG_CACHE_SIZE, sizeof *s->slugs);
  s->touched_cap = 64;
  s->touched = calloc(s->touched_cap, sizeof *s->touched);
  if (NULL == s->slugs || NULL == s->touched)
    return DB_HARD;
  s->insert = db_stmt(s->db, pg ? one_sql : insert_sql);
  s->insert_batch = db_stmt(s->db, batch_sql);
  if (pg && !s->dry_run && DB_ONE != import_copy_prepare(s))
    return DB_HARD;
  s->role_lookup = db_stmt(s->db, role_lookup_sql);
  s->source_lookup = db_stmt(s->db, source_lookup_sql);
  s->industry_lookup = db_stmt(s->db, industry_lookup_sql);
  if (NULL == s->insert || NULL == s->insert_batch || NULL == s->role_lookup
      || NULL == s->source_lookup || NULL == s->industry_lookup)
    return DB_HARD;
  return DB_ONE;
}

static uint64_t
fnv1a(const char *s)
{
  uint64_t h = hash_str(HASH_INIT, s);

  return 0 == h ? 1 : h;
}

void
import_row_error(struct import_session *s, uint64_t line, const char *field, const char *fmt, ...)
{
  struct field_error *e;
  va_list ap;

  s->doomed = true;
  if (NULL == (e = field_errors_next(&s->errors)))
    return;
  e->line = line;
  snprintf(e->field, sizeof e->field, "%s", field);
  va_start(ap, fmt);
  vsnprintf(e->reason, sizeof e->reason, fmt, ap);
  va_end(ap);
}

/* The id of role @a slug (0 when there is none), cached. */
static enum db_status
role_id(struct import_session *s, const char *slug, int64_t *id)
{
  uint64_t h = fnv1a(slug);
  size_t i = (size_t) h & (SLUG_CACHE_SIZE - 1);
  struct slug_entry *e;
  enum db_status st;

  while (0 != s->slugs[i].hash) {
    if (h == s->slugs[i].hash && 0 == strcmp(s->slugs[i].slug, slug)) {
      *id = s->slugs[i].id;
      return DB_ONE;
    }
    i = (i + 1) & (SLUG_CACHE_SIZE - 1);
  }
  if (DB_ONE != (st = import_copy_flush(s)))
    return st; /* the lookup needs the connection */
  db_bind_text_static(s->role_lookup, 1, slug);
  st = db_step(s->role_lookup, "import_role_lookup");
  *id = DB_ONE == st ? db_column_int64(s->role_lookup, 0) : 0;
  db_stmt_done(s->role_lookup);
  if (st < DB_NONE)
    return st;
  if (strlen(slug) >= sizeof e->slug)
    return DB_ONE; /* the parser never passes one; not cached */
  if (++s->nslugs > SLUG_CACHE_SIZE * 3 / 4) {
    memset(s->slugs, 0, SLUG_CACHE_SIZE * sizeof *s->slugs);
    s->nslugs = 1;
    i = (size_t) h & (SLUG_CACHE_SIZE - 1);
  }
  e = &s->slugs[i];
  e->hash = h;
  e->id = *id;
  snprintf(e->slug, sizeof e->slug, "%s", slug);
  return DB_ONE;
}

/* Whether source @a id exists, cached for the first few ids seen. */
static enum db_status
source_known(struct import_session *s, int64_t id, bool *exists)
{
  enum db_status st;

  for (size_t i = 0; i < s->nsources; i++) {
    if (s->sources[i].id == id) {
      *exists = s->sources[i].exists;
      return DB_ONE;
    }
  }
  if (DB_ONE != (st = import_copy_flush(s)))
    return st;
  db_bind_int64(s->source_lookup, 1, id);
  st = db_step(s->source_lookup, "import_source_lookup");
  db_stmt_done(s->source_lookup);
  if (st < DB_NONE)
    return st;
  *exists = DB_ONE == st;
  if (s->nsources < SOURCE_CACHE_SIZE)
    s->sources[s->nsources++] = (struct source_entry) { id, *exists };
  return DB_ONE;
}

/* The id of industry @a slug (0 when there is none), cached for the first few seen. */
static enum db_status
industry_id(struct import_session *s, const char *slug, int64_t *id)
{
  enum db_status st;

  for (size_t i = 0; i < s->nindustries; i++) {
    if (0 == strcmp(s->industries[i].slug, slug)) {
      *id = s->industries[i].id;
      return DB_ONE;
    }
  }
  if (DB_ONE != (st = import_copy_flush(s)))
    return st; /* the lookup needs the connection */
  db_bind_text_static(s->industry_lookup, 1, slug);
  st = db_step(s->industry_lookup, "import_industry_lookup");
  *id = DB_ONE == st ? db_column_int64(s->industry_lookup, 0) : 0;
  db_stmt_done(s->industry_lookup);
  if (st < DB_NONE)
    return st;
  if (s->nindustries < INDUSTRY_CACHE_SIZE && strlen(slug) < sizeof s->industries[0].slug) {
    struct industry_entry *e = &s->industries[s->nindustries++];

    e->id = *id;
    snprintf(e->slug, sizeof e->slug, "%s", slug);
  }
  return DB_ONE;
}

/* Adds @a id to the set of roles whose pay must be recomputed. */
static int
touch(struct import_session *s, int64_t id)
{
  size_t mask = s->touched_cap - 1;
  size_t i = (size_t) ((uint64_t) id * UINT64_C(0x9E3779B97F4A7C15) >> 32) & mask;

  while (0 != s->touched[i]) {
    if (id == s->touched[i])
      return 0;
    i = (i + 1) & mask;
  }
  if (2 * (s->ntouched + 1) > s->touched_cap) {
    size_t old_cap = s->touched_cap;
    int64_t *old = s->touched;

    s->touched = calloc(old_cap * 2, sizeof *s->touched);
    if (NULL == s->touched) {
      s->touched = old;
      return -1;
    }
    s->touched_cap = old_cap * 2;
    s->ntouched = 0;
    for (size_t j = 0; j < old_cap; j++)
      if (0 != old[j])
        (void) touch(s, old[j]);
    free(old);
    return touch(s, id);
  }
  s->touched[i] = id;
  s->ntouched++;
  return 0;
}

static void
bind_arena(struct import_session *s, struct db_stmt *stmt, int index, ptrdiff_t at)
{
  if (at < 0)
    db_bind_null(stmt, index);
  else
    db_bind_text_static(stmt, index, text_arena_get(&s->arena, at));
}

static void
bind_row(struct import_session *s, struct db_stmt *st, int first, const struct batch_row *b)
{
  if (0 != b->role_id)
    db_bind_int64(st, first, b->role_id);
  bind_arena(s, st, first + 1, b->subject);
  db_bind_int64(st, first + 2, b->amount);
  db_bind_text_static(st, first + 3, b->kind);
  db_bind_text_static(st, first + 4, b->statistic);
  db_bind_text_static(st, first + 5, b->bound);
  bind_arena(s, st, first + 6, b->scope);
  if (b->has_year)
    db_bind_int64(st, first + 7, b->year);
  db_bind_int64(st, first + 8, 0 != b->source_id ? b->source_id : s->source_id);
  if (b->section >= 0)
    bind_arena(s, st, first + 9, b->section);
  else
    db_bind_text_static(st, first + 9, IMPORT_SECTION);
  bind_arena(s, st, first + 10, b->note);
  db_factors_bind(st, first + 11, &b->factors, b->industry_id);
}

/* Runs one INSERT of rows @a from .. @a to of the batch. */
static enum db_status
insert_rows(struct import_session *s, struct db_stmt *st, size_t from, size_t to)
{
  enum db_status status;

  for (size_t i = from; i < to; i++)
    bind_row(s, st, 1 + (int) (i - from) * ROW_PARAMS, &s->batch[i]);
  status = db_step(st, NULL);
  db_stmt_done(st);
  if (status >= DB_NONE)
    return DB_ONE;
  if (db_stmt_refused(st)) {
    /* the whole transaction is rolled back (OR ROLLBACK): nothing more is written */
    import_row_error(s, s->batch[from].line, "", "this row or one of the %zu after it was refused by "
              "the database: %s", to - from - 1, db_errmsg(s->db));
    return DB_NONE;
  }
  return db_stmt_failure(st, "import_insert");
}

/* All at once when the batch is full, else one by one. */
enum db_status
import_rows_flush(struct import_session *s)
{
  enum db_status st = DB_ONE;

  if (s->copy)
    return import_copy_flush(s);
  if (BATCH_ROWS == s->nbatch)
    st = insert_rows(s, s->insert_batch, 0, BATCH_ROWS);
  for (size_t i = 0; i < s->nbatch && BATCH_ROWS != s->nbatch && DB_ONE == st; i++)
    st = insert_rows(s, s->insert, i, i + 1);
  s->nbatch = 0;
  text_arena_clear(&s->arena);
  return st;
}

/* Queues @a row for writing; the strings are copied. */
static enum db_status
batch_add(struct import_session *s, const struct salary_report *row, int64_t rid,
          int64_t iid)
{
  struct batch_row *b = &s->batch[s->nbatch];

  *b = (struct batch_row) {
    .line = row->line, .role_id = rid, .amount = row->amount, .kind = row->kind,
    .statistic = row->statistic, .bound = row->bound, .has_year = row->has_year,
    .year = row->year, .source_id = row->has_source ? row->source_id : 0,
    .subject = text_arena_put(&s->arena, row->subject),
    .scope = text_arena_put(&s->arena, row->scope),
    .section = row->has_source ? text_arena_put(&s->arena, row->section) : TEXT_ARENA_NULL,
    .note = text_arena_put(&s->arena, row->note),
    .factors = row->factors, .industry_id = iid,
  };
  /* the location is short enough to travel in the row itself */
  if (NULL != row->factors.location) {
    snprintf(b->location, sizeof b->location, "%s", row->factors.location);
    b->factors.location = b->location;
  }
  if (TEXT_ARENA_NOMEM == b->subject || TEXT_ARENA_NOMEM == b->scope
      || TEXT_ARENA_NOMEM == b->section || TEXT_ARENA_NOMEM == b->note)
    return DB_HARD;
  s->nbatch++;
  return BATCH_ROWS == s->nbatch ? import_rows_flush(s) : DB_ONE;
}

/* The database's checks of one row: its role, source and industry exist. */
static enum db_status
row_check(struct import_session *s, const struct salary_report *row, int64_t *rid,
          int64_t *iid, bool *good)
{
  enum db_status st;
  bool exists = true;

  *rid = 0;
  *iid = 0;
  *good = true;
  if (NULL != row->factors.industry) {
    if (DB_ONE != (st = industry_id(s, row->factors.industry, iid)))
      return st;
    if (0 == *iid) {
      import_row_error(s, row->line, "industry", "no industry has the slug %s; GET /industries"
                " lists them", row->factors.industry);
      *good = false;
    }
  }
  if (NULL != row->role) {
    if (DB_ONE != (st = role_id(s, row->role, rid)))
      return st;
    if (0 == *rid) {
      import_row_error(s, row->line, "role", "no role has the slug %s", row->role);
      *good = false;
    }
  }
  if (row->has_source) {
    if (DB_ONE != (st = source_known(s, row->source_id, &exists)))
      return st;
    if (!exists) {
      import_row_error(s, row->line, "source.id", "no source has the id %" PRId64, row->source_id);
      *good = false;
    }
  }
  return DB_ONE;
}

int
import_session_add(struct import_session *s, const struct salary_report *row)
{
  enum db_status st;
  int64_t rid;
  int64_t iid;
  bool good;

  s->rows_added++;
  if (DB_ONE != s->failure)
    return -1;
  st = row_check(s, row, &rid, &iid, &good);
  if (DB_ONE == st && good) {
    if (s->errors.bad_rows > 0 || s->doomed || s->dry_run)
      st = DB_ONE; /* nothing will be written: checking is enough */
    else
      st = s->copy ? import_copy_add(s, row, rid, iid) : batch_add(s, row, rid, iid);
    good = DB_ONE == st;
    if (good && 0 != rid && !s->dry_run && 0 != touch(s, rid))
      st = DB_HARD;
  } else if (DB_ONE == st) {
    s->errors.bad_rows++;
  }
  if (DB_NONE == st)
    s->errors.bad_rows++;
  if (st < DB_NONE) {
    s->failure = st;
    return -1;
  }
  s->rows_good += good;
  return 0;
}

int
import_session_on_row(void *cls, const struct salary_report *row,
                      const struct field_error *errors, size_t n_errors)
{
  struct import_session *s = cls;

  (void) errors;
  (void) n_errors;
  if (NULL == row) {
    s->doomed = true; /* the parser counts these */
    return 0;
  }
  return import_session_add(s, row);
}

uint64_t
import_session_rows(const struct import_session *s)
{
  return s->rows_added;
}

