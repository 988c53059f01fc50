/**
 * @file tests/check_roles.c
 * @brief GET /roles beyond the defaults: filters alone and combined, the
 *        sort convention, fields, ranks with ties, offset and keyset paging,
 *        Link headers.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "handlers/roles_params.h"
#include "http/reply.h"
#include "tests/harness.h"

static struct scratch_db sd;
static struct db *db;
static struct test_server hs;

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

static void
sql(const char *stmt)
{
  scratch_db_exec(&sd, stmt);
}

/* GET /roles with @a query; the slugs of the page joined by commas into @a out. */
static struct reply
roles(const char *const query[], char *out, size_t size)
{
  struct reply rep;
  json_t *data;

  handler_call(db, h_roles_list, NULL, query, &rep);
  if (NULL != out) {
    out[0] = '\0';
    data = json_object_get(rep.body, "data");
    for (size_t i = 0; i < json_array_size(data); i++) {
      if (i)
        strncat(out, ",", size - strlen(out) - 1);
      strncat(out, json_string_value(json_object_get(json_array_get(data, i), "slug")),
              size - strlen(out) - 1);
    }
  }
  return rep;
}

static int64_t
total_of(const struct reply *rep)
{
  return json_integer_value(json_object_get(json_object_get(rep->body, "meta"), "total"));
}

static void
expect(const char *const query[], const char *want_slugs, int64_t want_total)
{
  char got[4096];
  struct reply rep = roles(query, got, sizeof got);

  ck_assert_msg(200 == rep.status, "status %u", rep.status);
  ck_assert_str_eq(want_slugs, got);
  ck_assert_int_eq(want_total, total_of(&rep));
  reply_clear(&rep);
}

static void
expect_400(const char *const query[], const char *param)
{
  struct reply rep = roles(query, NULL, 0);

  ck_assert_uint_eq(400, rep.status);
  ck_assert_str_eq(param, json_string_value(json_object_get(rep.body, "parameter")));
  reply_clear(&rep);
}

START_TEST(category_filter_is_case_insensitive)
{
  expect((const char *[]) { "category=data", "sort=pay", NULL },
         "data-science-manager,data-science-leader", 2);
  expect((const char *[]) { "category=Nothing", NULL }, "", 0);
}
END_TEST

START_TEST(skills_must_all_be_needed)
{
  expect((const char *[]) { "skill=python", "sort=pay", NULL },
         "machine-learning-engineer,ai-research-scientist", 2);
  expect((const char *[]) { "skill=python,linux", NULL }, "ai-research-scientist", 1);
  expect((const char *[]) { "skill=python", "skill=tensorflow", NULL }, "machine-learning-engineer", 1);
  expect((const char *[]) { "skill=python,python", "sort=pay", NULL },
         "machine-learning-engineer,ai-research-scientist", 2);
  expect_400((const char *[]) { "skill=cobol", NULL }, "skill");
  expect_400((const char *[]) { "skill=python,,linux", NULL }, "skill");
}
END_TEST

START_TEST(industry_filter_follows_the_links)
{
  const char *top = " FROM industries i JOIN role_industries ri ON ri.industry_id = i.id"
                    " GROUP BY i.id, i.slug ORDER BY count(*) DESC, i.slug LIMIT 1";
  char sql[256];
  char *slug;
  long long linked;
  char q[96];
  struct reply rep;

  snprintf(sql, sizeof sql, "SELECT i.slug%s", top);
  slug = scratch_db_text(&sd, sql);
  snprintf(sql, sizeof sql, "SELECT count(*)%s", top);
  linked = scratch_db_scalar(&sd, sql);
  if (linked > 0) {
    snprintf(q, sizeof q, "industry=%s", slug);
    rep = roles((const char *[]) { q, NULL }, NULL, 0);
    ck_assert_uint_eq(200, rep.status);
    ck_assert_int_eq(linked, total_of(&rep));
    reply_clear(&rep);
  }
  free(slug);
  expect_400((const char *[]) { "industry=underwater-basket-weaving", NULL }, "industry");
}
END_TEST

START_TEST(pay_range_and_has_pay)
{
  expect((const char *[]) { "min_pay=136000", "sort=pay", NULL },
         "machine-learning-engineer,machine-learning-architect,ai-research-scientist", 3);
  expect((const char *[]) { "max_pay=136000", "sort=pay", NULL },
         "data-science-manager,machine-learning-manager", 2);
  expect((const char *[]) { "min_pay=135091", "max_pay=136245", "sort=pay", "order=asc", NULL },
         "data-science-manager,ai-research-scientist", 2);
  expect_400((const char *[]) { "min_pay=200000", "max_pay=100000", NULL }, "min_pay");
  expect_400((const char *[]) { "min_pay=-1", NULL }, "min_pay");
  expect_400((const char *[]) { "max_pay=lots", NULL }, "max_pay");
  {
    struct reply rep = roles((const char *[]) { "has_pay=false", NULL }, NULL, 0);

    ck_assert_int_eq(16, total_of(&rep));
    reply_clear(&rep);
    rep = roles((const char *[]) { "has_pay=true", NULL }, NULL, 0);
    ck_assert_int_eq(5, total_of(&rep));
    reply_clear(&rep);
  }
  expect_400((const char *[]) { "has_pay=yes", NULL }, "has_pay");
}
END_TEST

START_TEST(filters_combine)
{
  expect((const char *[]) { "category=AI & machine learning", "skill=python", "min_pay=140000", NULL },
         "machine-learning-engineer", 1);
  expect((const char *[]) { "category=Data", "has_pay=true", NULL }, "data-science-manager", 1);
}
END_TEST

START_TEST(full_text_search)
{
  char got[4096];
  struct reply rep = roles((const char *[]) { "q=security", NULL }, got, sizeof got);

  ck_assert_uint_eq(200, rep.status);
  ck_assert_msg(NULL != strstr(got, "cybersecurity-leader"), "%s", got);
  ck_assert_str_eq("relevance",
                   json_string_value(json_object_get(json_object_get(rep.body, "meta"), "sort")));
  reply_clear(&rep);
  /* prefix matching and operators taken as plain words */
  rep = roles((const char *[]) { "q=blockch", NULL }, got, sizeof got);
  ck_assert_msg(NULL != strstr(got, "blockchain-developer"), "%s", got);
  reply_clear(&rep);
  rep = roles((const char *[]) { "q=quantum OR NEAR(\"", NULL }, got, sizeof got);
  ck_assert_uint_eq(200, rep.status);
  reply_clear(&rep);
  expect_400((const char *[]) { "q=((**))", NULL }, "q");
  expect_400((const char *[]) { "q=", NULL }, "q");
  expect_400((const char *[]) { "sort=relevance", NULL }, "sort");
}
END_TEST

START_TEST(sort_convention)
{
  expect((const char *[]) { "sort=total_pay", "limit=2", NULL }, "machine-learning-engineer,ai-research-scientist", 21);
  expect((const char *[]) { "sort=pay,title", "limit=1", NULL }, "machine-learning-engineer", 21);
  expect((const char *[]) { "sort=title", "order=desc", "limit=1", NULL }, "technology-founder", 21);
  expect_400((const char *[]) { "sort=-pay", NULL }, "sort");
  expect_400((const char *[]) { "sort=pay:desc", NULL }, "sort");
  expect_400((const char *[]) { "sort=pay,pay", NULL }, "sort");
  expect_400((const char *[]) { "sort=pay,title,total_pay,relevance", NULL }, "sort");
  expect_400((const char *[]) { "sort=pay,", NULL }, "sort");
}
END_TEST

START_TEST(fields_select_members)
{
  struct reply rep = roles((const char *[]) { "fields=slug,pay", "sort=pay", NULL }, NULL, 0);
  json_t *first = json_array_get(json_object_get(rep.body, "data"), 0);

  ck_assert_uint_eq(2, json_object_size(first));
  ck_assert_int_eq(146085, json_integer_value(json_object_get(first, "pay")));
  reply_clear(&rep);
  rep = roles((const char *[]) { "fields=slug,pay_basis", "sort=pay", "order=asc", NULL }, NULL, 0);
  ck_assert_str_eq("published_average",
                   json_string_value(json_object_get(json_array_get(json_object_get(rep.body, "data"), 0),
                                                     "pay_basis")));
  ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(rep.body, "data"), 20),
                                         "pay_basis")));
  reply_clear(&rep);
  expect_400((const char *[]) { "fields=slug,salary", NULL }, "fields");
  expect_400((const char *[]) { "fields=", NULL }, "fields");
}
END_TEST

START_TEST(ranks_share_ties)
{
  struct reply rep;
  json_t *data;
  static const long long want[] = { 1, 2, 2, 4, 5, 6 };

  /* give cloud architects the same pay as machine learning architects */
  sql("INSERT INTO salaries (role_id, amount_usd, kind, statistic, source_id, section)"
      " SELECT id, 140245, 'base', 'average', 1, 'test' FROM roles WHERE slug = 'cloud-architect'");
  rep = roles((const char *[]) { "sort=pay", NULL }, NULL, 0);
  data = json_object_get(rep.body, "data");
  for (size_t i = 0; i < 6; i++)
    ck_assert_int_eq(want[i], json_integer_value(json_object_get(json_array_get(data, i), "rank")));
  ck_assert(json_is_null(json_object_get(json_array_get(data, 6), "rank")));
  /* the tie is broken by slug, so paging stays stable */
  ck_assert_str_eq("cloud-architect", json_string_value(json_object_get(json_array_get(data, 1), "slug")));
  reply_clear(&rep);
}
END_TEST

/* Checks that every role on the pages of @a sort, @a per roles a page, has
 * the rank the whole ranking by pay (with @a filter) gives it. */
static void
expect_ranks_of_whole(const char *filter, const char *sort, const char *order, int per)
{
  struct reply all = roles((const char *[]) { filter, "sort=pay", "limit=500", NULL }, NULL, 0);
  json_t *whole = json_object_get(all.body, "data");
  char limit[32], offset[32];

  ck_assert_msg(json_array_size(whole) > 2, "%s: too few roles to page", filter);
  snprintf(limit, sizeof limit, "limit=%d", per);
  for (size_t at = 0; at < json_array_size(whole); at += (size_t) per) {
    struct reply page;
    json_t *data;

    snprintf(offset, sizeof offset, "offset=%zu", at);
    page = roles((const char *[]) { filter, sort, order, limit, offset, NULL }, NULL, 0);
    data = json_object_get(page.body, "data");
    ck_assert_int_gt(json_array_size(data), 0);
    for (size_t i = 0; i < json_array_size(data); i++) {
      json_t *row = json_array_get(data, i);
      json_t *want = NULL;

      for (size_t j = 0; j < json_array_size(whole) && NULL == want; j++)
        if (json_equal(json_object_get(json_array_get(whole, j), "slug"), json_object_get(row, "slug")))
          want = json_object_get(json_array_get(whole, j), "rank");
      ck_assert_msg(json_equal(want, json_object_get(row, "rank")), "%s %s %s %s: rank of %s", filter,
                    sort, order, offset, json_string_value(json_object_get(row, "slug")));
    }
    reply_clear(&page);
  }
  reply_clear(&all);
}

/* A page's ranks are counted among all the matching roles, whatever the
 * page holds: a tie across a page's edge, pages in title order, a filter
 * that leaves the best-paid roles out. */
START_TEST(ranks_do_not_depend_on_the_page)
{
  sql("INSERT INTO salaries (role_id, amount_usd, kind, statistic, source_id, section)"
      " SELECT id, 140245, 'base', 'average', 1, 'test' FROM roles WHERE slug = 'cloud-architect'");
  expect_ranks_of_whole("has_pay=true", "sort=pay", "order=desc", 2);
  expect_ranks_of_whole("has_pay=true", "sort=pay", "order=asc", 3);
  expect_ranks_of_whole("has_pay=true", "sort=title", "order=asc", 2);
  expect_ranks_of_whole("max_pay=140245", "sort=title", "order=desc", 4);
  expect_ranks_of_whole("q=engineer", "sort=relevance", "order=desc", 2);
  expect_ranks_of_whole("q=engineer", "sort=total_pay", "order=desc", 3);
  expect_ranks_of_whole("min_pay=100000", "sort=title", "order=asc", 1);
}
END_TEST

/* total_pay is looked up for the rows of the page only (or for every role
 * when the sort needs it); both ways it is the role's highest figure. */
START_TEST(total_pay_is_the_highest_figure_on_every_page)
{
  struct reply rep;
  json_t *item;
  bool total_seen = false;

  sql("INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound, source_id, section)"
      " SELECT id, v.a, 'total', 'individual', 'exact', 1, 'test' FROM roles,"
      " (SELECT 120000 AS a UNION ALL SELECT 390000 UNION ALL SELECT 260000) v"
      " WHERE slug = 'cloud-architect'");
  /* cloud-architect has no pay: on a later page by pay, alone on its page */
  for (int offset = 0; offset < 21; offset++) {
    char offset_param[32];

    snprintf(offset_param, sizeof offset_param, "offset=%d", offset);
    rep = roles((const char *[]) { "sort=pay", "limit=1", offset_param, NULL }, NULL, 0);
    item = json_array_get(json_object_get(rep.body, "data"), 0);
    if (0 == strcmp("cloud-architect", json_string_value(json_object_get(item, "slug")))) {
      ck_assert_int_gt(offset, 5);
      ck_assert_int_eq(390000, json_integer_value(json_object_get(json_object_get(item, "total_pay"),
                                                                  "amount")));
      total_seen = true;
    }
    reply_clear(&rep);
  }
  ck_assert(total_seen);
  expect((const char *[]) { "sort=total_pay", "limit=2", NULL },
         "cloud-architect,machine-learning-engineer", 21);
}
END_TEST

/* Walks every page by next_cursor and checks the concatenation equals the whole list. */
static void
walk_with_cursor(const char *sort, const char *order, const char *extra)
{
  char all[4096];
  char walked[4096] = "";
  char cursor_param[2200] = "";
  struct reply rep = roles((const char *[]) { sort, order, extra, "limit=500", NULL }, all, sizeof all);
  int pages = 0;

  reply_clear(&rep);
  for (;;) {
    char got[4096];
    json_t *next;
    const char *q[] = { sort, order, extra, "limit=4", cursor_param[0] ? cursor_param : NULL, NULL };

    if (NULL == extra) {
      q[2] = "limit=4";
      q[3] = cursor_param[0] ? cursor_param : NULL;
      q[4] = NULL;
    }
    rep = roles(q, got, sizeof got);
    ck_assert_msg(200 == rep.status, "%s", json_string_value(json_object_get(rep.body, "detail")));
    if (got[0]) {
      if (walked[0])
        strcat(walked, ",");
      strcat(walked, got);
    }
    next = json_object_get(json_object_get(rep.body, "meta"), "next_cursor");
    pages++;
    if (json_is_null(next)) {
      reply_clear(&rep);
      break;
    }
    snprintf(cursor_param, sizeof cursor_param, "cursor=%s", json_string_value(next));
    reply_clear(&rep);
    ck_assert_int_lt(pages, 50);
  }
  ck_assert_str_eq(all, walked);
}

START_TEST(keyset_paging_never_repeats_or_skips)
{
  walk_with_cursor("sort=pay", "order=desc", NULL);
  walk_with_cursor("sort=pay", "order=asc", NULL);
  walk_with_cursor("sort=title", "order=desc", NULL);
  walk_with_cursor("sort=total_pay,title", "order=desc", NULL);
  walk_with_cursor("sort=relevance", "order=desc", "q=engineer");
}
END_TEST

START_TEST(cursor_is_bound_to_its_sort)
{
  struct reply rep = roles((const char *[]) { "sort=pay", "limit=3", NULL }, NULL, 0);
  char param[2200];

  snprintf(param, sizeof param, "cursor=%s",
           json_string_value(json_object_get(json_object_get(rep.body, "meta"), "next_cursor")));
  reply_clear(&rep);
  expect((const char *[]) { "sort=pay", "limit=3", param, NULL },
         "data-science-manager,machine-learning-manager,ai-safety-researcher", 21);
  expect_400((const char *[]) { "sort=title", "limit=3", param, NULL }, "cursor");
  expect_400((const char *[]) { "sort=pay", "category=Data", param, NULL }, "cursor");
  expect_400((const char *[]) { "sort=pay", param, "offset=3", NULL }, "cursor");
  expect_400((const char *[]) { "cursor=not-a-cursor!", NULL }, "cursor");
  expect_400((const char *[]) { "cursor=eyJmIjoxfQ", NULL }, "cursor");
}
END_TEST

/* The fingerprint a cursor is bound to, for the query @a q. */
static uint64_t
fingerprint_of(const struct param *q, unsigned n)
{
  struct request req = { .method = "GET", .path = "/roles", .params = q, .nparams = n };
  struct roles_request rr;
  struct reply rep = { .status = 0 };

  ck_assert_int_eq(0, roles_params_read(&req, &rr, &rep));
  return roles_params_fingerprint(&rr);
}

START_TEST(skill_order_does_not_bind_a_cursor)
{
  const struct param ab[] = { { "skill", "python,linux" } };
  const struct param ba[] = { { "skill", "linux,python" } };
  const struct param apart[] = { { "skill", "linux" }, { "skill", "python" } };
  const struct param other[] = { { "skill", "linux,sql" } };

  ck_assert_uint_eq(fingerprint_of(ab, 1), fingerprint_of(ba, 1));
  ck_assert_uint_eq(fingerprint_of(ab, 1), fingerprint_of(apart, 2));
  ck_assert_uint_ne(fingerprint_of(ab, 1), fingerprint_of(other, 1));
}
END_TEST

/* The Link header of @a rep (borrowed), or NULL. */
static const char *
link_of(const struct reply *rep)
{
  for (unsigned i = 0; i < rep->nheaders; i++)
    if (0 == strcmp("Link", rep->headers[i].name))
      return rep->headers[i].value;
  return NULL;
}

START_TEST(offsets_stop_at_ten_thousand_and_the_cursor_goes_on)
{
  struct reply rep;
  const char *link;
  const char *c;
  char cursor[2200];
  char first[64];

  /* 10,010 roles in all, so that offset 9,998 is not past the end */
  sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9989)"
      " INSERT INTO roles (slug, title, category, summary)"
      " SELECT 'paged-role-' || substr(CAST(100000 + i AS TEXT), 2), 'Paged Role ' || substr(CAST(100000 + i AS TEXT), 2), 'Paged', 'Paged.' FROM n");
  rep = roles((const char *[]) { "sort=title", "limit=5", "offset=9998", NULL }, NULL, 0);
  ck_assert_uint_eq(200, rep.status);
  ck_assert_uint_eq(5, json_array_size(json_object_get(rep.body, "data")));
  link = link_of(&rep);
  ck_assert_ptr_nonnull(link);
  /* offset 10,003 would be refused: the next link takes the cursor */
  ck_assert_msg(NULL == strstr(link, "offset=10003"), "%s", link);
  ck_assert_msg(NULL != strstr(link, "sort=title&limit=5&offset=9993>; rel=\"prev\""), "%s", link);
  c = strstr(link, "cursor=");
  ck_assert_ptr_nonnull(c);
  snprintf(cursor, sizeof cursor, "%.*s", (int) strcspn(c, ">"), c);
  reply_clear(&rep);
  rep = roles((const char *[]) { "sort=title", "limit=5", cursor, NULL }, NULL, 0);
  ck_assert_uint_eq(200, rep.status);
  snprintf(first, sizeof first, "%s",
           json_string_value(json_object_get(json_array_get(json_object_get(rep.body, "data"), 0),
                                             "slug")));
  reply_clear(&rep);
  /* the page after offset 9,998 + 5 is the one at 10,003 */
  rep = roles((const char *[]) { "sort=title", "limit=1", "offset=10000", NULL }, NULL, 0);
  ck_assert_uint_eq(200, rep.status);
  reply_clear(&rep);
  rep = roles((const char *[]) { "sort=title", "limit=4", "offset=10000", NULL }, NULL, 0);
  ck_assert_str_eq(first, json_string_value(json_object_get(
                            json_array_get(json_object_get(rep.body, "data"), 3), "slug")));
  reply_clear(&rep);
  rep = roles((const char *[]) { "offset=10001", NULL }, NULL, 0);
  ck_assert_uint_eq(400, rep.status);
  ck_assert_str_eq("offset", json_string_value(json_object_get(rep.body, "parameter")));
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(rep.body, "detail")), "next_cursor"));
  reply_clear(&rep);
}
END_TEST

START_TEST(link_header_for_offset_pages)
{
  struct reply rep = roles((const char *[]) { "sort=pay", "limit=5", "offset=5", NULL }, NULL, 0);
  const char *link = NULL;

  for (unsigned i = 0; i < rep.nheaders; i++)
    if (0 == strcmp("Link", rep.headers[i].name))
      link = rep.headers[i].value;
  ck_assert_ptr_nonnull(link);
  ck_assert_msg(NULL != strstr(link, "sort=pay&limit=5&offset=10>; rel=\"next\""), "%s", link);
  ck_assert_msg(NULL != strstr(link, "sort=pay&limit=5&offset=0>; rel=\"prev\""), "%s", link);
  reply_clear(&rep);
  rep = roles((const char *[]) { "sort=pay", "limit=5", "offset=20", NULL }, NULL, 0);
  ck_assert_uint_eq(1, rep.nheaders);
  ck_assert_ptr_null(strstr(rep.headers[0].value, "next"));
  reply_clear(&rep);
  /* values are percent-encoded: nothing from the query can end the header */
  rep = roles((const char *[]) { "q=machine\r\nlearning", "limit=1", NULL }, NULL, 0);
  ck_assert_uint_eq(1, rep.nheaders);
  ck_assert_msg(NULL != strstr(rep.headers[0].value, "q=machine%0D%0Alearning&limit=1&offset=1"),
                "%s", rep.headers[0].value);
  reply_clear(&rep);
}
END_TEST

/* Every /roles parameter over real HTTP, alone and combined: the status and,
 * for a 400, the parameter named. */
static const struct {
  const char *target;
  int status;
  const char *param;
} over_http[] = {
  { "/roles?category=Data", 200, NULL },
  { "/roles?skill=python&skill=linux", 200, NULL },
  { "/roles?skill=python,tensorflow", 200, NULL },
  { "/roles?industry=finance", 200, NULL },
  { "/roles?min_pay=100000&max_pay=200000", 200, NULL },
  { "/roles?q=machine%20learning&sort=relevance", 200, NULL },
  { "/roles?has_pay=true", 200, NULL },
  { "/roles?sort=total_pay,title&order=asc", 200, NULL },
  { "/roles?fields=slug,rank", 200, NULL },
  { "/roles?limit=2&offset=2", 200, NULL },
  { "/roles?category=Data&skill=statistics&has_pay=false&fields=slug&sort=title&limit=5", 200, NULL },
  { "/roles?q=engineer&min_pay=140000&industry=finance&sort=pay", 200, NULL },
  { "/roles?category=", 400, "category" },
  { "/roles?skill=nope", 400, "skill" },
  { "/roles?industry=nope", 400, "industry" },
  { "/roles?min_pay=x", 400, "min_pay" },
  { "/roles?max_pay=-5", 400, "max_pay" },
  { "/roles?min_pay=9&max_pay=1", 400, "min_pay" },
  { "/roles?q=%21%21", 400, "q" },
  { "/roles?has_pay=maybe", 400, "has_pay" },
  { "/roles?sort=-pay", 400, "sort" },
  { "/roles?sort=relevance", 400, "sort" },
  { "/roles?order=up", 400, "order" },
  { "/roles?fields=salary", 400, "fields" },
  { "/roles?limit=0", 400, "limit" },
  { "/roles?offset=x", 400, "offset" },
  { "/roles?cursor=%2A%2A", 400, "cursor" },
  { "/roles?cursor=abc&offset=1", 400, "cursor" },
};

START_TEST(parameters_over_http)
{
  struct http_response r;
  json_t *body;

  ck_assert_int_eq(0, http_request(hs.port, "GET", over_http[_i].target, &r));
  ck_assert_msg(over_http[_i].status == r.status, "%s: %d %s", over_http[_i].target, r.status, r.body);
  body = http_json(&r);
  if (NULL != over_http[_i].param)
    ck_assert_str_eq(over_http[_i].param, json_string_value(json_object_get(body, "parameter")));
  else
    ck_assert(json_is_array(json_object_get(body, "data")));
  json_decref(body);
  http_response_free(&r);
}
END_TEST

static void
http_setup(void)
{
  test_server_start(&hs, 2);
}

static void
http_teardown(void)
{
  test_server_stop(&hs);
}

int
main(void)
{
  Suite *s = suite_create("roles");
  TCase *tc = tcase_create("roles");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, category_filter_is_case_insensitive);
  tcase_add_test(tc, skills_must_all_be_needed);
  tcase_add_test(tc, industry_filter_follows_the_links);
  tcase_add_test(tc, pay_range_and_has_pay);
  tcase_add_test(tc, filters_combine);
  tcase_add_test(tc, full_text_search);
  tcase_add_test(tc, sort_convention);
  tcase_add_test(tc, fields_select_members);
  tcase_add_test(tc, ranks_share_ties);
  tcase_add_test(tc, ranks_do_not_depend_on_the_page);
  tcase_add_test(tc, total_pay_is_the_highest_figure_on_every_page);
  tcase_add_test(tc, keyset_paging_never_repeats_or_skips);
  tcase_add_test(tc, cursor_is_bound_to_its_sort);
  tcase_add_test(tc, skill_order_does_not_bind_a_cursor);
  tcase_add_test(tc, offsets_stop_at_ten_thousand_and_the_cursor_goes_on);
  tcase_add_test(tc, link_header_for_offset_pages);
  suite_add_tcase(s, tc);
  tc = tcase_create("over http");
  tcase_add_checked_fixture(tc, http_setup, http_teardown);
  tcase_add_loop_test(tc, parameters_over_http, 0, (int) (sizeof over_http / sizeof over_http[0]));
  suite_add_tcase(s, tc);
  return run_suite(s);
}
