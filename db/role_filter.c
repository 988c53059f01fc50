/**
 * @file db/role_filter.c
 * @brief Tells an unknown skill or industry of a ranking's filter apart
 *        from a filter that simply matches no role.
 */
#include "db/role_query.h"

#include "db/stmt.h"

static const char skill_exists_sql[] = "SELECT 1 FROM skills WHERE slug = ?1";
static const char industry_exists_sql[] = "SELECT 1 FROM industries WHERE slug = ?1";

static enum db_status
exists(struct db *db, const char *sql, const char *slug)
{
  struct db_stmt *stmt = db_stmt(db, sql);
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  db_bind_text(stmt, 1, slug);
  st = db_step(stmt, sql);
  db_stmt_done(stmt);
  return st;
}

enum db_status
db_role_filter_check(struct db *db, const struct role_filter *f,
                     const char **unknown_param, const char **unknown_value)
{
  enum db_status st;

  for (size_t i = 0; i < f->nskills; i++) {
    st = exists(db, skill_exists_sql, f->skills[i]);
    if (DB_NONE == st) {
      *unknown_param = "skill";
      *unknown_value = f->skills[i];
    }
    if (DB_ONE != st)
      return st;
  }
  if (NULL != f->industry) {
    st = exists(db, industry_exists_sql, f->industry);
    if (DB_NONE == st) {
      *unknown_param = "industry";
      *unknown_value = f->industry;
    }
    return st;
  }
  return DB_ONE;
}
