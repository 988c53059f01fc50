/**
 * @file db/stmt.c
 * @brief The per-connection statement cache, and db/stmt.h handed on to
 *        the connection's engine.
 */
#include "db/driver.h"

#include <stdlib.h>
#include <string.h>

#include "db/engine.h"
#include "db/migrate.h"
#include "util/hash.h"
#include "util/log.h"

struct db_stmt *
db_stmt(struct db *db, const char *sql)
{
  uint64_t hash = hash_str(HASH_INIT, sql);
  size_t i = hash % DB_STMT_SLOTS;
  struct stmt_slot *slot;

  for (;;) {
    slot = &db->slots[i];
    if (NULL == slot->sql)
      break;
    if (slot->hash == hash && 0 == strcmp(slot->sql, sql))
      return slot->stmt;
    i = (i + 1) % DB_STMT_SLOTS;
  }
  /* Keep a quarter free so probing stays short. */
  if (db->nslots_used >= DB_STMT_SLOTS / 4 * 3) {
    log_msg(LOG_ERROR, "statement cache full; raise DB_STMT_SLOTS (%.60s)", sql);
    return NULL;
  }
  slot->sql = strdup(sql);
  if (NULL == slot->sql)
    return NULL;
  slot->stmt = db->driver->prepare(db, sql);
  if (NULL == slot->stmt) {
    free(slot->sql);
    slot->sql = NULL;
    return NULL;
  }
  slot->hash = hash;
  db->nslots_used++;
  return slot->stmt;
}

void
db_stmt_cache_free(struct db *db)
{
  for (size_t i = 0; i < DB_STMT_SLOTS; i++) {
    if (NULL != db->slots[i].stmt)
      db->driver->finalize(db->slots[i].stmt);
    free(db->slots[i].sql);
  }
}

enum db_status
db_exec(struct db *db, const char *sql)
{
  struct db_stmt *stmt = db_stmt(db, sql);
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  st = db_step(stmt, sql);
  db_stmt_done(stmt);
  return st < DB_NONE ? st : DB_ONE;
}

enum db_status
db_exec_uncached(struct db *db, const char *sql, const char *what)
{
  return db->driver->exec_uncached(db, sql, what);
}

void
db_stmt_done(struct db_stmt *stmt)
{
  stmt->driver->reset(stmt);
}

int
db_bind_int64(struct db_stmt *stmt, int index, int64_t value)
{
  return stmt->driver->bind_int64(stmt, index, value);
}

int
db_bind_double(struct db_stmt *stmt, int index, double value)
{
  return stmt->driver->bind_double(stmt, index, value);
}

int
db_bind_null(struct db_stmt *stmt, int index)
{
  return stmt->driver->bind_null(stmt, index);
}

int
db_bind_text(struct db_stmt *stmt, int index, const char *text)
{
  return stmt->driver->bind_text(stmt, index, text, true);
}

int
db_bind_text_static(struct db_stmt *stmt, int index, const char *text)
{
  return stmt->driver->bind_text(stmt, index, text, false);
}

int
db_stmt_param_count(struct db_stmt *stmt)
{
  return stmt->driver->param_count(stmt);
}

enum db_status
db_step(struct db_stmt *stmt, const char *what)
{
  enum db_status st = stmt->driver->step(stmt);

  if (st < DB_NONE && NULL != what)
    return stmt->driver->failure(stmt, what);
  return st;
}

enum db_status
db_stmt_failure(struct db_stmt *stmt, const char *what)
{
  return stmt->driver->failure(stmt, what);
}

bool
db_stmt_refused(struct db_stmt *stmt)
{
  return stmt->driver->refused(stmt);
}

int64_t
db_column_int64(struct db_stmt *stmt, int col)
{
  return stmt->driver->column_int64(stmt, col);
}

double
db_column_double(struct db_stmt *stmt, int col)
{
  return stmt->driver->column_double(stmt, col);
}

const char *
db_column_text(struct db_stmt *stmt, int col)
{
  return stmt->driver->column_text(stmt, col);
}

const char *
db_column_text_or_null(struct db_stmt *stmt, int col)
{
  return stmt->driver->column_is_null(stmt, col) ? NULL : stmt->driver->column_text(stmt, col);
}

bool
db_column_is_null(struct db_stmt *stmt, int col)
{
  return stmt->driver->column_is_null(stmt, col);
}

enum db_type
db_column_type(struct db_stmt *stmt, int col)
{
  return stmt->driver->column_type(stmt, col);
}

int64_t
db_changes(struct db *db)
{
  return db->driver->changes(db);
}

int64_t
db_last_insert_id(struct db *db)
{
  return db->driver->last_insert_id(db);
}

const char *
db_errmsg(struct db *db)
{
  return db->driver->errmsg(db);
}

bool
db_in_transaction(struct db *db)
{
  return db->driver->in_transaction(db);
}

bool
db_table_exists(struct db *db, const char *name)
{
  return db->driver->table_exists(db, name);
}

const char *
db_file_path(struct db *db)
{
  return db->driver->file_path(db);
}

enum db_status
db_explain(struct db *db, const char *sql, char *out, size_t size)
{
  return db->driver->explain(db, sql, out, size);
}

enum db_status
db_exec_write_begin(struct db *db)
{
  return db->driver->write_begin(db);
}

enum db_status
db_exec_write_commit(struct db *db)
{
  return db->driver->write_commit(db);
}

const char *
db_sql(struct db *db, const char *sqlite_text, const char *pg_text)
{
  return db->driver->postgresql ? pg_text : sqlite_text;
}

const char *
db_spec(struct db *db)
{
  return db->driver->spec(db);
}

bool
db_is_postgresql(struct db *db)
{
  return db->driver->postgresql;
}

int
db_migrate(struct db *db, unsigned upto, unsigned *applied, char *err, size_t err_size)
{
  return db->driver->migrate(db, upto, applied, err, err_size);
}

int
db_migrate_print_status(struct db *db, FILE *out)
{
  /* no connection: a SQLite file not made yet */
  return NULL == db ? migrate_print_status(NULL, out) : db->driver->migrate_status(db, out);
}
