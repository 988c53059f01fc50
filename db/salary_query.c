/**
 * @file db/salary_query.c
 * @brief GET /salaries: which index drives each query, and how far it may
 *        read. The SQL is assembled from fixed fragments; every value
 *        from a request is a bound parameter.
 *
 * Parameters: ?1 role id, ?2 kind, ?3 statistic, ?4 min, ?5 max,
 * ?6 source id, ?7 how many rows the statement may return, ?9 and ?10 the
 * keyset position (amount, id), ?11 .. ?18 the pay factors
 * (db/report_factors.h), which every plan checks per row.
 *
 * The order is (amount, id), both ascending or both descending, and each
 * query reads an index in that order:
 * - no role and no source, or a source of more than SALARY_SCAN_MAX
 *   figures: salaries_by_amount, the other filters checked per row;
 * - a role: salaries_by_role holds the role's figures in one run per
 *   (kind, statistic, bound), each in (amount, id) order, so the runs
 *   (only those of the kind and statistic asked for) are merged, a
 *   compound SELECT whose ORDER BY SQLite carries out as a merge that reads
 *   each run only as far as the page needs;
 * - a small source: its figures (at most SALARY_SCAN_MAX) sorted.
 * A keyset position splits each run in two: the figures of the same
 * amount past the id, then those past the amount. One range over
 * (amount, id) would seek to the amount only and walk every figure of
 * that amount on each page.
 */
#include "db/salary_query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/engine.h"
#include "db/sql_text.h"
#include "db/stmt.h"
#include "db/rows.h"

const char *const db_salary_kinds[] = { "base", "total", NULL };
const char *const db_salary_statistics[] = {
  "average", "median", "minimum", "maximum", "individual", "p25", "p75", NULL,
};
const char *const db_salary_bounds[] = { "exact", "at_least", "below", NULL };

enum plan { PLAN_AMOUNT, PLAN_ROLE, PLAN_SOURCE_SORT };

/* Room for every condition a row may be checked by. */
#define FILTER_SQL_MAX 512

/* "SELECT <columns>, <ok> FROM salaries [INDEXED BY <index>]": whether the
 * row matches is 0/1 on both engines (PostgreSQL's boolean is cast). */
static void
add_select(struct sql_text *b, const char *columns, const char *ok, const char *alias,
           const char *index)
{
  bool cast = b->pg && 0 != strcmp(ok, "1");

  sql_add(b, "SELECT %s%s%s%s%s FROM salaries", columns, cast ? "(" : "", ok, cast ? ")::int" : "",
          alias);
  if (!b->pg)
    sql_add(b, " INDEXED BY %s", index);
}

/* Appends " AND cond" (or cond, first) to the conjunction in @a out. */
static void
conjoin(char *out, size_t size, bool when, const char *cond)
{
  size_t len = strlen(out);

  if (when)
    snprintf(out + len, size - len, "%s%s", 0 == len ? "" : " AND ", cond);
}

/* The conditions on amount and id of one run: the whole range asked for,
 * or, after a keyset position, its ties (@a ties) or what lies beyond. The
 * position has been brought inside [min, max] (normalized_after), so one
 * bound on each side is enough for SQLite to seek. */
static void
add_range(struct sql_text *b, const struct salary_query *q, bool ties)
{
  bool desc = SORT_DESC == q->order;

  if (!q->has_after)
    sql_add(b, "amount_usd >= ?4 AND amount_usd <= ?5");
  else if (ties)
    sql_add(b, desc ? "amount_usd = ?9 AND id < ?10 AND ?9 >= ?4"
                    : "amount_usd = ?9 AND id > ?10 AND ?9 <= ?5");
  else
    sql_add(b, desc ? "amount_usd < ?9 AND amount_usd >= ?4" : "amount_usd > ?9 AND amount_usd <= ?5");
}

/* One run read in order: one SELECT, or two after a keyset position. */
static void
add_run(struct sql_text *b, const struct salary_query *q, const char *index, const char *prefix,
        const char *ok)
{
  for (int part = q->has_after ? 0 : 1; part < 2; part++) {
    sql_add(b, "%s", 0 == b->len ? "" : " UNION ALL ");
    add_select(b, "id, amount_usd, ", ok, "", index);
    sql_add(b, " WHERE %s", prefix);
    add_range(b, q, 0 == part);
  }
}

/* The filters salaries_by_amount does not narrow, checked on each row. */
static void
amount_ok(const struct salary_filter *f, char *out, size_t size)
{
  out[0] = '\0';
  conjoin(out, size, NULL != f->kind, "kind = ?2");
  conjoin(out, size, NULL != f->statistic, "statistic = ?3");
  conjoin(out, size, f->has_source, "source_id = ?6");
  db_factor_filter_sql(&f->factors, out, size);
  if ('\0' == out[0])
    snprintf(out, size, "1");
}

static void
add_role_runs(struct sql_text *b, const struct salary_query *q)
{
  const char *any_kind[] = { "?2", NULL };
  const char *any_statistic[] = { "?3", NULL };
  const char *const *kinds = q->filter.kind ? any_kind : db_salary_kinds;
  const char *const *statistics = q->filter.statistic ? any_statistic : db_salary_statistics;
  char ok[FILTER_SQL_MAX] = "";
  char prefix[160];

  conjoin(ok, sizeof ok, q->filter.has_source, "source_id = ?6");
  db_factor_filter_sql(&q->filter.factors, ok, sizeof ok);
  if ('\0' == ok[0])
    snprintf(ok, sizeof ok, "1");
  for (size_t k = 0; NULL != kinds[k]; k++) {
    for (size_t s = 0; NULL != statistics[s]; s++) {
      for (size_t n = 0; NULL != db_salary_bounds[n]; n++) {
        /* the literals are this file's own constants, never request text */
        snprintf(prefix, sizeof prefix,
                 "role_id = ?1 AND kind = %s%s%s AND statistic = %s%s%s AND bound = '%s' AND ",
                 q->filter.kind ? "" : "'", kinds[k], q->filter.kind ? "" : "'",
                 q->filter.statistic ? "" : "'", statistics[s], q->filter.statistic ? "" : "'",
                 db_salary_bounds[n]);
        add_run(b, q, "salaries_by_role", prefix, ok);
      }
    }
  }
}

/* The page's stream: (id, amount_usd, whether the row matches), in order. */
static void
build_stream(struct sql_text *b, enum plan plan, const struct salary_query *q)
{
  const char *dir = SORT_DESC == q->order ? "DESC" : "ASC";
  char ok[FILTER_SQL_MAX] = "";

  switch (plan) {
  case PLAN_AMOUNT:
    amount_ok(&q->filter, ok, sizeof ok);
    add_run(b, q, "salaries_by_amount", "", ok);
    break;
  case PLAN_ROLE:
    add_role_runs(b, q);
    break;
  case PLAN_SOURCE_SORT:
    add_select(b, "id, amount_usd, ", "1", "", "salaries_by_source");
    /* PostgreSQL cannot tell the type of a parameter first seen in IS NULL */
    sql_add(b, " WHERE source_id = ?6 AND amount_usd >= ?4 AND amount_usd <= ?5"
               " AND (?1%s IS NULL OR role_id = ?1)"
               " AND (?2%s IS NULL OR kind = ?2) AND (?3%s IS NULL OR statistic = ?3)%s",
            b->pg ? "::bigint" : "", b->pg ? "::text" : "", b->pg ? "::text" : "",
            !q->has_after ? "" : SORT_DESC == q->order ? " AND (amount_usd, id) < (?9, ?10)"
                                                       : " AND (amount_usd, id) > (?9, ?10)");
    db_factor_filter_sql(&q->filter.factors, ok, sizeof ok);
    sql_add(b, "%s%s", '\0' == ok[0] ? "" : " AND ", ok);
    break;
  }
  sql_add(b, " ORDER BY 2 %s, 1 %s LIMIT ?7", dir, dir);
}

/* The total's count: the role's runs, or the source's figures, or the
 * amount range, whichever narrows most; the filters that index does not
 * narrow are checked per row. */
static void
build_count(struct sql_text *b, enum plan plan, const struct salary_filter *f)
{
  enum plan by = PLAN_ROLE == plan ? PLAN_ROLE : f->has_source ? PLAN_SOURCE_SORT : PLAN_AMOUNT;
  char ok[FILTER_SQL_MAX] = "";

  conjoin(ok, sizeof ok, PLAN_SOURCE_SORT == by && f->has_role, "role_id = ?1");
  conjoin(ok, sizeof ok, PLAN_ROLE != by && NULL != f->kind, "kind = ?2");
  conjoin(ok, sizeof ok, PLAN_ROLE != by && NULL != f->statistic, "statistic = ?3");
  conjoin(ok, sizeof ok, PLAN_AMOUNT != by && f->has_min, "amount_usd >= ?4");
  conjoin(ok, sizeof ok, PLAN_AMOUNT != by && f->has_max, "amount_usd <= ?5");
  conjoin(ok, sizeof ok, PLAN_SOURCE_SORT != by && f->has_source, "source_id = ?6");
  db_factor_filter_sql(&f->factors, ok, sizeof ok);
  sql_add(b, "SELECT count(*), coalesce(sum(ok), 0) FROM (");
  add_select(b, "", '\0' == ok[0] ? "1" : ok, " AS ok",
             PLAN_ROLE == by ? "salaries_by_role"
             : PLAN_SOURCE_SORT == by ? "salaries_by_source" : "salaries_by_amount");
  if (PLAN_ROLE == by) {
    sql_add(b, " WHERE role_id = ?1");
    if (NULL != f->kind)
      sql_add(b, " AND kind = ?2");
    /* kind comes before statistic in the index: name every kind, so that
     * the statistic narrows the count too */
    for (size_t k = 0; NULL == f->kind && NULL != f->statistic && NULL != db_salary_kinds[k]; k++)
      sql_add(b, "%s'%s'", 0 == k ? " AND kind IN (" : ", ", db_salary_kinds[k]);
    if (NULL != f->statistic)
      sql_add(b, "%s AND statistic = ?3", NULL == f->kind ? ")" : "");
  } else if (PLAN_SOURCE_SORT == by)
    sql_add(b, " WHERE source_id = ?6");
  else
    sql_add(b, " WHERE amount_usd >= ?4 AND amount_usd <= ?5");
  sql_add(b, b->pg ? " LIMIT ?7) AS counted" : " LIMIT ?7)");
}

/* Binds @a value to ?@a i when the statement has that parameter. */
static void
bind_int(struct db_stmt *stmt, int i, int64_t value)
{
  if (i <= db_stmt_param_count(stmt))
    db_bind_int64(stmt, i, value);
}

static void
bind_query(struct db_stmt *stmt, const struct salary_query *q, int64_t rows)
{
  const struct salary_filter *f = &q->filter;

  if (f->has_role)
    bind_int(stmt, 1, f->role_id);
  if (NULL != f->kind && db_stmt_param_count(stmt) >= 2)
    db_bind_text(stmt, 2, f->kind);
  if (NULL != f->statistic && db_stmt_param_count(stmt) >= 3)
    db_bind_text(stmt, 3, f->statistic);
  bind_int(stmt, 4, f->has_min ? f->min_usd : 0);
  bind_int(stmt, 5, f->has_max ? f->max_usd : INT64_MAX);
  if (f->has_source)
    bind_int(stmt, 6, f->source_id);
  bind_int(stmt, 7, rows);
  db_factor_filter_bind(stmt, &f->factors);
}

/* Runs @a sql (NULL: it could not be built): @a out gets the two integers of its row. */
static enum db_status
two_ints(struct db *db, const char *sql, const struct salary_query *q, int64_t rows,
         const char *what, int64_t out[2])
{
  struct db_stmt *stmt = NULL != sql ? db_stmt(db, sql) : NULL;
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  bind_query(stmt, q, rows);
  st = db_step(stmt, what);
  if (DB_ONE == st) {
    out[0] = db_column_int64(stmt, 0);
    out[1] = db_column_int64(stmt, 1);
  }
  db_stmt_done(stmt);
  return DB_NONE == st ? DB_HARD : st;
}

/* A small source is sorted whole, a role or a large source read in order:
 * with both, the small source wins, as it reads fewer rows. */
static enum db_status
plan_of(struct db *db, const struct salary_query *q, enum plan *plan)
{
  static const char source_size_sql[] =
    "SELECT count(*), 0 FROM (SELECT 1 FROM salaries INDEXED BY salaries_by_source"
    " WHERE source_id = ?6 LIMIT ?7)";
  static const char source_size_pg[] =
    "SELECT count(*), 0 FROM (SELECT 1 FROM salaries WHERE source_id = ?6 LIMIT ?7) AS counted";
  int64_t n[2] = { 0, 0 };
  enum db_status st;

  *plan = q->filter.has_role ? PLAN_ROLE : PLAN_AMOUNT;
  if (!q->filter.has_source)
    return DB_ONE;
  st = two_ints(db, db_sql(db, source_size_sql, source_size_pg), q, SALARY_SCAN_MAX + 1, "salaries_source_size", n);
  if (DB_ONE == st && n[0] <= SALARY_SCAN_MAX)
    *plan = PLAN_SOURCE_SORT;
  return st;
}

static enum db_status
count_total(struct db *db, enum plan plan, const struct salary_query *q, struct salary_total *out)
{
  struct sql_text b = { .len = 0, .pg = db_is_postgresql(db) };
  int64_t n[2] = { 0, 0 };
  enum db_status st;

  build_count(&b, plan, &q->filter);
  st = two_ints(db, b.failed ? NULL : b.text, q, SALARY_COUNT_MAX + 1, "salaries_total", n);
  free(b.text);
  out->exact = n[0] <= SALARY_COUNT_MAX;
  out->count = n[1];
  return st;
}

/* Where the stream stands, and the ids of the page's figures. */
struct scan {
  int64_t *ids;
  int64_t rows;
  int64_t matched;
  int64_t examined;
};

/* Reads the stream until the page is full (and one more match says there
 * is a next page), the stream ends, or @a window rows have been read. */
static enum db_status
scan_stream(struct db_stmt *stmt, const struct salary_query *q, int64_t window, struct scan *sc,
            struct salary_page *out)
{
  enum db_status st;

  out->more = false;
  while (DB_ONE == (st = db_step(stmt, "salaries_scan"))) {
    int64_t id = db_column_int64(stmt, 0);
    int64_t amount = db_column_int64(stmt, 1);

    sc->examined++;
    if (0 != (int) db_column_int64(stmt, 2) && ++sc->matched > q->offset) {
      if (sc->rows == q->limit) {
        out->more = true; /* next_* is the page's last figure */
        break;
      }
      sc->ids[sc->rows++] = id;
      out->next_amount = amount;
      out->next_id = id;
    }
    if (sc->examined == window) {
      /* read as far as allowed: the next page goes on from here */
      out->more = true;
      out->next_amount = amount;
      out->next_id = id;
      break;
    }
  }
  db_stmt_done(stmt);
  return st < DB_NONE ? st : DB_ONE;
}

/* The figures of @a ids, in the page's order. */
static enum db_status
emit(struct db *db, const struct salary_query *q, const struct scan *sc,
     db_observation_cb cb, void *cls)
{
#define BY_ID_SQLITE " WHERE sa.id IN (SELECT value FROM json_each(?1))"
#define BY_ID_PG " WHERE sa.id IN (SELECT jsonb_array_elements_text(?1::jsonb)::bigint)"
#define ASC " ORDER BY sa.amount_usd ASC, sa.id ASC"
#define DESC " ORDER BY sa.amount_usd DESC, sa.id DESC"
  static const char *const sql[2][2] = { /* [order][PostgreSQL] */
    [SORT_ASC] = { OBSERVATION_SELECT BY_ID_SQLITE ASC, OBSERVATION_SELECT BY_ID_PG ASC },
    [SORT_DESC] = { OBSERVATION_SELECT BY_ID_SQLITE DESC, OBSERVATION_SELECT BY_ID_PG DESC },
  };
  struct sql_text list = { .len = 0 };
  struct db_stmt *stmt;
  enum db_status st;

  if (0 == sc->rows)
    return DB_ONE;
  for (int64_t i = 0; i < sc->rows; i++)
    sql_add(&list, "%s%lld", 0 == i ? "[" : ",", (long long) sc->ids[i]);
  sql_add(&list, "]");
  stmt = list.failed ? NULL : db_stmt(db, sql[q->order][db_is_postgresql(db)]);
  if (NULL == stmt) {
    free(list.text);
    return DB_HARD;
  }
  /* the statement borrows the list until db_stmt_done() */
  db_bind_text_static(stmt, 1, list.text);
  while (DB_ONE == (st = db_step(stmt, "salaries_page"))) {
    struct observation_row row;

    db_rows_observation(stmt, &row);
    if (0 != cb(cls, &row)) {
      st = DB_HARD;
      break;
    }
  }
  db_stmt_done(stmt);
  free(list.text);
  return st < DB_NONE ? st : DB_ONE;
}

/* A keyset position outside [min, max] in the reading direction stands
 * for the edge of the range, so that the range keeps one bound a side. */
static void
normalize_after(struct salary_query *q)
{
  const struct salary_filter *f = &q->filter;

  if (!q->has_after)
    return;
  if (SORT_DESC == q->order && f->has_max && q->after_amount > f->max_usd) {
    q->after_amount = f->max_usd;
    q->after_id = INT64_MAX;
  } else if (SORT_ASC == q->order && f->has_min && q->after_amount < f->min_usd) {
    q->after_amount = f->min_usd;
    q->after_id = 0;
  }
}

enum db_status
db_salaries_query(struct db *db, const struct salary_query *query, db_observation_cb cb,
                  void *cls, struct salary_total *total, struct salary_page *out)
{
  struct salary_query q = *query;
  struct sql_text b = { .len = 0, .pg = db_is_postgresql(db) };
  struct scan sc = { .rows = 0 };
  enum plan plan;
  bool residual;
  int64_t window;
  struct db_stmt *stmt;
  enum db_status st;

  *out = (struct salary_page) { .rows = 0 };
  normalize_after(&q);
  st = plan_of(db, &q, &plan);
  if (DB_ONE == st)
    st = count_total(db, plan, &q, total);
  if (DB_ONE != st)
    return st;
  residual = (PLAN_AMOUNT == plan && (q.filter.kind || q.filter.statistic || q.filter.has_source))
             || (PLAN_ROLE == plan && q.filter.has_source)
             || db_factor_filter_any(&q.filter.factors);
  /* without a filter left to check, every row read is on the page */
  window = q.offset + (residual ? SALARY_SCAN_MAX : q.limit + 1);
  build_stream(&b, plan, &q);
  sc.ids = malloc(sizeof *sc.ids * (size_t) (q.limit > 0 ? q.limit : 1));
  stmt = b.failed || NULL == sc.ids ? NULL : db_stmt(db, b.text);
  free(b.text);
  if (NULL == stmt) {
    free(sc.ids);
    return DB_HARD;
  }
  bind_query(stmt, &q, window);
  bind_int(stmt, 9, q.after_amount);
  bind_int(stmt, 10, q.after_id);
  st = scan_stream(stmt, &q, window, &sc, out);
  if (DB_ONE == st)
    st = emit(db, &q, &sc, cb, cls);
  out->rows = sc.rows;
  free(sc.ids);
  return st;
}

enum db_status
db_salaries_plan(struct db *db, const struct salary_query *query, char *out, size_t size)
{
  struct salary_query q = *query;
  struct sql_text count = { .len = 0, .pg = db_is_postgresql(db) };
  struct sql_text stream = { .len = 0, .pg = db_is_postgresql(db) };
  enum plan plan;
  enum db_status st;

  out[0] = '\0';
  normalize_after(&q);
  st = plan_of(db, &q, &plan);
  if (DB_ONE != st)
    return st;
  build_count(&count, plan, &q.filter);
  build_stream(&stream, plan, &q);
  st = count.failed || stream.failed ? DB_HARD : db_explain(db, count.text, out, size);
  if (DB_ONE == st)
    st = db_explain(db, stream.text, out, size);
  free(count.text);
  free(stream.text);
  return st;
}
