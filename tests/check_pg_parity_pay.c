/**
 * @file tests/check_pg_parity_pay.c
 * @brief GET /pay, /pay/standing and /factors/{slug} give the same bytes
 *        and ETag on both engines: the same individual reports with
 *        factors (ties, unstated factors, thin groups) are written by
 *        SQL into a throwaway PostgreSQL and a fresh SQLite file, and the
 *        same GETs (every filter, group_by, sort, facets, standing,
 *        factor, refusals; JSON, CSV and gzip) are asked of both. The
 *        rest of the read routes are compared by tests/check_pg_parity.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db/pg_conn.h"
#include "tests/child.h"
#include "tests/parity.h"
#include "tests/harness.h"
#include "tests/pg_server.h"

#define REPORTS 700

static struct pg_server server;
static struct child_server pg_srv;
static struct child_server sqlite_srv;
static struct scratch_db sqlite_db;

static const char *const urls[] = {
  "/pay", "/pay?role=machine-learning-engineer", "/pay?role=devops-engineer&role=cloud-architect",
  "/pay?category=Infrastructure", "/pay?location=US", "/pay?location=US-WA&remote=true",
  "/pay?experience=3-5", "/pay?experience=10-", "/pay?education=master&company_stage=startup",
  "/pay?industry=finance&year=2025", "/pay?role=machine-learning-engineer&location=GB&remote=false",
  "/pay?facets=true", "/pay?role=cloud-architect&facets=true&education=phd",
  "/pay?group_by=role", "/pay?group_by=category", "/pay?group_by=location",
  "/pay?group_by=country&sort=p50&order=desc", "/pay?group_by=remote", "/pay?group_by=experience",
  "/pay?group_by=education&sort=mean", "/pay?group_by=industry&min_n=20",
  "/pay?group_by=company_stage&sort=n&order=desc", "/pay?group_by=year",
  "/pay?group_by=location&limit=2&offset=1&sort=p90",
  "/pay?group_by=role&location=DE&experience=0-4",
  "/pay/standing?amount=150000", "/pay/standing?amount=60000&role=machine-learning-engineer",
  "/pay/standing?amount=90000&location=US-CA&education=bachelor",
  "/factors/location", "/factors/education", "/factors/experience?location=US",
  "/factors/industry", "/factors/company-stage?role=devops-engineer",
  "/pay?experience=9-3", "/pay?role=no-such-role", "/pay?industry=nothing", "/factors/nothing",
};

static const char *const variants[] = {
  "", "Accept: text/csv\r\n", "Accept-Encoding: gzip\r\n",
};

/* The same reports for both engines, deterministic: one portable INSERT. */
static char *
reports_sql(void)
{
  static const char *const loc[] = { "'US'", "'US-WA'", "'US-CA'", "'GB'", "'DE-BE'", "'DE'",
                                     "NULL" };
  static const char *const edu[] = { "'bachelor'", "'master'", "'phd'", "'associate'", "NULL" };
  static const char *const stage[] = { "'startup'", "'growth'", "'established'", "NULL" };
  static const char *const role[] = { "machine-learning-engineer", "devops-engineer",
                                      "cloud-architect" };
  static const char *const industry[] = { "'finance'", "'automotive'", "NULL" };
  size_t cap = 600 * REPORTS, len = 0;
  char *sql = malloc(cap);
  unsigned long long x = 12345;

  len += (size_t) snprintf(sql, cap, "INSERT INTO salaries (role_id, amount_usd, kind, statistic,"
                           " bound, source_id, section, location, remote, experience_years,"
                           " education, industry_id, company_stage, year) VALUES ");
  for (int i = 0; i < REPORTS; i++) {
    unsigned r[9];
    char years[8];

    for (int k = 0; k < 9; k++)
      x = x * 6364136223846793005ULL + 1442695040888963407ULL, r[k] = (unsigned) (x >> 33);
    snprintf(years, sizeof years, "%u", r[4] % 40);
    len += (size_t) snprintf(sql + len, cap - len,
                             "%s((SELECT id FROM roles WHERE slug = '%s'), %u, 'base',"
                             " 'individual', 'exact', 1, 'parity', %s, %s, %s, %s,"
                             " (SELECT id FROM industries WHERE slug = %s), %s, %s)",
                             i ? ", " : "", role[r[0] % 3],
                             40000 + 1000 * (r[1] % 200), loc[r[2] % 7],
                             r[3] % 3 ? (r[3] % 3 == 1 ? "0" : "1") : "NULL",
                             r[5] % 7 ? years : "NULL",
                             edu[r[6] % 5], industry[r[7] % 3], stage[r[8] % 4],
                             r[8] % 5 ? (r[8] % 2 ? "2024" : "2025") : "NULL");
  }
  return sql;
}

static void
start_both(void)
{
  char err[512];
  char conninfo[512];
  char *sql = reports_sql();
  PGconn *admin = pg_conn_open(server.conninfo, err, sizeof err);
  PGconn *conn;
  PGresult *res;

  ck_assert_msg(NULL != admin, "%s", err);
  PQclear(PQexec(admin, "CREATE DATABASE pay"));
  PQfinish(admin);
  pg_server_conninfo(&server, "pay", conninfo, sizeof conninfo);
  child_server_start(&pg_srv, conninfo, NULL, NULL); /* migrates the empty database */
  conn = pg_conn_open(conninfo, err, sizeof err);
  ck_assert_msg(NULL != conn, "%s", err);
  res = PQexec(conn, sql);
  ck_assert_msg(PGRES_COMMAND_OK == PQresultStatus(res), "%.300s", PQerrorMessage(conn));
  PQclear(res);
  PQfinish(conn);
  scratch_db_create(&sqlite_db);
  scratch_db_exec(&sqlite_db, sql);
  child_server_start(&sqlite_srv, sqlite_db.path, NULL, NULL);
  free(sql);
}

static void
assert_same(const char *url, const char *headers)
{
  parity_assert_same(&pg_srv, &sqlite_srv, url, headers);
}

START_TEST(test_same_pay_answers)
{
  struct http_response r;

  start_both();
  /* the data reached the answers: not a comparison of two empty sets */
  http_fetch(child_server_port(&sqlite_srv), "GET", "/pay", "", 200, &r);
  ck_assert_msg(NULL != strstr(r.body, "\"n\":700,"), "%s", r.body);
  http_response_free(&r);
  for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++)
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++)
      assert_same(urls[i], variants[v]);
  child_server_stop(&pg_srv);
  child_server_stop(&sqlite_srv);
  scratch_db_remove(&sqlite_db);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pg_parity_pay");
  TCase *tc = tcase_create("pay");
  int rc;

  pg_server_start_or_exit(&server, "check_pg_parity_pay");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_same_pay_answers);
  suite_add_tcase(s, tc);
  rc = run_suite(s);
  pg_server_stop(&server);
  return rc;
}
