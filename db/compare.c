/**
 * @file db/compare.c
 * @brief The comparison query: a role with its pay rank and its highest
 *        total-compensation observation.
 */
#include "db/compare.h"

#include "db/stmt.h"
#include "db/rows.h"

/*
 * The rank is taken over every role with pay, not over the roles being
 * compared, so a role keeps the same position whatever it is compared
 * with. RANK() gives equal pay one position and skips the next.
 *
 * The highest total figure is picked by amount alone; its bound travels
 * with it so that "$250,000+" is never read as exactly 250000. Ties on the
 * amount fall back to the id so the answer does not depend on the plan.
 */
static const char compare_role_sql[] =
  /* The rank as RANK() OVER (ORDER BY pay_usd DESC) would give it, counted
   * in the index roles_by_pay_usd instead of ranking every role. */
  "SELECT r.id, r.slug, r.title, r.category, r.summary, r.pay_usd,"
  "  CASE WHEN r.pay_usd IS NOT NULL THEN"
  "   1 + (SELECT count(*) FROM roles x WHERE x.pay_usd > r.pay_usd) END,"
  "  (SELECT count(*) FROM roles WHERE pay_usd IS NOT NULL),"
  "  t.id, t.amount_usd, t.kind, t.statistic, t.bound, t.scope, t.year, t.note,"
  "  s.id, s.slug, s.title, t.section,"
  "  r.pay_basis, r.pay_n, r.pay_p25, r.pay_p50, r.pay_p75"
  " FROM roles r"
  " LEFT JOIN salaries t ON t.id = ("
  "   SELECT x.id FROM salaries x WHERE x.role_id = r.id AND x.kind = 'total'"
  "   ORDER BY x.amount_usd DESC, x.id LIMIT 1)"
  " LEFT JOIN sources s ON s.id = t.source_id"
  " WHERE r.slug = ?1";

/* Column positions in compare_role_sql. */
enum {
  COL_ID, COL_SLUG, COL_TITLE, COL_CATEGORY, COL_SUMMARY, COL_PAY,
  COL_RANK, COL_RANKED,
  COL_T_ID, COL_T_AMOUNT, COL_T_KIND, COL_T_STATISTIC, COL_T_BOUND, COL_T_SCOPE,
  COL_T_YEAR, COL_T_NOTE,
  COL_S_ID, COL_S_SLUG, COL_S_TITLE, COL_S_SECTION,
  COL_PAY_SPREAD, /* PAY_SPREAD_COLUMNS from here */
};

static bool
is_null(struct db_stmt *stmt, int col)
{
  return db_column_is_null(stmt, col);
}

static void
read_total(struct db_stmt *stmt, struct salary_row *t)
{
  t->id = db_column_int64(stmt, COL_T_ID);
  t->amount_usd = db_column_int64(stmt, COL_T_AMOUNT);
  t->kind = db_column_text(stmt, COL_T_KIND);
  t->statistic = db_column_text(stmt, COL_T_STATISTIC);
  t->bound = db_column_text(stmt, COL_T_BOUND);
  t->scope = db_column_text_or_null(stmt, COL_T_SCOPE);
  t->has_year = !is_null(stmt, COL_T_YEAR);
  t->year = db_column_int64(stmt, COL_T_YEAR);
  t->note = db_column_text_or_null(stmt, COL_T_NOTE);
  t->source.id = db_column_int64(stmt, COL_S_ID);
  t->source.slug = db_column_text(stmt, COL_S_SLUG);
  t->source.title = db_column_text(stmt, COL_S_TITLE);
  t->source.section = db_column_text(stmt, COL_S_SECTION);
}

static void
read_row(struct db_stmt *stmt, struct compare_role_row *row)
{
  row->role.slug = db_column_text(stmt, COL_SLUG);
  row->role.title = db_column_text(stmt, COL_TITLE);
  row->role.category = db_column_text(stmt, COL_CATEGORY);
  row->role.summary = db_column_text(stmt, COL_SUMMARY);
  row->role.has_pay = !is_null(stmt, COL_PAY);
  row->role.pay_usd = row->role.has_pay ? db_column_int64(stmt, COL_PAY) : 0;
  row->has_rank = !is_null(stmt, COL_RANK);
  row->rank = row->has_rank ? db_column_int64(stmt, COL_RANK) : 0;
  row->ranked_roles = db_column_int64(stmt, COL_RANKED);
  db_rows_pay_spread(stmt, COL_PAY_SPREAD, &row->role.spread);
  row->has_total = !is_null(stmt, COL_T_ID);
  if (row->has_total)
    read_total(stmt, &row->total);
}

enum db_status
db_compare_role(struct db *db, const char *slug, int64_t *role_id,
                db_compare_role_cb cb, void *cls)
{
  struct db_stmt *stmt = db_stmt(db, compare_role_sql);
  enum db_status status;

  if (NULL == stmt)
    return DB_HARD;
  if (0 != db_bind_text(stmt, 1, slug)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  status = db_step(stmt, "compare_role");
  if (DB_ONE == status) {
    struct compare_role_row row = { .has_rank = false };

    *role_id = db_column_int64(stmt, COL_ID);
    read_row(stmt, &row);
    status = 0 == cb(cls, &row) ? DB_ONE : DB_HARD;
  }
  db_stmt_done(stmt);
  return status;
}
