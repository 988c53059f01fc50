/**
 * @file db/role_write.c
 * @brief Role writes. The FTS index follows through its triggers.
 */
#include "db/role_write.h"

#include "db/rows.h"
#include "db/write_internal.h"

static const char role_insert_sql[] =
  "INSERT INTO roles (slug, title, category, summary) VALUES (?1, ?2, ?3, ?4)";
static const char role_insert_pg[] =
  DB_PG_INSERT("roles", "slug, title, category, summary", "?1, ?2, ?3, ?4");

/* An unbound (NULL) field keeps its value. */
static const char role_update_sql[] =
  "UPDATE roles SET title = coalesce(?2, title), category = coalesce(?3, category),"
  " summary = coalesce(?4, summary) WHERE id = ?1";

static const char role_salary_count_sql[] = "SELECT count(*) FROM salaries WHERE role_id = ?1";

/* salaries.role_id is ON DELETE RESTRICT: observations are never lost as
 * a side effect, only on purpose, first. */
static const char role_salaries_delete_sql[] = "DELETE FROM salaries WHERE role_id = ?1";

static const char role_delete_sql[] = "DELETE FROM roles WHERE id = ?1";

enum db_status
db_role_insert(struct db *db, const struct role_fields *f, int64_t *id)
{
  struct db_stmt *stmt = db_stmt(db, db_sql(db, role_insert_sql, role_insert_pg));

  if (NULL == stmt)
    return DB_HARD;
  return db_write_insert(db, stmt,
                         0 == db_bind_text(stmt, 1, f->slug)
                           && 0 == db_bind_text(stmt, 2, f->title)
                           && 0 == db_bind_text(stmt, 3, f->category)
                           && 0 == db_bind_text(stmt, 4, f->summary),
                         "role_insert", id);
}

enum db_status
db_role_update(struct db *db, int64_t id, const struct role_fields *f)
{
  struct db_stmt *stmt = db_stmt(db, role_update_sql);

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, id);
  return db_write_change(db, stmt,
                         0 == db_rows_bind_opt_text(stmt, 2, f->title)
                           && 0 == db_rows_bind_opt_text(stmt, 3, f->category)
                           && 0 == db_rows_bind_opt_text(stmt, 4, f->summary),
                         "role_update");
}

enum db_status
db_role_salary_count(struct db *db, int64_t id, int64_t *count)
{
  struct db_stmt *stmt = db_stmt(db, role_salary_count_sql);

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, id);
  return db_rows_int(stmt, "role_salary_count", count);
}

static enum db_status
delete_by_id(struct db *db, const char *sql, int64_t id, int64_t *changed)
{
  struct db_stmt *stmt = db_stmt(db, sql);

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, id);
  return db_write_step(db, stmt, sql, changed);
}

enum db_status
db_role_delete(struct db *db, int64_t id, bool with_salaries)
{
  int64_t changed = 0;
  enum db_status st = DB_ONE;

  if (with_salaries)
    st = delete_by_id(db, role_salaries_delete_sql, id, NULL);
  if (DB_ONE == st)
    st = delete_by_id(db, role_delete_sql, id, &changed);
  if (DB_ONE == st && 0 == changed)
    st = DB_NONE;
  return st;
}
