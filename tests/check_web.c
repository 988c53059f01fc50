/**
 * @file tests/check_web.c
 * @brief The web page at / and its assets at /assets/{name}, over real
 *        HTTP: types, the Content-Security-Policy, entity tags, gzip, and
 *        that the page needs nothing the binary does not carry.
 *        (tests/web/ drives the page itself in a browser.)
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "tests/harness.h"
#include "web/web_files.h"

#define HTML_TYPE "text/html; charset=utf-8"
#define PAGE_CSP \
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

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

static const struct embedded_file *
file_named(const char *name)
{
  const struct embedded_file *f = web_files_find(name);

  ck_assert_msg(NULL != f, "%s is not embedded", name);
  return f;
}

/* Asserts @a r carries exactly the bytes of embedded file @a name. */
static void
assert_body_is(const struct http_response *r, const char *name)
{
  const struct embedded_file *f = file_named(name);

  ck_assert_uint_eq(f->len, r->body_len);
  ck_assert(0 == memcmp(f->bytes, r->body, f->len));
}

START_TEST(every_file_has_a_type)
{
  ck_assert_uint_gt(web_files_count, 2);
  for (size_t i = 0; i < web_files_count; i++)
    ck_assert_msg(NULL != web_content_type(web_files[i].name), "%s: no Content-Type for it",
                  web_files[i].name);
  ck_assert_str_eq(HTML_TYPE, web_content_type("index.html"));
  ck_assert_str_eq("text/javascript; charset=utf-8", web_content_type("app.js"));
  ck_assert_str_eq("text/css; charset=utf-8", web_content_type("style.css"));
  ck_assert_ptr_null(web_content_type("js"));
  ck_assert_ptr_null(web_content_type("notes.txt"));
}
END_TEST

/* Every "/assets/NAME" the page names and every "./NAME.js" a module
 * imports is embedded: a file left out of web/meson.build fails here. */
START_TEST(every_reference_is_embedded)
{
  size_t refs = 0;

  for (size_t i = 0; i < web_files_count; i++) {
    static const char *const prefixes[] = { "\"/assets/", "'./" };
    const char *text = (const char *) web_files[i].bytes;

    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
      for (const char *at = strstr(text, prefixes[p]); NULL != at; at = strstr(at + 1, prefixes[p])) {
        const char *name = at + strlen(prefixes[p]);
        size_t len = strcspn(name, "\"'?#");
        char buf[64];

        ck_assert_uint_lt(len, sizeof buf);
        memcpy(buf, name, len);
        buf[len] = '\0';
        ck_assert_msg(NULL != web_files_find(buf), "%s names %s, which is not embedded",
                      web_files[i].name, buf);
        refs++;
      }
    }
  }
  ck_assert_uint_ge(refs, web_files_count - 1); /* every file but the page is referenced */
}
END_TEST

/* The policy allows no inline script or style: the page must need none. */
START_TEST(page_has_no_inline_script_or_style)
{
  const char *page = (const char *) file_named("index.html")->bytes;

  ck_assert_ptr_null(strstr(page, "<style"));
  ck_assert_ptr_null(strstr(page, " style="));
  ck_assert_ptr_null(strstr(page, " onclick="));
  ck_assert_ptr_null(strstr(page, " onload="));
  for (const char *s = strstr(page, "<script"); NULL != s; s = strstr(s + 1, "<script")) {
    const char *end = strchr(s, '>');

    ck_assert_ptr_nonnull(end);
    ck_assert_msg(NULL != memmem(s, (size_t) (end - s), " src=", 5), "an inline <script>");
    ck_assert_msg(0 == strncmp(end, "></script>", 10), "a <script> with content");
  }
}
END_TEST

START_TEST(page_is_served_at_the_root)
{
  struct http_response r;

  http_fetch(ts.port, "GET", "/", "", 200, &r);
  http_assert_header(&r, "Content-Type", HTML_TYPE);
  http_assert_header(&r, "Content-Security-Policy", PAGE_CSP);
  http_assert_header(&r, "Referrer-Policy", "no-referrer");
  http_assert_header(&r, "X-Frame-Options", "DENY");
  http_assert_header(&r, "X-Content-Type-Options", "nosniff");
  /* unversioned asset names: a new binary must be seen at once */
  http_assert_header(&r, "Cache-Control", "no-cache");
  assert_body_is(&r, "index.html");
  http_response_free(&r);
}
END_TEST

/* The query is the page's state and Accept does not choose its type: the
 * same entity, with the same tag, whatever either says. */
START_TEST(page_ignores_query_and_accept)
{
  struct http_response a;
  struct http_response b;
  char *tag_a;
  char *tag_b;

  http_fetch(ts.port, "GET", "/", "", 200, &a);
  http_fetch(ts.port, "GET", "/?min_pay=abc&format=csv&compare=a,b&unknown=1",
             "Accept: application/json\r\n", 200, &b);
  http_assert_header(&b, "Content-Type", HTML_TYPE);
  tag_a = http_header(&a, "ETag");
  tag_b = http_header(&b, "ETag");
  ck_assert_ptr_nonnull(tag_a);
  ck_assert_str_eq(tag_a, tag_b);
  assert_body_is(&b, "index.html");
  free(tag_a);
  free(tag_b);
  http_response_free(&a);
  http_response_free(&b);
}
END_TEST

START_TEST(page_answers_304_head_and_gzip)
{
  struct http_response r;
  char headers[128];
  char *tag;

  http_fetch(ts.port, "GET", "/", "", 200, &r);
  tag = http_header(&r, "ETag");
  http_response_free(&r);
  snprintf(headers, sizeof headers, "If-None-Match: %s\r\n", tag);
  http_fetch(ts.port, "GET", "/?view=skills", headers, 304, &r);
  ck_assert_uint_eq(0, r.body_len);
  http_assert_header(&r, "ETag", tag);
  http_response_free(&r);
  http_fetch(ts.port, "HEAD", "/", "", 200, &r);
  ck_assert_uint_eq(0, r.body_len);
  http_assert_header(&r, "Content-Type", HTML_TYPE);
  http_response_free(&r);
  /* the page is over 1 KiB, so it is worth compressing */
  ck_assert_uint_gt(file_named("index.html")->len, 1024);
  http_fetch(ts.port, "GET", "/", "Accept-Encoding: gzip\r\n", 200, &r);
  http_assert_header(&r, "Content-Encoding", "gzip");
  ck_assert_uint_lt(r.body_len, file_named("index.html")->len);
  ck_assert_ptr_nonnull(strstr(r.headers, "-gz\""));
  http_response_free(&r);
  free(tag);
}
END_TEST

START_TEST(assets_have_their_types)
{
  struct http_response r;

  http_fetch(ts.port, "GET", "/assets/app.js", "", 200, &r);
  http_assert_header(&r, "Content-Type", "text/javascript; charset=utf-8");
  http_assert_header(&r, "Cache-Control", "no-cache");
  assert_body_is(&r, "app.js");
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/assets/style.css?v=2", "Accept: text/css,*/*;q=0.1\r\n", 200, &r);
  http_assert_header(&r, "Content-Type", "text/css; charset=utf-8");
  assert_body_is(&r, "style.css");
  http_response_free(&r);
}
END_TEST

START_TEST(unknown_assets_are_problems)
{
  static const char *const targets[] = {
    "/assets/nothing.js", "/assets/index.html", "/assets/", "/assets/app.js/x", "/assets/..%2Fapp.js",
  };

  for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
    struct http_response r;

    http_fetch(ts.port, "GET", targets[i], "", 404, &r);
    http_assert_header(&r, "Content-Type", "application/problem+json; charset=utf-8");
    http_response_free(&r);
  }
}
END_TEST

/* The JSON index moved from / to /api; nothing else moved. */
START_TEST(the_index_is_at_api)
{
  struct http_response r;
  json_t *j;

  http_fetch(ts.port, "GET", "/api", "", 200, &r);
  http_assert_header(&r, "Content-Type", "application/json; charset=utf-8");
  j = http_json(&r);
  ck_assert_str_eq("techpay", json_string_value(json_object_get(j, "name")));
  json_decref(j);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/api", "Accept: text/html\r\n", 406, &r);
  http_response_free(&r);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("web");
  TCase *files = tcase_create("files");
  TCase *http = tcase_create("http");

  tcase_add_test(files, every_file_has_a_type);
  tcase_add_test(files, every_reference_is_embedded);
  tcase_add_test(files, page_has_no_inline_script_or_style);
  suite_add_tcase(s, files);
  tcase_set_timeout(http, 30);
  tcase_add_checked_fixture(http, setup, teardown);
  tcase_add_test(http, page_is_served_at_the_root);
  tcase_add_test(http, page_ignores_query_and_accept);
  tcase_add_test(http, page_answers_304_head_and_gzip);
  tcase_add_test(http, assets_have_their_types);
  tcase_add_test(http, unknown_assets_are_problems);
  tcase_add_test(http, the_index_is_at_api);
  suite_add_tcase(s, http);
  return run_suite(s);
}
