/**
 * @file db/import_key.c
 * @brief Idempotency keys of imports: the answer of an import made with a
 *        key is kept, so that the same request sent again is answered the
 *        same instead of importing twice.
 */
#include "db/import_internal.h"

#include <stdlib.h>
#include <string.h>

static const char key_find_sql[] =
  "SELECT request, status, body FROM idempotency WHERE key = ?1";
static const char key_store_sql[] =
  "INSERT INTO idempotency (key, request, status, body, created_at)"
  " VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
static const char key_store_pg[] =
  "INSERT INTO idempotency (key, request, status, body, created_at) VALUES (?1, ?2, ?3, ?4,"
  " to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))";

void
import_replay_clear(struct import_replay *r)
{
  free(r->request);
  free(r->body);
  memset(r, 0, sizeof *r);
}

enum db_status
import_key_find(struct db *db, const char *key, struct import_replay *r)
{
  struct db_stmt *stmt = db_stmt(db, key_find_sql);
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  db_bind_text_static(stmt, 1, key);
  st = db_step(stmt, "idempotency_find");
  if (DB_ONE == st) {
    r->found = true;
    r->request = strdup(db_column_text(stmt, 0));
    r->status = (unsigned) (int) db_column_int64(stmt, 1);
    r->body = strdup(db_column_text(stmt, 2));
    st = NULL != r->request && NULL != r->body ? DB_ONE : DB_HARD;
  }
  db_stmt_done(stmt);
  return st;
}

enum db_status
import_key_store(struct import_session *s, const char *request_hash, const char *body)
{
  struct db_stmt *stmt = db_stmt(s->db, db_sql(s->db, key_store_sql, key_store_pg));
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  db_bind_text_static(stmt, 1, s->key);
  db_bind_text_static(stmt, 2, NULL != request_hash ? request_hash : "");
  db_bind_int64(stmt, 3, 201);
  db_bind_text_static(stmt, 4, body);
  st = db_step(stmt, "import_key_store");
  db_stmt_done(stmt);
  return st < DB_NONE ? st : DB_ONE;
}

