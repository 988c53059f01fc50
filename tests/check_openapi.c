/**
 * @file tests/check_openapi.c
 * @brief The OpenAPI document built into techpayd (docs/openapi.json)
 *        against the server: the document and the route table list the
 *        same operations, every error of the registry is described,
 *        every documented parameter is accepted with its example value and
 *        an undocumented one is refused, and GET /openapi.json serves it.
 *
 * The response bodies themselves are validated against the document's
 * schemas by tests/openapi/validate.mjs (scripts/openapi-check.sh).
 */
#include <check.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "build_config.h"
#include "handlers/handlers.h"
#include "http/problem.h"
#include "http/reply.h"
#include "http/router.h"
#include "tests/harness.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define TARGET_MAX 2048

static const char *const http_methods[] = {
  "get", "put", "post", "delete", "options", "head", "patch", "trace", NULL,
};

static struct test_server ts;

static void
setup(void)
{
  test_server_start(&ts, 1);
}

static void
teardown(void)
{
  test_server_stop(&ts);
}

/* The document as the handler serves it (no database needed). */
static json_t *
load_doc(void)
{
  struct reply rep;
  json_t *doc;

  handler_call(NULL, h_openapi_get, NULL, NULL, &rep);
  ck_assert_msg(200 == rep.status, "GET /openapi.json: status %u", rep.status);
  ck_assert_str_eq(CONTENT_TYPE_JSON, rep.content_type);
  doc = json_incref(rep.body);
  reply_clear(&rep);
  ck_assert(json_is_object(doc));
  return doc;
}

/* Follows a local "$ref" ("#/components/...") to its target; NULL when it
 * does not resolve. Returns @a node itself when it is not a reference. */
static json_t *
resolve(json_t *doc, json_t *node)
{
  for (int hops = 0; hops < 10; hops++) {
    const char *ref = json_string_value(json_object_get(node, "$ref"));
    char seg[256];

    if (NULL == ref)
      return node;
    if (0 != strncmp(ref, "#/", 2))
      return NULL;
    node = doc;
    for (const char *p = ref + 1; NULL != node && '/' == *p;) {
      size_t n = 0;

      for (p++; '\0' != *p && '/' != *p && n + 1 < sizeof seg; p++) {
        if ('~' == p[0] && '1' == p[1]) {
          seg[n++] = '/';
          p++;
        } else if ('~' == p[0] && '0' == p[1]) {
          seg[n++] = '~';
          p++;
        } else {
          seg[n++] = *p;
        }
      }
      seg[n] = '\0';
      node = json_object_get(node, seg);
    }
  }
  return NULL;
}

static json_t *
operation_of(json_t *doc, const char *pattern, const char *method)
{
  char lower[16];
  size_t i;

  for (i = 0; '\0' != method[i] && i + 1 < sizeof lower; i++)
    lower[i] = (char) tolower((unsigned char) method[i]);
  lower[i] = '\0';
  return json_object_get(json_object_get(json_object_get(doc, "paths"), pattern), lower);
}

static bool
is_http_method(const char *key)
{
  for (size_t i = 0; NULL != http_methods[i]; i++)
    if (0 == strcmp(http_methods[i], key))
      return true;
  return false;
}

static size_t
route_count(void)
{
  size_t n = 0;

  while (NULL != route_table[n].pattern)
    n++;
  return n;
}

/* Every "$ref" anywhere under @a node resolves within @a doc. */
static void
assert_refs_resolve(json_t *doc, json_t *node, const char *where)
{
  const char *key;
  json_t *value;
  size_t i;

  if (json_is_object(node)) {
    const char *ref = json_string_value(json_object_get(node, "$ref"));

    if (NULL != ref)
      ck_assert_msg(NULL != resolve(doc, node), "%s: $ref %s does not resolve", where, ref);
    json_object_foreach(node, key, value)
      assert_refs_resolve(doc, value, key);
  } else if (json_is_array(node)) {
    json_array_foreach(node, i, value)
      assert_refs_resolve(doc, value, where);
  }
}

START_TEST(document_is_openapi_3_1)
{
  json_t *doc = load_doc();
  json_t *info = json_object_get(doc, "info");

  ck_assert_str_eq("3.1.0", json_string_value(json_object_get(doc, "openapi")));
  ck_assert_str_eq("techpay", json_string_value(json_object_get(info, "title")));
  ck_assert_str_eq(TECHPAY_VERSION, json_string_value(json_object_get(info, "version")));
  ck_assert(json_is_string(json_object_get(info, "description")));
  ck_assert(json_is_array(json_object_get(doc, "servers")));
  ck_assert(json_is_object(json_object_get(json_object_get(doc, "components"), "schemas")));
  assert_refs_resolve(doc, doc, "(root)");
  json_decref(doc);
}
END_TEST

/* A route added to the table without being documented fails here. */
START_TEST(every_route_is_documented)
{
  json_t *doc = load_doc();

  for (const struct route *r = route_table; NULL != r->pattern; r++) {
    json_t *op = operation_of(doc, r->pattern, r->method);
    json_t *responses = json_object_get(op, "responses");
    /* the success answer: 200, 201 for a creation, 204 (no body) for a deletion */
    json_t *ok = resolve(doc, json_object_get(responses, "200"));
    json_t *content;

    if (NULL == ok)
      ok = resolve(doc, json_object_get(responses, "201"));
    ck_assert_msg(json_is_object(op), "%s %s is routed but not documented", r->method, r->pattern);
    ck_assert_msg(json_is_string(json_object_get(op, "operationId")), "%s: no operationId", r->pattern);
    ck_assert_msg(json_is_string(json_object_get(op, "summary")), "%s: no summary", r->pattern);
    if (NULL == ok) {
      ck_assert_msg(NULL != resolve(doc, json_object_get(responses, "204")), "%s %s: no success answer",
                    r->method, r->pattern);
      ck_assert_msg(r->auth, "%s %s: 204 outside the writes", r->method, r->pattern);
    }
    content = json_object_get(ok, "content");
    ck_assert_msg(NULL == ok || json_object_size(content) > 0, "%s %s: no content for its success",
                  r->method, r->pattern);
    /* writes name their credentials and what refusing them looks like */
    ck_assert_msg(r->auth == (NULL != json_object_get(op, "security")), "%s %s: security",
                  r->method, r->pattern);
    if (r->auth)
      ck_assert_msg(NULL != resolve(doc, json_object_get(responses, "401"))
                    && NULL != resolve(doc, json_object_get(responses, "403")),
                    "%s %s: no 401/403", r->method, r->pattern);
    if (BODY_JSON == r->body)
      ck_assert_msg(NULL != json_object_get(op, "requestBody")
                    && NULL != resolve(doc, json_object_get(responses, "422")),
                    "%s %s: no requestBody or 422", r->method, r->pattern);
    {
      const char *media;
      json_t *m;

      json_object_foreach(content, media, m)
        ck_assert_msg(NULL != json_object_get(m, "schema"), "%s: no schema for %s", r->pattern, media);
    }
    ck_assert_msg(r->list == (NULL != json_object_get(content, "text/csv")),
                  "%s: text/csv must be documented exactly for lists", r->pattern);
    /* what every route can answer: the server's conventions (the page's
     * files do not read Accept, so they never answer 406) */
    for (const char *const *status = (const char *const[]) { "400", "406", "500", "503", NULL };
         NULL != *status; status++)
      ck_assert_msg((r->page && 0 == strcmp("406", *status))
                    || NULL != resolve(doc, json_object_get(responses, *status)),
                    "%s: no %s response", r->pattern, *status);
    ck_assert_msg(NULL != json_object_get(json_object_get(resolve(doc, json_object_get(responses, "400")),
                                                          "content"), "application/problem+json"),
                  "%s: 400 is not a problem", r->pattern);
  }
  ck_assert_msg(json_is_object(operation_of(doc, "/openapi.json", "GET")),
                "the document does not list itself");
  json_decref(doc);
}
END_TEST

/* A documented operation that no route serves fails here. */
START_TEST(every_documented_operation_is_routed)
{
  json_t *doc = load_doc();
  const char *path;
  json_t *item;
  size_t documented = 0;

  json_object_foreach(json_object_get(doc, "paths"), path, item) {
    const char *key;
    json_t *op;
    size_t ops = 0;

    json_object_foreach(item, key, op) {
      bool routed = false;

      if (!is_http_method(key))
        continue;
      ops++;
      documented++;
      for (const struct route *r = route_table; NULL != r->pattern; r++)
        routed = routed || (0 == strcmp(r->pattern, path) && 0 == strcasecmp(r->method, key));
      ck_assert_msg(routed, "%s %s is documented but no route serves it", key, path);
    }
    ck_assert_msg(ops > 0, "%s is documented without an operation", path);
  }
  ck_assert_uint_eq(route_count(), documented);
  json_decref(doc);
}
END_TEST

START_TEST(operation_ids_are_unique)
{
  json_t *doc = load_doc();
  json_t *seen = json_object();
  const char *path;
  json_t *item;

  json_object_foreach(json_object_get(doc, "paths"), path, item) {
    const char *key;
    json_t *op;

    json_object_foreach(item, key, op) {
      const char *id;

      if (!is_http_method(key))
        continue;
      id = json_string_value(json_object_get(op, "operationId"));
      ck_assert_msg(NULL != id, "%s %s has no operationId", key, path);
      ck_assert_msg(NULL == json_object_get(seen, id), "operationId %s used twice", id);
      json_object_set_new(seen, id, json_true());
    }
  }
  json_decref(seen);
  json_decref(doc);
}
END_TEST

/* Each row of the error registry is one kind of the Problem schema, with
 * the same type, title and status, and nothing else is. */
START_TEST(every_problem_is_documented)
{
  json_t *doc = load_doc();
  json_t *problem = json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"),
                                    "Problem");
  json_t *kinds = json_object_get(problem, "oneOf");

  ck_assert_msg(json_is_array(kinds), "Problem has no oneOf list of kinds");
  ck_assert_uint_eq(PROBLEM__COUNT, json_array_size(kinds));
  for (int id = 0; id < PROBLEM__COUNT; id++) {
    const struct problem_def *def = problem_get((enum problem_id) id);
    char type[96];
    bool found = false;
    json_t *kind;
    size_t i;

    snprintf(type, sizeof type, "/problems/%s", def->slug);
    json_array_foreach(kinds, i, kind) {
      json_t *props = json_object_get(resolve(doc, kind), "properties");
      const char *t = json_string_value(json_object_get(json_object_get(props, "type"), "const"));

      if (NULL == t || 0 != strcmp(t, type))
        continue;
      found = true;
      ck_assert_str_eq(def->title,
                       json_string_value(json_object_get(json_object_get(props, "title"), "const")));
      ck_assert_int_eq((json_int_t) def->status,
                       json_integer_value(json_object_get(json_object_get(props, "status"), "const")));
    }
    ck_assert_msg(found, "%s is not documented", type);
  }
  json_decref(doc);
}
END_TEST

/* ------------------------------------------------------------------ HTTP */

static void
append(char *buf, size_t size, const char *s)
{
  size_t len = strlen(buf);

  ck_assert_msg(len + strlen(s) < size, "target too long: %s%s", buf, s);
  memcpy(buf + len, s, strlen(s) + 1);
}

/* Percent-encodes @a s (letters, digits and "-._~," stay as they are). */
static void
append_encoded(char *buf, size_t size, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const unsigned char *p = (const unsigned char *) s; '\0' != *p; p++) {
    char one[4] = { (char) *p, '\0' };

    if (!isalnum(*p) && NULL == strchr("-._~,", *p)) {
      one[0] = '%';
      one[1] = hex[*p >> 4];
      one[2] = hex[*p & 15];
      one[3] = '\0';
    }
    append(buf, size, one);
  }
}

/* A scalar example as query text. */
static void
scalar_text(const json_t *v, char *out, size_t size, const char *name)
{
  if (json_is_string(v))
    snprintf(out, size, "%s", json_string_value(v));
  else if (json_is_integer(v))
    snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
  else if (json_is_boolean(v))
    snprintf(out, size, "%s", json_is_true(v) ? "true" : "false");
  else
    ck_abort_msg("parameter %s: example of unexpected type", name);
}

/* "&name=example" (an array example repeats the parameter, form/explode). */
static void
append_param(char *buf, size_t size, const json_t *param)
{
  const char *name = json_string_value(json_object_get(param, "name"));
  const json_t *example = json_object_get(param, "example");
  char text[512];

  ck_assert_msg(NULL != example, "parameter %s has no example", name);
  for (size_t i = 0; i < (json_is_array(example) ? json_array_size(example) : 1); i++) {
    scalar_text(json_is_array(example) ? json_array_get(example, i) : example, text, sizeof text,
                name);
    append(buf, size, strchr(buf, '?') ? "&" : "?");
    append_encoded(buf, size, name);
    append(buf, size, "=");
    append_encoded(buf, size, text);
  }
}

/* The parameters of an operation: those of its path, then its own,
 * references resolved; a new array of borrowed objects. */
static json_t *
parameters_of(json_t *doc, const char *pattern, json_t *op)
{
  json_t *all = json_array();
  json_t *lists[2] = {
    json_object_get(json_object_get(json_object_get(doc, "paths"), pattern), "parameters"),
    json_object_get(op, "parameters"),
  };

  for (size_t l = 0; l < 2; l++) {
    json_t *p;
    size_t i;

    json_array_foreach(lists[l], i, p) {
      json_t *param = resolve(doc, p);

      ck_assert_msg(json_is_object(param), "%s: a parameter does not resolve", pattern);
      json_array_append(all, param);
    }
  }
  return all;
}

/* The path with its placeholders replaced by their examples, and the
 * required query parameters. */
static void
base_target(const char *pattern, json_t *params, char *buf, size_t size)
{
  json_t *p;
  size_t i;

  buf[0] = '\0';
  for (const char *c = pattern; '\0' != *c;) {
    if ('{' == *c) {
      const char *end = strchr(c, '}');
      bool found = false;

      ck_assert_ptr_nonnull(end);
      json_array_foreach(params, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        char text[256];

        if (0 != strcmp("path", json_string_value(json_object_get(p, "in")))
            || strlen(name) != (size_t) (end - c - 1) || 0 != strncmp(name, c + 1, strlen(name)))
          continue;
        ck_assert_msg(json_is_true(json_object_get(p, "required")), "%s: path parameter %s not required",
                      pattern, name);
        scalar_text(json_object_get(p, "example"), text, sizeof text, name);
        append_encoded(buf, size, text);
        found = true;
      }
      ck_assert_msg(found, "%s: placeholder not documented as a path parameter", pattern);
      c = end + 1;
    } else {
      char one[2] = { *c++, '\0' };

      append(buf, size, one);
    }
  }
  json_array_foreach(params, i, p)
    if (0 == strcmp("query", json_string_value(json_object_get(p, "in")))
        && json_is_true(json_object_get(p, "required")))
      append_param(buf, size, p);
}

static void
expect_status(const char *target, int want)
{
  struct http_response r;

  ck_assert_int_eq(0, http_request(ts.port, "GET", target, &r));
  ck_assert_msg(want == r.status, "GET %s: status %d, expected %d: %.300s", target, r.status, want,
                r.body);
  http_response_free(&r);
}

/* Every documented parameter, given its example value, is accepted (200). */
START_TEST(documented_parameters_are_accepted)
{
  json_t *doc = load_doc();

  for (const struct route *r = route_table; NULL != r->pattern; r++) {
    json_t *op = operation_of(doc, r->pattern, r->method);
    json_t *params;
    char base[TARGET_MAX];
    json_t *p;
    size_t i;

    /* probed with GET, which this server (no tokens) answers for reads only */
    if (r->auth || 0 != strcmp("GET", r->method))
      continue;
    params = parameters_of(doc, r->pattern, op);
    base_target(r->pattern, params, base, sizeof base);
    expect_status(base, 200);
    json_array_foreach(params, i, p) {
      char target[TARGET_MAX];

      if (0 != strcmp("query", json_string_value(json_object_get(p, "in")))
          || json_is_true(json_object_get(p, "required")))
        continue;
      snprintf(target, sizeof target, "%s", base);
      append_param(target, sizeof target, p);
      expect_status(target, 200);
    }
    json_decref(params);
  }
  json_decref(doc);
}
END_TEST

/* A parameter the document does not list is a 400 naming it. */
START_TEST(undocumented_parameter_is_refused)
{
  json_t *doc = load_doc();

  for (const struct route *r = route_table; NULL != r->pattern; r++) {
    json_t *params;
    char target[TARGET_MAX];
    struct http_response resp;
    json_t *body;

    /* the page's query is its own state, which its script reads */
    if (r->auth || r->page || 0 != strcmp("GET", r->method))
      continue;
    params = parameters_of(doc, r->pattern, operation_of(doc, r->pattern, r->method));
    base_target(r->pattern, params, target, sizeof target);
    append(target, sizeof target, strchr(target, '?') ? "&" : "?");
    append(target, sizeof target, "undocumented_parameter=1");
    ck_assert_int_eq(0, http_request(ts.port, "GET", target, &resp));
    ck_assert_msg(400 == resp.status, "GET %s: status %d", target, resp.status);
    body = http_json(&resp);
    ck_assert_str_eq("/problems/unknown-parameter", json_string_value(json_object_get(body, "type")));
    ck_assert_str_eq("undocumented_parameter", json_string_value(json_object_get(body, "parameter")));
    json_decref(body);
    http_response_free(&resp);
    json_decref(params);
  }
  json_decref(doc);
}
END_TEST

START_TEST(served_over_http)
{
  json_t *doc = load_doc();
  struct http_response r;
  json_t *body;
  char *type;

  ck_assert_int_eq(0, http_request(ts.port, "GET", "/openapi.json", &r));
  ck_assert_int_eq(200, r.status);
  type = http_header(&r, "Content-Type");
  ck_assert_ptr_nonnull(type);
  ck_assert_str_eq(JSON_TYPE, type);
  free(type);
  body = http_json(&r);
  ck_assert_msg(json_equal(doc, body), "the served document differs from the built-in one");
  json_decref(body);
  http_response_free(&r);
  json_decref(doc);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("openapi");
  TCase *tc = tcase_create("document");
  TCase *http = tcase_create("http");

  tcase_add_test(tc, document_is_openapi_3_1);
  tcase_add_test(tc, every_route_is_documented);
  tcase_add_test(tc, every_documented_operation_is_routed);
  tcase_add_test(tc, operation_ids_are_unique);
  tcase_add_test(tc, every_problem_is_documented);
  suite_add_tcase(s, tc);
  tcase_set_timeout(http, 60);
  tcase_add_checked_fixture(http, setup, teardown);
  tcase_add_test(http, documented_parameters_are_accepted);
  tcase_add_test(http, undocumented_parameter_is_refused);
  tcase_add_test(http, served_over_http);
  suite_add_tcase(s, http);
  return run_suite(s);
}
