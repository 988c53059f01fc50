/**
 * @file tests/check_salaries.c
 * @brief GET /salaries on tens of thousands of figures: keyset paging
 *        reaches every figure once in every filter combination, totals
 *        stop counting at the cap, deep offsets are refused with the way
 *        on, and the cost of a request, counted in SQLite virtual machine
 *        instructions, does not grow with the table.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/salary_query.h"
#include "handlers/handlers.h"
#include "handlers/validate.h"
#include "tests/harness.h"
#include "tests/test_engine.h"

#define ROWS 24000
#define MLE "role=machine-learning-engineer"

static struct scratch_db sd;
static struct db *db;

/*
 * Figures @a from + 1 to @a to: every other one machine-learning-engineer's,
 * one in 50 from document 1 (a small source), the rest from document 2;
 * one in seven a total; p75 rare (one in 97); amounts in 5,000 steps of 50,
 * so that many figures share an amount. The pay trigger is paused, as an
 * import pauses it: pay plays no part here.
 */
static void
add_figures(int from, int to)
{
  char sql[1536];

  snprintf(sql, sizeof sql,
           "UPDATE settings SET value = 0 WHERE key = 'pay_live';"
           "WITH RECURSIVE n(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM n WHERE i < %d),"
           " r AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM roles)"
           " INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound, source_id, section)"
           " SELECT CASE WHEN i %% 2 = 0"
           "   THEN (SELECT id FROM roles WHERE slug = 'machine-learning-engineer') ELSE r.id END,"
           " 50000 + ((i * 7919) %% 5000) * 50,"
           " CASE WHEN i %% 7 = 0 THEN 'total' ELSE 'base' END,"
           " CASE WHEN i %% 97 = 0 THEN 'p75' WHEN i %% 5 = 0 THEN 'median' ELSE 'individual' END,"
           " CASE WHEN i %% 11 = 0 THEN 'at_least' ELSE 'exact' END,"
           " CASE WHEN i %% 50 = 0 THEN 1 ELSE 2 END, 'generated for the test'"
           " FROM n JOIN r ON r.k = i %% (SELECT count(*) FROM roles);"
           "UPDATE settings SET value = 1 WHERE key = 'pay_live';",
           from + 1, to);
  scratch_db_exec(&sd, sql);
}

/* The figures, once for the reads (which never write). */
static void
make_figures(void)
{
  scratch_db_create(&sd);
  add_figures(0, ROWS);
}

static void
remove_figures(void)
{
  scratch_db_remove(&sd);
}

/* A connection of each test's own: Check runs each test in a child process. */
static void
open_connection(void)
{
  char err[512];

  ck_assert_msg(0 == db_open(sd.path, DB_OPEN_READWRITE, &db, err, sizeof err), "%s", err);
}

static void
close_connection(void)
{
  db_close(db);
}

static void
setup_own(void)
{
  make_figures();
  open_connection();
}

static void
teardown_own(void)
{
  close_connection();
  remove_figures();
}

/* GET /salaries with the NULL-terminated @a query (at most 7 parameters) and @a extra. */
static struct reply
list(const char *const query[], const char *extra)
{
  const char *q[10];
  size_t n = 0;
  struct reply rep;

  for (; NULL != query && NULL != query[n]; n++)
    q[n] = query[n];
  if (NULL != extra)
    q[n++] = extra;
  q[n] = NULL;
  handler_call(db, h_salaries_list, NULL, q, &rep);
  return rep;
}

static json_t *
meta(const struct reply *rep)
{
  return json_object_get(rep->body, "meta");
}

/* The ids the filters of @a where match, in the order asked for, from SQL. */
static int64_t *
truth(const char *where, const char *dir, size_t *n)
{
  char sql[512];

  snprintf(sql, sizeof sql, "SELECT id FROM salaries WHERE %s ORDER BY amount_usd %s, id %s",
           where, dir, dir);
  return scratch_db_ints(&sd, sql, n);
}

static const struct {
  const char *query[4];
  const char *where; /* the same filters in SQL */
} combos[] = {
  { { NULL }, "TRUE" },
  { { "statistic=p75", NULL }, "statistic = 'p75'" },
  { { "kind=total", "statistic=p75", NULL }, "kind = 'total' AND statistic = 'p75'" },
  { { MLE, "kind=total", NULL },
    "role_id = (SELECT id FROM roles WHERE slug = 'machine-learning-engineer') AND kind = 'total'" },
  { { MLE, "statistic=p75", "max=200000", NULL },
    "role_id = (SELECT id FROM roles WHERE slug = 'machine-learning-engineer')"
    " AND statistic = 'p75' AND amount_usd <= 200000" },
  { { "source=1", NULL }, "source_id = 1" },
  { { "source=2", "statistic=p75", NULL }, "source_id = 2 AND statistic = 'p75'" },
  { { MLE, "source=2", "min=100000", NULL },
    "role_id = (SELECT id FROM roles WHERE slug = 'machine-learning-engineer')"
    " AND source_id = 2 AND amount_usd >= 100000" },
  { { MLE, "source=1", NULL },
    "role_id = (SELECT id FROM roles WHERE slug = 'machine-learning-engineer') AND source_id = 1" },
  { { "min=100000", "max=120000", NULL }, "amount_usd BETWEEN 100000 AND 120000" },
};

/* Follows next_cursor from the first page to the last, page by page. */
static void
walk(size_t c, const char *order)
{
  size_t want_n;
  int64_t *want = truth(combos[c].where, 0 == strcmp(order, "order=asc") ? "ASC" : "DESC",
                        &want_n);
  char cursor[256] = "";
  size_t got = 0;
  struct reply rep;

  for (int pages = 0;; pages++) {
    const char *q[8] = { order, "limit=500" };
    size_t n = 2;
    json_t *data;
    const char *next;

    for (size_t i = 0; NULL != combos[c].query[i]; i++)
      q[n++] = combos[c].query[i];
    q[n] = '\0' != cursor[0] ? cursor : NULL;
    q[n + 1] = NULL;
    rep = list(q, NULL);
    ck_assert_msg(200 == rep.status, "%s: %u", combos[c].where, rep.status);
    data = json_object_get(rep.body, "data");
    for (size_t i = 0; i < json_array_size(data); i++, got++) {
      ck_assert_msg(got < want_n, "%s %s: more figures than there are", combos[c].where, order);
      ck_assert_int_eq(want[got], json_integer_value(json_object_get(json_array_get(data, i), "id")));
    }
    next = json_string_value(json_object_get(meta(&rep), "next_cursor"));
    if (NULL == next) {
      reply_clear(&rep);
      break;
    }
    ck_assert_msg(pages < 2 * ROWS / 500 + 10, "%s: the cursor goes round", combos[c].where);
    snprintf(cursor, sizeof cursor, "cursor=%s", next);
    reply_clear(&rep);
  }
  ck_assert_msg(got == want_n, "%s %s: %zu of %zu figures", combos[c].where, order, got, want_n);
  free(want);
}

START_TEST(the_cursor_reaches_every_figure_once)
{
  walk((size_t) _i, "order=desc");
  walk((size_t) _i, "order=asc");
}
END_TEST

START_TEST(totals_are_exact_up_to_the_cap)
{
  const char *sparse[] = { "kind=total", "statistic=p75", NULL };
  const char *small[] = { "source=1", NULL };
  const char *none[] = { "source=999", NULL };
  struct reply rep = list(NULL, NULL);
  size_t n;
  free(truth("source_id = 1", "ASC", &n));

  /* more than the cap: no total, and the lower bound the count reached */
  ck_assert(json_is_null(json_object_get(meta(&rep), "total")));
  ck_assert_int_eq(SALARY_COUNT_MAX + 1,
                   json_integer_value(json_object_get(meta(&rep), "total_at_least")));
  reply_clear(&rep);
  rep = list(small, NULL);
  ck_assert_int_eq((json_int_t) n, json_integer_value(json_object_get(meta(&rep), "total")));
  ck_assert_int_eq((json_int_t) n, json_integer_value(json_object_get(meta(&rep), "total_at_least")));
  reply_clear(&rep);
  rep = list(none, NULL);
  ck_assert_int_eq(0, json_integer_value(json_object_get(meta(&rep), "total")));
  ck_assert(json_is_null(json_object_get(meta(&rep), "next_cursor")));
  reply_clear(&rep);
  /* few of the figures read match: a lower bound, never more than there are */
  free(truth("kind = 'total' AND statistic = 'p75'", "ASC", &n));
  rep = list(sparse, NULL);
  ck_assert(json_is_null(json_object_get(meta(&rep), "total")));
  ck_assert_int_le(json_integer_value(json_object_get(meta(&rep), "total_at_least")), (json_int_t) n);
  reply_clear(&rep);
}
END_TEST

START_TEST(a_sparse_filter_pages_on_by_cursor)
{
  const char *q[] = { "kind=total", "statistic=p75", "limit=500", NULL };
  struct reply rep = list(q, NULL);
  char *link = NULL;

  /* 500 matches would mean reading most of the table: the page stops at its bound */
  ck_assert_uint_lt(json_array_size(json_object_get(rep.body, "data")), 500);
  ck_assert_ptr_nonnull(json_string_value(json_object_get(meta(&rep), "next_cursor")));
  for (unsigned i = 0; i < rep.nheaders; i++)
    if (0 == strcmp("Link", rep.headers[i].name))
      link = rep.headers[i].value;
  ck_assert_ptr_nonnull(link);
  ck_assert_ptr_nonnull(strstr(link, "cursor="));
  ck_assert_ptr_nonnull(strstr(link, "rel=\"next\""));
  ck_assert_ptr_null(strstr(link, "offset="));
  reply_clear(&rep);
}
END_TEST

START_TEST(offsets_stop_at_ten_thousand)
{
  const char *deepest[] = { "offset=10000", "limit=3", NULL };
  const char *deeper[] = { "offset=10001", NULL };
  const char *huge[] = { "offset=199000", NULL };
  struct reply rep = list(deepest, NULL);
  size_t n;
  int64_t *want = truth("TRUE", "DESC", &n);
  json_t *data = json_object_get(rep.body, "data");

  ck_assert_uint_eq(200, rep.status);
  ck_assert_uint_eq(3, json_array_size(data));
  ck_assert_int_eq(want[10000], json_integer_value(json_object_get(json_array_get(data, 0), "id")));
  free(want);
  reply_clear(&rep);
  for (int i = 0; i < 2; i++) {
    rep = list(0 == i ? deeper : huge, NULL);
    ck_assert_uint_eq(400, rep.status);
    ck_assert_str_eq("offset", json_string_value(json_object_get(rep.body, "parameter")));
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(rep.body, "detail")),
                                 "next_cursor"));
    reply_clear(&rep);
  }
}
END_TEST

START_TEST(a_cursor_is_bound_to_its_filters_and_order)
{
  const char *q[] = { "kind=base", "limit=2", NULL };
  struct reply rep = list(q, NULL);
  char cursor[256];
  const char *other_kind[] = { "kind=total", "limit=2", cursor, NULL };
  const char *other_order[] = { "kind=base", "order=asc", cursor, NULL };
  const char *with_offset[] = { "kind=base", "offset=2", cursor, NULL };
  const char *same[] = { "kind=base", "limit=7", cursor, NULL };
  const char *forged[] = { "cursor=eyJmIjoiMCIsImEiOlsxLDJdfQ", NULL };
  const char *const *bad[] = { other_kind, other_order, with_offset, forged };

  snprintf(cursor, sizeof cursor, "cursor=%s",
           json_string_value(json_object_get(meta(&rep), "next_cursor")));
  reply_clear(&rep);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    rep = list(bad[i], NULL);
    ck_assert_uint_eq(400, rep.status);
    ck_assert_str_eq("cursor", json_string_value(json_object_get(rep.body, "parameter")));
    reply_clear(&rep);
  }
  /* another page size is the same list */
  rep = list(same, NULL);
  ck_assert_uint_eq(200, rep.status);
  ck_assert_uint_eq(7, json_array_size(json_object_get(rep.body, "data")));
  ck_assert(json_is_null(json_object_get(meta(&rep), "offset")));
  reply_clear(&rep);
}
END_TEST

/* What the caps allow one request to read: the count, the deepest offset
 * and the page's scan past it, at a generous 40 instructions a figure. */
#define STEPS_ALLOWED (40 * (uint64_t) (SALARY_COUNT_MAX + 1 + 10000 + SALARY_SCAN_MAX))

/* Requests that, at ROWS figures, already read as far as the caps let
 * them: each matches, or reads through, more than SALARY_COUNT_MAX. */
static const char *const large[][4] = {
  { NULL },
  { "order=asc", NULL },
  { "offset=10000", NULL },
  { "min=60000", NULL },
  { "statistic=p75", NULL },
  { "kind=total", "statistic=p75", "order=asc", NULL },
  { MLE, NULL },
  { MLE, "statistic=individual", "order=asc", NULL },
  { "source=2", NULL },
  { "source=2", "statistic=p75", NULL },
  { MLE, "source=2", "min=100000", NULL },
  { "location=US", NULL },
  { "remote=true", "experience=3-5", "order=asc", NULL },
  { MLE, "education=master", "industry=finance", NULL },
  { "source=2", "company_stage=startup", NULL },
};

/* The instructions one request runs. */
static uint64_t
steps_of(const char *const query[])
{
  struct reply rep;
  uint64_t steps;

  (void) db_vm_steps(db);
  rep = list(query, NULL);
  steps = db_vm_steps(db);
  ck_assert_uint_eq(200, rep.status);
  reply_clear(&rep);
  ck_assert_msg(steps <= STEPS_ALLOWED, "%s...: %llu instructions",
                NULL != query[0] ? query[0] : "", (unsigned long long) steps);
  return steps;
}

START_TEST(the_cost_of_a_request_does_not_grow_with_the_table)
{
  enum { N = sizeof large / sizeof large[0] };
  uint64_t before[N];

  for (size_t c = 0; c < N; c++)
    before[c] = steps_of(large[c]);
  add_figures(ROWS, 2 * ROWS);
  for (size_t c = 0; c < N; c++) {
    uint64_t after = steps_of(large[c]);

    /* twice the figures: the same page and the same capped count, a
     * B-tree a level deeper at most */
    ck_assert_msg(after <= before[c] + before[c] / 5 + 2000,
                  "%s %s %s: %llu instructions at %d figures, %llu at %d",
                  large[c][0] ? large[c][0] : "(no filter)", large[c][0] && large[c][1] ? large[c][1] : "",
                  large[c][0] && large[c][1] && large[c][2] ? large[c][2] : "",
                  (unsigned long long) before[c], ROWS, (unsigned long long) after, 2 * ROWS);
  }
}
END_TEST

/* The id of machine-learning-engineer, from SQL. */
static int64_t
mle_id(void)
{
  return scratch_db_scalar(&sd, "SELECT id FROM roles WHERE slug = 'machine-learning-engineer'");
}

/* Every line of @a plan that reads salaries seeks one of its indexes. */
static void
assert_seeks(const char *plan, const struct salary_query *q)
{
  char line[512];

  for (const char *p = plan; '\0' != *p;) {
    size_t n = strcspn(p, "\n");

    snprintf(line, sizeof line, "%.*s", (int) n, p);
    p += n + ('\n' == p[n]);
    if (NULL == strstr(line, " salaries "))
      continue;
    ck_assert_msg(0 == strncmp(line, "SEARCH salaries USING ", 22) && NULL != strstr(line, "INDEX"),
                  "role %d source %lld kind %s statistic %s min %d max %d order %d after %d: %s",
                  q->filter.has_role, (long long) q->filter.source_id,
                  q->filter.kind ? q->filter.kind : "-", q->filter.statistic ? q->filter.statistic : "-",
                  q->filter.has_min, q->filter.has_max, q->order, q->has_after, line);
  }
}

START_TEST(every_filter_combination_seeks_an_index)
{
  char plan[8192];
  int64_t role = mle_id();

  for (int bits = 0; bits < 384; bits++) {
    struct salary_query q = {
      .filter = {
        .has_role = bits & 1, .role_id = role,
        .has_source = 0 != (bits >> 1) % 3, .source_id = (bits >> 1) % 3,
        .kind = (bits / 6) & 1 ? "total" : NULL,
        .statistic = (bits / 12) & 1 ? "p75" : NULL,
        .has_min = (bits / 24) & 1, .min_usd = 100000,
        .has_max = (bits / 48) & 1, .max_usd = 200000,
      },
      .order = (bits / 96) & 1 ? SORT_ASC : SORT_DESC,
      .limit = 50,
      .has_after = (bits / 192) & 1, .after_amount = 150000, .after_id = 5000,
    };
    bool by_amount = !q.filter.has_role && 1 != q.filter.source_id; /* 1 is small */

    ck_assert_int_eq(DB_ONE, db_salaries_plan(db, &q, plan, sizeof plan));
    assert_seeks(plan, &q);
    /* the filters left to check are in the amount index: no row is looked up */
    if (by_amount && (q.filter.kind || q.filter.statistic))
      ck_assert_msg(NULL != strstr(plan, "COVERING INDEX salaries_by_amount"), "%s", plan);
  }
}
END_TEST

/* The role's figures are read one run per kind, statistic and bound: a
 * value the schema allows but the runs missed would hide its figures. */
START_TEST(the_runs_cover_every_value_a_write_may_store)
{
  static const char *const *const ours[] = { db_salary_kinds, db_salary_statistics, db_salary_bounds };
  static const char *const *const validator[] = { salary_kinds, salary_statistics, salary_bounds };

  for (size_t l = 0; l < 3; l++) {
    size_t i = 0;

    for (; NULL != validator[l][i]; i++)
      ck_assert_str_eq(validator[l][i], NULL != ours[l][i] ? ours[l][i] : "(missing)");
    ck_assert_ptr_null(ours[l][i]);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("salaries");
  TCase *reads = tcase_create("reads");
  TCase *cost = tcase_create("cost");

  /* the reads share one database, made once: none of them writes */
  tcase_add_unchecked_fixture(reads, make_figures, remove_figures);
  tcase_add_checked_fixture(reads, open_connection, close_connection);
  tcase_set_timeout(reads, 120);
  tcase_add_loop_test(reads, the_cursor_reaches_every_figure_once, 0,
                      (int) (sizeof combos / sizeof combos[0]));
  tcase_add_test(reads, totals_are_exact_up_to_the_cap);
  tcase_add_test(reads, a_sparse_filter_pages_on_by_cursor);
  tcase_add_test(reads, offsets_stop_at_ten_thousand);
  tcase_add_test(reads, a_cursor_is_bound_to_its_filters_and_order);
  tcase_add_test(reads, the_runs_cover_every_value_a_write_may_store);
  test_engine_add_sqlite_only(reads, every_filter_combination_seeks_an_index,
                              "reads SQLite's EXPLAIN QUERY PLAN");
  suite_add_tcase(s, reads);
  tcase_add_checked_fixture(cost, setup_own, teardown_own);
  tcase_set_timeout(cost, 120);
  tcase_add_test(cost, the_cost_of_a_request_does_not_grow_with_the_table);
  suite_add_tcase(s, cost);
  return run_suite(s);
}
