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

enum db_status
import_key_store(struct import_session *s, const char *request_hash, const char *body)
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

