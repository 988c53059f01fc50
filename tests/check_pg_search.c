/**
 * @file tests/check_pg_search.c
 * @brief GET /roles?q= matches the same roles on PostgreSQL as on SQLite
 *        for every word of every role, its two- and three-letter
 *        prefixes, every title, and the words the two engines' own
 *        tokenizers used to read differently.
 *
 * Sorted by relevance only the set of matches (and the total) must be
 * equal, since bm25 and ts_rank score differently; sorted by title the
 * answers must be the same bytes with the same ETag. Roles with accented,
 * hyphenated, Greek and oddly stemmed words are written through POST
 * /roles on both engines first, so their words are asked too.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db/pg_conn.h"
#include "tests/child.h"
#include "tests/harness.h"
#include "tests/parity.h"
#include "tests/pg_server.h"

#define TOKEN "search-token-0123456789abcdef"
#define WRITE_HEADERS "Authorization: Bearer " TOKEN "\r\nContent-Type: application/json\r\n"
#define MAX_QUERIES 4096

static struct pg_server server;
static struct child_server pg_srv;
static struct child_server sqlite_srv;

/* Roles whose words FTS5 and PostgreSQL's own parser and stemmer read
 * differently: diacritics (precomposed and combining), Greek capitals,
 * hyphens, slashes, C++, typographic dashes and quotes, and words where
 * Porter and Snowball stem otherwise. */
static const char *const roles[] = {
  "{\"slug\":\"cafe-engineer\",\"title\":\"Café Naïve Résumé Engineer\",\"category\":\"Test\","
  "\"summary\":\"Ångström crème brûlée Łódź Dvořák Søren Ærø Straße œuvre cafe\\u0301 "
  "über-résumé full-stack\"}",
  "{\"slug\":\"greek-engineer\",\"title\":\"ΣΟΦΙΑ Σοφία Engineer\",\"category\":\"Test\","
  "\"summary\":\"Ελληνικά — dash’quote «guillemets» non\\u00a0breaking x×y 10½ ²squared\"}",
  "{\"slug\":\"stem-engineer\",\"title\":\"C++/CI-CD Trekking Possibly\",\"category\":\"Test\","
  "\"summary\":\"grokked technology technologies visibly horribly ably eed ies sses "
  "generously relational conditional hopefulness\"}",
};

/* Queries known to be hard besides the words themselves. */
static const char *const hard[] = {
  "ar vr", "AR/VR", "ar/vr", "c++", "C++", "ci/cd", "ci cd", "CI-CD", "cd", "full-stack",
  "full stack", "know-how", "cafe", "café", "CAFÉ", "cafe\xcc\x81", "naive", "naïve", "resume",
  "über-résumé", "uber resume", "angstrom", "ångström", "lodz", "dvorak", "soren", "aero",
  "strasse", "straße", "oeuvre", "œuvre", "σοφια", "ΣΟΦΙΑ", "σοφ", "ελληνικα", "dash’quote",
  "dash", "quote", "guillemets", "non\xc2\xa0" "breaking", "x×y", "10½", "squared", "²",
  "trek", "trekking", "trekked", "grok", "grokking", "possible", "possibly", "visible",
  "horrible", "technologies", "technology", "technolog", "eed", "ies", "sses", "generous",
  "relate", "condition", "hope", "—", "— dash", "engineer —", "x", "e\xcc\x81",
};

static void
start_both(struct child_scratch *cs)
{
  char err[512];
  char conninfo[512];
  /* no access log: nobody reads the child's stdout, whose pipe would fill */
  char *const extra[] = { "--admin-token-file", cs->token_path, "--access-log", "off", NULL };
  PGconn *admin = pg_conn_open(server.conninfo, err, sizeof err);

  ck_assert_msg(NULL != admin, "%s", err);
  PQclear(PQexec(admin, "CREATE DATABASE search"));
  PQfinish(admin);
  pg_server_conninfo(&server, "search", conninfo, sizeof conninfo);
  child_scratch_create(cs, "techpay.db", TOKEN);
  child_server_start(&pg_srv, conninfo, extra, NULL);
  child_server_start(&sqlite_srv, cs->db.path, extra, NULL);
}

struct queries {
  char *text[MAX_QUERIES];
  size_t n;
};

static void
add_query(struct queries *q, const char *text, size_t len)
{
  if (0 == len)
    return;
  for (size_t i = 0; i < q->n; i++)
    if (strlen(q->text[i]) == len && 0 == memcmp(q->text[i], text, len))
      return;
  ck_assert_uint_lt(q->n, MAX_QUERIES);
  q->text[q->n++] = strndup(text, len);
}

static int
word_byte(unsigned char c)
{
  return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Each word of @a text (ASCII letters and digits, and any non-ASCII
 * bytes, as the handler reads q=), and its first two and three bytes. */
static void
add_words(struct queries *q, const char *text)
{
  const char *p = text;

  while ('\0' != *p) {
    size_t len = 0;

    while ('\0' != *p && !word_byte((unsigned char) *p))
      p++;
    while (word_byte((unsigned char) p[len]))
      len++;
    add_query(q, p, len);
    for (size_t k = 2; k <= 3 && k < len; k++)
      if ((unsigned char) p[k] < 0x80 || (unsigned char) p[k] >= 0xc0)
        add_query(q, p, k);
    p += len;
  }
}

/* The words and titles of every role, as SQLite answers GET /roles. */
static void
collect(struct queries *q)
{
  struct http_response r;
  json_t *body;
  json_t *role;
  size_t i;

  http_fetch(child_server_port(&sqlite_srv), "GET", "/roles?limit=100&sort=title", "", 200, &r);
  body = http_json(&r);
  json_array_foreach(json_object_get(body, "data"), i, role) {
    const char *title = json_string_value(json_object_get(role, "title"));

    add_query(q, title, strlen(title));
    add_words(q, title);
    add_words(q, json_string_value(json_object_get(role, "summary")));
  }
  json_decref(body);
  http_response_free(&r);
  for (i = 0; i < sizeof hard / sizeof hard[0]; i++)
    add_query(q, hard[i], strlen(hard[i]));
}

/* /roles?q=<text, percent-encoded>&limit=100&sort=@a sort */
static char *
search_url(const char *text, const char *sort)
{
  char *url = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&url, &len);

  fputs("/roles?q=", out);
  for (const unsigned char *p = (const unsigned char *) text; '\0' != *p; p++)
    if (word_byte(*p) && *p < 0x80)
      fputc(*p, out);
    else
      fprintf(out, "%%%02X", *p);
  fprintf(out, "&limit=100&sort=%s", sort);
  fclose(out);
  return url;
}

START_TEST(test_same_matches)
{
  struct child_scratch cs;
  struct queries q = { .n = 0 };
  unsigned matched = 0;

  start_both(&cs);
  for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
    struct http_response pg;
    struct http_response lite;

    http_fetch_body(child_server_port(&pg_srv), "POST", "/roles", WRITE_HEADERS, roles[i], 201,
                    &pg);
    http_fetch_body(child_server_port(&sqlite_srv), "POST", "/roles", WRITE_HEADERS, roles[i],
                    201, &lite);
    http_response_free(&pg);
    http_response_free(&lite);
  }
  collect(&q);
  for (size_t i = 0; i < q.n; i++) {
    char *relevance = search_url(q.text[i], "relevance");
    char *title = search_url(q.text[i], "title");
    struct http_response r;

    http_send(child_server_port(&sqlite_srv), "GET", relevance, "", NULL, &r);
    if (200 == r.status) {
      char *pg = parity_matches(&pg_srv, relevance);
      char *lite = parity_matches(&sqlite_srv, relevance);

      ck_assert_msg(0 == strcmp(pg, lite), "q=%s: %s on PostgreSQL, %s on SQLite", q.text[i],
                    pg, lite);
      matched += NULL == strstr(lite, "total 0");
      free(pg);
      free(lite);
    }
    http_response_free(&r);
    /* refusals (a q= without words) must be the same too */
    parity_assert_same(&pg_srv, &sqlite_srv, title, "");
    free(relevance);
    free(title);
    free(q.text[i]);
  }
  printf("pg_search: %zu queries compared, %u of them matching some role\n", q.n, matched);
  ck_assert_uint_gt(matched, q.n / 2);
  child_server_stop(&pg_srv);
  child_server_stop(&sqlite_srv);
  child_scratch_remove(&cs);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pg_search");
  TCase *tc = tcase_create("core");
  int rc;

  pg_server_start_or_exit(&server, "check_pg_search");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_same_matches);
  suite_add_tcase(s, tc);
  rc = run_suite(s);
  pg_server_stop(&server);
  return rc;
}
