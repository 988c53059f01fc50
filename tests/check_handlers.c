/**
 * @file tests/check_handlers.c
 * @brief Handlers called directly, without HTTP: rankings, paging,
 *        parameter validation, one role, health.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <strings.h>

#include "handlers/handlers.h"
#include "http/router.h"
#include "tests/harness.h"

static struct scratch_db sd;
static struct db *db;

static void
setup(void)
{
  scratch_db_connect(&sd, &db);
}

static void
teardown(void)
{
  scratch_db_disconnect(&sd, db);
}

/* Calls @a h with "key=value" strings as the query; returns the reply. */
static struct reply
call(handler_fn h, const char *arg, const char *query[])
{
  struct reply rep;

  handler_call(db, h, arg, query, &rep);
  return rep;
}

static const char *
str_at(json_t *list, size_t i, const char *key)
{
  return json_string_value(json_object_get(json_array_get(list, i), key));
}

START_TEST(default_is_by_title_ascending)
{
  struct reply rep = call(h_roles_list, NULL, NULL);
  json_t *data = json_object_get(rep.body, "data");
  json_t *meta = json_object_get(rep.body, "meta");

  ck_assert_uint_eq(200, rep.status);
  ck_assert_int_eq(21, json_integer_value(json_object_get(meta, "total")));
  ck_assert_int_eq(50, json_integer_value(json_object_get(meta, "limit")));
  ck_assert_int_eq(0, json_integer_value(json_object_get(meta, "offset")));
  ck_assert_str_eq("title", json_string_value(json_object_get(meta, "sort")));
  ck_assert_str_eq("asc", json_string_value(json_object_get(meta, "order")));
  ck_assert_uint_eq(21, json_array_size(data));
  ck_assert_str_eq("AI Research Scientist", str_at(data, 0, "title"));
  for (size_t i = 1; i < json_array_size(data); i++)
    ck_assert_msg(strcasecmp(str_at(data, i - 1, "title"), str_at(data, i, "title")) <= 0,
                  "%s before %s", str_at(data, i - 1, "title"), str_at(data, i, "title"));
  reply_clear(&rep);
}
END_TEST

START_TEST(by_pay_highest_first_unknown_last)
{
  const char *q[] = { "sort=pay", NULL };
  struct reply rep = call(h_roles_list, NULL, q);
  json_t *data = json_object_get(rep.body, "data");
  json_t *first = json_array_get(data, 0);

  ck_assert_str_eq("desc", json_string_value(json_object_get(json_object_get(rep.body, "meta"), "order")));
  ck_assert_str_eq("machine-learning-engineer", json_string_value(json_object_get(first, "slug")));
  ck_assert_int_eq(146085, json_integer_value(json_object_get(first, "pay")));
  ck_assert_str_eq("machine-learning-manager", str_at(data, 4, "slug"));
  ck_assert_int_eq(133537, json_integer_value(json_object_get(json_array_get(data, 4), "pay")));
  for (size_t i = 5; i < json_array_size(data); i++) {
    ck_assert(json_is_null(json_object_get(json_array_get(data, i), "pay")));
    if (i > 5)
      ck_assert(strcasecmp(str_at(data, i - 1, "title"), str_at(data, i, "title")) <= 0);
  }
  reply_clear(&rep);
}
END_TEST

START_TEST(by_pay_ascending_still_puts_unknown_last)
{
  const char *q[] = { "sort=pay", "order=asc", NULL };
  struct reply rep = call(h_roles_list, NULL, q);
  json_t *data = json_object_get(rep.body, "data");

  ck_assert_str_eq("machine-learning-manager", str_at(data, 0, "slug"));
  ck_assert_str_eq("machine-learning-engineer", str_at(data, 4, "slug"));
  ck_assert(json_is_null(json_object_get(json_array_get(data, 5), "pay")));
  reply_clear(&rep);
}
END_TEST

START_TEST(paging_neither_repeats_nor_skips)
{
  const char *all_q[] = { "sort=pay", "limit=500", NULL };
  struct reply all = call(h_roles_list, NULL, all_q);
  json_t *everything = json_object_get(all.body, "data");
  size_t seen = 0;

  for (int offset = 0; offset < 21; offset += 4) {
    char off[32];
    const char *q[] = { "sort=pay", "limit=4", off, NULL };
    struct reply page;
    json_t *data;

    snprintf(off, sizeof off, "offset=%d", offset);
    page = call(h_roles_list, NULL, q);
    data = json_object_get(page.body, "data");
    ck_assert_int_eq(21, json_integer_value(json_object_get(json_object_get(page.body, "meta"), "total")));
    for (size_t i = 0; i < json_array_size(data); i++, seen++)
      ck_assert_str_eq(str_at(everything, seen, "slug"), str_at(data, i, "slug"));
    reply_clear(&page);
  }
  ck_assert_uint_eq(21, seen);
  reply_clear(&all);
}
END_TEST

START_TEST(offset_past_the_end_is_an_empty_page)
{
  const char *q[] = { "offset=1000", NULL };
  struct reply rep = call(h_roles_list, NULL, q);

  ck_assert_uint_eq(200, rep.status);
  ck_assert_uint_eq(0, json_array_size(json_object_get(rep.body, "data")));
  ck_assert_int_eq(21, json_integer_value(json_object_get(json_object_get(rep.body, "meta"), "total")));
  reply_clear(&rep);
}
END_TEST

static const char *const bad_queries[][2] = {
  { "sort=salary", "sort" },
  { "sort=", "sort" },
  { "sort=PAY", "sort" },
  { "order=up", "order" },
  { "limit=0", "limit" },
  { "limit=501", "limit" },
  { "limit=-5", "limit" },
  { "limit=ten", "limit" },
  { "limit=1e3", "limit" },
  { "limit= 5", "limit" },
  { "limit=", "limit" },
  { "offset=-1", "offset" },
  { "offset=99999999999999999999999", "offset" },
  { "offset=0x10", "offset" },
  { "offset=0199000", "offset" },
  { "offset=00", "offset" },
  { "offset=+5", "offset" },
  { "limit=05", "limit" },
  { "min_pay=0100000", "min_pay" },
  { "offset=10001", "offset" },
  { "offset=1000000000", "offset" },
  { "page=2", "page" },
  { "Sort=pay", "Sort" },
};

START_TEST(bad_parameters_are_400_naming_the_parameter)
{
  const char *q[] = { bad_queries[_i][0], NULL };
  struct reply rep = call(h_roles_list, NULL, q);

  ck_assert_uint_eq(400, rep.status);
  ck_assert_str_eq(CONTENT_TYPE_PROBLEM, rep.content_type);
  ck_assert_str_eq(bad_queries[_i][1], json_string_value(json_object_get(rep.body, "parameter")));
  ck_assert_ptr_nonnull(json_string_value(json_object_get(rep.body, "detail")));
  reply_clear(&rep);
}
END_TEST

START_TEST(repeated_parameter_is_400)
{
  const char *q[] = { "sort=pay", "sort=title", NULL };
  struct reply rep = call(h_roles_list, NULL, q);

  ck_assert_uint_eq(400, rep.status);
  ck_assert_str_eq("/problems/duplicate-parameter", json_string_value(json_object_get(rep.body, "type")));
  reply_clear(&rep);
}
END_TEST

START_TEST(one_role_with_its_evidence)
{
  struct reply rep = call(h_roles_get, "machine-learning-engineer", NULL);
  json_t *role = json_object_get(rep.body, "data");
  json_t *salaries = json_object_get(role, "salaries");
  json_t *skills = json_object_get(role, "skills");
  json_t *sources = json_object_get(role, "sources");
  int found_total = 0;

  ck_assert_uint_eq(200, rep.status);
  ck_assert_int_eq(146085, json_integer_value(json_object_get(role, "pay")));
  ck_assert_uint_eq(2, json_array_size(salaries));
  for (size_t i = 0; i < json_array_size(salaries); i++) {
    json_t *s = json_array_get(salaries, i);

    ck_assert_str_eq("USD", json_string_value(json_object_get(s, "currency")));
    ck_assert_ptr_nonnull(json_string_value(json_object_get(json_object_get(s, "source"), "section")));
    if (250000 == json_integer_value(json_object_get(s, "amount"))) {
      found_total = 1;
      ck_assert_str_eq("total", json_string_value(json_object_get(s, "kind")));
      ck_assert_str_eq("at_least", json_string_value(json_object_get(s, "bound")));
    }
  }
  ck_assert(found_total);
  ck_assert(json_is_null(json_object_get(role, "salaries_more")));
  ck_assert_uint_ge(json_array_size(sources), 2);
  ck_assert_str_eq("python", str_at(skills, 0, "slug")); /* demand rank 1 first */
  ck_assert_int_eq(1, json_integer_value(json_object_get(json_array_get(skills, 0), "demand_rank")));
  reply_clear(&rep);
}
END_TEST

START_TEST(pay_follows_enough_individual_reports)
{
  struct reply rep;
  json_t *role;
  json_t *reports;

  rep = call(h_roles_get, "machine-learning-engineer", NULL);
  role = json_object_get(rep.body, "data");
  ck_assert_str_eq("published_average", json_string_value(json_object_get(role, "pay_basis")));
  ck_assert(json_is_null(json_object_get(role, "pay_reports")));
  reply_clear(&rep);
  /* four reports are not enough (the minimum is 5): the role still has no pay */
  scratch_db_exec(&sd, "INSERT INTO salaries (role_id, amount_usd, kind, statistic, source_id, section)"
                       " SELECT r.id, v.a, 'base', 'individual', 1, 'test' FROM roles r,"
                       " (SELECT 100000 AS a UNION ALL SELECT 110000 UNION ALL SELECT 130000"
                       "  UNION ALL SELECT 200000) v WHERE r.slug = 'cloud-architect'");
  rep = call(h_roles_get, "cloud-architect", NULL);
  role = json_object_get(rep.body, "data");
  ck_assert(json_is_null(json_object_get(role, "pay")));
  ck_assert(json_is_null(json_object_get(role, "pay_basis")));
  reply_clear(&rep);
  scratch_db_exec(&sd, "INSERT INTO salaries (role_id, amount_usd, kind, statistic, source_id, section)"
                       " SELECT id, 120000, 'base', 'individual', 1, 'test' FROM roles"
                       " WHERE slug = 'cloud-architect'");
  rep = call(h_roles_get, "cloud-architect", NULL);
  role = json_object_get(rep.body, "data");
  reports = json_object_get(role, "pay_reports");
  ck_assert_int_eq(120000, json_integer_value(json_object_get(role, "pay")));
  ck_assert_str_eq("reported_median", json_string_value(json_object_get(role, "pay_basis")));
  ck_assert_int_eq(5, json_integer_value(json_object_get(reports, "n")));
  ck_assert_int_eq(110000, json_integer_value(json_object_get(reports, "p25")));
  ck_assert_int_eq(120000, json_integer_value(json_object_get(reports, "p50")));
  ck_assert_int_eq(130000, json_integer_value(json_object_get(reports, "p75")));
  reply_clear(&rep);
}
END_TEST

/* A role with hundreds of thousands of reports must not make a reply of
 * tens of megabytes: the detail embeds the first 100 and links the rest. */
START_TEST(role_detail_embeds_at_most_100_salaries)
{
  struct reply rep;
  json_t *role;
  json_t *salaries;

  scratch_db_exec(&sd, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)"
                       " INSERT INTO salaries (role_id, amount_usd, kind, statistic, source_id, section)"
                       " SELECT r.id, 100000 + n.i, 'total', 'individual', 1, 'test'"
                       " FROM roles r, n WHERE r.slug = 'cloud-architect'");
  rep = call(h_roles_get, "cloud-architect", NULL);
  role = json_object_get(rep.body, "data");
  salaries = json_object_get(role, "salaries");
  ck_assert_uint_eq(200, rep.status);
  ck_assert_uint_eq(100, json_array_size(salaries));
  ck_assert_int_eq(100150, json_integer_value(json_object_get(json_array_get(salaries, 0), "amount")));
  ck_assert_int_eq(100051, json_integer_value(json_object_get(json_array_get(salaries, 99), "amount")));
  ck_assert_str_eq("/salaries?role=cloud-architect",
                   json_string_value(json_object_get(role, "salaries_more")));
  reply_clear(&rep);
  /* exactly the limit: nothing more to link */
  scratch_db_exec(&sd, "DELETE FROM salaries WHERE amount_usd > 100100 AND section = 'test'");
  rep = call(h_roles_get, "cloud-architect", NULL);
  role = json_object_get(rep.body, "data");
  ck_assert_uint_eq(100, json_array_size(json_object_get(role, "salaries")));
  ck_assert(json_is_null(json_object_get(role, "salaries_more")));
  reply_clear(&rep);
}
END_TEST

START_TEST(role_without_pay_says_null)
{
  struct reply rep = call(h_roles_get, "cloud-architect", NULL);
  json_t *role = json_object_get(rep.body, "data");

  ck_assert_uint_eq(200, rep.status);
  ck_assert(json_is_null(json_object_get(role, "pay")));
  ck_assert_uint_eq(0, json_array_size(json_object_get(role, "salaries")));
  reply_clear(&rep);
}
END_TEST

START_TEST(missing_role_is_404)
{
  static const char *const slugs[] = { "no-such-role", "' OR 1=1 --", "Machine-Learning-Engineer" };

  for (size_t i = 0; i < sizeof slugs / sizeof slugs[0]; i++) {
    struct reply rep = call(h_roles_get, slugs[i], NULL);

    ck_assert_uint_eq(404, rep.status);
    ck_assert_str_eq("/problems/role-not-found", json_string_value(json_object_get(rep.body, "type")));
    reply_clear(&rep);
  }
}
END_TEST

START_TEST(role_takes_no_parameters)
{
  const char *q[] = { "sort=pay", NULL };
  struct reply rep = call(h_roles_get, "cloud-architect", q);

  ck_assert_uint_eq(400, rep.status);
  reply_clear(&rep);
}
END_TEST

START_TEST(health_is_ok)
{
  struct reply rep = call(h_healthz_get, NULL, NULL);

  ck_assert_uint_eq(200, rep.status);
  ck_assert_str_eq("ok", json_string_value(json_object_get(rep.body, "status")));
  reply_clear(&rep);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("handlers");
  TCase *tc = tcase_create("handlers");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, default_is_by_title_ascending);
  tcase_add_test(tc, by_pay_highest_first_unknown_last);
  tcase_add_test(tc, by_pay_ascending_still_puts_unknown_last);
  tcase_add_test(tc, paging_neither_repeats_nor_skips);
  tcase_add_test(tc, offset_past_the_end_is_an_empty_page);
  tcase_add_loop_test(tc, bad_parameters_are_400_naming_the_parameter, 0,
                      (int) (sizeof bad_queries / sizeof bad_queries[0]));
  tcase_add_test(tc, repeated_parameter_is_400);
  tcase_add_test(tc, one_role_with_its_evidence);
  tcase_add_test(tc, role_without_pay_says_null);
  tcase_add_test(tc, role_detail_embeds_at_most_100_salaries);
  tcase_add_test(tc, pay_follows_enough_individual_reports);
  tcase_add_test(tc, missing_role_is_404);
  tcase_add_test(tc, role_takes_no_parameters);
  tcase_add_test(tc, health_is_ok);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
