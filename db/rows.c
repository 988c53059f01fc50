/**
 * @file db/rows.c
 * @brief Row stepping and shared column readers.
 */
#include "db/rows.h"

enum db_status
db_rows_each(struct db *db, sqlite3_stmt *stmt, const char *what, db_row_fn each, void *ctx,
             int64_t *rows)
{
  enum db_status status;
  int64_t n = 0;
  int rc;

  while (SQLITE_ROW == (rc = sqlite3_step(stmt))) {
    if (0 != each(stmt, ctx)) {
      db_stmt_done(stmt);
      return DB_HARD;
    }
    n++;
  }
  if (NULL != rows)
    *rows = n;
  status = SQLITE_DONE != rc ? db_status_from_rc(db, rc, what) : n > 0 ? DB_ONE : DB_NONE;
  db_stmt_done(stmt);
  return status;
}

enum db_status
db_rows_int(struct db *db, sqlite3_stmt *stmt, const char *what, int64_t *out)
{
  enum db_status status;
  int rc = sqlite3_step(stmt);

  if (SQLITE_ROW == rc) {
    *out = sqlite3_column_int64(stmt, 0);
    status = DB_ONE;
  } else {
    status = SQLITE_DONE == rc ? DB_NONE : db_status_from_rc(db, rc, what);
  }
  db_stmt_done(stmt);
  return status;
}

void
db_rows_observation(sqlite3_stmt *stmt, struct observation_row *row)
{
  *row = (struct observation_row) {
    .salary = {
      .id = sqlite3_column_int64(stmt, 0),
      .amount_usd = sqlite3_column_int64(stmt, 1),
      .kind = db_column_text(stmt, 2),
      .statistic = db_column_text(stmt, 3),
      .bound = db_column_text(stmt, 4),
      .scope = db_column_text_or_null(stmt, 5),
      .note = db_column_text_or_null(stmt, 7),
    },
    .role_slug = db_column_text_or_null(stmt, 12),
    .subject = db_column_text_or_null(stmt, 13),
  };
  row->salary.has_year = db_rows_opt_int(stmt, 6, &row->salary.year);
  db_rows_source(stmt, 8, &row->salary.source);
}

void
db_rows_source(sqlite3_stmt *stmt, int first, struct source_ref *src)
{
  src->id = sqlite3_column_int64(stmt, first);
  src->slug = db_column_text(stmt, first + 1);
  src->title = db_column_text(stmt, first + 2);
  src->section = db_column_text(stmt, first + 3);
}

bool
db_rows_opt_int(sqlite3_stmt *stmt, int col, int64_t *out)
{
  bool present = SQLITE_NULL != sqlite3_column_type(stmt, col);

  *out = present ? sqlite3_column_int64(stmt, col) : 0;
  return present;
}

int
db_rows_bind_opt_int(sqlite3_stmt *stmt, int index, bool present, int64_t value)
{
  return present ? sqlite3_bind_int64(stmt, index, value) : sqlite3_bind_null(stmt, index);
}

int
db_rows_bind_opt_text(sqlite3_stmt *stmt, int index, const char *text)
{
  return NULL != text ? db_bind_text(stmt, index, text) : sqlite3_bind_null(stmt, index);
}

void
db_rows_pay_spread(sqlite3_stmt *stmt, int first, struct pay_spread *spread)
{
  spread->basis = db_column_text_or_null(stmt, first);
  spread->n = sqlite3_column_int64(stmt, first + 1);
  /* the view sets the percentiles only when the reports make the pay */
  spread->has_spread = SQLITE_NULL != sqlite3_column_type(stmt, first + 3);
  spread->p25 = sqlite3_column_int64(stmt, first + 2);
  spread->p50 = sqlite3_column_int64(stmt, first + 3);
  spread->p75 = sqlite3_column_int64(stmt, first + 4);
}

bool
db_rows_group_starts(struct db_rows_group *g, int64_t id)
{
  bool starts = !g->any || id != g->last_id;

  g->any = true;
  g->last_id = id;
  return starts;
}
