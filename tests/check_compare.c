/**
 * @file tests/check_compare.c
 * @brief GET /compare and GET /transitions: figures, ranks and skill sets
 *        checked against the seed data, parameter errors, and both
 *        endpoints once over real HTTP.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <strings.h>

#include "handlers/handlers.h"
#include "handlers/role_compare.h"
#include "http/router.h"
#include "tests/harness.h"

#define MLE "machine-learning-engineer"
#define ARS "ai-research-scientist"
#define DSM "data-science-manager"

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
call(handler_fn h, const char *const query[])
{
  struct reply rep;

  handler_call(db, h, NULL, query, &rep);
  return rep;
}

/* GET /compare?roles=@a roles, expecting 200; returns the reply. */
static struct reply
compare(const char *roles)
{
  char q[1024];
  const char *query[] = { q, NULL };
  struct reply rep;

  snprintf(q, sizeof q, "roles=%s", roles);
  rep = call(h_compare_get, query);
  ck_assert_msg(200 == rep.status, "roles=%s: status %u", roles, rep.status);
  return rep;
}

static struct reply
transition(const char *from, const char *to)
{
  char f[256];
  char t[256];
  const char *query[] = { f, t, NULL };
  struct reply rep;

  snprintf(f, sizeof f, "from=%s", from);
  snprintf(t, sizeof t, "to=%s", to);
  rep = call(h_transitions_get, query);
  ck_assert_msg(200 == rep.status, "%s -> %s: status %u", from, to, rep.status);
  return rep;
}

static json_t *
data_of(const struct reply *rep)
{
  return json_object_get(rep->body, "data");
}

static json_t *
role_at(const struct reply *rep, size_t i)
{
  return json_array_get(json_object_get(data_of(rep), "roles"), i);
}

static const char *
str(const json_t *obj, const char *key)
{
  return json_string_value(json_object_get(obj, key));
}

static const char *
slug_at(const json_t *list, size_t i)
{
  return str(json_array_get(list, i), "slug");
}

static bool
has_skill(const json_t *list, const char *slug)
{
  for (size_t i = 0; i < json_array_size(list); i++)
    if (0 == strcmp(slug_at(list, i), slug))
      return true;
  return false;
}

/* Ranked skills first, ascending; then unranked ones by name. */
static void
assert_demand_order(const json_t *list)
{
  for (size_t i = 1; i < json_array_size(list); i++) {
    json_t *a = json_object_get(json_array_get(list, i - 1), "demand_rank");
    json_t *b = json_object_get(json_array_get(list, i), "demand_rank");
    const char *na = str(json_array_get(list, i - 1), "name");
    const char *nb = str(json_array_get(list, i), "name");

    ck_assert_msg(!(json_is_null(a) && !json_is_null(b)), "unranked %s before ranked %s", na, nb);
    if (!json_is_null(a) && !json_is_null(b))
      ck_assert_int_lt(json_integer_value(a), json_integer_value(b));
    if (json_is_null(a) && json_is_null(b))
      ck_assert_msg(strcasecmp(na, nb) <= 0, "%s before %s", na, nb);
  }
}

static void
assert_problem(const struct reply *rep, unsigned status, const char *type, const char *param)
{
  ck_assert_uint_eq(status, rep->status);
  ck_assert_str_eq(CONTENT_TYPE_PROBLEM, rep->content_type);
  ck_assert_str_eq(type, str(rep->body, "type"));
  if (NULL != param)
    ck_assert_str_eq(param, str(rep->body, "parameter"));
}

static void
assert_difference(const json_t *diff, json_int_t usd, double percent)
{
  ck_assert_int_eq(usd, json_integer_value(json_object_get(diff, "usd")));
  ck_assert(json_is_real(json_object_get(diff, "percent")));
  ck_assert_double_eq_tol(percent, json_real_value(json_object_get(diff, "percent")), 1e-9);
}

static void
assert_null_difference(const json_t *diff)
{
  ck_assert_ptr_nonnull(diff);
  ck_assert(json_is_null(json_object_get(diff, "usd")));
  ck_assert(json_is_null(json_object_get(diff, "percent")));
}

/* ------------------------------------------------------------------ compare */

START_TEST(two_roles_pay_difference_and_ranks)
{
  struct reply rep = compare(MLE "," ARS);
  json_t *base = role_at(&rep, 0);
  json_t *other = role_at(&rep, 1);

  ck_assert_str_eq(MLE, str(data_of(&rep), "baseline"));
  ck_assert_uint_eq(2, json_array_size(json_object_get(data_of(&rep), "roles")));
  ck_assert_str_eq(MLE, str(base, "slug"));
  ck_assert_str_eq("Machine Learning Engineer", str(base, "title"));
  ck_assert_int_eq(146085, json_integer_value(json_object_get(base, "pay")));
  ck_assert_int_eq(1, json_integer_value(json_object_get(base, "rank")));
  ck_assert_ptr_null(json_object_get(base, "difference"));
  ck_assert_str_eq(ARS, str(other, "slug"));
  ck_assert_int_eq(136245, json_integer_value(json_object_get(other, "pay")));
  ck_assert_int_eq(3, json_integer_value(json_object_get(other, "rank")));
  assert_difference(json_object_get(other, "difference"), -9840, -6.7);
  ck_assert_int_eq(5, json_integer_value(json_object_get(json_object_get(rep.body, "meta"),
                                                         "ranked_roles")));
  reply_clear(&rep);
}
END_TEST

START_TEST(baseline_is_the_first_given_not_the_best_paid)
{
  struct reply rep = compare(ARS "," MLE);

  ck_assert_str_eq(ARS, str(data_of(&rep), "baseline"));
  ck_assert_str_eq(ARS, str(role_at(&rep, 0), "slug"));
  ck_assert_str_eq(MLE, str(role_at(&rep, 1), "slug"));
  ck_assert_ptr_null(json_object_get(role_at(&rep, 0), "difference"));
  /* 9840 / 136245 = 7.22% */
  assert_difference(json_object_get(role_at(&rep, 1), "difference"), 9840, 7.2);
  reply_clear(&rep);
}
END_TEST

START_TEST(total_pay_is_the_highest_total_figure_with_its_bound)
{
  struct reply rep = compare(MLE "," ARS);
  json_t *total = json_object_get(role_at(&rep, 0), "total_pay");

  ck_assert(json_is_object(total));
  ck_assert_int_eq(250000, json_integer_value(json_object_get(total, "amount")));
  ck_assert_str_eq("at_least", str(total, "bound"));
  ck_assert_str_eq("minimum", str(total, "statistic"));
  ck_assert_str_eq("USD", str(total, "currency"));
  ck_assert_ptr_nonnull(strstr(str(total, "scope"), "Senior machine learning engineers"));
  ck_assert_int_eq(2024, json_integer_value(json_object_get(total, "year")));
  ck_assert_str_eq("highest-paying-ml-jobs-2024", str(json_object_get(total, "source"), "slug"));
  ck_assert(json_is_null(json_object_get(role_at(&rep, 1), "total_pay")));
  reply_clear(&rep);
}
END_TEST

static void
exec_sql(const char *sql)
{
  scratch_db_exec(&sd, sql);
}

START_TEST(total_pay_picks_the_highest_of_several_figures)
{
  struct reply rep;
  json_t *total;

  exec_sql("INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound, source_id, section)"
           " SELECT id, 200000, 'total', 'average', 'exact', 2, 'test' FROM roles"
           " WHERE slug IN ('machine-learning-engineer', 'ai-research-scientist');"
           "INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound, source_id, section)"
           " SELECT id, 210000, 'total', 'median', 'exact', 2, 'test' FROM roles"
           " WHERE slug = 'ai-research-scientist'");
  rep = compare(MLE "," ARS);
  total = json_object_get(role_at(&rep, 0), "total_pay");
  ck_assert_int_eq(250000, json_integer_value(json_object_get(total, "amount")));
  ck_assert_str_eq("at_least", str(total, "bound"));
  total = json_object_get(role_at(&rep, 1), "total_pay");
  ck_assert_int_eq(210000, json_integer_value(json_object_get(total, "amount")));
  ck_assert_str_eq("exact", str(total, "bound"));
  ck_assert_str_eq("median", str(total, "statistic"));
  ck_assert(json_is_null(json_object_get(total, "scope")));
  /* total figures never feed base pay */
  ck_assert_int_eq(136245, json_integer_value(json_object_get(role_at(&rep, 1), "pay")));
  reply_clear(&rep);
}
END_TEST

START_TEST(role_without_pay_has_null_rank_and_difference)
{
  struct reply rep = compare(MLE ",cloud-architect");
  json_t *cloud = role_at(&rep, 1);

  ck_assert(json_is_null(json_object_get(cloud, "pay")));
  ck_assert(json_is_null(json_object_get(cloud, "rank")));
  ck_assert(json_is_null(json_object_get(cloud, "total_pay")));
  assert_null_difference(json_object_get(cloud, "difference"));
  reply_clear(&rep);
}
END_TEST

START_TEST(baseline_without_pay_gives_null_differences)
{
  struct reply rep = compare("cloud-architect," MLE "," ARS);

  assert_null_difference(json_object_get(role_at(&rep, 1), "difference"));
  assert_null_difference(json_object_get(role_at(&rep, 2), "difference"));
  ck_assert_int_eq(1, json_integer_value(json_object_get(role_at(&rep, 1), "rank")));
  reply_clear(&rep);
}
END_TEST

START_TEST(shared_and_unique_skills_of_two_roles)
{
  struct reply rep = compare(MLE "," ARS);
  json_t *shared = json_object_get(data_of(&rep), "shared_skills");
  json_t *unique = json_object_get(data_of(&rep), "unique_skills");
  json_t *u_mle = json_object_get(unique, MLE);
  json_t *u_ars = json_object_get(unique, ARS);

  /* both need python (demand rank 1) and computer science fundamentals */
  ck_assert_uint_eq(2, json_array_size(shared));
  ck_assert_str_eq("python", slug_at(shared, 0));
  ck_assert_str_eq("computer-science", slug_at(shared, 1));
  ck_assert_int_eq(1, json_integer_value(json_object_get(json_array_get(shared, 0), "demand_rank")));
  ck_assert_uint_eq(2, json_object_size(unique));
  ck_assert_uint_eq(10, json_array_size(u_mle));
  ck_assert_str_eq("tensorflow", slug_at(u_mle, 0));
  ck_assert_str_eq("ai-infrastructure-mlops", slug_at(u_mle, 1));
  ck_assert_str_eq("algorithms-data-structures", slug_at(u_mle, 2));
  ck_assert_uint_eq(3, json_array_size(u_ars));
  ck_assert_str_eq("linux", slug_at(u_ars, 0));
  ck_assert_str_eq("applied-mathematics", slug_at(u_ars, 1));
  ck_assert_str_eq("research-writing-presenting", slug_at(u_ars, 2));
  ck_assert(!has_skill(u_mle, "python") && !has_skill(u_ars, "python"));
  assert_demand_order(u_mle);
  reply_clear(&rep);
}
END_TEST

START_TEST(each_role_lists_its_skills_in_demand_order)
{
  struct reply rep = compare(MLE "," ARS);
  json_t *skills = json_object_get(role_at(&rep, 0), "skills");
  json_t *first = json_array_get(skills, 0);

  ck_assert_uint_eq(12, json_array_size(skills));
  ck_assert_str_eq("python", str(first, "slug"));
  ck_assert_str_eq("Python", str(first, "name"));
  ck_assert_int_eq(1, json_integer_value(json_object_get(first, "demand_rank")));
  ck_assert_str_eq("software-engineering", slug_at(skills, 11));
  ck_assert(json_is_null(json_object_get(json_array_get(skills, 11), "demand_rank")));
  assert_demand_order(skills);
  ck_assert_uint_eq(5, json_array_size(json_object_get(role_at(&rep, 1), "skills")));
  reply_clear(&rep);
}
END_TEST

START_TEST(shared_skills_of_three_roles)
{
  struct reply rep = compare(DSM ",machine-learning-manager,machine-learning-architect");
  json_t *shared = json_object_get(data_of(&rep), "shared_skills");
  json_t *unique = json_object_get(data_of(&rep), "unique_skills");

  ck_assert_uint_eq(2, json_array_size(shared));
  ck_assert_str_eq("communication", slug_at(shared, 0));
  ck_assert_str_eq("strategic-planning", slug_at(shared, 1));
  /* people management is needed by two of the three: neither shared nor unique */
  ck_assert(!has_skill(json_object_get(unique, DSM), "people-management"));
  ck_assert(!has_skill(json_object_get(unique, "machine-learning-manager"), "people-management"));
  ck_assert_uint_eq(2, json_array_size(json_object_get(unique, DSM)));
  ck_assert_str_eq("budgeting", slug_at(json_object_get(unique, DSM), 0));
  ck_assert_str_eq("solution-architecture", slug_at(json_object_get(unique, DSM), 1));
  ck_assert_str_eq("leadership", slug_at(json_object_get(unique, "machine-learning-manager"), 0));
  ck_assert_str_eq("data-pipelines", slug_at(json_object_get(unique, "machine-learning-architect"), 0));
  /* differences are against the first role, not between neighbours */
  assert_difference(json_object_get(role_at(&rep, 1), "difference"), 133537 - 135091, -1.2);
  assert_difference(json_object_get(role_at(&rep, 2), "difference"), 140245 - 135091, 3.8);
  reply_clear(&rep);
}
END_TEST

START_TEST(ranks_are_overall_and_ties_share_a_place)
{
  struct reply rep;

  /* give cloud-architect exactly the pay of the machine learning architect (rank 2) */
  exec_sql("INSERT INTO salaries (role_id, amount_usd, kind, statistic, source_id, section)"
           " SELECT id, 140245, 'base', 'average', 1, 'test' FROM roles WHERE slug = 'cloud-architect'");
  rep = compare(ARS ",cloud-architect,machine-learning-architect," MLE);
  ck_assert_int_eq(4, json_integer_value(json_object_get(role_at(&rep, 0), "rank")));
  ck_assert_int_eq(2, json_integer_value(json_object_get(role_at(&rep, 1), "rank")));
  ck_assert_int_eq(2, json_integer_value(json_object_get(role_at(&rep, 2), "rank")));
  ck_assert_int_eq(1, json_integer_value(json_object_get(role_at(&rep, 3), "rank")));
  ck_assert_int_eq(6, json_integer_value(json_object_get(json_object_get(rep.body, "meta"),
                                                         "ranked_roles")));
  reply_clear(&rep);
}
END_TEST

START_TEST(ten_roles_are_compared)
{
  struct reply rep = compare(MLE "," ARS "," DSM ",machine-learning-manager,"
                             "machine-learning-architect,cloud-architect,devops-engineer,"
                             "platform-engineer,sales-engineer,technology-founder");
  json_t *roles = json_object_get(data_of(&rep), "roles");

  ck_assert_uint_eq(10, json_array_size(roles));
  ck_assert_str_eq("technology-founder", slug_at(roles, 9));
  ck_assert_uint_eq(10, json_object_size(json_object_get(data_of(&rep), "unique_skills")));
  ck_assert_uint_eq(0, json_array_size(json_object_get(data_of(&rep), "shared_skills")));
  reply_clear(&rep);
}
END_TEST

static const char *const bad_roles[] = {
  "roles=" MLE,
  "roles=",
  "roles=" MLE ",," ARS,
  "roles=," MLE "," ARS,
  "roles=" MLE "," ARS ",",
  "roles=" MLE "," ARS "," DSM ",machine-learning-manager,machine-learning-architect,"
  "cloud-architect,devops-engineer,platform-engineer,sales-engineer,technology-founder,"
  "ar-vr-engineer",
};

START_TEST(bad_role_lists_are_400_naming_roles)
{
  const char *q[] = { bad_roles[_i], NULL };
  struct reply rep = call(h_compare_get, q);

  assert_problem(&rep, 400, "/problems/invalid-parameter", "roles");
  reply_clear(&rep);
}
END_TEST

START_TEST(missing_roles_is_400)
{
  struct reply rep = call(h_compare_get, NULL);

  assert_problem(&rep, 400, "/problems/invalid-parameter", "roles");
  ck_assert_ptr_nonnull(strstr(str(rep.body, "detail"), "roles"));
  reply_clear(&rep);
}
END_TEST

START_TEST(duplicate_role_is_400_naming_it)
{
  const char *q[] = { "roles=" MLE "," ARS "," MLE, NULL };
  struct reply rep = call(h_compare_get, q);

  assert_problem(&rep, 400, "/problems/invalid-parameter", "roles");
  ck_assert_ptr_nonnull(strstr(str(rep.body, "detail"), "'" MLE "'"));
  reply_clear(&rep);
}
END_TEST

START_TEST(unknown_role_is_404_naming_it)
{
  static const char *const unknown[] = { "no-such-role", "' OR 1=1 --", "Machine-Learning-Engineer" };

  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
    char q[256];
    char want[128];
    const char *query[] = { q, NULL };
    struct reply rep;

    snprintf(q, sizeof q, "roles=%s,%s", MLE, unknown[i]);
    snprintf(want, sizeof want, "'%s'", unknown[i]);
    rep = call(h_compare_get, query);
    assert_problem(&rep, 404, "/problems/role-not-found", NULL);
    ck_assert_msg(NULL != strstr(str(rep.body, "detail"), want), "%s", str(rep.body, "detail"));
    reply_clear(&rep);
  }
}
END_TEST

START_TEST(repeated_and_unknown_parameters_are_400)
{
  const char *repeated[] = { "roles=" MLE "," ARS, "roles=" DSM "," ARS, NULL };
  const char *unknown[] = { "roles=" MLE "," ARS, "sort=pay", NULL };
  struct reply rep = call(h_compare_get, repeated);

  assert_problem(&rep, 400, "/problems/duplicate-parameter", "roles");
  reply_clear(&rep);
  rep = call(h_compare_get, unknown);
  assert_problem(&rep, 400, "/problems/unknown-parameter", "sort");
  reply_clear(&rep);
}
END_TEST

/* -------------------------------------------------------------- transitions */

START_TEST(transition_pay_and_skills)
{
  struct reply rep = transition(DSM, MLE);
  json_t *data = data_of(&rep);
  json_t *learn = json_object_get(data, "skills_to_learn");
  json_t *drop = json_object_get(data, "skills_not_needed");

  ck_assert_str_eq(DSM, str(json_object_get(data, "from"), "slug"));
  ck_assert_str_eq(MLE, str(json_object_get(data, "to"), "slug"));
  ck_assert_int_eq(4, json_integer_value(json_object_get(json_object_get(data, "from"), "rank")));
  ck_assert_int_eq(1, json_integer_value(json_object_get(json_object_get(data, "to"), "rank")));
  /* 10994 / 135091 = 8.14% */
  assert_difference(json_object_get(data, "pay_difference"), 10994, 8.1);
  ck_assert_uint_eq(12, json_array_size(learn));
  ck_assert_str_eq("python", slug_at(learn, 0));
  ck_assert_str_eq("tensorflow", slug_at(learn, 1));
  ck_assert_str_eq("ai-infrastructure-mlops", slug_at(learn, 2));
  assert_demand_order(learn);
  ck_assert_uint_eq(5, json_array_size(drop));
  ck_assert_str_eq("budgeting", slug_at(drop, 0));
  ck_assert(has_skill(drop, "communication"));
  ck_assert_uint_eq(0, json_array_size(json_object_get(data, "shared_skills")));
  ck_assert_str_eq("at_least", str(json_object_get(json_object_get(data, "to"), "total_pay"), "bound"));
  reply_clear(&rep);
}
END_TEST

START_TEST(transition_partitions_the_skills)
{
  struct reply rep = transition(MLE, ARS);
  json_t *data = data_of(&rep);
  json_t *learn = json_object_get(data, "skills_to_learn");
  json_t *drop = json_object_get(data, "skills_not_needed");
  json_t *shared = json_object_get(data, "shared_skills");

  ck_assert_uint_eq(2, json_array_size(shared));
  ck_assert_str_eq("python", slug_at(shared, 0));
  ck_assert_str_eq("computer-science", slug_at(shared, 1));
  ck_assert_uint_eq(3, json_array_size(learn));
  ck_assert_str_eq("linux", slug_at(learn, 0));
  ck_assert_uint_eq(10, json_array_size(drop));
  ck_assert(!has_skill(learn, "python") && !has_skill(drop, "python"));
  assert_difference(json_object_get(data, "pay_difference"), -9840, -6.7);
  reply_clear(&rep);
}
END_TEST

START_TEST(transition_to_a_role_without_pay)
{
  struct reply rep = transition(MLE, "cloud-architect");
  json_t *data = data_of(&rep);

  assert_null_difference(json_object_get(data, "pay_difference"));
  ck_assert(json_is_null(json_object_get(json_object_get(data, "to"), "rank")));
  ck_assert_str_eq("aws-cloud", slug_at(json_object_get(data, "skills_to_learn"), 0));
  reply_clear(&rep);
}
END_TEST

static const char *const bad_transitions[][3] = {
  /* first parameter, second parameter, the parameter the problem names */
  { "from=" MLE, "to=" MLE, "to" },
  { "to=" MLE, NULL, "from" },
  { "from=" MLE, NULL, "to" },
  { "from=", "to=" MLE, "from" },
  { "from=" MLE, "to=", "to" },
};

START_TEST(bad_transitions_are_400)
{
  const char *q[] = { bad_transitions[_i][0], bad_transitions[_i][1], NULL };
  struct reply rep = call(h_transitions_get, q);

  assert_problem(&rep, 400, "/problems/invalid-parameter", bad_transitions[_i][2]);
  reply_clear(&rep);
}
END_TEST

START_TEST(transition_parameter_errors)
{
  const char *unknown_role[] = { "from=" MLE, "to=no-such-role", NULL };
  const char *unknown_param[] = { "from=" MLE, "to=" ARS, "roles=x", NULL };
  const char *repeated[] = { "from=" MLE, "from=" DSM, "to=" ARS, NULL };
  struct reply rep = call(h_transitions_get, unknown_role);

  assert_problem(&rep, 404, "/problems/role-not-found", "to");
  ck_assert_ptr_nonnull(strstr(str(rep.body, "detail"), "'no-such-role'"));
  reply_clear(&rep);
  rep = call(h_transitions_get, unknown_param);
  assert_problem(&rep, 400, "/problems/unknown-parameter", "roles");
  reply_clear(&rep);
  rep = call(h_transitions_get, repeated);
  assert_problem(&rep, 400, "/problems/duplicate-parameter", "from");
  reply_clear(&rep);
}
END_TEST

/* ------------------------------------------------------------------ helpers */

START_TEST(percent_rounds_half_away_from_zero)
{
  ck_assert_int_eq(-67, percent_tenths(-9840, 146085));
  ck_assert_int_eq(81, percent_tenths(10994, 135091));
  ck_assert_int_eq(1, percent_tenths(1, 2000));   /* 0.05% */
  ck_assert_int_eq(-1, percent_tenths(-1, 2000));
  ck_assert_int_eq(0, percent_tenths(1, 2001));   /* just under 0.05% */
  ck_assert_int_eq(0, percent_tenths(0, 100));
  ck_assert_int_eq(1000, percent_tenths(100, 100));
}
END_TEST

/* --------------------------------------------------------------------- HTTP */

static json_t *
http_get(uint16_t port, const char *target, int want_status)
{
  struct http_response r;
  json_t *j;

  ck_assert_int_eq(0, http_request(port, "GET", target, &r));
  ck_assert_msg(want_status == r.status, "%s: status %d, body %s", target, r.status, r.body);
  j = http_json(&r);
  http_response_free(&r);
  return j;
}

START_TEST(over_http)
{
  struct test_server ts;
  json_t *j;

  test_server_start(&ts, 1);
  /* the comma may arrive percent-encoded */
  j = http_get(ts.port, "/compare?roles=" MLE "%2C" ARS, 200);
  assert_difference(json_object_get(json_array_get(json_object_get(json_object_get(j, "data"),
                                                                   "roles"), 1), "difference"),
                    -9840, -6.7);
  json_decref(j);
  j = http_get(ts.port, "/transitions?from=" DSM "&to=" MLE, 200);
  assert_difference(json_object_get(json_object_get(j, "data"), "pay_difference"), 10994, 8.1);
  json_decref(j);
  j = http_get(ts.port, "/compare?roles=" MLE ",nope", 404);
  ck_assert_ptr_nonnull(strstr(str(j, "detail"), "'nope'"));
  json_decref(j);
  j = http_get(ts.port, "/compare?roles=" MLE "," ARS "&roles=" DSM "," ARS, 400);
  ck_assert_str_eq("roles", str(j, "parameter"));
  json_decref(j);
  j = http_get(ts.port, "/transitions?from=" MLE "&to=" MLE, 400);
  ck_assert_str_eq("to", str(j, "parameter"));
  json_decref(j);
  test_server_stop(&ts);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("compare");
  TCase *tc = tcase_create("compare");
  TCase *http = tcase_create("http");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, two_roles_pay_difference_and_ranks);
  tcase_add_test(tc, baseline_is_the_first_given_not_the_best_paid);
  tcase_add_test(tc, total_pay_is_the_highest_total_figure_with_its_bound);
  tcase_add_test(tc, total_pay_picks_the_highest_of_several_figures);
  tcase_add_test(tc, role_without_pay_has_null_rank_and_difference);
  tcase_add_test(tc, baseline_without_pay_gives_null_differences);
  tcase_add_test(tc, shared_and_unique_skills_of_two_roles);
  tcase_add_test(tc, each_role_lists_its_skills_in_demand_order);
  tcase_add_test(tc, shared_skills_of_three_roles);
  tcase_add_test(tc, ranks_are_overall_and_ties_share_a_place);
  tcase_add_test(tc, ten_roles_are_compared);
  tcase_add_loop_test(tc, bad_role_lists_are_400_naming_roles, 0,
                      (int) (sizeof bad_roles / sizeof bad_roles[0]));
  tcase_add_test(tc, missing_roles_is_400);
  tcase_add_test(tc, duplicate_role_is_400_naming_it);
  tcase_add_test(tc, unknown_role_is_404_naming_it);
  tcase_add_test(tc, repeated_and_unknown_parameters_are_400);
  tcase_add_test(tc, transition_pay_and_skills);
  tcase_add_test(tc, transition_partitions_the_skills);
  tcase_add_test(tc, transition_to_a_role_without_pay);
  tcase_add_loop_test(tc, bad_transitions_are_400, 0,
                      (int) (sizeof bad_transitions / sizeof bad_transitions[0]));
  tcase_add_test(tc, transition_parameter_errors);
  tcase_add_test(tc, percent_rounds_half_away_from_zero);
  suite_add_tcase(s, tc);
  tcase_add_test(http, over_http);
  suite_add_tcase(s, http);
  return run_suite(s);
}
