/**
 * @file db/stmt.c
 * @brief The SQL text of every statement, indexed by enum stmt_id.
 */
#include "db/stmt.h"

#include <assert.h>
#include <stddef.h>

#define ROLE_COLUMNS "slug, title, category, summary, pay_usd"

/* Roles without pay come last in both directions; equal keys fall back to
 * the slug so that offset paging is stable. */
static const struct {
  const char *name;
  const char *sql;
} stmts[STMT__COUNT] = {
  [STMT_PING] = { "ping", "SELECT 1" },
  [STMT_DATA_VERSION] = { "data_version", "PRAGMA data_version" },
  [STMT_BEGIN] = { "begin", "BEGIN" },
  [STMT_COMMIT] = { "commit", "COMMIT" },
  [STMT_ROLLBACK] = { "rollback", "ROLLBACK" },
  [STMT_ROLES_COUNT] = { "roles_count", "SELECT count(*) FROM roles" },
  [STMT_ROLES_BY_PAY_DESC] = { "roles_by_pay_desc",
    "SELECT " ROLE_COLUMNS " FROM roles"
    " ORDER BY pay_usd IS NULL, pay_usd DESC,"
    " CASE WHEN pay_usd IS NULL THEN title COLLATE NOCASE END, slug"
    " LIMIT ?1 OFFSET ?2" },
  [STMT_ROLES_BY_PAY_ASC] = { "roles_by_pay_asc",
    "SELECT " ROLE_COLUMNS " FROM roles"
    " ORDER BY pay_usd IS NULL, pay_usd ASC,"
    " CASE WHEN pay_usd IS NULL THEN title COLLATE NOCASE END, slug"
    " LIMIT ?1 OFFSET ?2" },
  [STMT_ROLES_BY_TITLE_ASC] = { "roles_by_title_asc",
    "SELECT " ROLE_COLUMNS " FROM roles"
    " ORDER BY title COLLATE NOCASE ASC, slug LIMIT ?1 OFFSET ?2" },
  [STMT_ROLES_BY_TITLE_DESC] = { "roles_by_title_desc",
    "SELECT " ROLE_COLUMNS " FROM roles"
    " ORDER BY title COLLATE NOCASE DESC, slug LIMIT ?1 OFFSET ?2" },
  [STMT_ROLE_BY_SLUG] = { "role_by_slug",
    "SELECT id, " ROLE_COLUMNS " FROM roles WHERE slug = ?1" },
  [STMT_ROLE_MENTIONS] = { "role_mentions",
    "SELECT s.id, s.slug, s.title, m.section"
    " FROM role_mentions m JOIN sources s ON s.id = m.source_id"
    " WHERE m.role_id = ?1 ORDER BY s.id, m.section" },
  [STMT_ROLE_SALARIES] = { "role_salaries",
    "SELECT sa.id, sa.amount_usd, sa.kind, sa.statistic, sa.bound, sa.scope,"
    " sa.year, sa.note, s.id, s.slug, s.title, sa.section"
    " FROM salaries sa JOIN sources s ON s.id = sa.source_id"
    " WHERE sa.role_id = ?1"
    " ORDER BY sa.kind, sa.statistic, sa.amount_usd DESC, sa.id" },
  [STMT_ROLE_SKILLS] = { "role_skills",
    "SELECT k.slug, k.name, k.demand_rank, s.id, s.slug, s.title, rs.section"
    " FROM role_skills rs JOIN skills k ON k.id = rs.skill_id"
    " JOIN sources s ON s.id = rs.source_id"
    " WHERE rs.role_id = ?1"
    " ORDER BY k.demand_rank IS NULL, k.demand_rank, k.name COLLATE NOCASE, k.slug" },
};

const char *
stmt_sql(enum stmt_id id)
{
  assert(id < STMT__COUNT);
  return stmts[id].sql;
}

const char *
stmt_name(enum stmt_id id)
{
  assert(id < STMT__COUNT);
  return stmts[id].name;
}
