/**
 * @file db/write.c
 * @brief Write transactions and the write generation.
 */
#include "db/write.h"

#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "db/stmt.h"
#include "db/rows.h"
#include "util/log.h"

static atomic_uint_fast64_t generation;

/* Faults SQLite would not report, or not before the harm is done:
 * @return DB_ONE, or DB_GONE / DB_READONLY (logged) */
static enum db_status
file_writable(struct db *db)
{
  const char *path = db_file_path(db);
  enum db_status st = db_file_check(db);

  /* SQLite goes on writing to a deleted file through the open handle:
   * every write would be acknowledged and then lost with the inode. */
  if (DB_ONE == st && NULL != path && '\0' != path[0] && 0 != access(path, W_OK))
    st = DB_READONLY; /* the open handle could still write: honour the operator's chmod */
  if (DB_ONE != st)
    log_msg(LOG_ERROR, "database %s: the file %s; the write was refused", path,
            db_status_describe(st));
  return st;
}

enum db_status
db_write_begin(struct db *db)
{
  enum db_status st = file_writable(db);

  return DB_ONE == st ? db_exec_write_begin(db) : st;
}

enum db_status
db_write_commit(struct db *db)
{
  enum db_status st = db_exec_write_commit(db);

  /* before the answer is sent: this process's cached answers make way at once */
  if (DB_ONE == st)
    db_write_generation_bump();
  else
    db_write_rollback(db);
  return st;
}

void
db_write_rollback(struct db *db)
{
  if (db_in_transaction(db))
    (void) db_exec(db, "ROLLBACK");
}

uint64_t
db_write_generation(void)
{
  return atomic_load_explicit(&generation, memory_order_acquire);
}

void
db_write_generation_bump(void)
{
  atomic_fetch_add_explicit(&generation, 1, memory_order_release);
}

static const char pay_recompute_all_sql[] =
  "UPDATE roles SET (pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75) ="
  " (SELECT pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75 FROM role_pay"
  "  WHERE role_pay.role_id = roles.id)";

enum db_status
db_pay_recompute_all(struct db *db)
{
  return db_exec(db, pay_recompute_all_sql);
}

static const char min_reports_get_sql[] = "SELECT value FROM settings WHERE key = 'min_reports'";
static const char min_reports_set_sql[] =
  "UPDATE settings SET value = ?1 WHERE key = 'min_reports'";

int
db_settings_apply_min_reports(struct db *db, unsigned min_reports, char *err, size_t err_size)
{
  int64_t current = -1;
  struct db_stmt *stmt = db_stmt(db, min_reports_get_sql);
  enum db_status st = NULL == stmt ? DB_HARD : db_rows_int(stmt, "min_reports", &current);

  if (st < DB_NONE) {
    snprintf(err, err_size, "reading settings: %s", db_errmsg(db));
    return -1;
  }
  if (current == (int64_t) min_reports)
    return 0;
  if (DB_ONE != db_write_begin(db))
    goto fail;
  stmt = db_stmt(db, min_reports_set_sql);
  if (NULL == stmt)
    goto fail;
  db_bind_int64(stmt, 1, min_reports);
  st = DB_NONE == db_step(stmt, NULL) ? DB_ONE : DB_HARD;
  db_stmt_done(stmt);
  if (DB_ONE != st || DB_ONE != db_pay_recompute_all(db) || DB_ONE != db_write_commit(db))
    goto fail;
  return 0;
fail:
  snprintf(err, err_size, "applying min_reports: %s", db_errmsg(db));
  db_write_rollback(db);
  return -1;
}
