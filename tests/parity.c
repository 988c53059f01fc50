/**
 * @file tests/parity.c
 * @brief Comparing the answers of techpayd on PostgreSQL and on SQLite.
 */
#include "tests/parity.h"

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

static void
assert_same_header(const struct http_response *a, const struct http_response *b,
                   const char *name, const char *what)
{
  char *x = http_header(a, name);
  char *y = http_header(b, name);

  ck_assert_msg((NULL == x && NULL == y) || (NULL != x && NULL != y && 0 == strcmp(x, y)),
                "%s: %s %s on PostgreSQL, %s on SQLite", what, name, x ? x : "(none)",
                y ? y : "(none)");
  free(x);
  free(y);
}

void
parity_assert_same(struct child_server *pg_srv, struct child_server *sqlite_srv, const char *url,
                   const char *headers)
{
  struct http_response pg;
  struct http_response lite;
  char what[600];

  snprintf(what, sizeof what, "GET %s [%.*s]", url, (int) strcspn(headers, "\r"), headers);
  ck_assert_int_eq(0, http_send(child_server_port(pg_srv), "GET", url, headers, NULL, &pg));
  ck_assert_int_eq(0, http_send(child_server_port(sqlite_srv), "GET", url, headers, NULL,
                                &lite));
  ck_assert_msg(pg.status == lite.status, "%s: status %d on PostgreSQL, %d on SQLite", what,
                pg.status, lite.status);
  if (pg.body_len != lite.body_len || 0 != memcmp(pg.body, lite.body, pg.body_len)) {
    size_t at = 0;
    size_t from;

    while (at < pg.body_len && at < lite.body_len && pg.body[at] == lite.body[at])
      at++;
    from = at > 200 ? at - 200 : 0; /* from a little before the first byte that differs */
    ck_abort_msg("%s: bodies differ at byte %zu\nPostgreSQL: ...%.400s\nSQLite:     ...%.400s",
                 what, at, pg.body + from, lite.body + from);
  }
  assert_same_header(&pg, &lite, "ETag", what);
  assert_same_header(&pg, &lite, "Content-Type", what);
  http_response_free(&pg);
  http_response_free(&lite);
}

static int
by_text(const void *a, const void *b)
{
  return strcmp(*(const char *const *) a, *(const char *const *) b);
}

char *
parity_matches(struct child_server *srv, const char *url)
{
  struct http_response r;
  json_t *body;
  json_t *data;
  const char *slugs[128];
  size_t n;
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);

  http_fetch(child_server_port(srv), "GET", url, "", 200, &r);
  body = http_json(&r);
  data = json_object_get(body, "data");
  n = json_array_size(data);
  ck_assert_uint_le(n, sizeof slugs / sizeof slugs[0]);
  for (size_t i = 0; i < n; i++)
    slugs[i] = json_string_value(json_object_get(json_array_get(data, i), "slug"));
  qsort(slugs, n, sizeof slugs[0], by_text);
  for (size_t i = 0; i < n; i++)
    fprintf(out, "%s ", slugs[i]);
  fprintf(out, "total %lld",
          (long long) json_integer_value(json_object_get(json_object_get(body, "meta"), "total")));
  fclose(out);
  json_decref(body);
  http_response_free(&r);
  return text;
}

