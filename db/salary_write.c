/**
 * @file db/salary_write.c
 * @brief Salary observations by id.
 */
#include "db/salary_write.h"

#include "db/report_factors.h"
#include "db/rows.h"
#include "db/write_internal.h"

static const char salary_insert_sql[] =
  "INSERT INTO salaries (role_id, subject, amount_usd, kind, statistic, bound, scope, year,"
  " source_id, section, note, " DB_FACTOR_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
  " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
static const char salary_insert_pg[] =
  DB_PG_INSERT("salaries", "role_id, subject, amount_usd, kind, statistic, bound, scope, year,"
               " source_id, section, note, " DB_FACTOR_COLUMNS,
               "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17");

static const char salary_delete_sql[] = "DELETE FROM salaries WHERE id = ?1";

enum db_status
db_salary_insert(struct db *db, const struct salary_new *s, int64_t *id)
{
  struct db_stmt *stmt = db_stmt(db, db_sql(db, salary_insert_sql, salary_insert_pg));
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  if (0 != db_rows_bind_opt_int(stmt, 1, s->has_role, s->role_id)
      || 0 != db_rows_bind_opt_text(stmt, 2, s->subject)
      || 0 != db_bind_int64(stmt, 3, s->amount_usd)
      || 0 != db_bind_text(stmt, 4, s->kind)
      || 0 != db_bind_text(stmt, 5, s->statistic)
      || 0 != db_bind_text(stmt, 6, s->bound)
      || 0 != db_rows_bind_opt_text(stmt, 7, s->scope)
      || 0 != db_rows_bind_opt_int(stmt, 8, s->has_year, s->year)
      || 0 != db_bind_int64(stmt, 9, s->source_id)
      || 0 != db_bind_text(stmt, 10, s->section)
      || 0 != db_rows_bind_opt_text(stmt, 11, s->note)
      || 0 != db_factors_bind(stmt, 12, &s->factors, s->industry_id)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  st = db_write_step(db, stmt, "salary_insert", NULL);
  if (DB_ONE == st)
    *id = db_last_insert_id(db);
  return st;
}

enum db_status
db_salary_delete(struct db *db, int64_t id)
{
  struct db_stmt *stmt = db_stmt(db, salary_delete_sql);
  int64_t changed = 0;
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, id);
  st = db_write_step(db, stmt, "salary_delete", &changed);
  if (DB_ONE == st && 0 == changed)
    st = DB_NONE;
  return st;
}
