/**
 * @file tests/check_catalog.c
 * @brief Skills, industries, factors, salaries, sources and data notes:
 *        handlers called directly on a migrated scratch database, checked
 *        against figures worked out by hand from the seed, plus a few
 *        requests over real HTTP.
 *
 * Hand-computed from 0002_seed.sql: the five roles with pay are 146085,
 * 140245, 136245, 135091 and 133537, whose mean is 138240.6 (138241).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/catalog.h"
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

static void
exec_sql(const char *sql)
{
  scratch_db_exec(&sd, sql);
}

/* Calls @a h with "key=value" strings as the query; returns the reply. */
static struct reply
call(handler_fn h, const char *arg, const char *const query[])
{
  struct reply rep;

  handler_call(db, h, arg, query, &rep);
  return rep;
}

/* A 200 reply's body; the caller keeps the reply to clear it. */
static json_t *
ok(handler_fn h, const char *arg, const char *const query[], struct reply *rep)
{
  *rep = call(h, arg, query);
  ck_assert_msg(200 == rep->status, "status %u", rep->status);
  ck_assert_str_eq(CONTENT_TYPE_JSON, rep->content_type);
  return rep->body;
}

static json_t *
at(json_t *list, size_t i)
{
  json_t *item = json_array_get(list, i);

  ck_assert_msg(NULL != item, "no item %zu", i);
  return item;
}

static const char *
str(json_t *obj, const char *key)
{
  return json_string_value(json_object_get(obj, key));
}

static json_int_t
num(json_t *obj, const char *key)
{
  json_t *v = json_object_get(obj, key);

  ck_assert_msg(json_is_integer(v), "'%s' is not an integer", key);
  return json_integer_value(v);
}

static bool
is_null(json_t *obj, const char *key)
{
  return json_is_null(json_object_get(obj, key));
}

/* The item of @a list whose "slug" is @a slug. */
static json_t *
find_slug(json_t *list, const char *slug)
{
  for (size_t i = 0; i < json_array_size(list); i++) {
    const char *s = str(json_array_get(list, i), "slug");

    if (NULL != s && 0 == strcmp(s, slug))
      return json_array_get(list, i);
  }
  ck_abort_msg("'%s' not in the list", slug);
  return NULL;
}

/* ------------------------------------------------------------------------
 * Skills
 * ---------------------------------------------------------------------- */

START_TEST(skills_by_demand_follow_the_published_ranks)
{
  static const char *const ranked[] = {
    "python", "tensorflow", "sql", "aws-cloud", "pytorch", "linux", "spark", "kubernetes",
    "java", "c-cpp", "azure-google-cloud", "statistics", "ai-modeling",
    "ai-infrastructure-mlops", "jupyter-notebooks", "excel",
  };
  const char *q[] = { "sort=demand", "limit=500", NULL };
  struct reply rep;
  json_t *body = ok(h_skills_list, NULL, q, &rep);
  json_t *data = json_object_get(body, "data");
  json_t *meta = json_object_get(body, "meta");

  ck_assert_int_eq(65, num(meta, "total"));
  ck_assert_str_eq("demand", str(meta, "sort"));
  ck_assert_uint_eq(65, json_array_size(data));
  for (size_t i = 0; i < 16; i++) {
    json_int_t want = (json_int_t) (i < 8 ? i + 1 : i + 2); /* there is no rank 9 */

    ck_assert_str_eq(ranked[i], str(at(data, i), "slug"));
    ck_assert_int_eq(want, num(at(data, i), "demand_rank"));
  }
  /* then the unranked, by name */
  for (size_t i = 16; i < 65; i++) {
    ck_assert(is_null(at(data, i), "demand_rank"));
    if (i > 16)
      ck_assert_msg(strcasecmp(str(at(data, i - 1), "name"), str(at(data, i), "name")) <= 0,
                    "%s before %s", str(at(data, i - 1), "name"), str(at(data, i), "name"));
  }
  reply_clear(&rep);
}
END_TEST

START_TEST(skill_shares_are_stated_with_qualifier_and_source)
{
  struct reply rep;
  json_t *data = json_object_get(ok(h_skills_list, NULL, NULL, &rep), "data");
  json_t *python = find_slug(data, "python");
  json_t *aws = find_slug(data, "aws-cloud");
  json_t *share;

  ck_assert_uint_eq(1, json_array_size(json_object_get(python, "shares")));
  share = at(json_object_get(python, "shares"), 0);
  ck_assert_str_eq("usage_share", str(share, "metric"));
  ck_assert_int_eq(90, num(share, "percent"));
  ck_assert_str_eq("nearly", str(share, "qualifier"));
  ck_assert_str_eq("Machine Learning Jobs FAQs", str(json_object_get(share, "source"), "section"));
  share = at(json_object_get(aws, "shares"), 0);
  ck_assert_str_eq("listing_share", str(share, "metric"));
  ck_assert_int_eq(41, num(share, "percent"));
  ck_assert_str_eq("exact", str(share, "qualifier"));
  ck_assert_int_eq(2, num(json_object_get(share, "source"), "id"));
  ck_assert_uint_eq(0, json_array_size(json_object_get(find_slug(data, "sql"), "shares")));
  /* each skill carries where it comes from */
  ck_assert_str_eq("The Most In-Demand Machine Learning Skills",
                   str(json_object_get(python, "source"), "section"));
  reply_clear(&rep);
}
END_TEST

START_TEST(skill_pay_and_premium_match_the_hand_computed_values)
{
  const char *q[] = { "limit=500", NULL };
  struct reply rep;
  json_t *body = ok(h_skills_list, NULL, q, &rep);
  json_t *data = json_object_get(body, "data");
  json_t *s;

  ck_assert_int_eq(138241, num(json_object_get(body, "meta"), "avg_pay_all_roles"));
  /* only the ML engineer needs TensorFlow: 146085 - 138240.6 */
  s = find_slug(data, "tensorflow");
  ck_assert_int_eq(1, num(s, "role_count"));
  ck_assert_int_eq(146085, num(s, "avg_pay"));
  ck_assert_int_eq(7844, num(s, "pay_premium"));
  /* ML engineer and AI research scientist: (146085 + 136245) / 2 = 141165 */
  s = find_slug(data, "python");
  ck_assert_int_eq(2, num(s, "role_count"));
  ck_assert_int_eq(141165, num(s, "avg_pay"));
  ck_assert_int_eq(2924, num(s, "pay_premium"));
  /* nine roles, three with pay: (140245 + 135091 + 133537) / 3 = 136291 */
  s = find_slug(data, "communication");
  ck_assert_int_eq(9, num(s, "role_count"));
  ck_assert_int_eq(136291, num(s, "avg_pay"));
  ck_assert_int_eq(-1950, num(s, "pay_premium"));
  /* needed only by roles without pay */
  s = find_slug(data, "cryptography");
  ck_assert_int_eq(1, num(s, "role_count"));
  ck_assert(is_null(s, "avg_pay"));
  ck_assert(is_null(s, "pay_premium"));
  /* needed by no role */
  s = find_slug(data, "sql");
  ck_assert_int_eq(0, num(s, "role_count"));
  ck_assert(is_null(s, "avg_pay"));
  reply_clear(&rep);
}
END_TEST

START_TEST(skills_by_pay_highest_first_ties_by_name_nulls_last)
{
  const char *q[] = { "sort=pay", "limit=500", NULL };
  struct reply rep;
  json_t *data = json_object_get(ok(h_skills_list, NULL, q, &rep), "data");
  bool seen_null = false;

  ck_assert_str_eq("ai-infrastructure-mlops", str(at(data, 0), "slug"));
  ck_assert_int_eq(146085, num(at(data, 0), "avg_pay"));
  for (size_t i = 1; i < json_array_size(data); i++) {
    json_t *prev = at(data, i - 1);
    json_t *cur = at(data, i);

    if (is_null(cur, "avg_pay")) {
      seen_null = true;
    } else {
      ck_assert_msg(!seen_null, "%s has pay after a skill without", str(cur, "slug"));
      ck_assert_int_ge(num(prev, "avg_pay"), num(cur, "avg_pay"));
    }
    if (json_equal(json_object_get(prev, "avg_pay"), json_object_get(cur, "avg_pay")))
      ck_assert_msg(strcasecmp(str(prev, "name"), str(cur, "name")) <= 0,
                    "%s before %s", str(prev, "name"), str(cur, "name"));
  }
  ck_assert(seen_null);
  reply_clear(&rep);
}
END_TEST

START_TEST(skills_by_name)
{
  const char *q[] = { "sort=name", "limit=500", NULL };
  struct reply rep;
  json_t *data = json_object_get(ok(h_skills_list, NULL, q, &rep), "data");

  ck_assert_str_eq("ai-infrastructure-mlops", str(at(data, 0), "slug"));
  for (size_t i = 1; i < json_array_size(data); i++)
    ck_assert(strcasecmp(str(at(data, i - 1), "name"), str(at(data, i), "name")) <= 0);
  reply_clear(&rep);
}
END_TEST

START_TEST(skills_offset_stops_at_ten_thousand)
{
  const char *last[] = { "offset=10000", NULL };
  const char *deeper[] = { "offset=10001", NULL };
  struct reply rep = call(h_skills_list, NULL, last);

  ck_assert_uint_eq(200, rep.status);
  reply_clear(&rep);
  rep = call(h_skills_list, NULL, deeper);
  ck_assert_uint_eq(400, rep.status);
  ck_assert_str_eq("offset", json_string_value(json_object_get(rep.body, "parameter")));
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(rep.body, "detail")), "10000"));
  reply_clear(&rep);
}
END_TEST

START_TEST(skills_paging_neither_repeats_nor_skips)
{
  static const char *const sorts[] = { "sort=demand", "sort=pay", "sort=name" };

  for (size_t k = 0; k < 3; k++) {
    const char *all_q[] = { sorts[k], "limit=500", NULL };
    struct reply all;
    json_t *everything = json_object_get(ok(h_skills_list, NULL, all_q, &all), "data");
    size_t seen = 0;

    for (int offset = 0; offset < 70; offset += 7) {
      char off[32];
      const char *q[] = { sorts[k], "limit=7", off, NULL };
      struct reply page;
      json_t *body;
      json_t *data;

      snprintf(off, sizeof off, "offset=%d", offset);
      body = ok(h_skills_list, NULL, q, &page);
      data = json_object_get(body, "data");
      ck_assert_int_eq(7, num(json_object_get(body, "meta"), "limit"));
      ck_assert_int_eq(offset, num(json_object_get(body, "meta"), "offset"));
      for (size_t i = 0; i < json_array_size(data); i++, seen++)
        ck_assert(json_equal(at(everything, seen), at(data, i)));
      reply_clear(&page);
    }
    ck_assert_uint_eq(65, seen);
    reply_clear(&all);
  }
}
END_TEST

START_TEST(a_skill_with_several_shares_stays_one_item)
{
  const char *q[] = { "limit=2", NULL };
  struct reply rep;
  json_t *data;
  json_t *shares;

  exec_sql("INSERT INTO skill_shares (skill_id, metric, percent, qualifier, source_id, section)"
           " VALUES (1, 'listing_share', 62.5, 'about', 2, 'test section')");
  data = json_object_get(ok(h_skills_list, NULL, q, &rep), "data");
  ck_assert_uint_eq(2, json_array_size(data));
  ck_assert_str_eq("python", str(at(data, 0), "slug"));
  ck_assert_str_eq("tensorflow", str(at(data, 1), "slug"));
  shares = json_object_get(at(data, 0), "shares");
  ck_assert_uint_eq(2, json_array_size(shares));
  ck_assert_int_eq(90, num(at(shares, 0), "percent"));
  ck_assert(json_is_real(json_object_get(at(shares, 1), "percent")));
  ck_assert(62.5 == json_real_value(json_object_get(at(shares, 1), "percent")));
  ck_assert_int_eq(2, num(at(data, 0), "role_count")); /* the join adds no roles */
  reply_clear(&rep);
}
END_TEST

START_TEST(no_pay_anywhere_means_null_figures)
{
  const char *q[] = { "sort=pay", NULL };
  struct reply rep;
  json_t *body;
  json_t *data;

  exec_sql("DELETE FROM salaries");
  body = ok(h_skills_list, NULL, q, &rep);
  data = json_object_get(body, "data");
  ck_assert(is_null(json_object_get(body, "meta"), "avg_pay_all_roles"));
  ck_assert(is_null(find_slug(data, "python"), "avg_pay"));
  ck_assert(is_null(find_slug(data, "python"), "pay_premium"));
  ck_assert_str_eq("ai-infrastructure-mlops", str(at(data, 0), "slug")); /* all null: by name */
  reply_clear(&rep);
}
END_TEST

START_TEST(one_skill_with_its_roles_ranked_by_pay)
{
  struct reply rep;
  json_t *skill = json_object_get(ok(h_skills_get, "python", NULL, &rep), "data");
  json_t *roles = json_object_get(skill, "roles");

  ck_assert_str_eq("python", str(skill, "slug"));
  ck_assert_int_eq(1, num(skill, "demand_rank"));
  ck_assert_int_eq(141165, num(skill, "avg_pay"));
  ck_assert_int_eq(2924, num(skill, "pay_premium"));
  ck_assert_uint_eq(1, json_array_size(json_object_get(skill, "shares")));
  ck_assert_uint_eq(2, json_array_size(roles));
  ck_assert_str_eq("machine-learning-engineer", str(at(roles, 0), "slug"));
  ck_assert_int_eq(146085, num(at(roles, 0), "pay"));
  ck_assert_int_eq(1, num(at(roles, 0), "rank"));
  ck_assert_str_eq("Machine Learning Engineer Average Base Salary: $146,085",
                   str(json_object_get(at(roles, 0), "source"), "section"));
  ck_assert_str_eq("ai-research-scientist", str(at(roles, 1), "slug"));
  ck_assert_int_eq(2, num(at(roles, 1), "rank"));
  ck_assert_str_eq("AI & machine learning", str(at(roles, 1), "category"));
  reply_clear(&rep);
}
END_TEST

/* A skill most roles need would embed them all: at most 100, and the rest by /roles. */
START_TEST(one_skill_embeds_at_most_100_roles)
{
  struct reply rep;
  json_t *skill;
  json_t *roles;

  skill = json_object_get(ok(h_skills_get, "python", NULL, &rep), "data");
  ck_assert(is_null(skill, "roles_more"));
  reply_clear(&rep);
  exec_sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)"
           " INSERT INTO roles (slug, title, category, summary, pay_usd)"
           " SELECT 'py-role-' || substr(CAST(1000 + i AS TEXT), 2), 'Python Role ' || substr(CAST(1000 + i AS TEXT), 2), 'Data', 'Python.',"
           " 50000 + i * 100 FROM n;"
           "INSERT INTO role_skills (role_id, skill_id, source_id, section)"
           " SELECT r.id, k.id, 1, 'test section' FROM roles r, skills k"
           " WHERE r.slug LIKE 'py-role-%' AND k.slug = 'python'");
  skill = json_object_get(ok(h_skills_get, "python", NULL, &rep), "data");
  roles = json_object_get(skill, "roles");
  ck_assert_uint_eq(100, json_array_size(roles));
  ck_assert_int_eq(152, num(skill, "role_count"));
  ck_assert_str_eq("/roles?skill=python&sort=pay", str(skill, "roles_more"));
  /* the ranking is unchanged: the best paid first, with their ranks */
  ck_assert_str_eq("machine-learning-engineer", str(at(roles, 0), "slug"));
  ck_assert_int_eq(100, num(at(roles, 99), "rank"));
  reply_clear(&rep);
}
END_TEST

START_TEST(roles_without_pay_come_last_unranked_by_title)
{
  static const char *const order[] = {
    "machine-learning-architect", "data-science-manager", "machine-learning-manager",
    "cybersecurity-leader", "data-science-leader", "platform-engineer", "sales-engineer",
    "software-engineer-elite-tech", "technical-product-manager",
  };
  struct reply rep;
  json_t *roles = json_object_get(json_object_get(ok(h_skills_get, "communication", NULL, &rep),
                                                  "data"), "roles");

  ck_assert_uint_eq(9, json_array_size(roles));
  for (size_t i = 0; i < 9; i++) {
    ck_assert_str_eq(order[i], str(at(roles, i), "slug"));
    if (i < 3) {
      ck_assert_int_eq((json_int_t) i + 1, num(at(roles, i), "rank"));
    } else {
      ck_assert(is_null(at(roles, i), "rank"));
      ck_assert(is_null(at(roles, i), "pay"));
    }
  }
  reply_clear(&rep);
}
END_TEST

START_TEST(equal_pay_shares_a_rank_and_the_next_one_skips)
{
  struct reply rep;
  json_t *roles;

  /* give the data science leader the ML architect's pay: 1, 1, 3, 4 */
  exec_sql("INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound, source_id, section)"
           " VALUES (5, 140245, 'base', 'average', 'exact', 1, 'test section')");
  roles = json_object_get(json_object_get(ok(h_skills_get, "communication", NULL, &rep), "data"),
                          "roles");
  ck_assert_str_eq("data-science-leader", str(at(roles, 0), "slug")); /* tie: by title */
  ck_assert_int_eq(1, num(at(roles, 0), "rank"));
  ck_assert_str_eq("machine-learning-architect", str(at(roles, 1), "slug"));
  ck_assert_int_eq(1, num(at(roles, 1), "rank"));
  ck_assert_str_eq("data-science-manager", str(at(roles, 2), "slug"));
  ck_assert_int_eq(3, num(at(roles, 2), "rank"));
  ck_assert_int_eq(4, num(at(roles, 3), "rank"));
  ck_assert(is_null(at(roles, 4), "rank"));
  reply_clear(&rep);
}
END_TEST

START_TEST(unknown_skill_is_404)
{
  static const char *const slugs[] = { "no-such-skill", "Python", "' OR 1=1 --", "python " };

  for (size_t i = 0; i < sizeof slugs / sizeof slugs[0]; i++) {
    struct reply rep = call(h_skills_get, slugs[i], NULL);

    ck_assert_uint_eq(404, rep.status);
    ck_assert_str_eq("/problems/skill-not-found", str(rep.body, "type"));
    reply_clear(&rep);
  }
}
END_TEST

/* ------------------------------------------------------------------------
 * Industries and factors
 * ---------------------------------------------------------------------- */

static void
assert_strings(json_t *list, const char *const want[], size_t n)
{
  ck_assert_uint_eq(n, json_array_size(list));
  for (size_t i = 0; i < n; i++)
    ck_assert_str_eq(want[i], json_string_value(at(list, i)));
}

START_TEST(industries_in_rank_order_with_their_roles)
{
  static const char *const slugs[] = {
    "information-technology", "finance", "healthcare", "automotive", "government",
  };
  static const char *const finance[] = {
    "blockchain-developer", "data-science-manager", "machine-learning-architect",
    "machine-learning-engineer", "quantitative-developer-researcher",
  };
  static const char *const healthcare[] = { "data-science-manager", "machine-learning-engineer" };
  static const char *const automotive[] = { "machine-learning-architect" };
  static const char *const government[] = { "blockchain-developer", "data-science-manager" };
  struct reply rep;
  json_t *body = ok(h_industries_list, NULL, NULL, &rep);
  json_t *data = json_object_get(body, "data");
  json_t *it;

  ck_assert_int_eq(5, num(json_object_get(body, "meta"), "total"));
  ck_assert_uint_eq(5, json_array_size(data));
  for (size_t i = 0; i < 5; i++) {
    ck_assert_str_eq(slugs[i], str(at(data, i), "slug"));
    ck_assert_int_eq((json_int_t) i + 1, num(at(data, i), "rank"));
    ck_assert_str_eq("Key Industries Hiring Machine Learning Talent",
                     str(json_object_get(at(data, i), "source"), "section"));
    ck_assert_ptr_nonnull(str(at(data, i), "note"));
  }
  ck_assert_str_eq("Information Technology", str(at(data, 0), "name"));
  ck_assert_ptr_nonnull(strstr(str(at(data, 3), "note"), "aerospace"));
  assert_strings(json_object_get(at(data, 1), "roles"), finance, 5);
  assert_strings(json_object_get(at(data, 2), "roles"), healthcare, 2);
  assert_strings(json_object_get(at(data, 3), "roles"), automotive, 1);
  assert_strings(json_object_get(at(data, 4), "roles"), government, 2);
  it = json_object_get(at(data, 0), "roles");
  ck_assert_str_eq("ai-research-scientist", json_string_value(at(it, 0)));
  ck_assert_str_eq("machine-learning-engineer", json_string_value(at(it, 3)));
  reply_clear(&rep);
}
END_TEST

/* An industry lists its first 100 roles, and the query that has them all. */
START_TEST(an_industry_lists_at_most_100_roles)
{
  struct reply rep;
  json_t *data;
  json_t *finance;

  exec_sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)"
           " INSERT INTO roles (slug, title, category, summary)"
           " SELECT 'fin-role-' || substr(CAST(1000 + i AS TEXT), 2), 'Finance Role ' || substr(CAST(1000 + i AS TEXT), 2), 'Finance', 'Money.'"
           " FROM n;"
           "INSERT INTO role_industries (role_id, industry_id, source_id, section)"
           " SELECT r.id, i.id, 1, 'test section' FROM roles r, industries i"
           " WHERE r.slug LIKE 'fin-role-%' AND i.slug = 'finance'");
  data = json_object_get(ok(h_industries_list, NULL, NULL, &rep), "data");
  finance = at(data, 1);
  ck_assert_str_eq("finance", str(finance, "slug"));
  ck_assert_uint_eq(100, json_array_size(json_object_get(finance, "roles")));
  ck_assert_str_eq("/roles?industry=finance", str(finance, "roles_more"));
  /* by slug: the seed's first, then the new ones */
  ck_assert_str_eq("blockchain-developer", json_string_value(at(json_object_get(finance, "roles"), 0)));
  ck_assert_str_eq("fin-role-001", json_string_value(at(json_object_get(finance, "roles"), 2)));
  ck_assert(is_null(at(data, 0), "roles_more"));
  reply_clear(&rep);
}
END_TEST

START_TEST(every_industry_link_cites_a_section_that_describes_the_role)
{
  ck_assert_int_eq(17, scratch_db_scalar(&sd, "SELECT count(*) FROM role_industries"));
  ck_assert_int_eq(0, scratch_db_scalar(&sd,
    "SELECT count(*) FROM role_industries ri WHERE NOT EXISTS ("
    "  SELECT 1 FROM role_mentions m WHERE m.role_id = ri.role_id"
    "  AND m.source_id = ri.source_id AND m.section = ri.section)"));
}
END_TEST

START_TEST(factors_in_rank_order)
{
  static const char *const slugs[] = {
    "location", "education", "experience", "industry", "company-stage",
  };
  struct reply rep;
  json_t *body = ok(h_factors_list, NULL, NULL, &rep);
  json_t *data = json_object_get(body, "data");

  ck_assert_int_eq(5, num(json_object_get(body, "meta"), "total"));
  ck_assert_uint_eq(5, json_array_size(data));
  for (size_t i = 0; i < 5; i++) {
    ck_assert_str_eq(slugs[i], str(at(data, i), "slug"));
    ck_assert_int_eq((json_int_t) i + 1, num(at(data, i), "rank"));
    ck_assert_ptr_nonnull(str(at(data, i), "effect"));
    ck_assert_int_eq(2, num(json_object_get(at(data, i), "source"), "id"));
  }
  ck_assert_ptr_nonnull(strstr(str(at(data, 4), "effect"), "Startups"));
  reply_clear(&rep);
}
END_TEST

/* ------------------------------------------------------------------------
 * Salaries
 * ---------------------------------------------------------------------- */

/* The amounts of a /salaries reply, in order, and its meta.total. */
static void
assert_amounts(const char *const q[], json_int_t total, const json_int_t want[], size_t n)
{
  struct reply rep;
  json_t *body = ok(h_salaries_list, NULL, q, &rep);
  json_t *data = json_object_get(body, "data");

  ck_assert_int_eq(total, num(json_object_get(body, "meta"), "total"));
  ck_assert_uint_eq(n, json_array_size(data));
  for (size_t i = 0; i < n; i++)
    ck_assert_int_eq(want[i], num(at(data, i), "amount"));
  reply_clear(&rep);
}

START_TEST(salaries_default_highest_first)
{
  static const json_int_t all[] = { 250000, 146085, 140245, 136245, 135091, 133537, 100000 };
  struct reply rep;
  json_t *body = ok(h_salaries_list, NULL, NULL, &rep);
  json_t *meta = json_object_get(body, "meta");
  json_t *last = at(json_object_get(body, "data"), 6);

  ck_assert_str_eq("amount", str(meta, "sort"));
  ck_assert_str_eq("desc", str(meta, "order"));
  ck_assert_int_eq(50, num(meta, "limit"));
  assert_amounts(NULL, 7, all, 7);
  /* the comparison group: no role, a subject, an upper bound */
  ck_assert(is_null(last, "role"));
  ck_assert_str_eq("Experienced doctors and lawyers", str(last, "subject"));
  ck_assert_str_eq("below", str(last, "bound"));
  ck_assert_str_eq("USD", str(last, "currency"));
  reply_clear(&rep);
}
END_TEST

START_TEST(salaries_total_is_the_open_ended_figure)
{
  const char *q[] = { "kind=total", NULL };
  struct reply rep;
  json_t *data = json_object_get(ok(h_salaries_list, NULL, q, &rep), "data");
  json_t *s = at(data, 0);

  ck_assert_uint_eq(1, json_array_size(data));
  ck_assert_int_eq(250000, num(s, "amount"));
  ck_assert_str_eq("at_least", str(s, "bound"));
  ck_assert_str_eq("minimum", str(s, "statistic"));
  ck_assert_str_eq("total", str(s, "kind"));
  ck_assert_str_eq("machine-learning-engineer", str(s, "role"));
  ck_assert(is_null(s, "subject"));
  ck_assert_int_eq(2024, num(s, "year"));
  ck_assert_int_eq(6, num(s, "id"));
  ck_assert_str_eq("Machine Learning Engineer Average Base Salary: $146,085",
                   str(json_object_get(s, "source"), "section"));
  reply_clear(&rep);
}
END_TEST

START_TEST(salaries_filtered_by_role)
{
  const char *mlm[] = { "role=machine-learning-manager", NULL };
  const char *mle[] = { "role=machine-learning-engineer", NULL };
  const char *none[] = { "role=cloud-architect", NULL };
  static const json_int_t mlm_want[] = { 133537 };
  static const json_int_t mle_want[] = { 250000, 146085 };
  struct reply rep;
  json_t *s = at(json_object_get(ok(h_salaries_list, NULL, mlm, &rep), "data"), 0);

  ck_assert_str_eq("exact", str(s, "bound"));
  ck_assert_str_eq("machine-learning-manager", str(s, "role"));
  reply_clear(&rep);
  assert_amounts(mlm, 1, mlm_want, 1);
  assert_amounts(mle, 2, mle_want, 2);
  assert_amounts(none, 0, NULL, 0); /* a known role with no figures */
}
END_TEST

START_TEST(salaries_filtered_by_source)
{
  const char *ml_jobs[] = { "source=2", "limit=500", NULL };
  const char *overview[] = { "source=1", NULL };
  const char *unknown[] = { "source=3", NULL };
  const char *ml_jobs_mle[] = { "source=2", "role=machine-learning-engineer", NULL };
  static const json_int_t mle_want[] = { 250000, 146085 };
  struct reply rep;
  json_t *data = json_object_get(ok(h_salaries_list, NULL, ml_jobs, &rep), "data");

  ck_assert_uint_eq(7, json_array_size(data));
  for (size_t i = 0; i < json_array_size(data); i++)
    ck_assert_int_eq(2, num(json_object_get(at(data, i), "source"), "id"));
  reply_clear(&rep);
  assert_amounts(overview, 0, NULL, 0); /* a known source that states no figure */
  assert_amounts(unknown, 0, NULL, 0);  /* an unknown id matches nothing, as in /data-notes */
  assert_amounts(ml_jobs_mle, 2, mle_want, 2);
}
END_TEST

START_TEST(salaries_filters_combine)
{
  const char *range[] = { "min=135091", "max=140245", NULL };
  const char *range_asc[] = { "min=135091", "max=140245", "order=asc", NULL };
  const char *exact[] = { "min=146085", "max=146085", NULL };
  const char *min_only[] = { "min=200000", NULL };
  const char *max_only[] = { "max=100000", NULL };
  const char *stat[] = { "statistic=minimum", NULL };
  const char *nothing[] = { "kind=base", "statistic=average", "min=200000", NULL };
  const char *role_and_kind[] = { "role=machine-learning-engineer", "kind=base", NULL };
  static const json_int_t range_want[] = { 140245, 136245, 135091 };
  static const json_int_t range_asc_want[] = { 135091, 136245, 140245 };
  static const json_int_t exact_want[] = { 146085 };
  static const json_int_t top[] = { 250000 };
  static const json_int_t bottom[] = { 100000 };

  assert_amounts(range, 3, range_want, 3);
  assert_amounts(range_asc, 3, range_asc_want, 3);
  assert_amounts(exact, 1, exact_want, 1);
  assert_amounts(min_only, 1, top, 1);
  assert_amounts(max_only, 1, bottom, 1);
  assert_amounts(stat, 1, top, 1);
  assert_amounts(nothing, 0, NULL, 0);
  assert_amounts(role_and_kind, 1, exact_want, 1);
}
END_TEST

START_TEST(salaries_ascending_and_paged)
{
  const char *asc[] = { "order=asc", "limit=3", NULL };
  const char *page[] = { "limit=2", "offset=2", NULL };
  const char *past[] = { "offset=7", NULL };
  const char *both[] = { "sort=amount", "order=asc", "offset=6", NULL };
  static const json_int_t asc_want[] = { 100000, 133537, 135091 };
  static const json_int_t page_want[] = { 140245, 136245 };
  static const json_int_t last[] = { 250000 };

  assert_amounts(asc, 7, asc_want, 3);
  assert_amounts(page, 7, page_want, 2);
  assert_amounts(past, 7, NULL, 0);
  assert_amounts(both, 7, last, 1);
}
END_TEST

/* Both keys run in the order asked for, so that descending is ascending reversed. */
START_TEST(equal_amounts_are_ordered_by_id)
{
  const char *desc[] = { "min=146085", "max=146085", "order=desc", NULL };
  const char *asc[] = { "min=146085", "max=146085", "order=asc", NULL };
  struct reply rep;
  json_t *data;

  exec_sql("INSERT INTO salaries (id, role_id, amount_usd, kind, statistic, source_id, section)"
           " VALUES (100, 2, 146085, 'base', 'median', 1, 'test section')");
  data = json_object_get(ok(h_salaries_list, NULL, desc, &rep), "data");
  ck_assert_uint_eq(2, json_array_size(data));
  ck_assert_int_eq(100, num(at(data, 0), "id"));
  ck_assert_int_eq(1, num(at(data, 1), "id"));
  reply_clear(&rep);
  data = json_object_get(ok(h_salaries_list, NULL, asc, &rep), "data");
  ck_assert_uint_eq(2, json_array_size(data));
  ck_assert_int_eq(1, num(at(data, 0), "id"));
  ck_assert_int_eq(100, num(at(data, 1), "id"));
  reply_clear(&rep);
}
END_TEST

START_TEST(salaries_unknown_role_is_404)
{
  static const char *const roles[] = {
    "role=no-such-role", "role=Machine-Learning-Manager", "role=' OR 1=1 --",
  };

  for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
    const char *q[] = { roles[i], NULL };
    struct reply rep = call(h_salaries_list, NULL, q);

    ck_assert_uint_eq(404, rep.status);
    ck_assert_str_eq("/problems/role-not-found", str(rep.body, "type"));
    ck_assert_str_eq("role", str(rep.body, "parameter"));
    reply_clear(&rep);
  }
}
END_TEST

/* ------------------------------------------------------------------------
 * Sources
 * ---------------------------------------------------------------------- */

START_TEST(sources_with_their_counts)
{
  struct reply rep;
  json_t *body = ok(h_sources_list, NULL, NULL, &rep);
  json_t *data = json_object_get(body, "data");
  json_t *overview = at(data, 0);
  json_t *article = at(data, 1);
  json_t *counts;

  ck_assert_int_eq(2, num(json_object_get(body, "meta"), "total"));
  ck_assert_uint_eq(2, json_array_size(data));
  ck_assert_int_eq(1, num(overview, "id"));
  ck_assert_str_eq("overview", str(overview, "kind"));
  ck_assert(is_null(overview, "year"));
  ck_assert_str_eq("000_e56b3df847a755be.txt", str(overview, "origin"));
  counts = json_object_get(overview, "counts");
  ck_assert_int_eq(17, num(counts, "roles"));
  ck_assert_int_eq(0, num(counts, "salaries"));
  /* 30 skills it describes + 4 it ties to a role but the article ranks */
  ck_assert_int_eq(34, num(counts, "skills"));
  ck_assert_int_eq(4, num(counts, "data_notes"));
  ck_assert_str_eq("highest-paying-ml-jobs-2024", str(article, "slug"));
  ck_assert_int_eq(2024, num(article, "year"));
  counts = json_object_get(article, "counts");
  ck_assert_int_eq(5, num(counts, "roles"));
  ck_assert_int_eq(7, num(counts, "salaries"));
  ck_assert_int_eq(16, num(counts, "data_notes"));
  reply_clear(&rep);
}
END_TEST

START_TEST(one_source_with_every_figure_taken_from_it)
{
  struct reply rep;
  json_t *doc = json_object_get(ok(h_sources_get, "2", NULL, &rep), "data");
  json_t *figures = json_object_get(doc, "figures");
  json_t *salaries = json_object_get(figures, "salaries");
  json_t *shares = json_object_get(figures, "skill_shares");
  json_t *facts = json_object_get(figures, "facts");
  json_t *roles = json_object_get(doc, "roles");
  json_t *mle;

  ck_assert_str_eq("Highest Paying Machine Learning Jobs in 2024", str(doc, "title"));
  ck_assert_uint_eq(7, json_array_size(salaries));
  ck_assert(json_is_null(json_object_get(figures, "salaries_more")));
  ck_assert_int_eq(146085, num(at(salaries, 0), "amount"));
  ck_assert_str_eq("Highest Paying Machine Learning Jobs",
                   str(json_object_get(at(salaries, 0), "source"), "section"));
  ck_assert_str_eq("at_least", str(at(salaries, 5), "bound"));
  ck_assert_uint_eq(2, json_array_size(shares));
  ck_assert_str_eq("aws-cloud", str(json_object_get(at(shares, 0), "skill"), "slug"));
  ck_assert_int_eq(41, num(at(shares, 0), "percent"));
  ck_assert_str_eq("Machine Learning Jobs FAQs", str(at(shares, 1), "section"));
  ck_assert_uint_eq(1, json_array_size(facts));
  ck_assert_int_eq(58000000, num(at(facts, 0), "value"));
  ck_assert_str_eq("jobs", str(at(facts, 0), "unit"));
  ck_assert_str_eq("Machine Learning Job Market Outlook", str(at(facts, 0), "section"));
  ck_assert_uint_eq(5, json_array_size(roles));
  mle = find_slug(roles, "machine-learning-engineer");
  ck_assert_uint_eq(3, json_array_size(json_object_get(mle, "sections")));
  reply_clear(&rep);
}
END_TEST

/* An imported source can hold a million figures: the detail embeds the
 * first 100 and links the GET /salaries query that lists them all. */
START_TEST(source_detail_embeds_at_most_100_salaries)
{
  const char *linked[] = { "source=2", NULL };
  struct reply rep;
  json_t *doc;
  json_t *figures;
  json_t *salaries;

  exec_sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)"
           " INSERT INTO salaries (role_id, amount_usd, kind, statistic, source_id, section)"
           " SELECT r.id, 100000 + n.i, 'total', 'individual', 2, 'test'"
           " FROM roles r, n WHERE r.slug = 'cloud-architect'");
  doc = json_object_get(ok(h_sources_get, "2", NULL, &rep), "data");
  figures = json_object_get(doc, "figures");
  salaries = json_object_get(figures, "salaries");
  ck_assert_int_eq(157, num(json_object_get(doc, "counts"), "salaries"));
  ck_assert_uint_eq(100, json_array_size(salaries));
  ck_assert_int_eq(146085, num(at(salaries, 0), "amount")); /* the source's own first */
  ck_assert_int_eq(100093, num(at(salaries, 99), "amount"));
  ck_assert_str_eq("/salaries?source=2", str(figures, "salaries_more"));
  reply_clear(&rep);
  /* the link lists every figure of the source */
  ck_assert_int_eq(157, num(json_object_get(ok(h_salaries_list, NULL, linked, &rep), "meta"),
                            "total"));
  reply_clear(&rep);
  /* exactly the limit: nothing more to link */
  exec_sql("DELETE FROM salaries WHERE amount_usd > 100093 AND section = 'test'");
  figures = json_object_get(json_object_get(ok(h_sources_get, "2", NULL, &rep), "data"),
                            "figures");
  ck_assert_uint_eq(100, json_array_size(json_object_get(figures, "salaries")));
  ck_assert(json_is_null(json_object_get(figures, "salaries_more")));
  reply_clear(&rep);
}
END_TEST

START_TEST(the_overview_states_no_figures)
{
  struct reply rep;
  json_t *doc = json_object_get(ok(h_sources_get, "1", NULL, &rep), "data");
  json_t *figures = json_object_get(doc, "figures");

  ck_assert_uint_eq(0, json_array_size(json_object_get(figures, "salaries")));
  ck_assert_uint_eq(0, json_array_size(json_object_get(figures, "skill_shares")));
  ck_assert_uint_eq(0, json_array_size(json_object_get(figures, "facts")));
  ck_assert_uint_eq(17, json_array_size(json_object_get(doc, "roles")));
  reply_clear(&rep);
}
END_TEST

START_TEST(source_ids_that_are_no_number_are_404)
{
  static const char *const ids[] = {
    "0", "-1", "+2", "02", "2.0", "abc", "2x", " 2", "0x2", "2147483649", "99999999999",
    "184467440737095516170",
  };

  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    struct reply rep = call(h_sources_get, ids[i], NULL);

    ck_assert_msg(404 == rep.status, "%s: %u", ids[i], rep.status);
    ck_assert_str_eq("/problems/not-found", str(rep.body, "type"));
    reply_clear(&rep);
  }
}
END_TEST

START_TEST(unknown_source_is_404)
{
  static const char *const ids[] = { "3", "2147483648" };

  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    struct reply rep = call(h_sources_get, ids[i], NULL);

    ck_assert_uint_eq(404, rep.status);
    ck_assert_str_eq("/problems/source-not-found", str(rep.body, "type"));
    reply_clear(&rep);
  }
}
END_TEST

/* ------------------------------------------------------------------------
 * Data notes
 * ---------------------------------------------------------------------- */

START_TEST(every_data_note)
{
  struct reply rep;
  json_t *body = ok(h_data_notes_list, NULL, NULL, &rep);
  json_t *data = json_object_get(body, "data");
  json_t *first = at(data, 0);

  ck_assert_int_eq(20, num(json_object_get(body, "meta"), "total"));
  ck_assert_uint_eq(20, json_array_size(data));
  ck_assert_int_eq(1, num(first, "id"));
  ck_assert_str_eq("malformed_figure", str(first, "defect"));
  ck_assert_ptr_nonnull(strstr(str(first, "found"), "$133,alpha"));
  ck_assert_ptr_nonnull(strstr(str(first, "action"), "133537"));
  ck_assert_str_eq("Highest Paying Machine Learning Jobs", str(first, "section"));
  ck_assert_int_eq(2, num(json_object_get(first, "source"), "id"));
  for (size_t i = 1; i < 20; i++)
    ck_assert_int_lt(num(at(data, i - 1), "id"), num(at(data, i), "id"));
  reply_clear(&rep);
}
END_TEST

START_TEST(data_notes_filtered)
{
  const char *malformed[] = { "defect=malformed_figure", NULL };
  const char *overview[] = { "source=1", NULL };
  const char *both[] = { "source=2", "defect=missing_rank", NULL };
  const char *nobody[] = { "source=99", NULL };
  struct reply rep;
  json_t *data;

  data = json_object_get(ok(h_data_notes_list, NULL, malformed, &rep), "data");
  ck_assert_uint_eq(1, json_array_size(data));
  ck_assert_int_eq(1, num(at(data, 0), "id"));
  reply_clear(&rep);
  data = json_object_get(ok(h_data_notes_list, NULL, overview, &rep), "data");
  ck_assert_uint_eq(4, json_array_size(data));
  for (size_t i = 0; i < 4; i++)
    ck_assert_int_eq(1, num(json_object_get(at(data, i), "source"), "id"));
  reply_clear(&rep);
  data = json_object_get(ok(h_data_notes_list, NULL, both, &rep), "data");
  ck_assert_uint_eq(1, json_array_size(data));
  ck_assert_int_eq(2, num(at(data, 0), "id"));
  reply_clear(&rep);
  data = json_object_get(ok(h_data_notes_list, NULL, nobody, &rep), "data");
  ck_assert_uint_eq(0, json_array_size(data));
  reply_clear(&rep);
}
END_TEST

/* The accepted kinds must be exactly the ones the schema's CHECK allows. */
START_TEST(defect_kinds_match_the_schema)
{
  const char *q[] = { "defect=other", NULL };
  struct reply rep;

  for (size_t i = 0; NULL != db_defect_kinds[i]; i++) {
    char sql[256];

    snprintf(sql, sizeof sql, "INSERT INTO data_notes (source_id, section, defect, found, action)"
             " VALUES (1, 's', '%s', 'f', 'a')", db_defect_kinds[i]);
    scratch_db_exec(&sd, sql);
  }
  ck_assert_int_eq(-1, scratch_db_try_exec(&sd,
    "INSERT INTO data_notes (source_id, section, defect, found, action)"
    " VALUES (1, 's', 'typo', 'f', 'a')"));
  /* 5 seeded notes of kind "other" plus the one just added */
  ck_assert_int_eq(6, num(json_object_get(ok(h_data_notes_list, NULL, q, &rep), "meta"), "total"));
  reply_clear(&rep);
}
END_TEST

/* ------------------------------------------------------------------------
 * Parameters
 * ---------------------------------------------------------------------- */

struct bad_case {
  handler_fn handler;
  const char *arg;
  const char *query[3];
  const char *parameter;
};

static const struct bad_case bad_cases[] = {
  { h_skills_list, NULL, { "sort=rank" }, "sort" },
  { h_skills_list, NULL, { "sort=" }, "sort" },
  { h_skills_list, NULL, { "sort=Pay" }, "sort" },
  { h_skills_list, NULL, { "order=asc" }, "order" },
  { h_skills_list, NULL, { "limit=0" }, "limit" },
  { h_skills_list, NULL, { "limit=501" }, "limit" },
  { h_skills_list, NULL, { "offset=-1" }, "offset" },
  { h_skills_list, NULL, { "offset=1000000001" }, "offset" },
  { h_skills_list, NULL, { "sort=pay", "sort=name" }, "sort" },
  { h_skills_get, "python", { "sort=pay" }, "sort" },
  { h_industries_list, NULL, { "limit=5" }, "limit" },
  { h_factors_list, NULL, { "rank=1" }, "rank" },
  { h_sources_list, NULL, { "page=1" }, "page" },
  { h_sources_get, "2", { "figures=1" }, "figures" },
  { h_salaries_list, NULL, { "kind=net" }, "kind" },
  { h_salaries_list, NULL, { "kind=" }, "kind" },
  { h_salaries_list, NULL, { "statistic=mean" }, "statistic" },
  { h_salaries_list, NULL, { "min=-1" }, "min" },
  { h_salaries_list, NULL, { "min=abc" }, "min" },
  { h_salaries_list, NULL, { "min=" }, "min" },
  { h_salaries_list, NULL, { "max=100000001" }, "max" },
  { h_salaries_list, NULL, { "max=1e6" }, "max" },
  { h_salaries_list, NULL, { "min=140000", "max=130000" }, "min" },
  { h_salaries_list, NULL, { "sort=-amount" }, "sort" },
  { h_salaries_list, NULL, { "sort=pay" }, "sort" },
  { h_salaries_list, NULL, { "order=up" }, "order" },
  { h_salaries_list, NULL, { "limit=0" }, "limit" },
  { h_salaries_list, NULL, { "offset=x" }, "offset" },
  { h_salaries_list, NULL, { "role=" }, "role" },
  { h_salaries_list, NULL, { "source=0" }, "source" },
  { h_salaries_list, NULL, { "source=abc" }, "source" },
  { h_salaries_list, NULL, { "source=" }, "source" },
  { h_salaries_list, NULL, { "source=2147483649" }, "source" },
  { h_salaries_list, NULL, { "source=1", "source=2" }, "source" },
  { h_salaries_list, NULL, { "role=machine-learning-manager", "role=cloud-architect" }, "role" },
  { h_salaries_list, NULL, { "kind=base", "kind=total" }, "kind" },
  { h_salaries_list, NULL, { "currency=USD" }, "currency" },
  { h_data_notes_list, NULL, { "defect=typo" }, "defect" },
  { h_data_notes_list, NULL, { "defect=" }, "defect" },
  { h_data_notes_list, NULL, { "source=0" }, "source" },
  { h_data_notes_list, NULL, { "source=abc" }, "source" },
  { h_data_notes_list, NULL, { "source=2147483649" }, "source" },
  { h_data_notes_list, NULL, { "source=1", "source=2" }, "source" },
  { h_data_notes_list, NULL, { "sort=id" }, "sort" },
};

START_TEST(bad_parameters_are_400_naming_the_parameter)
{
  const struct bad_case *c = &bad_cases[_i];
  struct reply rep = call(c->handler, c->arg, c->query);

  ck_assert_msg(400 == rep.status, "case %d: status %u", _i, rep.status);
  ck_assert_str_eq(CONTENT_TYPE_PROBLEM, rep.content_type);
  ck_assert_str_eq(c->parameter, str(rep.body, "parameter"));
  ck_assert_ptr_nonnull(str(rep.body, "detail"));
  reply_clear(&rep);
}
END_TEST

/* ------------------------------------------------------------------------
 * Over HTTP
 * ---------------------------------------------------------------------- */

static struct test_server ts;

static void
http_setup(void)
{
  test_server_start(&ts, 2);
}

static void
http_teardown(void)
{
  test_server_stop(&ts);
}

static json_t *
get(const char *target, int want_status)
{
  struct http_response r;
  char *ct;
  json_t *j;

  ck_assert_int_eq(0, http_request(ts.port, "GET", target, &r));
  ck_assert_msg(want_status == r.status, "%s: status %d, body %s", target, r.status, r.body);
  ct = http_header(&r, "Content-Type");
  ck_assert_ptr_nonnull(ct);
  ck_assert_str_eq(200 == want_status ? CONTENT_TYPE_JSON : CONTENT_TYPE_PROBLEM, ct);
  free(ct);
  j = http_json(&r);
  http_response_free(&r);
  return j;
}

START_TEST(http_every_endpoint_answers)
{
  json_t *j;

  j = get("/skills?sort=demand&limit=2", 200);
  ck_assert_str_eq("python", str(at(json_object_get(j, "data"), 0), "slug"));
  ck_assert_int_eq(65, num(json_object_get(j, "meta"), "total"));
  json_decref(j);
  j = get("/skills/python", 200);
  ck_assert_int_eq(1, num(at(json_object_get(json_object_get(j, "data"), "roles"), 0), "rank"));
  json_decref(j);
  j = get("/industries", 200);
  ck_assert_str_eq("information-technology", str(at(json_object_get(j, "data"), 0), "slug"));
  json_decref(j);
  j = get("/factors", 200);
  ck_assert_str_eq("location", str(at(json_object_get(j, "data"), 0), "slug"));
  json_decref(j);
  j = get("/salaries?kind=total", 200);
  ck_assert_int_eq(250000, num(at(json_object_get(j, "data"), 0), "amount"));
  json_decref(j);
  j = get("/salaries?role=machine-learning-manager&order=asc", 200);
  ck_assert_int_eq(133537, num(at(json_object_get(j, "data"), 0), "amount"));
  json_decref(j);
  j = get("/sources", 200);
  ck_assert_int_eq(2, num(json_object_get(j, "meta"), "total"));
  json_decref(j);
  j = get("/sources/2", 200);
  ck_assert_int_eq(146085, num(at(json_object_get(json_object_get(json_object_get(j, "data"),
                                                                  "figures"), "salaries"), 0),
                               "amount"));
  json_decref(j);
  j = get("/data-notes?defect=malformed_figure", 200);
  ck_assert_int_eq(1, num(json_object_get(j, "meta"), "total"));
  json_decref(j);
}
END_TEST

START_TEST(http_errors_are_problems)
{
  json_t *p;

  p = get("/skills/no-such-skill", 404);
  ck_assert_str_eq("/problems/skill-not-found", str(p, "type"));
  ck_assert_str_eq("/skills/no-such-skill", str(p, "instance"));
  json_decref(p);
  p = get("/sources/abc", 404);
  ck_assert_str_eq("/problems/not-found", str(p, "type"));
  json_decref(p);
  p = get("/sources/9", 404);
  ck_assert_str_eq("/problems/source-not-found", str(p, "type"));
  json_decref(p);
  p = get("/salaries?role=nobody", 404);
  ck_assert_str_eq("/problems/role-not-found", str(p, "type"));
  json_decref(p);
  p = get("/salaries?min=9&max=1", 400);
  ck_assert_str_eq("min", str(p, "parameter"));
  json_decref(p);
  p = get("/data-notes?defect=bogus", 400);
  ck_assert_str_eq("defect", str(p, "parameter"));
  json_decref(p);
  p = get("/industries?x=1", 400);
  ck_assert_str_eq("x", str(p, "parameter"));
  json_decref(p);
  p = get("/skills?sort=pay&sort=name", 400);
  ck_assert_str_eq("/problems/duplicate-parameter", str(p, "type"));
  json_decref(p);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("catalog");
  TCase *skills = tcase_create("skills");
  TCase *ranked = tcase_create("industries and factors");
  TCase *salaries = tcase_create("salaries");
  TCase *sources = tcase_create("sources and data notes");
  TCase *params = tcase_create("parameters");
  TCase *http = tcase_create("http");

  tcase_add_checked_fixture(skills, setup, teardown);
  tcase_add_test(skills, skills_by_demand_follow_the_published_ranks);
  tcase_add_test(skills, skill_shares_are_stated_with_qualifier_and_source);
  tcase_add_test(skills, skill_pay_and_premium_match_the_hand_computed_values);
  tcase_add_test(skills, skills_by_pay_highest_first_ties_by_name_nulls_last);
  tcase_add_test(skills, skills_by_name);
  tcase_add_test(skills, skills_paging_neither_repeats_nor_skips);
  tcase_add_test(skills, skills_offset_stops_at_ten_thousand);
  tcase_add_test(skills, a_skill_with_several_shares_stays_one_item);
  tcase_add_test(skills, no_pay_anywhere_means_null_figures);
  tcase_add_test(skills, one_skill_with_its_roles_ranked_by_pay);
  tcase_add_test(skills, one_skill_embeds_at_most_100_roles);
  tcase_add_test(skills, roles_without_pay_come_last_unranked_by_title);
  tcase_add_test(skills, equal_pay_shares_a_rank_and_the_next_one_skips);
  tcase_add_test(skills, unknown_skill_is_404);
  suite_add_tcase(s, skills);

  tcase_add_checked_fixture(ranked, setup, teardown);
  tcase_add_test(ranked, industries_in_rank_order_with_their_roles);
  tcase_add_test(ranked, an_industry_lists_at_most_100_roles);
  tcase_add_test(ranked, every_industry_link_cites_a_section_that_describes_the_role);
  tcase_add_test(ranked, factors_in_rank_order);
  suite_add_tcase(s, ranked);

  tcase_add_checked_fixture(salaries, setup, teardown);
  tcase_add_test(salaries, salaries_default_highest_first);
  tcase_add_test(salaries, salaries_total_is_the_open_ended_figure);
  tcase_add_test(salaries, salaries_filtered_by_role);
  tcase_add_test(salaries, salaries_filtered_by_source);
  tcase_add_test(salaries, salaries_filters_combine);
  tcase_add_test(salaries, salaries_ascending_and_paged);
  tcase_add_test(salaries, equal_amounts_are_ordered_by_id);
  tcase_add_test(salaries, salaries_unknown_role_is_404);
  suite_add_tcase(s, salaries);

  tcase_add_checked_fixture(sources, setup, teardown);
  tcase_add_test(sources, sources_with_their_counts);
  tcase_add_test(sources, one_source_with_every_figure_taken_from_it);
  tcase_add_test(sources, source_detail_embeds_at_most_100_salaries);
  tcase_add_test(sources, the_overview_states_no_figures);
  tcase_add_test(sources, source_ids_that_are_no_number_are_404);
  tcase_add_test(sources, unknown_source_is_404);
  tcase_add_test(sources, every_data_note);
  tcase_add_test(sources, data_notes_filtered);
  tcase_add_test(sources, defect_kinds_match_the_schema);
  suite_add_tcase(s, sources);

  tcase_add_checked_fixture(params, setup, teardown);
  tcase_add_loop_test(params, bad_parameters_are_400_naming_the_parameter, 0,
                      (int) (sizeof bad_cases / sizeof bad_cases[0]));
  suite_add_tcase(s, params);

  tcase_add_checked_fixture(http, http_setup, http_teardown);
  tcase_add_test(http, http_every_endpoint_answers);
  tcase_add_test(http, http_errors_are_problems);
  suite_add_tcase(s, http);
  return run_suite(s);
}
