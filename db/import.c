/**
 * @file db/import.c
 * @brief Bulk import sessions: one transaction, rows written as they
 *        arrive, pay recomputed once for the roles touched.
 */
#include "db/import.h"

#include <inttypes.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "db/audit.h"
#include "db/db_internal.h"
#include "db/rows.h"
#include "db/write.h"
#include "util/log.h"
#include "util/hash.h"

/* Role slugs seen, with their ids (0: no such role); a power of two. When
 * it fills up it is emptied and refilled: a lookup costs one query. */
#define SLUG_CACHE_SIZE 1024
/* Source ids seen, with whether they exist. */
#define SOURCE_CACHE_SIZE 64
/* Rows written by one INSERT: a statement's fixed cost (cursors, record
 * buffers) is paid once for all of them. 11 parameters each. */
#define BATCH_ROWS 32
#define ROW_PARAMS 11
/* What an import's rows that name no source give as their section. */
#define IMPORT_SECTION "Imported rows that named no source"

struct slug_entry {
  uint64_t hash;      /* 0: empty */
  int64_t id;         /* 0: no role has this slug */
  char slug[84];      /* slugs are at most 80 characters (import_rows.h) */
};

struct source_entry {
  int64_t id;
  bool exists;
};

/* A row waiting in the batch: its strings are offsets into the arena
 * (-1 for NULL), since the parser's own are gone after its callback. */
struct batch_row {
  uint64_t line;
  int64_t role_id;    /* 0: none */
  int64_t amount;
  const char *kind;   /* static strings */
  const char *statistic;
  const char *bound;
  bool has_year;
  int64_t year;
  int64_t source_id;
  ptrdiff_t subject;
  ptrdiff_t scope;
  ptrdiff_t section;
  ptrdiff_t note;
};

struct import_session {
  struct db *db;
  bool own_db;
  bool dry_run;
  enum db_status failure; /* DB_ONE, or the database failure that dooms the import */
  bool doomed;        /* a bad row was seen: the rest is only checked */
  char token_id[64];
  char target[128];
  char origin[256];
  char key[IMPORT_KEY_MAX + 1];
  int64_t source_id;
  char source_slug[160];
  sqlite3_stmt *insert;
  sqlite3_stmt *insert_batch;
  struct batch_row batch[BATCH_ROWS];
  size_t nbatch;
  char *arena;         /* the batch's strings */
  size_t arena_len;
  size_t arena_cap;
  char *trigger_sql;   /* the per-row pay trigger, dropped while importing */
  sqlite3_stmt *role_lookup;
  sqlite3_stmt *source_lookup;
  uint64_t rows_added;
  uint64_t rows_good;  /* passed every check (and were written, unless a dry run) */
  struct import_errors errors;
  struct slug_entry *slugs;
  size_t nslugs;
  struct source_entry sources[SOURCE_CACHE_SIZE];
  size_t nsources;
  int64_t *touched;    /* open addressing; 0 is empty (role ids are >= 1) */
  size_t touched_cap;  /* a power of two */
  size_t ntouched;
};

/* OR ROLLBACK: a refused row ends the whole import anyway, and without
 * statement-level undo SQLite keeps no statement journal for each INSERT. */
#define INSERT_HEAD \
  "INSERT OR ROLLBACK INTO salaries (role_id, subject, amount_usd, kind, statistic, bound," \
  " scope, year, source_id, section, note) VALUES "
#define INSERT_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
static const char insert_sql[] = INSERT_HEAD INSERT_ROW;
static const char role_lookup_sql[] = "SELECT id FROM roles WHERE slug = ?1";
static const char source_lookup_sql[] = "SELECT 1 FROM sources WHERE id = ?1";
static const char trigger_find_sql[] =
  "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'salaries_pay_insert'";
static const char trigger_drop_sql[] = "DROP TRIGGER salaries_pay_insert";
static const char pay_pause_sql[] = "UPDATE settings SET value = 0 WHERE key = 'pay_live'";
static const char pay_resume_sql[] = "UPDATE settings SET value = 1 WHERE key = 'pay_live'";
/* The pay of one role, by the rules of the role_pay view (migration 0006)
 * but without its window functions, which buffer every report of the role
 * three times: the reports are counted first (?2, the count), then the
 * nearest-rank percentiles are read by their offset in salaries_by_role,
 * which holds them in amount order. ?3/?4: LIMIT and OFFSET of the median's
 * one or two middle reports; ?5/?6: OFFSET of p25/p75; ?7: 1, or 0 when
 * there are no reports (OFFSET would otherwise take -1 as 0). */
#define PAY_REPORTS(cond) \
  " FROM salaries s WHERE s.role_id = ?1 AND s.kind = 'base' AND s." cond \
  " AND s.bound = 'exact'"
static const char pay_count_sql[] =
  "SELECT count(*)" PAY_REPORTS("statistic = 'individual'");
static const char pay_role_sql[] =
  "UPDATE roles SET (pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75) = (SELECT"
  "  CASE WHEN n > 0 AND n >= min_n THEN p50 ELSE published END,"
  "  CASE WHEN n > 0 AND n >= min_n THEN 'reported_median'"
  "       WHEN published IS NOT NULL THEN 'published_average' END,"
  "  n,"
  "  CASE WHEN n > 0 AND n >= min_n THEN p25 END,"
  "  CASE WHEN n > 0 AND n >= min_n THEN p50 END,"
  "  CASE WHEN n > 0 AND n >= min_n THEN p75 END"
  " FROM (SELECT ?2 AS n,"
  "  (SELECT value FROM settings WHERE key = 'min_reports') AS min_n,"
  "  (SELECT CAST(round(avg(amount_usd)) AS INTEGER) FROM (SELECT amount_usd"
  PAY_REPORTS("statistic = 'individual'") " ORDER BY amount_usd LIMIT ?3 OFFSET ?4)) AS p50,"
  "  (SELECT amount_usd" PAY_REPORTS("statistic = 'individual'")
  "   ORDER BY amount_usd LIMIT ?7 OFFSET ?5) AS p25,"
  "  (SELECT amount_usd" PAY_REPORTS("statistic = 'individual'")
  "   ORDER BY amount_usd LIMIT ?7 OFFSET ?6) AS p75,"
  "  (SELECT CAST(round(avg(amount_usd)) AS INTEGER)" PAY_REPORTS("statistic = 'average'")
  "  ) AS published))"
  " WHERE id = ?1";
static const char source_insert_sql[] =
  "INSERT INTO sources (slug, title, kind, year, origin, summary)"
  " VALUES (?1, ?2, 'dataset', NULL, ?3, ?4)";
static const char source_summary_sql[] = "UPDATE sources SET summary = ?2 WHERE id = ?1";
static const char key_find_sql[] =
  "SELECT request, status, body FROM idempotency WHERE key = ?1";
static const char key_store_sql[] =
  "INSERT INTO idempotency (key, request, status, body, created_at)"
  " VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

static uint64_t
fnv1a(const char *s)
{
  uint64_t h = hash_str(HASH_INIT, s);

  return 0 == h ? 1 : h;
}

int
import_db_open(const char *path, struct db **out, char *err, size_t err_size)
{
  if (0 != db_open(path, DB_OPEN_READWRITE, out, err, err_size))
    return -1;
  /* Room for the indexes an import grows, so pages are not spilled early.
   * The session checks every row's role and source itself, under the
   * write lock, so the per-row foreign key checks (and the statement
   * journal they make every INSERT keep) would only repeat that work. */
  if (DB_ONE != db_exec(*out, "PRAGMA cache_size = -65536")
      || DB_ONE != db_exec(*out, "PRAGMA foreign_keys = OFF")) {
    snprintf(err, err_size, "cannot set up the import connection");
    db_close(*out);
    *out = NULL;
    return -1;
  }
  return 0;
}

enum db_status
import_db_open_private(struct db *like, struct db **out)
{
  const char *path = sqlite3_db_filename(like->conn, "main");
  char err[512];

  *out = NULL;
  if (NULL == path || '\0' == path[0]) {
    log_msg(LOG_ERROR, "import: the database has no file to open again");
    return DB_HARD;
  }
  if (0 == import_db_open(path, out, err, sizeof err))
    return DB_ONE;
  log_msg(LOG_ERROR, "import: %s", err);
  if (DB_GONE == db_file_check(like))
    return DB_GONE;
  return 0 != access(path, W_OK) ? DB_READONLY : DB_IOERR;
}

static void
session_free(struct import_session *s)
{
  if (NULL == s)
    return;
  db_write_rollback(s->db);
  if (s->own_db)
    db_close(s->db);
  free(s->slugs);
  free(s->touched);
  free(s->arena);
  free(s->trigger_sql);
  /* The page cache of the import's own connection (up to 64 MiB) was
   * freed piecemeal, and malloc would keep it all: give it back, so a
   * server that imports now and then stays at the memory it reads with. */
  if (s->own_db)
    malloc_trim(0);
  free(s);
}

void
import_session_abort(struct import_session *s)
{
  session_free(s);
}

void
import_replay_clear(struct import_replay *r)
{
  free(r->request);
  free(r->body);
  memset(r, 0, sizeof *r);
}

/* DB_ONE with @a r filled when @a key was used before, DB_NONE when not. */
static enum db_status
key_find(struct db *db, const char *key, struct import_replay *r)
{
  sqlite3_stmt *stmt = db_stmt(db, key_find_sql);
  enum db_status st = DB_NONE;
  int rc;

  if (NULL == stmt)
    return DB_HARD;
  sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step(stmt);
  if (SQLITE_ROW == rc) {
    r->found = true;
    r->request = strdup(db_column_text(stmt, 0));
    r->status = (unsigned) sqlite3_column_int(stmt, 1);
    r->body = strdup(db_column_text(stmt, 2));
    st = NULL != r->request && NULL != r->body ? DB_ONE : DB_HARD;
  } else if (SQLITE_DONE != rc) {
    st = db_status_from_rc(db, rc, "idempotency_find");
  }
  db_stmt_done(stmt);
  return st;
}

/* The import's own source: a slug from the key, or from the time and a
 * random number. */
static enum db_status
source_create(struct import_session *s)
{
  sqlite3_stmt *stmt = db_stmt(s->db, source_insert_sql);
  char title[320];
  uint32_t rnd = 0;

  if (NULL == stmt)
    return DB_HARD;
  if ('\0' != s->key[0]) {
    snprintf(s->source_slug, sizeof s->source_slug, "import-key-%s", s->key);
  } else {
    if (0 != getentropy(&rnd, sizeof rnd))
      rnd = (uint32_t) clock();
    snprintf(s->source_slug, sizeof s->source_slug, "import-%lld-%08" PRIx32,
             (long long) time(NULL), rnd);
  }
  snprintf(title, sizeof title, "Import from %s", s->origin);
  sqlite3_bind_text(stmt, 1, s->source_slug, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, title, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 3, s->origin, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 4, "Salary observations imported in one transaction.", -1,
                    SQLITE_STATIC);
  if (SQLITE_DONE != sqlite3_step(stmt)) {
    enum db_status st = db_status_from_rc(s->db, sqlite3_errcode(s->db->conn), "import_source");

    db_stmt_done(stmt);
    return st;
  }
  db_stmt_done(stmt);
  s->source_id = sqlite3_last_insert_rowid(s->db->conn);
  return DB_ONE;
}

/* Takes the per-row pay trigger out for the length of the transaction:
 * even when settings.pay_live makes it do nothing, running it for each
 * row (and its WHEN subquery) costs more than the INSERT. It is put back
 * before COMMIT, or comes back with the ROLLBACK; no other connection
 * ever sees it missing. */
static enum db_status
pay_pause(struct import_session *s)
{
  sqlite3_stmt *stmt = db_stmt(s->db, trigger_find_sql);
  int rc;

  if (NULL == stmt)
    return DB_HARD;
  rc = sqlite3_step(stmt);
  if (SQLITE_ROW == rc && NULL == (s->trigger_sql = strdup(db_column_text(stmt, 0))))
    rc = SQLITE_NOMEM;
  db_stmt_done(stmt);
  if (SQLITE_ROW != rc && SQLITE_DONE != rc)
    return db_status_from_rc(s->db, rc, "import_trigger_find");
  if (NULL != s->trigger_sql
      && SQLITE_OK != (rc = sqlite3_exec(s->db->conn, trigger_drop_sql, NULL, NULL, NULL)))
    return db_status_from_rc(s->db, rc, "import_trigger_drop");
  return db_exec(s->db, pay_pause_sql);
}

static enum db_status
session_prepare(struct import_session *s)
{
  char batch_sql[sizeof INSERT_HEAD + BATCH_ROWS * sizeof ", " INSERT_ROW];
  size_t len = (size_t) snprintf(batch_sql, sizeof batch_sql, "%s", INSERT_HEAD INSERT_ROW);
  enum db_status st = s->dry_run ? DB_ONE : pay_pause(s);

  for (int i = 1; i < BATCH_ROWS; i++)
    len += (size_t) snprintf(batch_sql + len, sizeof batch_sql - len, ", " INSERT_ROW);
  s->slugs = calloc(SLUG_CACHE_SIZE, sizeof *s->slugs);
  s->touched_cap = 64;
  s->touched = calloc(s->touched_cap, sizeof *s->touched);
  if (DB_ONE != st || NULL == s->slugs || NULL == s->touched)
    return DB_ONE != st ? st : DB_HARD;
  s->insert = db_stmt(s->db, insert_sql);
  s->insert_batch = db_stmt(s->db, batch_sql);
  s->role_lookup = db_stmt(s->db, role_lookup_sql);
  s->source_lookup = db_stmt(s->db, source_lookup_sql);
  if (NULL == s->insert || NULL == s->insert_batch || NULL == s->role_lookup
      || NULL == s->source_lookup)
    return DB_HARD;
  return s->dry_run ? DB_ONE : source_create(s);
}

static void
copy_options(struct import_session *s, const struct import_options *o)
{
  s->dry_run = o->dry_run;
  snprintf(s->token_id, sizeof s->token_id, "%s", NULL != o->token_id ? o->token_id : "");
  snprintf(s->target, sizeof s->target, "%s", NULL != o->target ? o->target : "/import");
  snprintf(s->origin, sizeof s->origin, "%s", NULL != o->origin ? o->origin : "POST /import");
  snprintf(s->key, sizeof s->key, "%s", NULL != o->key ? o->key : "");
}

enum db_status
import_session_begin(struct db *db, bool own_db, const struct import_options *o,
                     struct import_session **out, struct import_replay *replay)
{
  struct import_session *s = calloc(1, sizeof *s);
  enum db_status st;

  *out = NULL;
  memset(replay, 0, sizeof *replay);
  if (NULL == s) {
    if (own_db)
      db_close(db);
    return DB_HARD;
  }
  s->db = db;
  s->own_db = own_db;
  s->failure = DB_ONE;
  copy_options(s, o);
  /* a dry run writes nothing: a read transaction, no write lock */
  st = s->dry_run ? db_exec(db, "BEGIN") : db_write_begin(db);
  if (DB_ONE == st && '\0' != s->key[0]) {
    st = key_find(db, s->key, replay);
    if (DB_ONE == st) {
      session_free(s);
      return DB_NONE;
    }
    st = DB_NONE == st ? DB_ONE : st;
  }
  if (DB_ONE == st)
    st = session_prepare(s);
  if (DB_ONE != st) {
    session_free(s);
    return st;
  }
  *out = s;
  return DB_ONE;
}

/* Records a problem only the database can find, at @a line. */
static void
row_error(struct import_session *s, uint64_t line, const char *field, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));

static void
row_error(struct import_session *s, uint64_t line, const char *field, const char *fmt, ...)
{
  struct field_error *e;
  va_list ap;

  s->doomed = true;
  s->errors.total++;
  if (s->errors.count >= IMPORT_MAX_ERRORS)
    return;
  e = &s->errors.items[s->errors.count++];
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
  int rc;

  while (0 != s->slugs[i].hash) {
    if (h == s->slugs[i].hash && 0 == strcmp(s->slugs[i].slug, slug)) {
      *id = s->slugs[i].id;
      return DB_ONE;
    }
    i = (i + 1) & (SLUG_CACHE_SIZE - 1);
  }
  sqlite3_bind_text(s->role_lookup, 1, slug, -1, SQLITE_STATIC);
  rc = sqlite3_step(s->role_lookup);
  *id = SQLITE_ROW == rc ? sqlite3_column_int64(s->role_lookup, 0) : 0;
  db_stmt_done(s->role_lookup);
  if (SQLITE_ROW != rc && SQLITE_DONE != rc)
    return db_status_from_rc(s->db, rc, "import_role_lookup");
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
  int rc;

  for (size_t i = 0; i < s->nsources; i++) {
    if (s->sources[i].id == id) {
      *exists = s->sources[i].exists;
      return DB_ONE;
    }
  }
  sqlite3_bind_int64(s->source_lookup, 1, id);
  rc = sqlite3_step(s->source_lookup);
  db_stmt_done(s->source_lookup);
  if (SQLITE_ROW != rc && SQLITE_DONE != rc)
    return db_status_from_rc(s->db, rc, "import_source_lookup");
  *exists = SQLITE_ROW == rc;
  if (s->nsources < SOURCE_CACHE_SIZE)
    s->sources[s->nsources++] = (struct source_entry) { id, *exists };
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

/* Copies @a text into the batch's arena. @return its offset, -1 for NULL, -2 when out of memory */
static ptrdiff_t
arena_put(struct import_session *s, const char *text)
{
  size_t len;
  ptrdiff_t at = (ptrdiff_t) s->arena_len;

  if (NULL == text)
    return -1;
  len = strlen(text) + 1;
  if (s->arena_len + len > s->arena_cap) {
    size_t cap = s->arena_cap > 0 ? s->arena_cap : 16384;
    char *grown;

    while (cap < s->arena_len + len)
      cap *= 2;
    if (NULL == (grown = realloc(s->arena, cap)))
      return -2;
    s->arena = grown;
    s->arena_cap = cap;
  }
  memcpy(s->arena + s->arena_len, text, len);
  s->arena_len += len;
  return at;
}

static void
bind_arena(struct import_session *s, sqlite3_stmt *stmt, int index, ptrdiff_t at)
{
  if (at < 0)
    sqlite3_bind_null(stmt, index);
  else
    sqlite3_bind_text(stmt, index, s->arena + at, -1, SQLITE_STATIC);
}

static void
bind_row(struct import_session *s, sqlite3_stmt *st, int first, const struct batch_row *b)
{
  if (0 != b->role_id)
    sqlite3_bind_int64(st, first, b->role_id);
  bind_arena(s, st, first + 1, b->subject);
  sqlite3_bind_int64(st, first + 2, b->amount);
  sqlite3_bind_text(st, first + 3, b->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, first + 4, b->statistic, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, first + 5, b->bound, -1, SQLITE_STATIC);
  bind_arena(s, st, first + 6, b->scope);
  if (b->has_year)
    sqlite3_bind_int64(st, first + 7, b->year);
  sqlite3_bind_int64(st, first + 8, 0 != b->source_id ? b->source_id : s->source_id);
  if (b->section >= 0)
    bind_arena(s, st, first + 9, b->section);
  else
    sqlite3_bind_text(st, first + 9, IMPORT_SECTION, -1, SQLITE_STATIC);
  bind_arena(s, st, first + 10, b->note);
}

/* Runs one INSERT of rows @a from .. @a to of the batch. */
static enum db_status
insert_rows(struct import_session *s, sqlite3_stmt *st, size_t from, size_t to)
{
  int rc;

  for (size_t i = from; i < to; i++)
    bind_row(s, st, 1 + (int) (i - from) * ROW_PARAMS, &s->batch[i]);
  rc = sqlite3_step(st);
  db_stmt_done(st);
  if (SQLITE_DONE == rc)
    return DB_ONE;
  if (SQLITE_CONSTRAINT == (rc & 0xff)) {
    /* the whole transaction is rolled back (OR ROLLBACK): nothing more is written */
    row_error(s, s->batch[from].line, "", "this row or one of the %zu after it was refused by "
              "the database: %s", to - from - 1, sqlite3_errmsg(s->db->conn));
    return DB_NONE;
  }
  return db_status_from_rc(s->db, rc, "import_insert");
}

/* Writes the rows waiting in the batch, all at once when it is full. */
static enum db_status
batch_flush(struct import_session *s)
{
  enum db_status st = DB_ONE;

  if (BATCH_ROWS == s->nbatch)
    st = insert_rows(s, s->insert_batch, 0, BATCH_ROWS);
  for (size_t i = 0; i < s->nbatch && BATCH_ROWS != s->nbatch && DB_ONE == st; i++)
    st = insert_rows(s, s->insert, i, i + 1);
  s->nbatch = 0;
  s->arena_len = 0;
  return st;
}

/* Queues @a row for writing; the strings are copied. */
static enum db_status
batch_add(struct import_session *s, const struct salary_report *row, int64_t rid)
{
  struct batch_row *b = &s->batch[s->nbatch];

  *b = (struct batch_row) {
    .line = row->line, .role_id = rid, .amount = row->amount, .kind = row->kind,
    .statistic = row->statistic, .bound = row->bound, .has_year = row->has_year,
    .year = row->year, .source_id = row->has_source ? row->source_id : 0,
    .subject = arena_put(s, row->subject), .scope = arena_put(s, row->scope),
    .section = row->has_source ? arena_put(s, row->section) : -1,
    .note = arena_put(s, row->note),
  };
  if (-2 == b->subject || -2 == b->scope || -2 == b->section || -2 == b->note)
    return DB_HARD;
  s->nbatch++;
  return BATCH_ROWS == s->nbatch ? batch_flush(s) : DB_ONE;
}

/* The database's checks of one row: its role and source exist. */
static enum db_status
row_check(struct import_session *s, const struct salary_report *row, int64_t *rid, bool *good)
{
  enum db_status st;
  bool exists = true;

  *rid = 0;
  *good = true;
  if (NULL != row->role) {
    if (DB_ONE != (st = role_id(s, row->role, rid)))
      return st;
    if (0 == *rid) {
      row_error(s, row->line, "role", "no role has the slug %s", row->role);
      *good = false;
    }
  }
  if (row->has_source) {
    if (DB_ONE != (st = source_known(s, row->source_id, &exists)))
      return st;
    if (!exists) {
      row_error(s, row->line, "source.id", "no source has the id %" PRId64, row->source_id);
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
  bool good;

  s->rows_added++;
  if (DB_ONE != s->failure)
    return -1;
  st = row_check(s, row, &rid, &good);
  if (DB_ONE == st && good) {
    if (s->errors.bad_rows > 0 || s->doomed || s->dry_run)
      st = DB_ONE; /* nothing will be written: checking is enough */
    else
      st = batch_add(s, row, rid);
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

/* Merges two line-ordered error lists, keeping the first
 * IMPORT_MAX_ERRORS by line and adding up the counts. */
static void
errors_merge(struct import_errors *out, const struct import_errors *a,
             const struct import_errors *b)
{
  size_t i = 0;
  size_t j = 0;

  out->count = 0;
  while (out->count < IMPORT_MAX_ERRORS && (i < a->count || j < b->count)) {
    if (j == b->count || (i < a->count && a->items[i].line <= b->items[j].line))
      out->items[out->count++] = a->items[i++];
    else
      out->items[out->count++] = b->items[j++];
  }
  out->total = a->total + b->total;
  out->bad_rows = a->bad_rows + b->bad_rows;
}

/* Recomputes the pay of role @a id (pay_role_sql). */
static enum db_status
pay_role(struct import_session *s, sqlite3_stmt *count, sqlite3_stmt *update, int64_t id)
{
  int64_t n;
  int rc;

  sqlite3_bind_int64(count, 1, id);
  rc = sqlite3_step(count);
  n = sqlite3_column_int64(count, 0);
  db_stmt_done(count);
  if (SQLITE_ROW != rc)
    return db_status_from_rc(s->db, rc, "import_pay_count");
  /* the view's ranks (1-based): the median of (n + 1) / 2 and (n + 2) / 2,
   * p25 (n * 25 + 99) / 100, p75 (n * 75 + 99) / 100 */
  sqlite3_bind_int64(update, 1, id);
  sqlite3_bind_int64(update, 2, n);
  sqlite3_bind_int64(update, 3, n > 0 ? (n + 2) / 2 - (n + 1) / 2 + 1 : 0);
  sqlite3_bind_int64(update, 4, n > 0 ? (n + 1) / 2 - 1 : 0);
  sqlite3_bind_int64(update, 5, n > 0 ? (n * 25 + 99) / 100 - 1 : 0);
  sqlite3_bind_int64(update, 6, n > 0 ? (n * 75 + 99) / 100 - 1 : 0);
  sqlite3_bind_int64(update, 7, n > 0 ? 1 : 0);
  rc = sqlite3_step(update);
  db_stmt_done(update);
  return SQLITE_DONE == rc ? DB_ONE : db_status_from_rc(s->db, rc, "import_pay");
}

/* Recomputes the pay of every role the import touched. */
static enum db_status
pay_recompute(struct import_session *s)
{
  sqlite3_stmt *count = db_stmt(s->db, pay_count_sql);
  sqlite3_stmt *stmt = db_stmt(s->db, pay_role_sql);
  enum db_status st;
  int rc;

  if (NULL == count || NULL == stmt)
    return DB_HARD;
  for (size_t i = 0; i < s->touched_cap; i++) {
    if (0 == s->touched[i])
      continue;
    if (DB_ONE != (st = pay_role(s, count, stmt, s->touched[i])))
      return st;
  }
  if (NULL != s->trigger_sql
      && SQLITE_OK != (rc = sqlite3_exec(s->db->conn, s->trigger_sql, NULL, NULL, NULL)))
    return db_status_from_rc(s->db, rc, "import_trigger_restore");
  return db_exec(s->db, pay_resume_sql);
}

/* The source's summary, now that the count is known. */
static enum db_status
source_summarize(struct import_session *s)
{
  sqlite3_stmt *stmt = db_stmt(s->db, source_summary_sql);
  char summary[512];
  char when[32];
  time_t now = time(NULL);
  struct tm tm;
  int rc;

  if (NULL == stmt)
    return DB_HARD;
  gmtime_r(&now, &tm);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  snprintf(summary, sizeof summary, "%" PRIu64 " salary observation%s imported from %s in one "
           "transaction at %s. Rows that named no source are attributed to this one.",
           s->rows_good, 1 == s->rows_good ? "" : "s", s->origin, when);
  sqlite3_bind_int64(stmt, 1, s->source_id);
  sqlite3_bind_text(stmt, 2, summary, -1, SQLITE_STATIC);
  rc = sqlite3_step(stmt);
  db_stmt_done(stmt);
  return SQLITE_DONE == rc ? DB_ONE : db_status_from_rc(s->db, rc, "import_summary");
}

/* Keeps the answer for replays of the same key. */
static enum db_status
key_store(struct import_session *s, const char *request_hash, const char *body)
{
  sqlite3_stmt *stmt = db_stmt(s->db, key_store_sql);
  int rc;

  if (NULL == stmt)
    return DB_HARD;
  sqlite3_bind_text(stmt, 1, s->key, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, NULL != request_hash ? request_hash : "", -1, SQLITE_STATIC);
  sqlite3_bind_int(stmt, 3, 201);
  sqlite3_bind_text(stmt, 4, body, -1, SQLITE_STATIC);
  rc = sqlite3_step(stmt);
  db_stmt_done(stmt);
  return SQLITE_DONE == rc ? DB_ONE : db_status_from_rc(s->db, rc, "import_key_store");
}

/* Everything after the last row of a good import, then COMMIT. */
static enum db_status
session_commit(struct import_session *s, const char *request_hash, struct import_result *r)
{
  char after[128];
  char body[512];
  struct audit_entry e = {
    .token_id = s->token_id, .method = "POST", .route = "/import", .target = s->target,
    .before = NULL, .after = after,
  };
  enum db_status st;

  r->source_id = s->source_id;
  snprintf(r->source_slug, sizeof r->source_slug, "%s", s->source_slug);
  snprintf(after, sizeof after, "{\"rows\":%" PRIu64 ",\"source\":%" PRId64 "}", s->rows_good,
           s->source_id);
  st = pay_recompute(s);
  if (DB_ONE == st)
    st = source_summarize(s);
  if (DB_ONE == st)
    st = db_audit_add(s->db, &e);
  if (DB_ONE == st && '\0' != s->key[0])
    st = 0 == import_result_json(r, body, sizeof body) ? key_store(s, request_hash, body) : DB_HARD;
  return DB_ONE == st ? db_write_commit(s->db) : st;
}

enum db_status
import_session_finish(struct import_session *s, const struct import_errors *parse_errors,
                      bool ok, const char *request_hash, struct import_result *result)
{
  static const struct import_errors none;

  memset(result, 0, sizeof *result);
  result->dry_run = s->dry_run;
  if (DB_ONE == s->failure && !s->doomed && !s->dry_run) {
    /* the last rows, before the counts are final */
    enum db_status st = batch_flush(s);

    s->errors.bad_rows += DB_NONE == st;
    if (st < DB_NONE)
      s->failure = st;
  }
  errors_merge(&result->errors, NULL != parse_errors ? parse_errors : &none, &s->errors);
  result->rows = s->rows_good;
  if (DB_ONE != s->failure)
    result->status = s->failure;
  else if (result->errors.total > 0)
    result->status = DB_NONE;
  else if (!ok)
    result->status = DB_HARD;
  else if (s->dry_run)
    result->status = DB_ONE;
  else
    result->status = session_commit(s, request_hash, result);
  if (DB_ONE != result->status || s->dry_run) {
    result->source_id = 0;
    result->source_slug[0] = '\0';
  }
  if (DB_ONE != result->status && !s->dry_run)
    result->rows = 0;
  session_free(s); /* rolls back whatever was not committed */
  return result->status;
}

int
import_result_json(const struct import_result *r, char *out, size_t size)
{
  int n;

  /* the slug is made of the key's characters ([A-Za-z0-9_.:-]) or digits:
   * nothing to escape */
  if (r->dry_run || 0 == r->source_id)
    n = snprintf(out, size, "{\"data\":{\"rows\":%" PRIu64 ",\"source\":null,\"dry_run\":%s}}",
                 r->rows, r->dry_run ? "true" : "false");
  else
    n = snprintf(out, size, "{\"data\":{\"rows\":%" PRIu64 ",\"source\":{\"id\":%" PRId64
                 ",\"slug\":\"%s\"},\"dry_run\":false}}", r->rows, r->source_id, r->source_slug);
  return n > 0 && (size_t) n < size ? 0 : -1;
}
