/**
 * @file tests/check_cache.c
 * @brief The response cache's replacement: answers clients repeat survive
 *        a stream of answers nobody repeats; stale answers make way.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "http/cache.h"
#include "http/cors.h"
#include "http/entity.h"
#include "http/reply.h"
#include "tests/harness.h"

static void
put(struct response_cache *c, const char *key, int64_t version)
{
  struct reply rep = { 0 };
  static const struct cors cors = { .origin = CORS_ANY_ORIGIN };
  struct entity_spec spec = { .repr = REPR_JSON, .cors = &cors };
  struct entity e;

  ck_assert_int_eq(0, reply_json(&rep, 200, json_pack("{s:s}", "key", key)));
  ck_assert_int_eq(0, entity_build(&rep, &spec, &e));
  reply_clear(&rep);
  cache_put(c, key, strlen(key), version, &e);
}

static bool
has(struct response_cache *c, const char *key, int64_t version)
{
  return NULL != cache_get(c, key, strlen(key), version);
}

START_TEST(a_repeated_answer_survives_a_scan_of_one_off_answers)
{
  struct response_cache *c = cache_new();
  char key[32];

  put(c, "/roles/hot", 1);
  ck_assert(has(c, "/roles/hot", 1));
  for (int i = 0; i < 10000; i++) {
    snprintf(key, sizeof key, "/salaries?min=%d", i);
    put(c, key, 1);
  }
  ck_assert(has(c, "/roles/hot", 1));
  /* the one-off answers are still cached, as room allows */
  ck_assert(has(c, "/salaries?min=9999", 1));
  cache_free(c);
}
END_TEST

START_TEST(an_answer_never_repeated_is_replaced)
{
  struct response_cache *c = cache_new();
  char key[32];

  put(c, "/roles/cold", 1);
  for (int i = 0; i < 10000; i++) {
    snprintf(key, sizeof key, "/salaries?min=%d", i);
    put(c, key, 1);
  }
  ck_assert(!has(c, "/roles/cold", 1));
  cache_free(c);
}
END_TEST

START_TEST(a_new_data_version_makes_way)
{
  struct response_cache *c = cache_new();

  put(c, "/roles/hot", 1);
  ck_assert(has(c, "/roles/hot", 1));
  ck_assert(!has(c, "/roles/hot", 2)); /* stale: dropped */
  put(c, "/roles/hot", 2);
  ck_assert(has(c, "/roles/hot", 2));
  put(c, "/roles/hot", 3); /* the same key: the newer answer replaces it */
  ck_assert(has(c, "/roles/hot", 3));
  cache_free(c);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("cache");
  TCase *tc = tcase_create("cache");

  tcase_add_test(tc, a_repeated_answer_survives_a_scan_of_one_off_answers);
  tcase_add_test(tc, an_answer_never_repeated_is_replaced);
  tcase_add_test(tc, a_new_data_version_makes_way);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
