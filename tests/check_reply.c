/**
 * @file tests/check_reply.c
 * @brief Problem documents and safe JSON strings.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "http/problem.h"
#include "http/reply.h"
#include "tests/harness.h"

START_TEST(problem_has_rfc9457_members)
{
  struct reply rep = { .instance = "/roles" };

  ck_assert_int_eq(0, reply_problem(&rep, PROBLEM_INVALID_PARAMETER, "sort",
                                    "'%s' must be one of: %s", "sort", "title, pay"));
  ck_assert_uint_eq(400, rep.status);
  ck_assert_str_eq(CONTENT_TYPE_PROBLEM, rep.content_type);
  ck_assert_str_eq("/problems/invalid-parameter", json_string_value(json_object_get(rep.body, "type")));
  ck_assert_str_eq("Invalid query parameter", json_string_value(json_object_get(rep.body, "title")));
  ck_assert_int_eq(400, json_integer_value(json_object_get(rep.body, "status")));
  ck_assert_str_eq("'sort' must be one of: title, pay",
                   json_string_value(json_object_get(rep.body, "detail")));
  ck_assert_str_eq("/roles", json_string_value(json_object_get(rep.body, "instance")));
  ck_assert_str_eq("sort", json_string_value(json_object_get(rep.body, "parameter")));
  reply_clear(&rep);
  ck_assert_ptr_null(rep.body);
  ck_assert_uint_eq(0, rep.status);
}
END_TEST

START_TEST(registry_is_complete)
{
  for (int id = 0; id < PROBLEM__COUNT; id++) {
    const struct problem_def *def = problem_get((enum problem_id) id);

    ck_assert_msg(def->status >= 400 && def->status < 600, "problem %d has no status", id);
    ck_assert_ptr_nonnull(def->slug);
    ck_assert_ptr_nonnull(def->title);
    for (int other = 0; other < id; other++)
      ck_assert_str_ne(def->slug, problem_get((enum problem_id) other)->slug);
  }
}
END_TEST

START_TEST(invalid_utf8_is_replaced_not_dropped)
{
  /* a stray continuation byte, an overlong '/', a surrogate, a truncated sequence */
  json_t *s = json_string_lossy("a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x82");
  const char *v;

  ck_assert_ptr_nonnull(s);
  v = json_string_value(s);
  ck_assert_ptr_nonnull(strstr(v, "a\xef\xbf\xbd" "b"));
  ck_assert_ptr_null(strstr(v, "\xc0"));
  ck_assert_ptr_null(strstr(v, "\xed\xa0"));
  ck_assert_int_eq('d', v[strlen(v) - 7]);
  json_decref(s);
  s = json_string_lossy("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  ck_assert_str_eq("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", json_string_value(s));
  json_decref(s);
}
END_TEST

START_TEST(problem_echoing_bad_bytes_is_valid_json)
{
  struct reply rep = { .instance = "/roles/\xff\xfe" };
  char *text;
  json_t *back;

  ck_assert_int_eq(0, reply_problem(&rep, PROBLEM_ROLE_NOT_FOUND, NULL, "no role '%s'", "\xc3"));
  text = json_dumps(rep.body, JSON_COMPACT);
  ck_assert_ptr_nonnull(text);
  back = json_loads(text, 0, NULL);
  ck_assert_ptr_nonnull(back);
  json_decref(back);
  free(text);
  reply_clear(&rep);
}
END_TEST

START_TEST(reply_json_steals_even_null)
{
  struct reply rep = { 0 };

  ck_assert_int_eq(-1, reply_json(&rep, 200, NULL));
  ck_assert_uint_eq(0, rep.status);
  ck_assert_int_eq(0, reply_json(&rep, 201, json_object()));
  ck_assert_uint_eq(201, rep.status);
  ck_assert_str_eq(CONTENT_TYPE_JSON, rep.content_type);
  reply_clear(&rep);
}
END_TEST

START_TEST(headers_are_owned_and_reject_crlf)
{
  struct reply rep = { 0 };

  ck_assert_int_eq(0, reply_header(&rep, "Link", "<%s>; rel=\"next\"", "/roles?offset=50"));
  ck_assert_str_eq("</roles?offset=50>; rel=\"next\"", rep.headers[0].value);
  ck_assert_int_eq(-1, reply_header(&rep, "Location", "/roles/%s", "x\r\nSet-Cookie: a=b"));
  ck_assert_uint_eq(1, rep.nheaders);
  reply_clear(&rep);
  ck_assert_uint_eq(0, rep.nheaders);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("reply");
  TCase *tc = tcase_create("reply");

  tcase_add_test(tc, problem_has_rfc9457_members);
  tcase_add_test(tc, registry_is_complete);
  tcase_add_test(tc, invalid_utf8_is_replaced_not_dropped);
  tcase_add_test(tc, problem_echoing_bad_bytes_is_valid_json);
  tcase_add_test(tc, reply_json_steals_even_null);
  tcase_add_test(tc, headers_are_owned_and_reject_crlf);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
