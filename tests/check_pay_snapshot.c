/**
 * @file tests/check_pay_snapshot.c
 * @brief GET /pay answers from reports kept in memory per data version:
 *        they must never be older than what the store holds for that
 *        version. A write through the API shows in the next answer; a
 *        write by another connection (as techpayd import or the sqlite3
 *        shell would) shows once the data version has moved, an update
 *        in place included; an answer made before a write is not reused.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/pay_snapshot.h"
#include "http/daemon.h"
#include "tests/harness.h"

#define TOKEN "pay-snapshot-token"
#define AUTH "Authorization: Bearer " TOKEN "\r\n"
#define JSON_CT "Content-Type: application/json\r\n"
#define ROLE "cloud-architect"
#define ROLE_PAY "/pay?role=" ROLE

static struct test_server ts;

static void
setup(void)
{
  struct server_options opts = {
    .bind = "127.0.0.1", .threads = 2, .max_connections = 64, .timeout_s = 10,
    .access_log_off = true,
  };

  test_server_start_with_token(&ts, &opts, TOKEN);
}

static void
teardown(void)
{
  test_server_stop(&ts);
}

/* A figure of the distribution GET @a target answers; -1 when it has none (suppressed). */
static long long
figure(const char *target, const char *name)
{
  struct http_response r;
  json_t *j, *v;
  long long out;

  http_fetch(ts.port, "GET", target, "", 200, &r);
  j = http_json(&r);
  v = json_object_get(json_object_get(j, "data"), name);
  out = json_is_integer(v) ? json_integer_value(v) : -1;
  json_decref(j);
  http_response_free(&r);
  return out;
}

static void
post_report(long long amount, const char *location)
{
  struct http_response r;
  char body[300];

  snprintf(body, sizeof body, "{\"amount\":%lld,\"kind\":\"base\",\"statistic\":\"individual\","
           "\"role\":\"" ROLE "\",\"location\":\"%s\"}", amount, location);
  http_fetch_body(ts.port, "POST", "/salaries", AUTH JSON_CT, body, 201, &r);
  http_response_free(&r);
}

/* Reports written by another connection than the server's. */
static void
plant(long long amount, int count)
{
  char sql[400];

  for (int i = 0; i < count; i++) {
    snprintf(sql, sizeof sql, "INSERT INTO salaries (role_id, amount_usd, kind, statistic,"
             " bound, source_id, section, location) VALUES ((SELECT id FROM roles WHERE slug"
             " = '" ROLE "'), %lld, 'base', 'individual', 'exact', 1, 'test', 'GB')", amount);
    scratch_db_exec(&ts.db, sql);
  }
}

START_TEST(a_write_through_the_api_shows_in_the_next_answer)
{
  long long before = figure(ROLE_PAY, "n"), all = figure("/pay", "n");

  for (int i = 0; i < 6; i++)
    post_report(100000 + 1000 * i, "US-WA");
  ck_assert_int_eq(before + 6, figure(ROLE_PAY, "n"));
  ck_assert_int_eq(all + 6, figure("/pay", "n"));
  ck_assert_int_eq(6, figure(ROLE_PAY "&location=US", "n"));
  ck_assert_int_eq(105000, figure(ROLE_PAY "&location=US", "max"));
  post_report(250000, "US-CA");
  ck_assert_int_eq(7, figure(ROLE_PAY "&location=US", "n"));
  ck_assert_int_eq(250000, figure(ROLE_PAY "&location=US", "max"));
  ck_assert_int_eq(250000, figure("/pay?location=US", "max"));
}
END_TEST

/* A location of six characters fills its packed field with no NUL. */
START_TEST(a_location_of_six_characters_is_whole)
{
  struct http_response r;

  for (int i = 0; i < 5; i++)
    post_report(70000 + i, "GB-ENG");
  ck_assert_int_eq(5, figure("/pay?location=GB-ENG", "n"));
  ck_assert_int_eq(0, figure("/pay?location=GB-EN", "n"));
  http_fetch(ts.port, "GET", "/pay?group_by=location", "", 200, &r);
  ck_assert_msg(NULL != strstr(r.body, "\"group\":\"GB-ENG\",\"n\":5"), "%s", r.body);
  http_response_free(&r);
}
END_TEST

START_TEST(a_write_by_another_connection_shows_once_the_version_moves)
{
  plant(90000, 6);
  http_await_body(ts.port, ROLE_PAY "&location=GB", "\"max\":90000");
  ck_assert_int_eq(6, figure(ROLE_PAY "&location=GB", "n"));
  plant(95000, 1);
  http_await_body(ts.port, ROLE_PAY "&location=GB", "\"max\":95000");
  ck_assert_int_eq(7, figure(ROLE_PAY "&location=GB", "n"));
  /* the same count, other amounts: what changed is the version, not the size */
  scratch_db_exec(&ts.db, "UPDATE salaries SET amount_usd = 99000 WHERE amount_usd = 95000");
  http_await_body(ts.port, ROLE_PAY "&location=GB", "\"max\":99000");
  ck_assert_int_eq(7, figure(ROLE_PAY "&location=GB", "n"));
  scratch_db_exec(&ts.db, "DELETE FROM salaries WHERE amount_usd = 99000");
  http_await_body(ts.port, ROLE_PAY "&location=GB", "\"max\":90000");
  ck_assert_int_eq(6, figure(ROLE_PAY "&location=GB", "n"));
}
END_TEST

/* The holder itself: a newer version gets a new snapshot while a reader
 * still holds the old one, which stays whole until it is released. */
START_TEST(an_old_snapshot_lives_until_its_last_reader_is_done)
{
  struct scratch_db sd;
  struct db *db;
  struct pay_snapshots *h = pay_snapshots_new();
  struct pay_filter all = { .remote = -1, .exp_min = -1, .exp_max = -1 };
  struct pay_set old_set, new_set, again;
  const struct pay_snapshot *s1, *s2, *s3;
  enum db_status status;
  size_t planted = 0;

  ck_assert_ptr_nonnull(h);
  scratch_db_connect(&sd, &db);
  scratch_db_exec(&sd, "INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound,"
                  " source_id, section) SELECT id, 111111, 'base', 'individual', 'exact', 1,"
                  " 'test' FROM roles");
  s1 = pay_snapshot_get(h, db, 1, &status);
  ck_assert_ptr_nonnull(s1);
  ck_assert_ptr_eq(s1, pay_snapshot_get(h, db, 1, &status)); /* the same version: shared */
  pay_snapshot_release(h, s1);
  ck_assert_int_eq(0, pay_snapshot_select(s1, &all, &old_set));
  scratch_db_exec(&sd, "DELETE FROM salaries WHERE amount_usd = 111111");
  s2 = pay_snapshot_get(h, db, 2, &status);
  ck_assert_ptr_nonnull(s2);
  ck_assert_ptr_ne(s1, s2);
  ck_assert_int_eq(0, pay_snapshot_select(s2, &all, &new_set));
  ck_assert_uint_eq(old_set.n, new_set.n + old_set.nroles);
  for (size_t i = 0; i < old_set.n; i++) /* still whole, though no longer current */
    planted += 111111 == pay_set_entry(&old_set, i)->amount;
  ck_assert_uint_eq(old_set.nroles, planted);
  s3 = pay_snapshot_get(h, db, 1, &status); /* an older version takes the newer one */
  ck_assert_ptr_eq(s2, s3);
  ck_assert_int_eq(0, pay_snapshot_select(s3, &all, &again));
  pay_set_free(&again);
  pay_snapshot_release(h, s3);
  pay_set_free(&old_set);
  pay_snapshot_release(h, s1); /* its last reader: freed here */
  pay_set_free(&new_set);
  pay_snapshot_release(h, s2);
  pay_snapshots_free(h);
  scratch_db_disconnect(&sd, db);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pay_snapshot");
  TCase *tc = tcase_create("core");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, a_write_through_the_api_shows_in_the_next_answer);
  tcase_add_test(tc, a_location_of_six_characters_is_whole);
  tcase_add_test(tc, an_old_snapshot_lives_until_its_last_reader_is_done);
  tcase_add_test(tc, a_write_by_another_connection_shows_once_the_version_moves);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
