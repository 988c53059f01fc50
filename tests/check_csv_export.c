/**
 * @file tests/check_csv_export.c
 * @brief The CSV answers over real HTTP against spreadsheet formulas: a
 *        text that starts with = + - @ TAB, CR or a quote reaches no CSV
 *        answer of any list route as a formula, numbers stay numbers, and
 *        the salaries export imports back to exactly the same rows.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/daemon.h"
#include "http/router.h"
#include "tests/harness.h"
#include "tests/test_engine.h"

#define TOKEN "a-test-token-0123456789"
#define EVIL "=HYPERLINK(\"https://evil.example/\",\"x\")"

static struct test_server ts;

static void
setup(void)
{
  struct server_options opts = {
    .bind = "127.0.0.1", .threads = 1, .max_connections = 16, .timeout_s = 10,
    .access_log_off = true,
  };

  test_server_start_with_token(&ts, &opts, TOKEN);
}

static void
teardown(void)
{
  test_server_stop(&ts);
}

/* One text per list route, planted where that list shows it; each starts
 * differently, so that every character of the rule is seen over HTTP. */
static const struct plant {
  const char *pattern;
  const char *query;      /* after the pattern; or the whole path and query, from its '/' */
  const char *sql;
  const char *text;       /* NULL: the list shows no free text, only codes and numbers */
} plants[] = {
  { "/roles", "?limit=500",
    "UPDATE roles SET title = '" "=HYPERLINK(\"https://evil.example/\",\"x\")" "'"
    " WHERE slug = 'cloud-architect'", EVIL },
  { "/skills", "?limit=500", "UPDATE skills SET name = '+1+cmd|'' /C calc''!A0'"
    " WHERE slug = 'python'", "+1+cmd|' /C calc'!A0" },
  { "/industries", "", "UPDATE industries SET note = '-2+3+cmd|'' /C calc''!A0'"
    " WHERE slug = 'finance'", "-2+3+cmd|' /C calc'!A0" },
  { "/factors", "", "UPDATE factors SET effect = '@SUM(1+1)*cmd|'' /C calc''!A0'"
    " WHERE slug = 'location'", "@SUM(1+1)*cmd|' /C calc'!A0" },
  { "/salaries", "?limit=500", "UPDATE salaries SET scope = '\t=1+1' WHERE id = 1",
    "\t=1+1" },
  { "/sources", "", "UPDATE sources SET title = '\r=1+1' WHERE id = 1", "\r=1+1" },
  { "/data-notes", "", "UPDATE data_notes SET found = '''=1+1' WHERE id = 1", "'=1+1" },
  { "/pay", "?group_by=category",
    "UPDATE roles SET category = '=1+2' WHERE slug = 'cloud-architect';"
    " INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound, source_id, section,"
    " industry_id) SELECT id, 150000, 'base', 'individual', 'exact', 1, 'test', 2 FROM roles"
    " WHERE slug = 'cloud-architect'", "=1+2" },
  { "/factors/{slug}", "/factors/industry", "SELECT 1", NULL },
};
#define NPLANTS (sizeof plants / sizeof plants[0])

/* The cell as the CSV writer must write @a text: quoted, with the guard. */
static char *
guarded_cell(const char *text)
{
  char *out = malloc(2 * strlen(text) + 4);
  char *o = out;

  *o++ = '"';
  *o++ = '\'';
  for (const char *p = text; '\0' != *p; p++) {
    *o++ = *p;
    if ('"' == *p)
      *o++ = '"';
  }
  *o++ = '"';
  *o = '\0';
  return out;
}

/* Whether the whole of @a s (@a n bytes) is a JSON number. */
static bool
is_number(const char *s, size_t n)
{
  char buf[64];
  char *end;

  if (0 == n || n >= sizeof buf)
    return false;
  memcpy(buf, s, n);
  buf[n] = '\0';
  strtod(buf, &end);
  return '\0' == *end && NULL == strpbrk(buf, " \t");
}

/* Walks the RFC 4180 text @a csv cell by cell: no cell may start with a
 * character a spreadsheet takes for a formula, and one that starts with
 * '-' must be a number. @return how many negative numbers were seen. */
static size_t
assert_no_formula(const char *csv, const char *what)
{
  size_t negatives = 0;
  const char *p = csv;

  while ('\0' != *p) {
    const char *start = '"' == *p ? p + 1 : p;
    size_t len;

    if ('"' == *p) {
      for (p++; '\0' != *p && !('"' == p[0] && '"' != p[1]); p += '"' == *p ? 2 : 1)
        ;
      len = (size_t) (p - start);
      p++; /* the closing quote */
    } else {
      len = strcspn(p, ",\r\n");
      p += len;
    }
    ck_assert_msg(0 == len || NULL == memchr("=+@\t\r", *start, 5), "%s: a cell starts a "
                  "formula: %.60s", what, start);
    if (len > 0 && '-' == *start) {
      ck_assert_msg(is_number(start, len), "%s: a text cell starts with '-': %.60s", what, start);
      negatives++;
    }
    p += 0 == strncmp(p, "\r\n", 2) ? 2 : ',' == *p;
  }
  return negatives;
}

static const struct plant *
plant_of(const char *pattern)
{
  for (size_t i = 0; i < NPLANTS; i++)
    if (0 == strcmp(plants[i].pattern, pattern))
      return &plants[i];
  return NULL;
}

/* Every list route of the route table, by format=csv and by Accept. */
START_TEST(no_csv_answer_carries_a_formula)
{
  size_t lists = 0;
  size_t negatives = 0;

  for (size_t i = 0; i < NPLANTS; i++)
    scratch_db_exec(&ts.db, plants[i].sql);
  for (const struct route *r = route_table; NULL != r->pattern; r++) {
    const struct plant *pl;
    char target[128];
    char *cell;
    struct http_response a;
    struct http_response b;

    if (!r->list)
      continue;
    lists++;
    pl = plant_of(r->pattern);
    ck_assert_msg(NULL != pl, "%s offers CSV: give it a planted text here", r->pattern);
    snprintf(target, sizeof target, "%s%s%cformat=csv", '/' == pl->query[0] ? "" : pl->pattern,
             pl->query, NULL == strchr(pl->query, '?') ? '?' : '&');
    http_fetch(ts.port, "GET", target, "", 200, &a);
    snprintf(target, sizeof target, "%s%s", '/' == pl->query[0] ? "" : pl->pattern, pl->query);
    http_fetch(ts.port, "GET", target, "Accept: text/csv\r\n", 200, &b);
    ck_assert_str_eq(a.body, b.body);
    cell = NULL != pl->text ? guarded_cell(pl->text) : NULL;
    ck_assert_msg(NULL == cell || NULL != strstr(a.body, cell), "%s: no %s in\n%.2000s",
                  r->pattern, cell, a.body);
    negatives += assert_no_formula(a.body, r->pattern);
    free(cell);
    http_response_free(&a);
    http_response_free(&b);
  }
  ck_assert_uint_eq(NPLANTS, lists);
  /* the seed's skills below the average pay: negative premiums, unguarded */
  ck_assert_uint_gt(negatives, 0);
}
END_TEST

static const char *const trip_texts[] = {
  "=1+2", "+1 555 0100", "-5% in Europe", "@admin", "'=already guarded", "'", "''", "'plain",
  "a=b", "plain",
};
#define NTRIP (sizeof trip_texts / sizeof trip_texts[0])

/* Salaries of a source of their own, with every text column spreadsheet-hostile. */
static void
plant_round_trip(void)
{
  scratch_db_exec(&ts.db, "INSERT INTO sources (id, slug, title, kind, origin, summary) VALUES"
                  " (900, 'csv-trip', '=Trip', 'dataset', '@test', '-x')");
  scratch_db_exec(&ts.db, "INSERT INTO roles (slug, title, category, summary) VALUES"
                  " ('csv-trip', '=Trip', '+Test', '-x')");
  for (size_t i = 0; i < NTRIP; i++) {
    char sql[1024];
    const char *t = trip_texts[i];
    const char *u = trip_texts[(i + 3) % NTRIP];
    char *quoted_t = sqlite3_mprintf("%Q", t);
    char *quoted_u = sqlite3_mprintf("%Q", u);

    snprintf(sql, sizeof sql, "INSERT INTO salaries (role_id, subject, amount_usd, kind, "
             "statistic, bound, scope, year, source_id, section, note) VALUES (%s, %s, %zu, "
             "'base', 'average', 'exact', %s, 2024, 900, %s, %s)",
             i % 2 ? "NULL" : "(SELECT id FROM roles WHERE slug = 'csv-trip')",
             i % 2 ? quoted_t : "NULL", 100000 + i, quoted_t, quoted_u, quoted_u);
    scratch_db_exec(&ts.db, sql);
    sqlite3_free(quoted_t);
    sqlite3_free(quoted_u);
  }
}

/* The salaries of the trip's source with @a range ("id <= N", "id > N"),
 * every column but the id, one sorted line each, after their count. */
/* quote() on PostgreSQL: quote_nullable(), which leaves NULL unquoted. */
static const char pg_quoted_columns[] =
  "quote_nullable(role_id) || '|' || quote_nullable(subject) || '|' || amount_usd || '|'"
  " || kind || '|' || statistic || '|' || bound || '|' || quote_nullable(scope)"
  " || '|' || quote_nullable(year) || '|' || source_id || '|' || quote_nullable(section)"
  " || '|' || quote_nullable(note)";

static char *
trip_rows(const char *range)
{
  char sql[1200];
  const char *columns = "quote(role_id) || '|' || quote(subject) || '|' || amount_usd || '|'"
                        " || kind || '|' || statistic || '|' || bound || '|' || quote(scope)"
                        " || '|' || quote(year) || '|' || source_id || '|' || quote(section)"
                        " || '|' || quote(note)";

  if (test_engine_is_postgresql())
    snprintf(sql, sizeof sql,
             "SELECT count(*) || chr(10) || string_agg(r, chr(10) ORDER BY r) FROM"
             " (SELECT %s AS r FROM salaries WHERE source_id = 900 AND %s) rows",
             pg_quoted_columns, range);
  else
    snprintf(sql, sizeof sql,
             "SELECT count(*) || char(10) || group_concat(r, char(10)) FROM"
             " (SELECT %s AS r FROM salaries WHERE source_id = 900 AND %s ORDER BY r)",
             columns, range);
  return scratch_db_text(&ts.db, sql);
}

static void
post_import(const char *csv, struct http_response *r)
{
  char *raw = NULL;

  ck_assert_int_lt(0, asprintf(&raw, "POST /import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Authorization: Bearer " TOKEN "\r\nContent-Type: text/csv\r\n"
                               "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                               strlen(csv), csv));
  ck_assert_int_eq(0, http_raw(ts.port, raw, r));
  free(raw);
  ck_assert_msg(201 == r->status, "POST /import: %d %.600s", r->status, r->body);
}

/* Export -> import: the guard is written, and read back as exactly the
 * text it guards. */
START_TEST(the_guarded_export_imports_to_the_same_rows)
{
  struct http_response csv;
  struct http_response imp;
  char *before;
  char *original;
  char *imported;
  char range[64];

  plant_round_trip();
  before = trip_rows("TRUE");
  http_fetch(ts.port, "GET", "/salaries?source=900&limit=500&format=csv", "", 200, &csv);
  assert_no_formula(csv.body, "/salaries?source=900");
  ck_assert_ptr_nonnull(strstr(csv.body, "\"'=1+2\""));
  ck_assert_ptr_nonnull(strstr(csv.body, "\"''=already guarded\""));
  post_import(csv.body, &imp);
  snprintf(range, sizeof range, "id <= (SELECT max(id) - %zu FROM salaries)", NTRIP);
  original = trip_rows(range);
  snprintf(range, sizeof range, "id > (SELECT max(id) - %zu FROM salaries)", NTRIP);
  imported = trip_rows(range);
  ck_assert_str_eq(before, original);
  ck_assert_str_eq(original, imported);
  ck_assert_int_eq((int) NTRIP, atoi(imported));
  free(before);
  free(original);
  free(imported);
  http_response_free(&imp);
  http_response_free(&csv);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("csv_export");
  TCase *tc = tcase_create("csv_export");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, no_csv_answer_carries_a_formula);
  tcase_add_test(tc, the_guarded_export_imports_to_the_same_rows);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
