/**
 * @file tests/check_router.c
 * @brief The route table: matching, 404, 405 + Allow, 414, HEAD as GET.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "http/router.h"
#include "tests/harness.h"

START_TEST(collection_and_item)
{
  struct route_match m;

  ck_assert_int_eq(ROUTE_FOUND, route_find("GET", "/roles", &m));
  ck_assert(h_roles_list == m.route->handler);
  ck_assert_uint_eq(0, m.nargs);
  ck_assert_int_eq(ROUTE_FOUND, route_find("GET", "/roles/cloud-architect", &m));
  ck_assert(h_roles_get == m.route->handler);
  ck_assert_uint_eq(1, m.nargs);
  ck_assert_str_eq("cloud-architect", m.args[0]);
  ck_assert_int_eq(ROUTE_FOUND, route_find("GET", "/", &m));
  ck_assert(h_page_get == m.route->handler);
  ck_assert_int_eq(ROUTE_FOUND, route_find("GET", "/api", &m));
  ck_assert(h_index_get == m.route->handler);
  ck_assert_int_eq(ROUTE_FOUND, route_find("GET", "/assets/app.js", &m));
  ck_assert(h_asset_get == m.route->handler);
  ck_assert_str_eq("app.js", m.args[0]);
  ck_assert_int_eq(ROUTE_FOUND, route_find("GET", "/healthz", &m));
  ck_assert(h_healthz_get == m.route->handler);
}
END_TEST

START_TEST(head_is_served_by_get)
{
  struct route_match m;

  ck_assert_int_eq(ROUTE_FOUND, route_find("HEAD", "/roles", &m));
  ck_assert(h_roles_list == m.route->handler);
}
END_TEST

START_TEST(unknown_paths)
{
  static const char *const paths[] = {
    "", "roles", "/role", "/roles/", "/roles//", "/roles/a/b", "//roles",
    "/healthz/x", "/ROLES", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t",
  };
  struct route_match m;

  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
    ck_assert_msg(ROUTE_NOT_FOUND == route_find("GET", paths[i], &m), "%s", paths[i]);
}
END_TEST

START_TEST(wrong_method_lists_allowed)
{
  static const char *const methods[] = { "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW" };
  struct route_match m;

  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
    ck_assert_int_eq(ROUTE_METHOD_NOT_ALLOWED, route_find(methods[i], "/sources/x", &m));
    ck_assert_str_eq("GET, HEAD", m.allow);
  }
  /* a resource that is also written lists its write methods */
  ck_assert_int_eq(ROUTE_METHOD_NOT_ALLOWED, route_find("PUT", "/roles/x", &m));
  ck_assert_str_eq("GET, HEAD, PATCH, DELETE", m.allow);
}
END_TEST

START_TEST(too_long)
{
  char path[ROUTE_MAX_PATH + 2];
  struct route_match m;

  memset(path, 'a', sizeof path);
  path[0] = '/';
  path[ROUTE_MAX_PATH + 1] = '\0';
  ck_assert_int_eq(ROUTE_URI_TOO_LONG, route_find("GET", path, &m));
  path[ROUTE_MAX_PATH] = '\0'; /* exactly the limit: an ordinary unknown path */
  ck_assert_int_eq(ROUTE_NOT_FOUND, route_find("GET", path, &m));
}
END_TEST

static int
dummy(const struct request *req, struct reply *rep)
{
  (void) req;
  (void) rep;
  return 0;
}

START_TEST(patterns_with_two_placeholders)
{
  static const struct route table[] = {
    { .method = "GET", .pattern = "/a/{x}/b/{y}", .handler = dummy },
    { .method = "PUT", .pattern = "/a/{x}/b/{y}", .handler = dummy },
    { .pattern = NULL },
  };
  struct route_match m;

  ck_assert_int_eq(ROUTE_FOUND, route_find_in(table, "PUT", "/a/1/b/2", &m));
  ck_assert_ptr_eq(&table[1], m.route);
  ck_assert_uint_eq(2, m.nargs);
  ck_assert_str_eq("1", m.args[0]);
  ck_assert_str_eq("2", m.args[1]);
  ck_assert_int_eq(ROUTE_METHOD_NOT_ALLOWED, route_find_in(table, "DELETE", "/a/1/b/2", &m));
  ck_assert_str_eq("GET, HEAD, PUT", m.allow);
  ck_assert_int_eq(ROUTE_NOT_FOUND, route_find_in(table, "GET", "/a/1/c/2", &m));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("router");
  TCase *tc = tcase_create("match");

  tcase_add_test(tc, collection_and_item);
  tcase_add_test(tc, head_is_served_by_get);
  tcase_add_test(tc, unknown_paths);
  tcase_add_test(tc, wrong_method_lists_allowed);
  tcase_add_test(tc, too_long);
  tcase_add_test(tc, patterns_with_two_placeholders);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
