/**
 * @file db/roles.c
 * @brief Role queries.
 */
#include "db/roles.h"

#include "db/stmt.h"
#include "db/rows.h"

#define ROLE_COLUMNS "slug, title, category, summary, pay_usd"

static const char role_by_slug_sql[] =
  "SELECT id, " ROLE_COLUMNS ", " PAY_SPREAD_COLUMNS " FROM roles WHERE slug = ?1";

static const char role_mentions_sql[] =
  "SELECT s.id, s.slug, s.title, m.section"
  " FROM role_mentions m JOIN sources s ON s.id = m.source_id"
  " WHERE m.role_id = ?1 ORDER BY s.id, m.section";

/* The first ?2 figures are chosen in the covering index salaries_by_role
 * before any row or source is read: a role may have hundreds of
 * thousands of reports after a bulk import. */
static const char role_salaries_sql[] =
  "SELECT sa.id, sa.amount_usd, sa.kind, sa.statistic, sa.bound, sa.scope,"
  " sa.year, sa.note, s.id, s.slug, s.title, sa.section"
  " FROM (SELECT id FROM salaries WHERE role_id = ?1"
  "       ORDER BY kind, statistic, amount_usd DESC, id LIMIT ?2) first"
  " JOIN salaries sa ON sa.id = first.id JOIN sources s ON s.id = sa.source_id"
  " ORDER BY sa.kind, sa.statistic, sa.amount_usd DESC, sa.id";

#define ROLE_SKILLS(name) \
  "SELECT k.slug, k.name, k.demand_rank, s.id, s.slug, s.title, rs.section" \
  " FROM role_skills rs JOIN skills k ON k.id = rs.skill_id" \
  " JOIN sources s ON s.id = rs.source_id" \
  " WHERE rs.role_id = ?1" \
  " ORDER BY k.demand_rank IS NULL, k.demand_rank, " name ", k.slug"
/* NOCASE is lower() under PostgreSQL's C collation (docs/postgresql.md) */
DB_NOCASE_TEXTS(role_skills, ROLE_SKILLS, "k.name");

static void
read_role(struct db_stmt *stmt, int first, struct role_row *row)
{
  row->slug = db_column_text(stmt, first);
  row->title = db_column_text(stmt, first + 1);
  row->category = db_column_text(stmt, first + 2);
  row->summary = db_column_text(stmt, first + 3);
  row->has_pay = !db_column_is_null(stmt, first + 4);
  row->pay_usd = row->has_pay ? db_column_int64(stmt, first + 4) : 0;
}

enum db_status
db_role_get(struct db *db, const char *slug, int64_t *role_id, db_role_cb cb, void *cls)
{
  struct db_stmt *stmt = db_stmt(db, role_by_slug_sql);
  enum db_status status;

  if (NULL == stmt)
    return DB_HARD;
  db_bind_text(stmt, 1, slug);
  status = db_step(stmt, "role_by_slug");
  if (DB_ONE == status) {
    struct role_row row;

    *role_id = db_column_int64(stmt, 0);
    read_role(stmt, 1, &row);
    db_rows_pay_spread(stmt, 6, &row.spread);
    status = 0 == cb(cls, &row) ? DB_ONE : DB_HARD;
  }
  db_stmt_done(stmt);
  return status;
}

static void
read_mention(struct db_stmt *stmt, struct source_ref *src)
{
  db_rows_source(stmt, 0, src);
}

DB_ROWS_ADAPTER(each_mention, mention_ctx, struct source_ref, db_source_cb, read_mention)

static void
read_salary(struct db_stmt *stmt, struct salary_row *row)
{
  *row = (struct salary_row) {
    .id = db_column_int64(stmt, 0),
    .amount_usd = db_column_int64(stmt, 1),
    .kind = db_column_text(stmt, 2),
    .statistic = db_column_text(stmt, 3),
    .bound = db_column_text(stmt, 4),
    .scope = db_column_text_or_null(stmt, 5),
    .has_year = !db_column_is_null(stmt, 6),
    .year = db_column_int64(stmt, 6),
    .note = db_column_text_or_null(stmt, 7),
  };
  db_rows_source(stmt, 8, &row->source);
}

DB_ROWS_ADAPTER(each_salary, salary_ctx, struct salary_row, db_salary_cb, read_salary)

static void
read_role_skill(struct db_stmt *stmt, struct role_skill_row *row)
{
  *row = (struct role_skill_row) {
    .slug = db_column_text(stmt, 0),
    .name = db_column_text(stmt, 1),
    .has_demand_rank = !db_column_is_null(stmt, 2),
    .demand_rank = db_column_int64(stmt, 2),
  };
  db_rows_source(stmt, 3, &row->source);
}

DB_ROWS_ADAPTER(each_skill, role_skill_ctx, struct role_skill_row, db_role_skill_cb,
                read_role_skill)

static enum db_status
for_role(struct db *db, const char *sql, int64_t role_id,
         db_row_fn each, void *ctx)
{
  struct db_stmt *stmt = db_stmt(db, sql);

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, role_id);
  return db_rows_each(stmt, sql, each, ctx, NULL);
}

enum db_status
db_role_mentions(struct db *db, int64_t role_id, db_source_cb cb, void *cls)
{
  struct mention_ctx ctx = { cb, cls };

  return for_role(db, role_mentions_sql, role_id, each_mention, &ctx);
}

enum db_status
db_role_salaries(struct db *db, int64_t role_id, int64_t limit, db_salary_cb cb, void *cls,
                 int64_t *rows)
{
  struct salary_ctx ctx = { cb, cls };
  struct db_stmt *stmt = db_stmt(db, role_salaries_sql);

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, role_id);
  db_bind_int64(stmt, 2, limit);
  return db_rows_each(stmt, role_salaries_sql, each_salary, &ctx, rows);
}

enum db_status
db_role_skills(struct db *db, int64_t role_id, db_role_skill_cb cb, void *cls)
{
  struct role_skill_ctx ctx = { cb, cls };

  return for_role(db, db_sql(db, role_skills_sql, role_skills_pg), role_id, each_skill, &ctx);
}
