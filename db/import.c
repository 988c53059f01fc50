/**
 * @file db/import.c
 * @brief Bulk import sessions: one transaction opened, its own source
 *        created, and at the end either everything committed (pay, the
 *        source's summary, the audit row, the kept answer) or nothing.
 */
#include "db/import.h"

#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "db/audit.h"
#include "db/engine.h"
#include "db/import_internal.h"
#include "db/write.h"
#include "db/write_internal.h"
#include "util/log.h"

static const char source_insert_sql[] =
  "INSERT INTO sources (slug, title, kind, year, origin, summary)"
  " VALUES (?1, ?2, 'dataset', NULL, ?3, ?4)";
static const char source_insert_pg[] =
  DB_PG_INSERT("sources", "slug, title, kind, year, origin, summary",
               "?1, ?2, 'dataset', NULL, ?3, ?4");
static const char source_summary_sql[] = "UPDATE sources SET summary = ?2 WHERE id = ?1";

int
import_db_open(const char *path, struct db **out, char *err, size_t err_size)
{
  if (0 != db_open(path, DB_OPEN_READWRITE, out, err, err_size))
    return -1;
  if (db_is_postgresql(*out))
    return 0; /* the pragmas below are SQLite's; PostgreSQL sizes its own cache */
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
  const char *path = db_is_postgresql(like) ? db_spec(like) : db_file_path(like);
  char err[512];

  *out = NULL;
  if (NULL == path || '\0' == path[0]) {
    log_msg(LOG_ERROR, "import: the database has no file to open again");
    return DB_HARD;
  }
  if (0 == import_db_open(path, out, err, sizeof err))
    return DB_ONE;
  log_msg(LOG_ERROR, "import: %s", err);
  if (db_is_postgresql(like))
    return DB_IOERR; /* the server could not be reached */
  if (DB_GONE == db_file_check(like))
    return DB_GONE;
  return 0 != access(path, W_OK) ? DB_READONLY : DB_IOERR;
}


static void
session_free(struct import_session *s)
{
  if (NULL == s)
    return;
  import_copy_free(s); /* a COPY still open is discarded first: no statement runs during one */
  db_write_rollback(s->db);
  if (s->own_db)
    db_close(s->db);
  free(s->slugs);
  free(s->touched);
  text_arena_free(&s->arena);
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


/* The import's own source: a slug from the key, or from the time and a
 * random number. */
static enum db_status
source_create(struct import_session *s)
{
  struct db_stmt *stmt = db_stmt(s->db, db_sql(s->db, source_insert_sql, source_insert_pg));
  char title[320];
  uint32_t rnd = 0;
  enum db_status st;

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
  db_bind_text_static(stmt, 1, s->source_slug);
  db_bind_text_static(stmt, 2, title);
  db_bind_text_static(stmt, 3, s->origin);
  db_bind_text_static(stmt, 4, "Salary observations imported in one transaction.");
  st = db_step(stmt, "import_source");
  db_stmt_done(stmt);
  if (st < DB_NONE)
    return st;
  s->source_id = db_last_insert_id(s->db);
  return DB_ONE;
}


static enum db_status
session_prepare(struct import_session *s)
{
  enum db_status st = s->dry_run ? DB_ONE : import_pay_pause(s);

  if (DB_ONE == st)
    st = import_rows_prepare(s);
  if (DB_ONE == st && !s->dry_run)
    st = source_create(s);
  return st;
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
    st = import_key_find(db, s->key, replay);
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


/* Merges two line-ordered error lists, keeping the first
 * IMPORT_MAX_ERRORS by line and adding up the counts. */
static void
errors_merge(struct field_errors *out, const struct field_errors *a,
             const struct field_errors *b)
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


/* The source's summary, now that the count is known. */
static enum db_status
source_summarize(struct import_session *s)
{
  struct db_stmt *stmt = db_stmt(s->db, source_summary_sql);
  char summary[512];
  char when[32];
  time_t now = time(NULL);
  struct tm tm;
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  gmtime_r(&now, &tm);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  snprintf(summary, sizeof summary, "%" PRIu64 " salary observation%s imported from %s in one "
           "transaction at %s. Rows that named no source are attributed to this one.",
           s->rows_good, 1 == s->rows_good ? "" : "s", s->origin, when);
  db_bind_int64(stmt, 1, s->source_id);
  db_bind_text_static(stmt, 2, summary);
  st = db_step(stmt, "import_summary");
  db_stmt_done(stmt);
  return st < DB_NONE ? st : DB_ONE;
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
  st = import_pay_recompute(s);
  if (DB_ONE == st)
    st = source_summarize(s);
  if (DB_ONE == st)
    st = db_audit_add(s->db, &e);
  if (DB_ONE == st && '\0' != s->key[0])
    st = 0 == import_result_json(r, body, sizeof body) ? import_key_store(s, request_hash, body)
                                                       : DB_HARD;
  return DB_ONE == st ? db_write_commit(s->db) : st;
}

enum db_status
import_session_finish(struct import_session *s, const struct field_errors *parse_errors,
                      bool ok, const char *request_hash, struct import_result *result)
{
  static const struct field_errors none;

  memset(result, 0, sizeof *result);
  result->dry_run = s->dry_run;
  if (DB_ONE == s->failure && !s->doomed && !s->dry_run) {
    /* the last rows, before the counts are final */
    enum db_status st = import_rows_flush(s);

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

