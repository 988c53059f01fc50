/**
 * @file db/skills.c
 * @brief Skill queries. The pay figures are aggregated by SQLite in the
 *        statement itself: the mean pay of the roles needing a skill, and
 *        its distance from the mean pay of all roles.
 */
#include "db/skills.h"

#include "db/stmt.h"
#include "db/rows.h"

/*
 * Every skill with its figures. avg() skips roles without pay, so avg_pay
 * is NULL exactly when no role needing the skill has pay, and the premium
 * follows it. The premium is the rounded difference of the unrounded means.
 */
#define SKILL_FIGURES_CTE \
  "WITH baseline AS (" \
  "  SELECT avg(pay_usd) AS pay FROM roles WHERE pay_usd IS NOT NULL)," \
  " needs AS (" \
  "  SELECT rs.skill_id, count(*) AS role_count, avg(r.pay_usd) AS pay" \
  "  FROM role_skills rs JOIN roles r ON r.id = rs.role_id GROUP BY rs.skill_id)," \
  " figures AS (" \
  "  SELECT k.id, k.slug, k.name, k.demand_rank, k.source_id, k.section," \
  "   coalesce(n.role_count, 0) AS role_count," \
  "   CAST(round(n.pay) AS INTEGER) AS avg_pay," \
  "   CAST(round(n.pay - b.pay) AS INTEGER) AS pay_premium" \
  "  FROM skills k LEFT JOIN needs n ON n.skill_id = k.id CROSS JOIN baseline b)"

/* The skill's columns, its provenance, then one share (NULLs when none). */
#define SKILL_SELECT \
  " SELECT p.id, p.slug, p.name, p.demand_rank, p.role_count, p.avg_pay, p.pay_premium," \
  " s.id, s.slug, s.title, p.section," \
  " sh.metric, sh.percent, sh.qualifier, sh.scope," \
  " shs.id, shs.slug, shs.title, sh.section" \
  " FROM page p LEFT JOIN sources s ON s.id = p.source_id" \
  " LEFT JOIN skill_shares sh ON sh.skill_id = p.id" \
  " LEFT JOIN sources shs ON shs.id = sh.source_id"

/* The page is cut from the skills first and numbered, so that joining the
 * shares afterwards can neither split a skill across pages nor reorder it.
 * Equal keys fall back to the slug so that offset paging is stable. */
#define SKILL_PAGE(order) \
  SKILL_FIGURES_CTE \
  ", page AS (SELECT *, row_number() OVER (ORDER BY " order ") AS pos FROM figures" \
  " ORDER BY pos LIMIT ?1 OFFSET ?2)" \
  SKILL_SELECT \
  " ORDER BY p.pos, sh.id"

/* SKILL_ORDERS(name): each sort with SQLite's NOCASE spelled per
 * engine (PostgreSQL: lower() under the C collation, docs/postgresql.md). */
#define SKILL_ORDERS(name) { \
  [SKILL_SORT_DEMAND] = SKILL_PAGE("demand_rank IS NULL, demand_rank, " name ", slug"), \
  [SKILL_SORT_PAY] = SKILL_PAGE("avg_pay IS NULL, avg_pay DESC, " name ", slug"), \
  [SKILL_SORT_NAME] = SKILL_PAGE(name ", slug"), \
}

static const char *const skills_page_sql[] = SKILL_ORDERS("name COLLATE NOCASE");
static const char *const skills_page_pg[] = SKILL_ORDERS("lower(name)");

static const char skill_by_slug_sql[] =
  SKILL_FIGURES_CTE
  ", page AS (SELECT * FROM figures WHERE slug = ?1)"
  SKILL_SELECT
  " ORDER BY sh.id";

static const char skills_count_sql[] = "SELECT count(*) FROM skills";

static const char pay_baseline_sql[] =
  "SELECT CAST(round(avg(pay_usd)) AS INTEGER) FROM roles WHERE pay_usd IS NOT NULL";

/* RANK() runs over the roles with pay only, so a role without pay neither
 * takes a rank nor pushes another one down. */
#define SKILL_ROLES(title) \
  "SELECT r.slug, r.title, r.category, r.summary, r.pay_usd," \
  " CASE WHEN r.pay_usd IS NOT NULL THEN" \
  "  rank() OVER (PARTITION BY r.pay_usd IS NULL ORDER BY r.pay_usd DESC) END," \
  " s.id, s.slug, s.title, rs.section" \
  " FROM role_skills rs JOIN roles r ON r.id = rs.role_id" \
  " JOIN sources s ON s.id = rs.source_id" \
  " WHERE rs.skill_id = ?1" \
  " ORDER BY r.pay_usd IS NULL, r.pay_usd DESC, " title ", r.slug LIMIT ?2"
DB_NOCASE_TEXTS(skill_roles, SKILL_ROLES, "r.title");

static void
read_skill(struct db_stmt *stmt, struct skill_row *row, struct db_rows_group *group)
{
  *row = (struct skill_row) {
    .id = db_column_int64(stmt, 0),
    .slug = db_column_text(stmt, 1),
    .name = db_column_text(stmt, 2),
    .role_count = db_column_int64(stmt, 4),
    .has_source = !db_column_is_null(stmt, 7),
    .has_share = !db_column_is_null(stmt, 11),
  };

  row->first = db_rows_group_starts(group, row->id);
  row->has_demand_rank = db_rows_opt_int(stmt, 3, &row->demand_rank);
  row->has_avg_pay = db_rows_opt_int(stmt, 5, &row->avg_pay);
  (void) db_rows_opt_int(stmt, 6, &row->pay_premium);
  if (row->has_source)
    db_rows_source(stmt, 7, &row->source);
  if (row->has_share) {
    row->share.metric = db_column_text(stmt, 11);
    row->share.percent = db_column_double(stmt, 12);
    row->share.qualifier = db_column_text(stmt, 13);
    row->share.scope = db_column_text_or_null(stmt, 14);
    db_rows_source(stmt, 15, &row->share.source);
  }
}

DB_ROWS_GROUP_ADAPTER(each_skill, skill_ctx, struct skill_row, db_skill_cb, read_skill)

enum db_status
db_skills_count(struct db *db, int64_t *total)
{
  struct db_stmt *stmt = db_stmt(db, skills_count_sql);

  if (NULL == stmt)
    return DB_HARD;
  return db_rows_int(stmt, "skills_count", total);
}

enum db_status
db_skills_pay_baseline(struct db *db, int64_t *mean)
{
  struct db_stmt *stmt = db_stmt(db, pay_baseline_sql);
  enum db_status status;

  if (NULL == stmt)
    return DB_HARD;
  status = db_step(stmt, "skills_pay_baseline");
  if (DB_ONE == status) {
    /* avg() over no rows is one NULL row, not an empty result. */
    status = db_column_is_null(stmt, 0) ? DB_NONE : DB_ONE;
    *mean = db_column_int64(stmt, 0);
  } else if (DB_NONE == status) {
    status = DB_HARD;
  }
  db_stmt_done(stmt);
  return status;
}

enum db_status
db_skills_list(struct db *db, enum skill_sort sort, int64_t limit, int64_t offset,
               db_skill_cb cb, void *cls)
{
  struct db_stmt *stmt = db_stmt(db, db_sql(db, skills_page_sql[sort], skills_page_pg[sort]));
  struct skill_ctx ctx = { .cb = cb, .cls = cls };

  if (NULL == stmt)
    return DB_HARD;
  if (0 != db_bind_int64(stmt, 1, limit)
      || 0 != db_bind_int64(stmt, 2, offset)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  return db_rows_each(stmt, "skills_list", each_skill, &ctx, NULL);
}

enum db_status
db_skill_get(struct db *db, const char *slug, int64_t *skill_id, db_skill_cb cb, void *cls)
{
  struct db_stmt *stmt = db_stmt(db, skill_by_slug_sql);
  struct skill_ctx ctx = { .cb = cb, .cls = cls };
  enum db_status status;

  if (NULL == stmt)
    return DB_HARD;
  if (0 != db_bind_text(stmt, 1, slug)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  status = db_rows_each(stmt, "skill_by_slug", each_skill, &ctx, NULL);
  if (DB_ONE == status) {
    *skill_id = ctx.group.last_id;
    status = DB_ONE; /* one skill, however many share rows */
  }
  return status;
}

static void
read_skill_role(struct db_stmt *stmt, struct skill_role_row *row)
{
  *row = (struct skill_role_row) {
    .role = {
      .slug = db_column_text(stmt, 0),
      .title = db_column_text(stmt, 1),
      .category = db_column_text(stmt, 2),
      .summary = db_column_text(stmt, 3),
    },
  };

  row->role.has_pay = db_rows_opt_int(stmt, 4, &row->role.pay_usd);
  row->has_rank = db_rows_opt_int(stmt, 5, &row->rank);
  db_rows_source(stmt, 6, &row->source);
}

DB_ROWS_ADAPTER(each_skill_role, skill_role_ctx, struct skill_role_row, db_skill_role_cb,
                read_skill_role)

enum db_status
db_skill_roles(struct db *db, int64_t skill_id, int64_t limit, db_skill_role_cb cb, void *cls,
               int64_t *rows)
{
  struct db_stmt *stmt = db_stmt(db, db_sql(db, skill_roles_sql, skill_roles_pg));
  struct skill_role_ctx ctx = { cb, cls };

  if (NULL == stmt)
    return DB_HARD;
  if (0 != db_bind_int64(stmt, 1, skill_id)
      || 0 != db_bind_int64(stmt, 2, limit)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  return db_rows_each(stmt, "skill_roles", each_skill_role, &ctx, rows);
}
