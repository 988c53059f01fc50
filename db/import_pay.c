/**
 * @file db/import_pay.c
 * @brief The pay of the roles an import touched: the per-row trigger is
 *        taken out while the rows go in, and each touched role's pay is
 *        computed once at the end.
 */
#include "db/import_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"

static const char trigger_find_sql[] =
  "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'salaries_pay_insert'";
static const char trigger_drop_sql[] = "DROP TRIGGER salaries_pay_insert";
/* PostgreSQL: the trigger is disabled rather than dropped; the text kept
 * for restoring it enables it again. */
static const char trigger_find_pg[] =
  "SELECT 'ALTER TABLE salaries ENABLE TRIGGER salaries_pay_insert' FROM pg_trigger"
  " WHERE tgname = 'salaries_pay_insert'";
static const char trigger_drop_pg[] = "ALTER TABLE salaries DISABLE TRIGGER salaries_pay_insert";
static const char pay_pause_sql[] = "UPDATE settings SET value = 0 WHERE key = 'pay_live'";
static const char pay_resume_sql[] = "UPDATE settings SET value = 1 WHERE key = 'pay_live'";
/* The pay of one role, by the rules of the role_pay view (migration 0006)
 * but without its window functions, which buffer every report of the role
 * three times: the reports are counted first (?2, the count), then the
 * nearest-rank percentiles are read by their offset in salaries_by_role,
 * which holds them in amount order. ?3/?4: LIMIT and OFFSET of the median's
 * one or two middle reports; ?5/?6: OFFSET of p25/p75; ?7: 1, or 0 when
 * there are no reports (OFFSET would otherwise take -1 as 0). Through the
 * view, an import of a million generated rows took about 1.5 times as
 * long; so the rule is stated twice, and the import tests compare the two
 * on random data. */
#define PAY_REPORTS(cond) \
  " FROM salaries s WHERE s.role_id = ?1 AND s.kind = 'base' AND s." cond \
  " AND s.bound = 'exact'"
static const char pay_count_sql[] =
  "SELECT count(*)" PAY_REPORTS("statistic = 'individual'");
/* @a middle and @a figures: the aliases PostgreSQL requires of a subquery in FROM */
#define PAY_ROLE(middle, figures) \
  "UPDATE roles SET (pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75) = (SELECT" \
  "  CASE WHEN n > 0 AND n >= min_n THEN p50 ELSE published END," \
  "  CASE WHEN n > 0 AND n >= min_n THEN 'reported_median'" \
  "       WHEN published IS NOT NULL THEN 'published_average' END," \
  "  n," \
  "  CASE WHEN n > 0 AND n >= min_n THEN p25 END," \
  "  CASE WHEN n > 0 AND n >= min_n THEN p50 END," \
  "  CASE WHEN n > 0 AND n >= min_n THEN p75 END" \
  " FROM (SELECT ?2 AS n," \
  "  (SELECT value FROM settings WHERE key = 'min_reports') AS min_n," \
  "  (SELECT CAST(round(avg(amount_usd)) AS INTEGER) FROM (SELECT amount_usd" \
  PAY_REPORTS("statistic = 'individual'") " ORDER BY amount_usd LIMIT ?3 OFFSET ?4)" \
  middle ") AS p50," \
  "  (SELECT amount_usd" PAY_REPORTS("statistic = 'individual'") \
  "   ORDER BY amount_usd LIMIT ?7 OFFSET ?5) AS p25," \
  "  (SELECT amount_usd" PAY_REPORTS("statistic = 'individual'") \
  "   ORDER BY amount_usd LIMIT ?7 OFFSET ?6) AS p75," \
  "  (SELECT CAST(round(avg(amount_usd)) AS INTEGER)" PAY_REPORTS("statistic = 'average'") \
  "  ) AS published)" figures ")" \
  " WHERE id = ?1"
static const char pay_role_sql[] = PAY_ROLE("", "");
static const char pay_role_pg[] = PAY_ROLE(" AS middle", " AS figures");

/* Takes the per-row pay trigger out for the length of the transaction:
 * even when settings.pay_live makes it do nothing, running it for each
 * row (and its WHEN subquery) costs more than the INSERT. It is put back
 * before COMMIT, or comes back with the ROLLBACK; no other connection
 * ever sees it missing. */
enum db_status
import_pay_pause(struct import_session *s)
{
  struct db_stmt *stmt = db_stmt(s->db, db_sql(s->db, trigger_find_sql, trigger_find_pg));
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  st = db_step(stmt, "import_trigger_find");
  if (DB_ONE == st && NULL == (s->trigger_sql = strdup(db_column_text(stmt, 0)))) {
    log_msg(LOG_ERROR, "import_trigger_find: out of memory");
    st = DB_HARD;
  }
  db_stmt_done(stmt);
  if (st < DB_NONE)
    return st;
  if (NULL != s->trigger_sql
      && DB_ONE != (st = db_exec_uncached(s->db, db_sql(s->db, trigger_drop_sql, trigger_drop_pg),
                                     "import_trigger_drop")))
    return st;
  return db_exec(s->db, pay_pause_sql);
}

/* Recomputes the pay of role @a id (pay_role_sql). */
static enum db_status
pay_role(struct db_stmt *count, struct db_stmt *update, int64_t id)
{
  int64_t n;
  enum db_status st;

  db_bind_int64(count, 1, id);
  st = db_step(count, "import_pay_count");
  n = db_column_int64(count, 0);
  db_stmt_done(count);
  if (DB_ONE != st)
    return st < DB_NONE ? st : DB_HARD;
  /* the view's ranks (1-based): the median of (n + 1) / 2 and (n + 2) / 2,
   * p25 (n * 25 + 99) / 100, p75 (n * 75 + 99) / 100 */
  db_bind_int64(update, 1, id);
  db_bind_int64(update, 2, n);
  db_bind_int64(update, 3, n > 0 ? (n + 2) / 2 - (n + 1) / 2 + 1 : 0);
  db_bind_int64(update, 4, n > 0 ? (n + 1) / 2 - 1 : 0);
  db_bind_int64(update, 5, n > 0 ? (n * 25 + 99) / 100 - 1 : 0);
  db_bind_int64(update, 6, n > 0 ? (n * 75 + 99) / 100 - 1 : 0);
  db_bind_int64(update, 7, n > 0 ? 1 : 0);
  st = db_step(update, "import_pay");
  db_stmt_done(update);
  return st < DB_NONE ? st : DB_ONE;
}

enum db_status
import_pay_recompute(struct import_session *s)
{
  struct db_stmt *count = db_stmt(s->db, pay_count_sql);
  struct db_stmt *stmt = db_stmt(s->db, db_sql(s->db, pay_role_sql, pay_role_pg));
  enum db_status st;

  if (NULL == count || NULL == stmt)
    return DB_HARD;
  for (size_t i = 0; i < s->touched_cap; i++) {
    if (0 == s->touched[i])
      continue;
    if (DB_ONE != (st = pay_role(count, stmt, s->touched[i])))
      return st;
  }
  if (NULL != s->trigger_sql
      && DB_ONE != (st = db_exec_uncached(s->db, s->trigger_sql, "import_trigger_restore")))
    return st;
  return db_exec(s->db, pay_resume_sql);
}

