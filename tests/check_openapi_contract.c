/**
 * @file tests/check_openapi_contract.c
 * @brief What the OpenAPI document promises beyond the operations
 *        (tests/check_openapi.c): tools take its schemas as the contract,
 *        so it constrains nothing the server does not enforce, its
 *        problem kinds are told apart by a required member, and it says
 *        whom to ask.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "http/reply.h"
#include "http/router.h"
#include "tests/harness.h"

/* Schema keywords that restrict a string's value. */
static const char *const constraints[] = {
  "enum", "const", "maxLength", "minLength", "pattern", "format", NULL,
};

/* The document as the handler serves it (no database needed). */
static json_t *
load_doc(void)
{
  struct reply rep;
  json_t *doc;

  handler_call(NULL, h_openapi_get, NULL, NULL, &rep);
  ck_assert_uint_eq(200, rep.status);
  doc = json_incref(rep.body);
  reply_clear(&rep);
  return doc;
}

/* The query parameters of the web page (GET /): the server hands the
 * page out for any query, so the document may restrict none of them. */
START_TEST(the_page_parameters_restrict_nothing)
{
  json_t *doc = load_doc();
  json_t *params = json_object_get(json_object_get(json_object_get(json_object_get(doc, "paths"),
                                                                   "/"), "get"), "parameters");
  size_t i;
  json_t *p;
  size_t query = 0;

  ck_assert_uint_gt(json_array_size(params), 0);
  json_array_foreach(params, i, p) {
    const char *name = json_string_value(json_object_get(p, "name"));
    json_t *schema = json_object_get(p, "schema");

    if (NULL == name || 0 != strcmp("query", json_string_value(json_object_get(p, "in"))))
      continue;
    query++;
    for (size_t k = 0; NULL != constraints[k]; k++)
      ck_assert_msg(NULL == json_object_get(schema, constraints[k]),
                    "GET / ?%s: the server never applies its '%s'", name, constraints[k]);
  }
  ck_assert_uint_ge(query, 9);
  json_decref(doc);
}
END_TEST

/* What such a constraint would have refused is answered with the page. */
START_TEST(the_page_answers_any_query)
{
  struct test_server ts;
  struct http_response r;
  char target[700] = "/?view=no-such-view&q=";

  memset(target + strlen(target), 'x', 600);
  test_server_start(&ts, 1);
  http_fetch(ts.port, "GET", target, "", 200, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "<!doctype html>"));
  http_response_free(&r);
  test_server_stop(&ts);
}
END_TEST

/* oneOf needs exactly one branch to match: each kind requires its own
 * const type, so the branches exclude each other whatever else a problem
 * holds. */
START_TEST(problem_kinds_are_mutually_exclusive)
{
  json_t *doc = load_doc();
  json_t *branches = json_object_get(json_object_get(json_object_get(json_object_get(doc,
                                     "components"), "schemas"), "Problem"), "oneOf");
  size_t i;
  json_t *b;

  ck_assert_uint_ge(json_array_size(branches), 20);
  json_array_foreach(branches, i, b) {
    const char *title = json_string_value(json_object_get(b, "title"));
    const char *type = json_string_value(json_object_get(json_object_get(
                         json_object_get(b, "properties"), "type"), "const"));
    bool required = false;
    size_t j;
    json_t *r;

    ck_assert_msg(NULL != type, "%s: no const type", title);
    json_array_foreach(json_object_get(b, "required"), j, r)
      required = required || 0 == strcmp("type", json_string_value(r));
    ck_assert_msg(required, "the %s branch does not require its type", title);
    for (size_t k = 0; k < i; k++) {
      const char *other = json_string_value(json_object_get(json_object_get(json_object_get(
                            json_array_get(branches, k), "properties"), "type"), "const"));

      ck_assert_msg(0 != strcmp(type, other), "two branches for %s", type);
    }
  }
  json_decref(doc);
}
END_TEST

START_TEST(the_document_names_a_contact)
{
  json_t *doc = load_doc();
  json_t *contact = json_object_get(json_object_get(doc, "info"), "contact");
  const char *name = json_string_value(json_object_get(contact, "name"));

  ck_assert_msg(json_is_object(contact), "info.contact is missing");
  ck_assert_msg(NULL != name && '\0' != name[0], "info.contact has no name");
  json_decref(doc);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("openapi_contract");
  TCase *tc = tcase_create("openapi_contract");

  tcase_add_test(tc, the_page_parameters_restrict_nothing);
  tcase_add_test(tc, the_page_answers_any_query);
  tcase_add_test(tc, problem_kinds_are_mutually_exclusive);
  tcase_add_test(tc, the_document_names_a_contact);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
