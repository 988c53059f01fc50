/**
 * @file tests/check_pay.c
 * @brief GET /pay, /pay/standing and /factors/{slug} against an
 *        independent computation: random individual reports with random
 *        factors are written straight into the database, read back from
 *        it with SQLite (not through the server), and every figure of
 *        random filter combinations, groups, facets and standings is
 *        computed here and compared with the server's answer.
 */
#include <check.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

#define REPORTS 900
#define MIN_REPORTS 5 /* the default of settings.min_reports */
#define ROUNDS 150

static struct test_server ts;

struct report {
  long long amount;
  int role;           /* index in roles[] */
  char location[8];   /* "" when not stated */
  int remote;         /* -1 when not stated */
  int experience;     /* -1 when not stated */
  const char *education;
  int industry;       /* index in industries[], -1 when not stated */
  const char *stage;
  int year;           /* 0 when not stated */
};

static const char *const roles[] = {
  "machine-learning-engineer", "machine-learning-architect", "devops-engineer",
};
#define NROLES 3
static char role_category[NROLES][64];
static long long role_id[NROLES];
static const char *const industries[] = { "finance", "automotive", "government" };
#define NINDUSTRIES 3
static long long industry_id[NINDUSTRIES];
static const char *const locations[] = { "US", "US-WA", "US-CA", "GB", "DE-BE", "DE" };
static const char *const educations[] = {
  "high_school", "associate", "bachelor", "master", "phd",
};
static const char *const stages[] = { "startup", "growth", "established" };

static struct report reports[REPORTS];
static size_t nreports;
static unsigned long long rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned) (rng % n);
}

static void
lookup_ids(void)
{
  char sql[200];

  for (int i = 0; i < NROLES; i++) {
    snprintf(sql, sizeof sql, "SELECT id FROM roles WHERE slug = '%s'", roles[i]);
    role_id[i] = scratch_db_scalar(&ts.db, sql);
    ck_assert_int_gt(role_id[i], 0);
  }
  for (int i = 0; i < NINDUSTRIES; i++) {
    snprintf(sql, sizeof sql, "SELECT id FROM industries WHERE slug = '%s'", industries[i]);
    industry_id[i] = scratch_db_scalar(&ts.db, sql);
    ck_assert_int_gt(industry_id[i], 0);
  }
}

/* Random reports, written as SQL: NULL for about one factor in six. */
static void
plant_reports(void)
{
  size_t cap = 400 * REPORTS, len = 0;
  char *sql = malloc(cap);

  len += (size_t) snprintf(sql, cap, "INSERT INTO salaries (role_id, amount_usd, kind,"
                           " statistic, bound, source_id, section, location, remote,"
                           " experience_years, education, industry_id, company_stage, year)"
                           " VALUES ");
  for (int i = 0; i < REPORTS; i++) {
    int role = (int) rnd(NROLES), loc = (int) rnd(7), remote = (int) rnd(3) - 1;
    int exp = rnd(6) ? (int) rnd(25) : -1, edu = (int) rnd(6) - 1, ind = (int) rnd(4) - 1;
    int stage = (int) rnd(4) - 1, year = rnd(3) ? 2024 + (int) rnd(2) : 0;
    /* few distinct amounts at the low end, so that ties happen */
    long long amount = rnd(4) ? 40000 + 1000LL * rnd(300) : 60000 + 5000LL * rnd(4);
    char e[16], y[12], r[12], x[12];

    snprintf(x, sizeof x, "%d", exp);
    snprintf(y, sizeof y, "%d", year);
    snprintf(r, sizeof r, "%d", remote);
    snprintf(e, sizeof e, "%lld", ind >= 0 ? industry_id[ind] : 0);
    len += (size_t) snprintf(sql + len, cap - len,
                             "%s(%lld, %lld, 'base', 'individual', 'exact', 1, 'test', %s%s%s,"
                             " %s, %s, %s%s%s, %s, %s%s%s, %s)", i ? "," : "", role_id[role],
                             amount, loc < 6 ? "'" : "", loc < 6 ? locations[loc] : "NULL",
                             loc < 6 ? "'" : "", remote < 0 ? "NULL" : r, exp < 0 ? "NULL" : x,
                             edu >= 0 ? "'" : "", edu >= 0 ? educations[edu] : "NULL",
                             edu >= 0 ? "'" : "", ind >= 0 ? e : "NULL", stage >= 0 ? "'" : "",
                             stage >= 0 ? stages[stage] : "NULL", stage >= 0 ? "'" : "",
                             year ? y : "NULL");
  }
  /* reports that must never count: published figures, bounds, total pay */
  snprintf(sql + len, cap - len, ", (%lld, 999000, 'base', 'average', 'exact', 1, 't', 'US',"
           " 1, 3, 'master', NULL, 'startup', 2025), (%lld, 998000, 'base', 'individual',"
           " 'at_least', 1, 't', 'US', 1, 3, 'master', NULL, 'startup', 2025), (%lld, 997000,"
           " 'total', 'individual', 'exact', 1, 't', 'US', 1, 3, 'master', NULL, 'startup',"
           " 2025)", role_id[0], role_id[0], role_id[0]);
  scratch_db_exec(&ts.db, sql);
  free(sql);
}

static const char *
text_or_null(sqlite3_stmt *st, int col)
{
  const unsigned char *t = sqlite3_column_text(st, col);

  return NULL == t ? NULL : (const char *) t;
}

static const char *
intern_choice(const char *const list[], size_t n, const char *v)
{
  for (size_t i = 0; NULL != v && i < n; i++)
    if (0 == strcmp(list[i], v))
      return list[i];
  return NULL;
}

/* The reports as the database holds them, read back on a connection of our own. */
static void
export_reports(void)
{
  sqlite3 *db;
  sqlite3_stmt *st;

  ck_assert_int_eq(SQLITE_OK, sqlite3_open_v2(ts.db.path, &db, SQLITE_OPEN_READONLY, NULL));
  ck_assert_int_eq(SQLITE_OK, sqlite3_prepare_v2(db,
    "SELECT s.amount_usd, r.slug, r.category, s.location, s.remote, s.experience_years,"
    " s.education, i.slug, s.company_stage, s.year FROM salaries s JOIN roles r ON"
    " r.id = s.role_id LEFT JOIN industries i ON i.id = s.industry_id WHERE"
    " s.statistic = 'individual' AND s.kind = 'base' AND s.bound = 'exact'", -1, &st, NULL));
  nreports = 0;
  while (SQLITE_ROW == sqlite3_step(st)) {
    struct report *r = &reports[nreports++];
    const char *slug = text_or_null(st, 1), *loc = text_or_null(st, 3);

    ck_assert_uint_le(nreports, REPORTS);
    r->amount = sqlite3_column_int64(st, 0);
    for (r->role = 0; 0 != strcmp(roles[r->role], slug); r->role++)
      ;
    snprintf(role_category[r->role], sizeof role_category[0], "%s", text_or_null(st, 2));
    snprintf(r->location, sizeof r->location, "%s", loc ? loc : "");
    r->remote = SQLITE_NULL == sqlite3_column_type(st, 4) ? -1 : sqlite3_column_int(st, 4);
    r->experience = SQLITE_NULL == sqlite3_column_type(st, 5) ? -1 : sqlite3_column_int(st, 5);
    r->education = intern_choice(educations, 5, text_or_null(st, 6));
    r->industry = -1;
    for (int i = 0; i < NINDUSTRIES && NULL != text_or_null(st, 7); i++)
      if (0 == strcmp(industries[i], text_or_null(st, 7)))
        r->industry = i;
    r->stage = intern_choice(stages, 3, text_or_null(st, 8));
    r->year = sqlite3_column_int(st, 9);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  ck_assert_uint_eq(REPORTS, nreports);
}

static void
setup(void)
{
  test_server_start(&ts, 2);
  lookup_ids();
  plant_reports();
  export_reports();
}

static void
teardown(void)
{
  test_server_stop(&ts);
}

/* ------------------------------------------------------------------ filters */

struct filter {
  int roles[2], nroles;
  int category;        /* a role index whose category is asked for, -1: none */
  const char *location;
  int remote;
  int exp_lo, exp_hi;  /* -1: none */
  const char *education;
  int industry;
  const char *stage;
  int year;
};

static void
random_filter(struct filter *f)
{
  memset(f, 0, sizeof *f);
  f->category = f->remote = f->exp_lo = f->exp_hi = f->industry = -1;
  if (0 == rnd(2)) {
    f->nroles = 1 + (int) rnd(2);
    f->roles[0] = (int) rnd(NROLES);
    f->roles[1] = (f->roles[0] + 1) % NROLES;
  } else if (0 == rnd(4)) {
    f->category = (int) rnd(NROLES);
  }
  if (0 == rnd(3))
    f->location = locations[rnd(6)];
  if (0 == rnd(4))
    f->remote = (int) rnd(2);
  if (0 == rnd(3)) {
    f->exp_lo = (int) rnd(15);
    f->exp_hi = rnd(2) ? f->exp_lo + (int) rnd(10) : -1;
  }
  if (0 == rnd(4))
    f->education = educations[rnd(5)];
  if (0 == rnd(4))
    f->industry = (int) rnd(NINDUSTRIES);
  if (0 == rnd(4))
    f->stage = stages[rnd(3)];
  if (0 == rnd(5))
    f->year = 2024 + (int) rnd(2);
}

static bool
matches(const struct filter *f, const struct report *r)
{
  bool role = 0 == f->nroles;

  for (int i = 0; i < f->nroles; i++)
    role = role || r->role == f->roles[i];
  if (!role || (f->category >= 0 && 0 != strcmp(role_category[r->role],
                                                 role_category[f->category])))
    return false;
  if (NULL != f->location && (2 == strlen(f->location)
                                ? 0 != strncmp(r->location, f->location, 2)
                                : 0 != strcmp(r->location, f->location)))
    return false;
  if ((f->remote >= 0 && r->remote != f->remote)
      || (f->exp_lo >= 0 && (r->experience < 0 || r->experience < f->exp_lo))
      || (f->exp_hi >= 0 && r->experience > f->exp_hi))
    return false;
  if ((NULL != f->education && f->education != r->education)
      || (f->industry >= 0 && r->industry != f->industry)
      || (NULL != f->stage && f->stage != r->stage) || (f->year && r->year != f->year))
    return false;
  return true;
}

static void
query_of(const struct filter *f, char *q, size_t size)
{
  size_t len = 0;

  q[0] = '\0';
#define ADD(...) len += (size_t) snprintf(q + len, size - len, __VA_ARGS__)
  for (int i = 0; i < f->nroles; i++)
    ADD("&role=%s", roles[f->roles[i]]);
  if (f->category >= 0) {
    ADD("&category=");
    for (const char *c = role_category[f->category]; *c; c++)
      ADD(' ' == *c ? "%%20" : '&' == *c ? "%%26" : "%c", *c);
  }
  if (f->location)
    ADD("&location=%s", f->location);
  if (f->remote >= 0)
    ADD("&remote=%s", f->remote ? "true" : "false");
  if (f->exp_lo >= 0 && f->exp_hi >= 0)
    ADD("&experience=%d-%d", f->exp_lo, f->exp_hi);
  else if (f->exp_lo >= 0)
    ADD("&experience=%d-", f->exp_lo);
  if (f->education)
    ADD("&education=%s", f->education);
  if (f->industry >= 0)
    ADD("&industry=%s", industries[f->industry]);
  if (f->stage)
    ADD("&company_stage=%s", f->stage);
  if (f->year)
    ADD("&year=%d", f->year);
#undef ADD
}

/* --------------------------------------------------- the independent figures */

struct expected {
  long long n;
  long long amounts[REPORTS];
};

static int
cmp_ll(const void *a, const void *b)
{
  long long x = *(const long long *) a, y = *(const long long *) b;

  return x < y ? -1 : x > y;
}

static void
expect(const struct filter *f, bool (*extra)(const struct report *, const void *),
       const void *arg, struct expected *e)
{
  e->n = 0;
  for (size_t i = 0; i < nreports; i++)
    if (matches(f, &reports[i]) && (NULL == extra || extra(&reports[i], arg)))
      e->amounts[e->n++] = reports[i].amount;
  qsort(e->amounts, (size_t) e->n, sizeof e->amounts[0], cmp_ll);
}

/* The report at rank ceil(p n / 100), counted from 1. */
static long long
rank_pct(const struct expected *e, int p)
{
  long long rank = p * e->n / 100 + (0 != p * e->n % 100);

  return e->amounts[rank - 1];
}

static long long
median(const struct expected *e)
{
  long long a = e->amounts[(e->n - 1) / 2], b = e->amounts[e->n / 2];

  return a / 2 + b / 2 + ((a % 2) + (b % 2) + 1) / 2;
}

static long long
mean(const struct expected *e)
{
  long long sum = 0;

  for (long long i = 0; i < e->n; i++)
    sum += e->amounts[i];
  return sum / e->n + (2 * (sum % e->n) >= e->n);
}

static long long
num(const json_t *o, const char *key)
{
  const json_t *v = json_object_get(o, key);

  ck_assert_msg(json_is_integer(v), "%s is not a number", key);
  return json_integer_value(v);
}

static const char *const figures[] = { "p10", "p25", "p50", "p75", "p90", "min", "max", "mean" };

/* @a d (a distribution of the answer) equals @a e; a suppressed one shows nothing. */
static void
assert_dist(const json_t *d, const struct expected *e, const char *body, const char *what)
{
  ck_assert_msg(num(d, "n") == e->n, "%s: n %lld, expected %lld", what, num(d, "n"), e->n);
  if (e->n < MIN_REPORTS) {
    char amount[24];

    ck_assert_msg(json_is_true(json_object_get(d, "suppressed")), "%s: not suppressed", what);
    ck_assert(json_is_string(json_object_get(d, "reason")));
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++)
      ck_assert_msg(json_is_null(json_object_get(d, figures[i])), "%s: %s shown", what,
                    figures[i]);
    for (long long i = 0; NULL != body && i < e->n; i++) { /* no report's amount anywhere */
      snprintf(amount, sizeof amount, "%lld", e->amounts[i]);
      ck_assert_msg(NULL == strstr(body, amount), "%s: %s leaks in %s", what, amount, body);
    }
    return;
  }
  ck_assert(json_is_false(json_object_get(d, "suppressed")));
  ck_assert_int_eq(rank_pct(e, 10), num(d, "p10"));
  ck_assert_int_eq(rank_pct(e, 25), num(d, "p25"));
  ck_assert_int_eq(median(e), num(d, "p50"));
  ck_assert_int_eq(rank_pct(e, 75), num(d, "p75"));
  ck_assert_int_eq(rank_pct(e, 90), num(d, "p90"));
  ck_assert_int_eq(e->amounts[0], num(d, "min"));
  ck_assert_int_eq(e->amounts[e->n - 1], num(d, "max"));
  ck_assert_int_eq(mean(e), num(d, "mean"));
  ck_assert(num(d, "min") <= num(d, "p10") && num(d, "p10") <= num(d, "p25")
            && num(d, "p25") <= num(d, "p50") && num(d, "p50") <= num(d, "p75")
            && num(d, "p75") <= num(d, "p90") && num(d, "p90") <= num(d, "max"));
}

static json_t *
get_json(const char *target, int status, char **body)
{
  struct http_response r;
  json_error_t err;
  json_t *j;

  http_fetch(ts.port, "GET", target, "", status, &r);
  j = json_loads(r.body, 0, &err);
  ck_assert_msg(NULL != j, "%s: %s", target, r.body);
  if (NULL != body)
    *body = strdup(r.body);
  http_response_free(&r);
  return j;
}

START_TEST(distributions_match_an_independent_computation)
{
  static struct expected e;
  char q[512], target[600];
  int suppressed = 0, shown = 0;

  for (int round = 0; round < ROUNDS; round++) {
    struct filter f;
    char *body;
    json_t *j;

    random_filter(&f);
    query_of(&f, q, sizeof q);
    snprintf(target, sizeof target, "/pay?%s", q[0] ? q + 1 : "");
    expect(&f, NULL, NULL, &e);
    j = get_json(target, 200, &body);
    assert_dist(json_object_get(j, "data"), &e, body, target);
    ck_assert_int_eq(MIN_REPORTS, num(json_object_get(j, "meta"), "min_reports"));
    e.n < MIN_REPORTS ? suppressed++ : shown++;
    free(body);
    json_decref(j);
  }
  /* the random filters reached both sides of the threshold */
  ck_assert_int_gt(suppressed, 5);
  ck_assert_int_gt(shown, 5);
}
END_TEST

/* ------------------------------------------------------------------- groups */

static const char *
band(int years)
{
  return years <= 1 ? "0-1" : years <= 4 ? "2-4" : years <= 9 ? "5-9" : years <= 14 ? "10-14"
                                                                                  : "15+";
}

static const char *const dims[] = {
  "role", "category", "location", "country", "remote", "experience", "education", "industry",
  "company_stage", "year",
};
#define NDIMS (sizeof dims / sizeof dims[0])

/* The value of dimension @a d of @a r as the answer spells it, or NULL. */
static const char *
value_of(size_t d, const struct report *r, char *buf, size_t size)
{
  switch (d) {
  case 0: return roles[r->role];
  case 1: return role_category[r->role];
  case 2: return r->location[0] ? r->location : NULL;
  case 3: return r->location[0] ? (snprintf(buf, size, "%.2s", r->location), buf) : NULL;
  case 4: return r->remote < 0 ? NULL : r->remote ? "true" : "false";
  case 5: return r->experience < 0 ? NULL : band(r->experience);
  case 6: return r->education;
  case 7: return r->industry < 0 ? NULL : industries[r->industry];
  case 8: return r->stage;
  default: return r->year ? (snprintf(buf, size, "%d", r->year), buf) : NULL;
  }
}

struct group_arg {
  size_t dim;
  const char *value;
};

static bool
in_group(const struct report *r, const void *arg)
{
  const struct group_arg *g = arg;
  char buf[16];
  const char *v = value_of(g->dim, r, buf, sizeof buf);

  return NULL != v && 0 == strcmp(v, g->value);
}

/* How many matching reports have each value of dimension @a d, NULL counted apart. */
static long long
count_value(const struct filter *f, size_t d, const char *value)
{
  long long n = 0;
  char buf[16];

  for (size_t i = 0; i < nreports; i++) {
    const char *v = matches(f, &reports[i]) ? value_of(d, &reports[i], buf, sizeof buf) : "";

    if (matches(f, &reports[i]) && (NULL == value ? NULL == v : NULL != v && 0 == strcmp(v, value)))
      n++;
  }
  return n;
}

/* The filter spelling of a group's value ("15+" is experience=15-). */
static void
group_query(size_t d, const char *value, char *out, size_t size)
{
  static const char *const param[] = {
    "role", "category", "location", "location", "remote", "experience", "education",
    "industry", "company_stage", "year",
  };
  char v[64];

  snprintf(v, sizeof v, "%s", value);
  if (5 == d && NULL != strchr(v, '+'))
    *strchr(v, '+') = '-';
  if (1 == d) { /* the category has spaces and an ampersand */
    size_t len = 0;

    for (const char *c = value; *c && len + 4 < sizeof v; c++)
      len += (size_t) snprintf(v + len, sizeof v - len, ' ' == *c ? "%%20" : '&' == *c ? "%%26"
                               : "%c", *c);
  }
  snprintf(out, size, "&%s=%s", param[d], v);
}

static void
check_groups(const struct filter *f, size_t d, const char *q)
{
  static struct expected e;
  char target[700], more[100];
  json_t *j, *g;
  size_t i;
  long long groups_n = 0;

  snprintf(target, sizeof target, "/pay?group_by=%s%s", dims[d], q);
  j = get_json(target, 200, NULL);
  json_array_foreach(json_object_get(j, "data"), i, g) {
    struct group_arg ga = { .dim = d, .value = json_string_value(json_object_get(g, "group")) };
    char one[800];
    json_t *k;

    ck_assert_ptr_nonnull(ga.value);
    expect(f, in_group, &ga, &e);
    assert_dist(g, &e, NULL, target);
    groups_n += e.n;
    if (0 != i)
      continue;
    /* the group equals what the same filters plus its value answer */
    group_query(d, ga.value, more, sizeof more);
    snprintf(one, sizeof one, "/pay?%s%s", q[0] ? q + 1 : "", more);
    /* location=DE also matches DE-BE; the group DE holds the reports that say just DE */
    if (!(2 == d && 2 == strlen(ga.value)) && !(1 == d && f->category >= 0) && !(0 == d && f->nroles > 0)
        && !(1 == d && f->nroles > 0) && !(0 == d && f->category >= 0)
        && !(d <= 3 && d >= 2 && NULL != f->location) && !(4 == d && f->remote >= 0)
        && !(5 == d && f->exp_lo >= 0) && !(6 == d && f->education)
        && !(7 == d && f->industry >= 0) && !(8 == d && f->stage) && !(9 == d && f->year)) {
      k = get_json(one, 200, NULL);
      json_object_del(g, "group");
      ck_assert_msg(json_equal(g, json_object_get(k, "data")), "%s differs from %s", target,
                    one);
      json_decref(k);
    }
  }
  ck_assert_int_eq(groups_n + count_value(f, d, NULL), num(json_object_get(j, "meta"), "n"));
  json_decref(j);
}

START_TEST(groups_are_the_distributions_of_their_filters)
{
  char q[512];

  for (int round = 0; round < ROUNDS / 3; round++) {
    struct filter f;

    random_filter(&f);
    query_of(&f, q, sizeof q);
    for (size_t d = 0; d < NDIMS; d++)
      check_groups(&f, d, q);
  }
}
END_TEST

START_TEST(groups_are_sorted_filtered_and_paged)
{
  json_t *all = get_json("/pay?group_by=location&sort=p50&order=desc", 200, NULL);
  json_t *page = get_json("/pay?group_by=location&sort=p50&order=desc&limit=2&offset=1", 200,
                          NULL);
  json_t *big = get_json("/pay?group_by=experience&min_n=160", 200, NULL);
  json_t *data = json_object_get(all, "data"), *g;
  long long last = -1;
  bool hidden = false;
  size_t i;

  ck_assert_int_gt(json_array_size(data), 3);
  json_array_foreach(data, i, g) {
    if (json_is_true(json_object_get(g, "suppressed"))) {
      hidden = true; /* after every shown group */
      continue;
    }
    ck_assert(!hidden);
    ck_assert(last < 0 || num(g, "p50") <= last);
    last = num(g, "p50");
  }
  ck_assert_uint_eq(2, json_array_size(json_object_get(page, "data")));
  ck_assert(json_equal(json_array_get(data, 1), json_array_get(json_object_get(page, "data"), 0)));
  ck_assert_int_eq((long long) json_array_size(data),
                   num(json_object_get(page, "meta"), "total"));
  json_array_foreach(json_object_get(big, "data"), i, g)
    ck_assert_int_ge(num(g, "n"), 160);
  ck_assert_int_lt(json_array_size(json_object_get(big, "data")), 5);
  json_decref(all);
  json_decref(page);
  json_decref(big);
}
END_TEST

START_TEST(facet_counts_add_up)
{
  char q[512], target[600];

  for (int round = 0; round < ROUNDS / 3; round++) {
    struct filter f;
    json_t *j, *facets;
    long long n;

    random_filter(&f);
    query_of(&f, q, sizeof q);
    snprintf(target, sizeof target, "/pay?facets=true%s", q);
    j = get_json(target, 200, NULL);
    n = num(json_object_get(j, "data"), "n");
    facets = json_object_get(json_object_get(j, "data"), "facets");
    for (size_t d = 0; d < NDIMS; d++) {
      json_t *list = json_object_get(facets, dims[d]), *v;
      long long sum = 0;
      size_t i;

      ck_assert_msg(json_is_array(list), "%s: no facet %s", target, dims[d]);
      json_array_foreach(list, i, v) {
        const char *value = json_string_value(json_object_get(v, "value"));

        ck_assert_int_eq(count_value(&f, d, value), num(v, "n"));
        sum += num(v, "n");
      }
      ck_assert_int_eq(n, sum);
    }
    json_decref(j);
  }
}
END_TEST

/* ----------------------------------------------------------------- standing */

START_TEST(standing_is_the_percentile_rank)
{
  static struct expected e;
  char q[512], target[700];

  for (int round = 0; round < ROUNDS; round++) {
    struct filter f;
    long long amount, below = 0, equal = 0;
    json_t *j, *d;
    char *body;

    random_filter(&f);
    query_of(&f, q, sizeof q);
    expect(&f, NULL, NULL, &e);
    /* an amount of a report (ties) or any amount */
    amount = e.n > 0 && rnd(2) ? e.amounts[rnd((unsigned) e.n)] : 30000 + 1000LL * rnd(400);
    snprintf(target, sizeof target, "/pay/standing?amount=%lld%s", amount, q);
    j = get_json(target, 200, &body);
    d = json_object_get(j, "data");
    ck_assert_int_eq(e.n, num(d, "n"));
    if (e.n < MIN_REPORTS) {
      ck_assert(json_is_true(json_object_get(d, "suppressed")));
      ck_assert(json_is_null(json_object_get(d, "percentile")));
    } else {
      double want, got = json_number_value(json_object_get(d, "percentile"));

      for (long long i = 0; i < e.n; i++)
        below += e.amounts[i] < amount, equal += e.amounts[i] == amount;
      /* tenths, rounded half up */
      want = (double) ((2000 * below + 1000 * equal + e.n) / (2 * e.n)) / 10.0;
      ck_assert_msg(got == want, "%s: %g, expected %g", target, got, want);
      ck_assert(got >= 0 && got <= 100);
    }
    free(body);
    json_decref(j);
  }
}
END_TEST

/* ------------------------------------------------------------------ factors */

START_TEST(factor_is_the_median_by_value)
{
  static struct expected all, one;
  struct filter f;
  json_t *j = get_json("/factors/education?remote=true", 200, NULL), *v;
  size_t i;

  random_filter(&f);
  memset(&f, 0, sizeof f);
  f.category = f.exp_lo = f.exp_hi = f.industry = -1;
  f.remote = 1;
  expect(&f, NULL, NULL, &all);
  ck_assert_int_ge(all.n, MIN_REPORTS);
  ck_assert_int_eq(median(&all), num(json_object_get(json_object_get(j, "meta"), "overall"),
                                     "p50"));
  ck_assert_uint_eq(5, json_array_size(json_object_get(j, "data")));
  json_array_foreach(json_object_get(j, "data"), i, v) {
    struct group_arg ga = { .dim = 6, .value = json_string_value(json_object_get(v, "value")) };

    ck_assert_str_eq(educations[i], ga.value); /* the levels in their order */
    expect(&f, in_group, &ga, &one);
    ck_assert_int_eq(one.n, num(v, "n"));
    if (one.n >= MIN_REPORTS) {
      double want = (double) ((2000 * median(&one) + median(&all)) / (2 * median(&all))) / 1000;

      ck_assert_int_eq(median(&one), num(v, "p50"));
      ck_assert(want == json_number_value(json_object_get(v, "relative")));
    }
  }
  json_decref(j);
  json_decref(get_json("/factors/nothing", 404, NULL));
  json_decref(get_json("/factors/location?role=no-such-role", 404, NULL));
}
END_TEST

/* ------------------------------------------------------------------ refusal */

START_TEST(every_bad_value_is_a_400_naming_it)
{
  static const struct { const char *target; const char *param; int status; } cases[] = {
    { "/pay?experience=9-3", "experience", 400 }, { "/pay?experience=x", "experience", 400 },
    { "/pay?experience=61-", "experience", 400 }, { "/pay?experience=3-5-7", "experience", 400 },
    { "/pay?min_n=-1", "min_n", 400 }, { "/pay?group_by=salary", "group_by", 400 },
    { "/pay?location=us", "location", 400 }, { "/pay?location=USA", "location", 400 },
    { "/pay?location=US-", "location", 400 }, { "/pay?remote=1", "remote", 400 },
    { "/pay?education=mba", "education", 400 }, { "/pay?industry=mining", "industry", 400 },
    { "/pay?company_stage=seed", "company_stage", 400 }, { "/pay?year=1800", "year", 400 },
    { "/pay?category=Nothing", "category", 400 },
    { "/pay?role=cloud-architect&category=Data", "category", 400 },
    { "/pay?sort=median&group_by=role", "sort", 400 }, { "/pay?limit=0", "limit", 400 },
    { "/pay?group_by=role&facets=true", "facets", 400 },
    { "/pay?role=no-such-role", "role", 404 }, { "/pay?role=", "role", 400 },
    { "/pay/standing?role=cloud-architect", "amount", 400 },
    { "/pay/standing?amount=0", "amount", 400 }, { "/pay/standing?amount=1e5", "amount", 400 },
    { "/pay/standing?amount=5&role=nope", "role", 404 },
    { "/factors/education?experience=5-1", "experience", 400 },
    { "/pay?colour=red", "colour", 400 },
  };

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_t *j = get_json(cases[i].target, cases[i].status, NULL);

    ck_assert_msg(0 == strcmp(cases[i].param, json_string_value(json_object_get(j, "parameter"))
                                                ? json_string_value(json_object_get(j,
                                                                                    "parameter"))
                                                : ""),
                  "%s names %s", cases[i].target,
                  json_string_value(json_object_get(j, "parameter")));
    json_decref(j);
  }
}
END_TEST

START_TEST(no_report_is_no_figure)
{
  json_t *j = get_json("/pay?location=FR", 200, NULL);
  json_t *d = json_object_get(j, "data");

  ck_assert_int_eq(0, num(d, "n"));
  ck_assert(json_is_true(json_object_get(d, "suppressed")));
  ck_assert(json_is_null(json_object_get(d, "p50")));
  json_decref(j);
  j = get_json("/pay?location=FR&group_by=role", 200, NULL);
  ck_assert_uint_eq(0, json_array_size(json_object_get(j, "data")));
  json_decref(j);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pay");
  TCase *tc = tcase_create("pay");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, distributions_match_an_independent_computation);
  tcase_add_test(tc, groups_are_the_distributions_of_their_filters);
  tcase_add_test(tc, groups_are_sorted_filtered_and_paged);
  tcase_add_test(tc, facet_counts_add_up);
  tcase_add_test(tc, standing_is_the_percentile_rank);
  tcase_add_test(tc, factor_is_the_median_by_value);
  tcase_add_test(tc, every_bad_value_is_a_400_naming_it);
  tcase_add_test(tc, no_report_is_no_figure);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
