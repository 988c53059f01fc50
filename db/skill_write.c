/**
 * @file db/skill_write.c
 * @brief Skill writes and role-skill links.
 */
#include "db/skill_write.h"

#include <stdio.h>

#include "db/rows.h"
#include "db/write_internal.h"

static const char skill_id_sql[] = "SELECT id FROM skills WHERE slug = ?1";

static const char skill_rank_holder_sql[] =
  "SELECT slug FROM skills WHERE demand_rank = ?1 AND id <> ?2";

static const char skill_insert_sql[] =
  "INSERT INTO skills (slug, name, demand_rank, source_id, section)"
  " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char skill_insert_pg[] =
  DB_PG_INSERT("skills", "slug, name, demand_rank, source_id, section", "?1, ?2, ?3, ?4, ?5");

/* ?3 = 0 keeps the rank; 1 sets it to ?4 (NULL: no rank). A new rank
 * brings its provenance (?5, ?6); removing one leaves the skill's. */
static const char skill_update_sql[] =
  "UPDATE skills SET name = coalesce(?2, name),"
  " demand_rank = CASE WHEN ?3 THEN ?4 ELSE demand_rank END,"
  " source_id = CASE WHEN ?3 AND ?4 IS NOT NULL THEN ?5 ELSE source_id END,"
  " section = CASE WHEN ?3 AND ?4 IS NOT NULL THEN ?6 ELSE section END"
  " WHERE id = ?1";
/* PostgreSQL takes no number for a condition, nor an untyped NULL */
static const char skill_update_pg[] =
  "UPDATE skills SET name = coalesce(?2::text, name),"
  " demand_rank = CASE WHEN ?3 <> 0 THEN ?4::bigint ELSE demand_rank END,"
  " source_id = CASE WHEN ?3 <> 0 AND ?4 IS NOT NULL THEN ?5::bigint ELSE source_id END,"
  " section = CASE WHEN ?3 <> 0 AND ?4 IS NOT NULL THEN ?6::text ELSE section END"
  " WHERE id = ?1";

static const char link_sql[] =
  "INSERT INTO role_skills (role_id, skill_id, source_id, section) VALUES (?1, ?2, ?3, ?4)"
  " ON CONFLICT (role_id, skill_id) DO NOTHING";

static const char unlink_sql[] = "DELETE FROM role_skills WHERE role_id = ?1 AND skill_id = ?2";

enum db_status
db_skill_id(struct db *db, const char *slug, int64_t *skill_id)
{
  return db_rows_int_by_text(db, skill_id_sql, "skill_id", slug, skill_id);
}

enum db_status
db_skill_rank_holder(struct db *db, int64_t rank, int64_t except_id, char *slug, size_t size)
{
  struct db_stmt *stmt = db_stmt(db, skill_rank_holder_sql);
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, rank);
  db_bind_int64(stmt, 2, except_id);
  st = db_step(stmt, "skill_rank_holder");
  if (DB_ONE == st)
    snprintf(slug, size, "%s", db_column_text(stmt, 0));
  db_stmt_done(stmt);
  return st;
}

enum db_status
db_skill_insert(struct db *db, const struct skill_fields *f, int64_t *skill_id)
{
  struct db_stmt *stmt = db_stmt(db, db_sql(db, skill_insert_sql, skill_insert_pg));

  if (NULL == stmt)
    return DB_HARD;
  return db_write_insert(db, stmt,
                         0 == db_bind_text(stmt, 1, f->slug)
                           && 0 == db_bind_text(stmt, 2, f->name)
                           && 0 == db_rows_bind_opt_int(stmt, 3, f->has_rank, f->rank)
                           && 0 == db_bind_int64(stmt, 4, f->source_id)
                           && 0 == db_bind_text(stmt, 5, f->section),
                         "skill_insert", skill_id);
}

enum db_status
db_skill_update(struct db *db, int64_t skill_id, const struct skill_fields *f)
{
  struct db_stmt *stmt = db_stmt(db, db_sql(db, skill_update_sql, skill_update_pg));

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, skill_id);
  db_bind_int64(stmt, 3, f->set_rank);
  return db_write_change(db, stmt,
                         0 == db_rows_bind_opt_text(stmt, 2, f->name)
                           && 0 == db_rows_bind_opt_int(stmt, 4, f->has_rank, f->rank)
                           && 0 == db_bind_int64(stmt, 5, f->source_id)
                           && 0 == db_rows_bind_opt_text(stmt, 6, f->section),
                         "skill_update");
}

enum db_status
db_role_skill_link(struct db *db, int64_t role_id, int64_t skill_id, int64_t source_id,
                   const char *section, bool *created)
{
  struct db_stmt *stmt = db_stmt(db, link_sql);
  int64_t changed = 0;
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, role_id);
  db_bind_int64(stmt, 2, skill_id);
  db_bind_int64(stmt, 3, source_id);
  if (0 != db_bind_text(stmt, 4, section)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  st = db_write_step(db, stmt, "role_skill_link", &changed);
  *created = DB_ONE == st && changed > 0;
  return st;
}

enum db_status
db_role_skill_unlink(struct db *db, int64_t role_id, int64_t skill_id)
{
  struct db_stmt *stmt = db_stmt(db, unlink_sql);

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, role_id);
  db_bind_int64(stmt, 2, skill_id);
  return db_write_change(db, stmt, true, "role_skill_unlink");
}
