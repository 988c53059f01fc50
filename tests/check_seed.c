/**
 * @file tests/check_seed.c
 * @brief The seed data matches the source documents figure for figure.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

static struct scratch_db sd;
static sqlite3 *conn;

static void
setup(void)
{
  scratch_db_create(&sd);
  ck_assert_int_eq(SQLITE_OK, sqlite3_open_v2(sd.path, &conn, SQLITE_OPEN_READONLY, NULL));
}

static void
teardown(void)
{
  sqlite3_close(conn);
  scratch_db_remove(&sd);
}

static long long
scalar(const char *query, const char *bind)
{
  sqlite3_stmt *st;
  long long v = -1;

  ck_assert_msg(SQLITE_OK == sqlite3_prepare_v2(conn, query, -1, &st, NULL), "%s", sqlite3_errmsg(conn));
  if (NULL != bind)
    sqlite3_bind_text(st, 1, bind, -1, SQLITE_STATIC);
  if (SQLITE_ROW == sqlite3_step(st))
    v = SQLITE_NULL == sqlite3_column_type(st, 0) ? -2 : sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Joins a one-column query into "a,b,c". */
static void
column_list(const char *query, char *out, size_t size)
{
  sqlite3_stmt *st;

  out[0] = '\0';
  ck_assert_msg(SQLITE_OK == sqlite3_prepare_v2(conn, query, -1, &st, NULL), "%s", sqlite3_errmsg(conn));
  while (SQLITE_ROW == sqlite3_step(st)) {
    if ('\0' != out[0])
      strncat(out, ",", size - strlen(out) - 1);
    strncat(out, (const char *) sqlite3_column_text(st, 0), size - strlen(out) - 1);
  }
  sqlite3_finalize(st);
}

START_TEST(pay_ranking_of_the_article)
{
  char list[1024];

  column_list("SELECT slug || '=' || pay_usd FROM roles WHERE pay_usd IS NOT NULL"
              " ORDER BY pay_usd DESC", list, sizeof list);
  ck_assert_str_eq("machine-learning-engineer=146085,machine-learning-architect=140245,"
                   "ai-research-scientist=136245,data-science-manager=135091,"
                   "machine-learning-manager=133537", list);
}
END_TEST

START_TEST(malformed_figure_taken_from_clean_statement)
{
  /* The list prints "$133,alpha"; the section heading states $133,537. */
  ck_assert_int_eq(133537, scalar("SELECT amount_usd FROM salaries s JOIN roles r ON r.id = s.role_id"
                                  " WHERE r.slug = 'machine-learning-manager' AND kind = 'base'", NULL));
  ck_assert_int_eq(1, scalar("SELECT count(*) FROM salaries s JOIN roles r ON r.id = s.role_id"
                             " WHERE r.slug = 'machine-learning-manager'"
                             " AND section LIKE '%133,537%' AND note LIKE '%alpha%'", NULL));
  ck_assert_int_eq(1, scalar("SELECT count(*) FROM data_notes WHERE defect = 'malformed_figure'"
                             " AND found LIKE '%133,alpha%'", NULL));
  /* no other amount was made up from the malformed text */
  ck_assert_int_eq(0, scalar("SELECT count(*) FROM salaries WHERE amount_usd BETWEEN 133000 AND 133999"
                             " AND amount_usd <> 133537", NULL));
}
END_TEST

START_TEST(every_role_of_both_documents)
{
  static const char *const slugs[] = {
    "machine-learning-engineer", "machine-learning-architect", "ai-research-scientist",
    "data-science-manager", "machine-learning-manager", "cloud-architect",
    "cybersecurity-leader", "software-engineer-elite-tech", "data-science-leader",
    "blockchain-developer", "devops-engineer", "platform-engineer",
    "technical-product-manager", "quantitative-developer-researcher", "sales-engineer",
    "technology-founder", "quantum-software-developer", "ar-vr-engineer",
    "edge-computing-architect", "autonomous-systems-engineer", "ai-safety-researcher",
  };

  for (size_t i = 0; i < sizeof slugs / sizeof slugs[0]; i++)
    ck_assert_msg(1 == scalar("SELECT count(*) FROM roles WHERE slug = ?1 AND length(summary) > 40"
                              " AND length(category) > 0", slugs[i]),
                  "role %s missing or without summary", slugs[i]);
  ck_assert_int_eq((long long) (sizeof slugs / sizeof slugs[0]), scalar("SELECT count(*) FROM roles", NULL));
  /* ML engineering is one role described by both documents */
  ck_assert_int_eq(2, scalar("SELECT count(DISTINCT source_id) FROM role_mentions m JOIN roles r"
                             " ON r.id = m.role_id WHERE r.slug = 'machine-learning-engineer'", NULL));
  ck_assert_int_eq(0, scalar("SELECT count(*) FROM roles r WHERE NOT EXISTS"
                             " (SELECT 1 FROM role_mentions m WHERE m.role_id = r.id)", NULL));
  /* the overview states no figures: its roles have no pay rather than a guess */
  ck_assert_int_eq(16, scalar("SELECT count(*) FROM roles WHERE pay_usd IS NULL", NULL));
}
END_TEST

START_TEST(other_salary_figures)
{
  ck_assert_int_eq(1, scalar("SELECT count(*) FROM salaries s JOIN roles r ON r.id = s.role_id"
                             " WHERE r.slug = 'machine-learning-engineer' AND amount_usd = 250000"
                             " AND kind = 'total' AND bound = 'at_least' AND scope LIKE '%enior%'", NULL));
  ck_assert_int_eq(1, scalar("SELECT count(*) FROM salaries WHERE role_id IS NULL"
                             " AND subject LIKE '%doctors%lawyers%' AND amount_usd = 100000"
                             " AND bound = 'below'", NULL));
  ck_assert_int_eq(5, scalar("SELECT count(*) FROM salaries WHERE kind = 'base' AND statistic = 'average'"
                             " AND bound = 'exact' AND year = 2024 AND source_id = 2", NULL));
  /* bounds never feed pay: the ML engineer's pay is its base average alone */
  ck_assert_int_eq(146085, scalar("SELECT pay_usd FROM roles WHERE slug = 'machine-learning-engineer'", NULL));
}
END_TEST

START_TEST(skill_ranks_as_published)
{
  char list[1024];

  column_list("SELECT demand_rank || ':' || name FROM skills WHERE demand_rank IS NOT NULL"
              " ORDER BY demand_rank", list, sizeof list);
  ck_assert_str_eq("1:Python,2:TensorFlow,3:SQL,4:AWS/Cloud,5:PyTorch,6:Linux,7:Spark,"
                   "8:Kubernetes,10:Java,11:C/C++,12:Azure/Google Cloud,13:Statistics,"
                   "14:AI Modeling,15:AI Infrastructure/MLOps,16:Jupyter Notebooks,17:Excel", list);
  ck_assert_int_eq(1, scalar("SELECT count(*) FROM data_notes WHERE defect = 'missing_rank'", NULL));
}
END_TEST

START_TEST(stated_shares)
{
  ck_assert_int_eq(41, scalar("SELECT percent FROM skill_shares x JOIN skills k ON k.id = x.skill_id"
                              " WHERE k.slug = 'aws-cloud' AND metric = 'listing_share'", NULL));
  ck_assert_int_eq(90, scalar("SELECT percent FROM skill_shares x JOIN skills k ON k.id = x.skill_id"
                              " WHERE k.slug = 'python' AND metric = 'usage_share' AND qualifier = 'nearly'",
                              NULL));
}
END_TEST

START_TEST(role_skills_where_stated)
{
  ck_assert_int_eq(1, scalar("SELECT count(*) FROM role_skills rs JOIN roles r ON r.id = rs.role_id"
                             " JOIN skills k ON k.id = rs.skill_id"
                             " WHERE r.slug = 'machine-learning-engineer' AND k.slug = 'tensorflow'", NULL));
  ck_assert_int_eq(1, scalar("SELECT count(*) FROM role_skills rs JOIN roles r ON r.id = rs.role_id"
                             " JOIN skills k ON k.id = rs.skill_id"
                             " WHERE r.slug = 'ai-research-scientist' AND k.slug = 'linux'", NULL));
}
END_TEST

START_TEST(industries_and_factors_ranked)
{
  char list[512];

  column_list("SELECT name FROM industries ORDER BY rank", list, sizeof list);
  ck_assert_str_eq("Information Technology,Finance,Healthcare,Automotive,Government", list);
  column_list("SELECT name FROM factors ORDER BY rank", list, sizeof list);
  ck_assert_str_eq("Location,Education,Experience,Industry,Company Stage", list);
}
END_TEST

START_TEST(sources_and_provenance)
{
  ck_assert_int_eq(2, scalar("SELECT count(*) FROM sources", NULL));
  ck_assert_int_eq(2024, scalar("SELECT year FROM sources WHERE kind = 'article'", NULL));
  ck_assert_int_eq(-2, scalar("SELECT year FROM sources WHERE kind = 'overview'", NULL));
  ck_assert_int_eq(0, scalar("SELECT count(*) FROM salaries WHERE length(section) = 0", NULL));
  ck_assert_int_ge(scalar("SELECT count(*) FROM data_notes", NULL), 5);
  ck_assert_int_eq(1, scalar("SELECT count(*) FROM data_notes WHERE found LIKE '%sites like and Glassdoor%'", NULL));
  ck_assert_int_eq(58000000, scalar("SELECT value FROM facts WHERE year = 2025", NULL));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("seed");
  TCase *tc = tcase_create("seed");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, pay_ranking_of_the_article);
  tcase_add_test(tc, malformed_figure_taken_from_clean_statement);
  tcase_add_test(tc, every_role_of_both_documents);
  tcase_add_test(tc, other_salary_figures);
  tcase_add_test(tc, skill_ranks_as_published);
  tcase_add_test(tc, stated_shares);
  tcase_add_test(tc, role_skills_where_stated);
  tcase_add_test(tc, industries_and_factors_ranked);
  tcase_add_test(tc, sources_and_provenance);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
