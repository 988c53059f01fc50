/**
 * @file db/pay_query.c
 * @brief The SQL of the pay distributions: one statement per combination
 *        of filters present, assembled from this file's fixed fragments;
 *        every value from a request is a bound parameter.
 *
 * Parameters: ?1 the role ids (a JSON array), ?2 category, ?3 location,
 * ?4 remote, ?5 and ?6 the experience range, ?7 education, ?8 industry
 * id, ?9 company stage, ?10 year. Only those of the filters present are
 * named in a text, and only those are bound.
 *
 * salaries_pay (migrations/0010_pay_index.sql) holds exactly these
 * reports with every factor, by role: one role is one range of it, the
 * other filters are checked on each entry of that range without reading
 * the row, and no role filter is one scan of it.
 */
#include "db/pay_query.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db/engine.h"
#include "db/rows.h"
#include "db/stmt.h"

#define PAY_SQL_MAX 1024

/* SQLite's planner prefers salaries_by_role, which needs a row lookup per
 * report; PostgreSQL's picks the partial index by its costs. */
#define REPORT_SELECT(indexed) \
  "SELECT amount_usd, role_id, location, remote, experience_years, education, industry_id," \
  " company_stage, year FROM salaries" indexed \
  " WHERE kind = 'base' AND statistic = 'individual' AND bound = 'exact'"

static void
append(char *sql, size_t size, bool when, const char *fragment)
{
  size_t len = strlen(sql);

  if (when)
    snprintf(sql + len, size - len, " AND %s", fragment);
}

/* The text for the filters present in @a f; the same filters, the same text. */
static void
build_sql(bool pg, const struct pay_filter *f, char *sql, size_t size)
{
  bool country = NULL != f->location && 2 == strlen(f->location);

  snprintf(sql, size, "%s", pg ? REPORT_SELECT("") : REPORT_SELECT(" INDEXED BY salaries_pay"));
  append(sql, size, 1 == f->nroles, "role_id = ?1");
  append(sql, size, f->nroles > 1,
         pg ? "role_id IN (SELECT jsonb_array_elements_text(?1::jsonb)::bigint)"
            : "role_id IN (SELECT value FROM json_each(?1))");
  append(sql, size, NULL != f->category,
         pg ? "role_id IN (SELECT id FROM roles WHERE category = ?2::text)"
            : "role_id IN (SELECT id FROM roles WHERE category = ?2)");
  append(sql, size, country, pg ? "substr(location, 1, 2) = ?3::text"
                                : "substr(location, 1, 2) = ?3");
  append(sql, size, NULL != f->location && !country, "location = ?3");
  append(sql, size, f->remote >= 0, "remote = ?4");
  append(sql, size, f->exp_min >= 0, "experience_years >= ?5");
  append(sql, size, f->exp_max >= 0, "experience_years <= ?6");
  append(sql, size, NULL != f->education, "education = ?7");
  append(sql, size, f->has_industry, "industry_id = ?8");
  append(sql, size, NULL != f->company_stage, "company_stage = ?9");
  append(sql, size, f->year > 0, "year = ?10");
}

static int
bind_roles(struct db_stmt *stmt, const struct pay_filter *f)
{
  char json[PAY_ROLES_MAX * 22 + 2];
  size_t len = 0;

  json[len++] = '[';
  for (unsigned i = 0; i < f->nroles; i++)
    len += (size_t) snprintf(json + len, sizeof json - len, "%s%" PRId64, i ? "," : "",
                             f->role_ids[i]);
  snprintf(json + len, sizeof json - len, "]");
  return db_bind_text(stmt, 1, json);
}

static int
bind_filter(struct db_stmt *stmt, const struct pay_filter *f)
{
  int rc = 0;

  if (1 == f->nroles)
    rc |= db_bind_int64(stmt, 1, f->role_ids[0]);
  else if (f->nroles > 1)
    rc |= bind_roles(stmt, f);
  if (NULL != f->category)
    rc |= db_bind_text(stmt, 2, f->category);
  if (NULL != f->location)
    rc |= db_bind_text(stmt, 3, f->location);
  if (f->remote >= 0)
    rc |= db_bind_int64(stmt, 4, f->remote);
  if (f->exp_min >= 0)
    rc |= db_bind_int64(stmt, 5, f->exp_min);
  if (f->exp_max >= 0)
    rc |= db_bind_int64(stmt, 6, f->exp_max);
  if (NULL != f->education)
    rc |= db_bind_text(stmt, 7, f->education);
  if (f->has_industry)
    rc |= db_bind_int64(stmt, 8, f->industry_id);
  if (NULL != f->company_stage)
    rc |= db_bind_text(stmt, 9, f->company_stage);
  if (f->year > 0)
    rc |= db_bind_int64(stmt, 10, f->year);
  return rc;
}

#define PAY_REPORT_COLUMNS(C) \
  C(int64, amount_usd) C(int64, role_id) C(text_or_null, location) C(int_or_minus_one, remote) \
  C(int_or_minus_one, experience_years) C(text_or_null, education) C(int64, industry_id) \
  C(text_or_null, company_stage) C(int64, year)
DB_ROWS_READER(read_report, struct pay_report, PAY_REPORT_COLUMNS)
DB_ROWS_ADAPTER(each_report, report_ctx, struct pay_report, db_pay_report_cb, read_report)

enum db_status
db_pay_reports(struct db *db, const struct pay_filter *f, db_pay_report_cb cb, void *cls)
{
  char sql[PAY_SQL_MAX];
  struct report_ctx ctx = { .cb = cb, .cls = cls };
  struct db_stmt *stmt;

  build_sql(db_is_postgresql(db), f, sql, sizeof sql);
  stmt = db_stmt(db, sql);
  if (NULL == stmt)
    return DB_HARD;
  if (0 != bind_filter(stmt, f)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  return db_rows_each(stmt, "pay_reports", each_report, &ctx, NULL);
}

enum db_status
db_pay_min_reports(struct db *db, int64_t *out)
{
  struct db_stmt *stmt = db_stmt(db, "SELECT value FROM settings WHERE key = 'min_reports'");

  if (NULL == stmt)
    return DB_HARD;
  return db_rows_int(stmt, "pay_min_reports", out);
}

struct name_ctx {
  db_pay_name_cb cb;
  void *cls;
  bool category;
};

static int
each_name(struct db_stmt *stmt, void *ctx)
{
  struct name_ctx *nc = ctx;

  return nc->cb(nc->cls, db_column_int64(stmt, 0), db_column_text(stmt, 1),
                nc->category ? db_column_text(stmt, 2) : NULL);
}

static enum db_status
names(struct db *db, const char *sql, const char *what, bool category, db_pay_name_cb cb,
      void *cls)
{
  struct name_ctx ctx = { .cb = cb, .cls = cls, .category = category };
  struct db_stmt *stmt = db_stmt(db, sql);

  if (NULL == stmt)
    return DB_HARD;
  return db_rows_each(stmt, what, each_name, &ctx, NULL);
}

enum db_status
db_pay_roles(struct db *db, db_pay_name_cb cb, void *cls)
{
  return names(db, "SELECT id, slug, category FROM roles ORDER BY id", "pay_roles", true, cb,
               cls);
}

enum db_status
db_pay_industries(struct db *db, db_pay_name_cb cb, void *cls)
{
  return names(db, "SELECT id, slug FROM industries ORDER BY id", "pay_industries", false, cb,
               cls);
}

enum db_status
db_pay_category_exists(struct db *db, const char *category)
{
  int64_t one;

  return db_rows_int_by_text(db, "SELECT 1 FROM roles WHERE category = ?1 LIMIT 1",
                             "pay_category", category, &one);
}
