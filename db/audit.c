/**
 * @file db/audit.c
 * @brief The audit trail and the before/after summaries of writes.
 *
 * The summaries are built by SQLite's json_object(), in the same
 * statement that reads the row, so they always match what was stored.
 * PostgreSQL's JSON functions space their output differently, so there
 * the same compact text is concatenated, each string quoted by to_json(),
 * which escapes as SQLite does.
 */
#include "db/audit.h"

#include <stdlib.h>
#include <string.h>

#include "db/rows.h"
#include "db/write_internal.h"

static const char audit_insert_sql[] =
  "INSERT INTO audit (at, token_id, method, route, target, before, after)"
  " VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?1, ?2, ?3, ?4, ?5, ?6)";

static const char audit_insert_pg[] =
  DB_PG_INSERT("audit", "at, token_id, method, route, target, before, after",
               "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
               " ?1, ?2, ?3, ?4, ?5, ?6");

static const char audit_count_sql[] = "SELECT count(*) FROM audit";

/* The id grows with every write: newest first without comparing times,
 * which two writes in one millisecond share. A page starts below an id (a
 * seek in the table's own B-tree), so that any depth costs one page. */
static const char audit_page_sql[] =
  "SELECT id, at, token_id, method, route, target, before, after FROM audit"
  " WHERE id < ?3 ORDER BY id DESC LIMIT ?1 OFFSET ?2";

static const char *const summary_sql[] = {
  [AUDIT_ROLE] =
    "SELECT json_object('slug', r.slug, 'title', r.title, 'category', r.category,"
    " 'summary', r.summary, 'pay', r.pay_usd,"
    " 'salaries', (SELECT count(*) FROM salaries WHERE role_id = r.id),"
    " 'skills', (SELECT count(*) FROM role_skills WHERE role_id = r.id))"
    " FROM roles r WHERE r.id = ?1",
  [AUDIT_SALARY] =
    "SELECT json_object('id', s.id, 'role', r.slug, 'subject', s.subject,"
    " 'amount', s.amount_usd, 'currency', 'USD', 'kind', s.kind, 'statistic', s.statistic,"
    " 'bound', s.bound, 'scope', s.scope, 'year', s.year, 'note', s.note,"
    " 'source', json_object('id', s.source_id, 'section', s.section))"
    " FROM salaries s LEFT JOIN roles r ON r.id = s.role_id WHERE s.id = ?1",
  [AUDIT_SKILL] =
    "SELECT json_object('slug', k.slug, 'name', k.name, 'demand_rank', k.demand_rank,"
    " 'source', CASE WHEN k.source_id IS NULL THEN NULL"
    "  ELSE json_object('id', k.source_id, 'section', k.section) END,"
    " 'roles', (SELECT count(*) FROM role_skills WHERE skill_id = k.id))"
    " FROM skills k WHERE k.id = ?1",
  [AUDIT_ROLE_SKILL] =
    "SELECT json_object('role', r.slug, 'skill', k.slug,"
    " 'source', json_object('id', rs.source_id, 'section', rs.section))"
    " FROM role_skills rs JOIN roles r ON r.id = rs.role_id"
    " JOIN skills k ON k.id = rs.skill_id"
    " WHERE rs.role_id = ?1 AND rs.skill_id = ?2",
};

/* "<sep>\"key\":" and the value as JSON: a string, or a number; SQL NULL is null */
#define J_TEXT(sep, key, x) " '" sep "\"" key "\":' || coalesce(to_json(" x ")::text, 'null') ||"
#define J_NUM(sep, key, x) " '" sep "\"" key "\":' || coalesce((" x ")::text, 'null') ||"

static const char *const summary_pg[] = {
  [AUDIT_ROLE] =
    "SELECT" J_TEXT("{", "slug", "r.slug") J_TEXT(",", "title", "r.title")
    J_TEXT(",", "category", "r.category") J_TEXT(",", "summary", "r.summary")
    J_NUM(",", "pay", "r.pay_usd")
    J_NUM(",", "salaries", "SELECT count(*) FROM salaries WHERE role_id = r.id")
    J_NUM(",", "skills", "SELECT count(*) FROM role_skills WHERE role_id = r.id")
    " '}' FROM roles r WHERE r.id = ?1",
  [AUDIT_SALARY] =
    "SELECT" J_NUM("{", "id", "s.id") J_TEXT(",", "role", "r.slug")
    J_TEXT(",", "subject", "s.subject") J_NUM(",", "amount", "s.amount_usd")
    " ',\"currency\":\"USD\"' ||" J_TEXT(",", "kind", "s.kind")
    J_TEXT(",", "statistic", "s.statistic") J_TEXT(",", "bound", "s.bound")
    J_TEXT(",", "scope", "s.scope") J_NUM(",", "year", "s.year") J_TEXT(",", "note", "s.note")
    J_NUM(",\"source\":{", "id", "s.source_id") J_TEXT(",", "section", "s.section")
    " '}}' FROM salaries s LEFT JOIN roles r ON r.id = s.role_id WHERE s.id = ?1",
  [AUDIT_SKILL] =
    "SELECT" J_TEXT("{", "slug", "k.slug") J_TEXT(",", "name", "k.name")
    J_NUM(",", "demand_rank", "k.demand_rank")
    " ',\"source\":' || CASE WHEN k.source_id IS NULL THEN 'null' ELSE"
    " '{\"id\":' || k.source_id::text ||" J_TEXT(",", "section", "k.section") " '}' END ||"
    J_NUM(",", "roles", "SELECT count(*) FROM role_skills WHERE skill_id = k.id")
    " '}' FROM skills k WHERE k.id = ?1",
  [AUDIT_ROLE_SKILL] =
    "SELECT" J_TEXT("{", "role", "r.slug") J_TEXT(",", "skill", "k.slug")
    J_NUM(",\"source\":{", "id", "rs.source_id") J_TEXT(",", "section", "rs.section")
    " '}}' FROM role_skills rs JOIN roles r ON r.id = rs.role_id"
    " JOIN skills k ON k.id = rs.skill_id"
    " WHERE rs.role_id = ?1 AND rs.skill_id = ?2",
};

enum db_status
db_audit_add(struct db *db, const struct audit_entry *e)
{
  struct db_stmt *stmt = db_stmt(db, db_sql(db, audit_insert_sql, audit_insert_pg));

  if (NULL == stmt)
    return DB_HARD;
  if (0 != db_bind_text(stmt, 1, e->token_id)
      || 0 != db_bind_text(stmt, 2, e->method)
      || 0 != db_bind_text(stmt, 3, e->route)
      || 0 != db_bind_text(stmt, 4, e->target)
      || 0 != db_rows_bind_opt_text(stmt, 5, e->before)
      || 0 != db_rows_bind_opt_text(stmt, 6, e->after)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  return db_write_step(db, stmt, "audit_insert", NULL);
}

enum db_status
db_audit_count(struct db *db, int64_t *total)
{
  struct db_stmt *stmt = db_stmt(db, audit_count_sql);

  if (NULL == stmt)
    return DB_HARD;
  return db_rows_int(stmt, "audit_count", total);
}

#define AUDIT_COLUMNS(C) \
  C(int64, id) C(text, at) C(text, token_id) C(text, method) C(text, route) C(text, target) \
  C(text_or_null, before) C(text_or_null, after)
DB_ROWS_READER(read_audit, struct audit_row, AUDIT_COLUMNS)
DB_ROWS_ADAPTER(each_audit, audit_ctx, struct audit_row, db_audit_cb, read_audit)

enum db_status
db_audit_list(struct db *db, int64_t before_id, int64_t limit, int64_t offset, db_audit_cb cb,
              void *cls)
{
  struct db_stmt *stmt = db_stmt(db, audit_page_sql);
  struct audit_ctx ctx = { cb, cls };

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, limit);
  db_bind_int64(stmt, 2, offset);
  db_bind_int64(stmt, 3, before_id);
  return db_rows_each(stmt, "audit_list", each_audit, &ctx, NULL);
}

enum db_status
db_audit_summary(struct db *db, enum audit_subject what, int64_t id, int64_t id2, char **json)
{
  struct db_stmt *stmt = db_stmt(db, db_sql(db, summary_sql[what], summary_pg[what]));
  enum db_status st;

  *json = NULL;
  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, id);
  if (AUDIT_ROLE_SKILL == what)
    db_bind_int64(stmt, 2, id2);
  st = db_step(stmt, "audit_summary");
  if (DB_ONE == st) {
    *json = strdup(db_column_text(stmt, 0));
    st = NULL != *json ? DB_ONE : DB_HARD;
  }
  db_stmt_done(stmt);
  return st;
}
