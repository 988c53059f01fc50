/**
 * @file db/rows.c
 * @brief Row stepping and shared column readers.
 */
#include "db/rows.h"

enum db_status
db_rows_each(struct db_stmt *stmt, const char *what, db_row_fn each, void *ctx,
             int64_t *rows)
{
  enum db_status status;
  int64_t n = 0;

  while (DB_ONE == (status = db_step(stmt, what))) {
    if (0 != each(stmt, ctx)) {
      db_stmt_done(stmt);
      return DB_HARD;
    }
    n++;
  }
  if (NULL != rows)
    *rows = n;
  if (DB_NONE == status)
    status = n > 0 ? DB_ONE : DB_NONE;
  db_stmt_done(stmt);
  return status;
}

enum db_status
db_rows_int(struct db_stmt *stmt, const char *what, int64_t *out)
{
  enum db_status status = db_step(stmt, what);

  if (DB_ONE == status)
    *out = db_column_int64(stmt, 0);
  db_stmt_done(stmt);
  return status;
}

void
db_rows_observation(struct db_stmt *stmt, struct observation_row *row)
{
  *row = (struct observation_row) {
    .salary = {
      .id = db_column_int64(stmt, 0),
      .amount_usd = db_column_int64(stmt, 1),
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
  db_factors_read(stmt, 14, &row->factors);
}

void
db_rows_source(struct db_stmt *stmt, int first, struct source_ref *src)
{
  src->id = db_column_int64(stmt, first);
  src->slug = db_column_text(stmt, first + 1);
  src->title = db_column_text(stmt, first + 2);
  src->section = db_column_text(stmt, first + 3);
}

bool
db_rows_opt_int(struct db_stmt *stmt, int col, int64_t *out)
{
  bool present = !db_column_is_null(stmt, col);

  *out = present ? db_column_int64(stmt, col) : 0;
  return present;
}

int
db_rows_bind_opt_int(struct db_stmt *stmt, int index, bool present, int64_t value)
{
  return present ? db_bind_int64(stmt, index, value) : db_bind_null(stmt, index);
}

int
db_rows_bind_opt_text(struct db_stmt *stmt, int index, const char *text)
{
  return NULL != text ? db_bind_text(stmt, index, text) : db_bind_null(stmt, index);
}

void
db_rows_pay_spread(struct db_stmt *stmt, int first, struct pay_spread *spread)
{
  spread->basis = db_column_text_or_null(stmt, first);
  spread->n = db_column_int64(stmt, first + 1);
  /* the view sets the percentiles only when the reports make the pay */
  spread->has_spread = !db_column_is_null(stmt, first + 3);
  spread->p25 = db_column_int64(stmt, first + 2);
  spread->p50 = db_column_int64(stmt, first + 3);
  spread->p75 = db_column_int64(stmt, first + 4);
}

bool
db_rows_group_starts(struct db_rows_group *g, int64_t id)
{
  bool starts = !g->any || id != g->last_id;

  g->any = true;
  g->last_id = id;
  return starts;
}

enum db_status
db_rows_int_by_text(struct db *db, const char *sql, const char *what, const char *text,
                    int64_t *out)
{
  struct db_stmt *stmt = db_stmt(db, sql);

  if (NULL == stmt)
    return DB_HARD;
  if (0 != db_bind_text(stmt, 1, text)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  return db_rows_int(stmt, what, out);
}
