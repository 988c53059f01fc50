/**
 * @file tests/check_conventions.c
 * @brief What every endpoint gets from the server, over real HTTP: entity
 *        tags and 304, Cache-Control, CORS and preflight, CSV, gzip, 406,
 *        and the index at GET /api.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <zlib.h>

#include "http/daemon.h"
#include "http/router.h"
#include "tests/harness.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define PROBLEM_TYPE "application/problem+json; charset=utf-8"
#define CSV_TYPE "text/csv; charset=utf-8"
#define ORIGIN "https://app.example.com:8443"

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

/* Asserts header @a name is present and contains @a part. */
static void
assert_header_has(const struct http_response *r, const char *name, const char *part)
{
  char *v = http_header(r, name);

  ck_assert_msg(NULL != v, "%s missing in\n%s", name, r->headers);
  ck_assert_msg(NULL != strstr(v, part), "%s: '%s' lacks '%s'", name, v, part);
  free(v);
}

static char *
etag_of(const struct http_response *r)
{
  char *etag = http_header(r, "ETag");

  ck_assert_msg(NULL != etag, "no ETag in\n%s", r->headers);
  return etag;
}

START_TEST(etag_is_stable_and_answers_304)
{
  struct http_response r;
  char *etag;
  char *again;
  char *length;
  char hdr[256];

  http_fetch(ts.port, "GET", "/roles?sort=pay", "", 200, &r);
  etag = etag_of(&r);
  length = http_header(&r, "Content-Length");
  /* a strong tag: quoted 16 hex digits */
  ck_assert_uint_eq(18, strlen(etag));
  ck_assert_int_eq('"', etag[0]);
  ck_assert_uint_eq(16, strspn(etag + 1, "0123456789abcdef"));
  http_assert_header(&r, "Cache-Control", "public, max-age=30");
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles?sort=pay", "", 200, &r);
  again = etag_of(&r);
  ck_assert_str_eq(etag, again);
  http_response_free(&r);
  free(again);

  snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
  http_fetch(ts.port, "GET", "/roles?sort=pay", hdr, 304, &r);
  ck_assert_uint_eq(0, r.body_len);
  http_assert_header(&r, "ETag", etag);
  http_assert_header(&r, "Cache-Control", "public, max-age=30");
  assert_header_has(&r, "Vary", "Accept-Encoding");
  http_assert_header(&r, "Access-Control-Allow-Origin", "*");
  http_assert_header(&r, "Content-Type", NULL);
  /* a Content-Length in a 304 must be the 200's (RFC 9110 8.6), never 0 */
  http_assert_header(&r, "Content-Length", length);
  http_response_free(&r);
  free(length);
  free(etag);
}
END_TEST

START_TEST(if_none_match_forms)
{
  struct http_response r;
  char *etag;
  char hdr[256];

  http_fetch(ts.port, "GET", "/roles?sort=pay", "", 200, &r);
  etag = etag_of(&r);
  http_response_free(&r);
  /* lists, weak comparison and "*" */
  snprintf(hdr, sizeof hdr, "If-None-Match: \"nope\", W/%s\r\n", etag);
  http_fetch(ts.port, "GET", "/roles?sort=pay", hdr, 304, &r);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles?sort=pay", "If-None-Match: *\r\n", 304, &r);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles?sort=pay", "If-None-Match: \"0000000000000000\"\r\n", 200, &r);
  ck_assert_uint_gt(r.body_len, 0);
  http_response_free(&r);
  /* HEAD too */
  snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
  http_fetch(ts.port, "HEAD", "/roles?sort=pay", hdr, 304, &r);
  http_response_free(&r);
  /* another URL is another entity */
  http_fetch(ts.port, "GET", "/roles?sort=title", hdr, 200, &r);
  http_response_free(&r);
  free(etag);
}
END_TEST

START_TEST(changed_data_changes_the_etag)
{
  struct http_response r;
  char *before;
  char *after;
  char hdr[256];

  http_fetch(ts.port, "GET", "/roles?sort=pay&limit=1", "", 200, &r);
  before = etag_of(&r);
  http_response_free(&r);
  scratch_db_exec(&ts.db,
    "INSERT INTO salaries (role_id, amount_usd, kind, statistic, source_id, section)"
    " SELECT id, 300000, 'base', 'average', 1, 'test' FROM roles WHERE slug = 'cloud-architect'");
  http_await_body(ts.port, "/roles?sort=pay&limit=1", "cloud-architect");
  snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", before);
  http_fetch(ts.port, "GET", "/roles?sort=pay&limit=1", hdr, 200, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "cloud-architect"));
  after = etag_of(&r);
  ck_assert_str_ne(before, after);
  http_response_free(&r);
  snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", after);
  http_fetch(ts.port, "GET", "/roles?sort=pay&limit=1", hdr, 304, &r);
  http_response_free(&r);
  free(before);
  free(after);
}
END_TEST

START_TEST(cache_control_by_kind_of_answer)
{
  struct http_response r;

  http_fetch(ts.port, "GET", "/roles/cloud-architect", "", 200, &r);
  http_assert_header(&r, "Cache-Control", "public, max-age=30");
  http_assert_header(&r, "Vary", "Accept-Encoding"); /* not a list: Accept changes nothing */
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles", "", 200, &r);
  http_assert_header(&r, "Vary", "Accept, Accept-Encoding");
  http_response_free(&r);
  /* the health check must never be answered from a cache without asking */
  http_fetch(ts.port, "GET", "/healthz", "", 200, &r);
  http_assert_header(&r, "Cache-Control", "no-cache");
  free(etag_of(&r)); /* still tagged */
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles/no-such-role", "", 404, &r);
  http_assert_header(&r, "Cache-Control", "no-store");
  http_assert_header(&r, "ETag", NULL);
  http_response_free(&r);
}
END_TEST

START_TEST(cors_on_every_answer)
{
  static const struct { const char *method; const char *target; const char *headers; int status; }
  cases[] = {
    { "GET", "/roles", "", 200 },
    { "GET", "/roles?sort=bogus", "", 400 },
    { "GET", "/nothing-here", "", 404 },
    { "DELETE", "/roles", "", 405 },
    { "GET", "/roles", "If-None-Match: *\r\n", 304 },
    { "GET", "/roles?format=csv", "", 200 },
    { "GET", "/roles", "Accept: image/png\r\n", 406 },
    { "HEAD", "/roles", "Accept-Encoding: gzip\r\n", 200 },
    { "OPTIONS", "/roles", "", 204 },
  };
  struct http_response r;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    http_fetch(ts.port, cases[i].method, cases[i].target, cases[i].headers, cases[i].status, &r);
    http_assert_header(&r, "Access-Control-Allow-Origin", "*");
    assert_header_has(&r, "Access-Control-Expose-Headers", "ETag");
    assert_header_has(&r, "Access-Control-Expose-Headers", "Link");
    assert_header_has(&r, "Access-Control-Expose-Headers", "Retry-After");
    http_response_free(&r);
  }
}
END_TEST

START_TEST(preflight)
{
  struct http_response r;

  http_fetch(ts.port, "OPTIONS", "/roles",
        "Origin: https://x.example\r\nAccess-Control-Request-Method: GET\r\n"
        "Access-Control-Request-Headers: X-Evil\r\n", 204, &r);
  ck_assert_uint_eq(0, r.body_len);
  /* without --cors-write-origin no page of another origin may write or send a token
   * (tests/check_cors.c) */
  http_assert_header(&r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
  http_assert_header(&r, "Allow", "GET, HEAD, POST, OPTIONS");
  ck_assert_ptr_null(strstr(r.headers, "Authorization"));
  assert_header_has(&r, "Access-Control-Allow-Headers", "If-None-Match");
  /* a fixed list, never a reflection of what was asked */
  ck_assert_ptr_null(strstr(r.headers, "X-Evil"));
  http_assert_header(&r, "Access-Control-Max-Age", "600");
  http_response_free(&r);
  http_fetch(ts.port, "OPTIONS", "/roles/cloud-architect", "", 204, &r);
  http_response_free(&r);
  http_fetch(ts.port, "OPTIONS", "/nope", "", 404, &r);
  http_assert_header(&r, "Content-Type", PROBLEM_TYPE);
  http_assert_header(&r, "Access-Control-Allow-Origin", "*");
  http_response_free(&r);
  http_fetch(ts.port, "PUT", "/roles", "", 405, &r);
  http_assert_header(&r, "Allow", "GET, HEAD, POST, OPTIONS");
  http_response_free(&r);
  http_fetch(ts.port, "PUT", "/industries", "", 405, &r);
  http_assert_header(&r, "Allow", "GET, HEAD, OPTIONS");
  http_response_free(&r);
}
END_TEST

START_TEST(configured_origin_is_named_and_varies)
{
  struct scratch_db db;
  struct server_options opts = {
    .bind = "127.0.0.1", .threads = 1, .max_connections = 8, .timeout_s = 5,
    .cors_origin = ORIGIN,
  };
  struct server *srv;
  struct http_response r;
  char err[256];
  uint16_t port;

  scratch_db_create(&db);
  srv = app_server_start(&opts, db.path, false, err, sizeof err);
  ck_assert_msg(NULL != srv, "%s", err);
  port = server_port(srv);
  http_fetch(port, "GET", "/roles", "Origin: " ORIGIN "\r\n", 200, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", ORIGIN);
  http_assert_header(&r, "Vary", "Accept, Accept-Encoding, Origin");
  http_response_free(&r);
  http_fetch(port, "GET", "/roles", "If-None-Match: *\r\n", 304, &r);
  http_assert_header(&r, "Vary", "Accept, Accept-Encoding, Origin");
  http_response_free(&r);
  http_fetch(port, "GET", "/nope", "", 404, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", ORIGIN);
  http_assert_header(&r, "Vary", "Origin");
  http_response_free(&r);
  http_fetch(port, "OPTIONS", "/roles", "", 204, &r);
  http_assert_header(&r, "Access-Control-Allow-Origin", ORIGIN);
  http_assert_header(&r, "Vary", "Origin");
  http_response_free(&r);
  server_stop(srv, 2000);
  /* a bad origin is refused at start-up */
  opts.cors_origin = "https://example.com/path";
  ck_assert_ptr_null(app_server_start(&opts, db.path, false, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "origin"));
  scratch_db_remove(&db);
}
END_TEST

/* The keys of the first object of the JSON list at @a target, comma-joined. */
static void
expected_header_row(const char *target, char *row, size_t size)
{
  struct http_response r;
  json_t *j;
  const char *key;
  json_t *v;

  http_fetch(ts.port, "GET", target, "", 200, &r);
  j = http_json(&r);
  row[0] = '\0';
  json_object_foreach(json_array_get(json_object_get(j, "data"), 0), key, v) {
    if ('\0' != row[0])
      strncat(row, ",", size - strlen(row) - 1);
    strncat(row, key, size - strlen(row) - 1);
  }
  strncat(row, "\r\n", size - strlen(row) - 1);
  json_decref(j);
  http_response_free(&r);
}

/* Lines end with CRLF only; @return how many there are. */
static size_t
crlf_lines(const char *text)
{
  size_t n = 0;

  for (const char *p = text; '\0' != *p; p++) {
    if ('\n' == *p) {
      ck_assert_msg(p > text && '\r' == p[-1], "bare LF at %zu", (size_t) (p - text));
      n++;
    }
  }
  ck_assert_msg('\0' == *text || '\n' == text[strlen(text) - 1], "last line has no CRLF");
  return n;
}

START_TEST(csv_by_accept_and_by_format)
{
  struct http_response r;
  struct http_response f;
  char header_row[512];
  char *etag;

  expected_header_row("/roles?sort=pay&limit=500", header_row, sizeof header_row);
  ck_assert_ptr_nonnull(strstr(header_row, "summary"));
  http_fetch(ts.port, "GET", "/roles?sort=pay&limit=500", "Accept: text/csv\r\n", 200, &r);
  http_assert_header(&r, "Content-Type", CSV_TYPE);
  http_assert_header(&r, "Access-Control-Allow-Origin", "*");
  ck_assert_int_eq(0, strncmp(header_row, r.body, strlen(header_row)));
  ck_assert_uint_gt(crlf_lines(r.body), 10);
  /* the seed's summaries hold commas: such a field is quoted */
  ck_assert_ptr_nonnull(strstr(r.body, ",\"Builds, tests, ships and maintains production"));
  etag = etag_of(&r);
  ck_assert_uint_eq(22, strlen(etag));
  ck_assert_str_eq("-csv\"", etag + 17);
  http_fetch(ts.port, "GET", "/roles?sort=pay&limit=500&format=csv", "", 200, &f);
  http_assert_header(&f, "Content-Type", CSV_TYPE);
  ck_assert_uint_eq(r.body_len, f.body_len);
  ck_assert_int_eq(0, memcmp(r.body, f.body, r.body_len));
  http_assert_header(&f, "ETag", etag);
  http_response_free(&f);
  http_response_free(&r);
  free(etag);
  /* format= wins over Accept, both ways */
  http_fetch(ts.port, "GET", "/roles?format=json", "Accept: text/csv\r\n", 200, &r);
  http_assert_header(&r, "Content-Type", JSON_TYPE);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles?format=csv", "Accept: application/json\r\n", 200, &r);
  http_assert_header(&r, "Content-Type", CSV_TYPE);
  http_response_free(&r);
}
END_TEST

START_TEST(every_list_answers_csv)
{
  struct http_response r;
  char target[128];

  /* one individual report with every factor, so that each pay list has a line */
  scratch_db_exec(&ts.db, "INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound,"
                  " source_id, section, location, remote, experience_years, education,"
                  " industry_id, company_stage) VALUES (1, 150000, 'base', 'individual',"
                  " 'exact', 1, 'test', 'US-WA', 1, 5, 'master', 2, 'startup')");
  for (const struct route *rt = route_table; NULL != rt->pattern; rt++) {
    if (!rt->list)
      continue;
    /* a pattern with a placeholder is asked for by its example */
    if (NULL != strchr(rt->pattern, '{'))
      snprintf(target, sizeof target, "%s%cformat=csv", rt->example,
               NULL != strchr(rt->example, '?') ? '&' : '?');
    else
      snprintf(target, sizeof target, "%s?format=csv", rt->pattern);
    http_fetch(ts.port, "GET", target, "", 200, &r);
    http_assert_header(&r, "Content-Type", CSV_TYPE);
    ck_assert_msg(crlf_lines(r.body) >= 2, "%s: %.200s", target, r.body);
    http_response_free(&r);
  }
}
END_TEST

START_TEST(csv_keeps_the_format_in_paging_links)
{
  struct http_response r;

  http_fetch(ts.port, "GET", "/roles?limit=2&format=csv", "", 200, &r);
  assert_header_has(&r, "Link", "format=csv");
  ck_assert_uint_eq(3, crlf_lines(r.body));
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles?limit=2", "Accept: text/csv\r\n", 200, &r);
  http_assert_header(&r, "Content-Type", CSV_TYPE);
  {
    char *link = http_header(&r, "Link");

    ck_assert_ptr_nonnull(link);
    ck_assert_ptr_null(strstr(link, "format="));
    free(link);
  }
  http_response_free(&r);
}
END_TEST

START_TEST(variants_are_cached_apart)
{
  static const struct { const char *headers; const char *type; const char *encoding; } seq[] = {
    { "", JSON_TYPE, NULL },
    { "Accept: text/csv\r\n", CSV_TYPE, NULL },
    { "Accept-Encoding: gzip\r\n", JSON_TYPE, "gzip" },
    { "Accept: text/csv\r\nAccept-Encoding: gzip\r\n", CSV_TYPE, "gzip" },
    { "", JSON_TYPE, NULL },
    { "Accept: text/csv\r\n", CSV_TYPE, NULL },
    { "Accept-Encoding: gzip\r\n", JSON_TYPE, "gzip" },
  };
  struct http_response r;
  char *etags[sizeof seq / sizeof seq[0]];

  for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
    http_fetch(ts.port, "GET", "/roles?limit=500", seq[i].headers, 200, &r);
    http_assert_header(&r, "Content-Type", seq[i].type);
    http_assert_header(&r, "Content-Encoding", seq[i].encoding);
    etags[i] = etag_of(&r);
    http_response_free(&r);
  }
  for (size_t i = 0; i < 4; i++)
    for (size_t j = i + 1; j < 4; j++)
      ck_assert_str_ne(etags[i], etags[j]);
  ck_assert_str_eq(etags[0], etags[4]);
  ck_assert_str_eq(etags[1], etags[5]);
  ck_assert_str_eq(etags[2], etags[6]);
  ck_assert_ptr_nonnull(strstr(etags[3], "-csv-gz\""));
  for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++)
    free(etags[i]);
}
END_TEST

START_TEST(format_and_accept_errors)
{
  struct http_response r;
  json_t *p;

  http_fetch(ts.port, "GET", "/roles?format=xml", "", 400, &r);
  http_assert_header(&r, "Content-Type", PROBLEM_TYPE);
  p = http_json(&r);
  ck_assert_str_eq("format", json_string_value(json_object_get(p, "parameter")));
  json_decref(p);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles?format=csv&format=csv", "", 400, &r);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles/cloud-architect?format=csv", "", 400, &r);
  http_response_free(&r);
  /* format is no handler's parameter, so format=json is fine everywhere */
  http_fetch(ts.port, "GET", "/roles/cloud-architect?format=json", "", 200, &r);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/healthz?format=json", "", 200, &r);
  http_response_free(&r);
  /* errors stay problem+json when CSV was asked for */
  http_fetch(ts.port, "GET", "/roles?sort=bogus&format=csv", "", 400, &r);
  http_assert_header(&r, "Content-Type", PROBLEM_TYPE);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles?sort=bogus", "Accept: text/csv\r\n", 400, &r);
  http_assert_header(&r, "Content-Type", PROBLEM_TYPE);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles", "Accept: image/png\r\n", 406, &r);
  http_assert_header(&r, "Content-Type", PROBLEM_TYPE);
  http_assert_header(&r, "Cache-Control", "no-store");
  p = http_json(&r);
  ck_assert_str_eq("/problems/not-acceptable", json_string_value(json_object_get(p, "type")));
  json_decref(p);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles/cloud-architect", "Accept: text/csv\r\n", 406, &r);
  http_response_free(&r);
  http_fetch(ts.port, "GET", "/roles", "Accept: text/*, application/problem+json;q=0.1\r\n", 200, &r);
  http_assert_header(&r, "Content-Type", CSV_TYPE);
  http_response_free(&r);
}
END_TEST

/* Inflates a gzip body into a malloc'd, NUL-terminated buffer. */
static char *
gunzip(const char *in, size_t in_len, size_t *out_len)
{
  size_t cap = 4 << 20;
  char *out = malloc(cap + 1);
  z_stream zs = { 0 };

  ck_assert_int_eq(Z_OK, inflateInit2(&zs, 15 + 16));
  zs.next_in = (Bytef *) (uintptr_t) in;
  zs.avail_in = (uInt) in_len;
  zs.next_out = (Bytef *) out;
  zs.avail_out = (uInt) cap;
  ck_assert_int_eq(Z_STREAM_END, inflate(&zs, Z_FINISH));
  ck_assert_uint_eq(0, zs.avail_in); /* nothing after the gzip member */
  *out_len = (size_t) zs.total_out;
  out[*out_len] = '\0';
  inflateEnd(&zs);
  return out;
}

START_TEST(gzip_when_accepted_and_worth_it)
{
  struct http_response plain;
  struct http_response gz;
  char *body;
  size_t len;
  char *etag;

  http_fetch(ts.port, "GET", "/roles?limit=500", "", 200, &plain);
  ck_assert_uint_ge(plain.body_len, 1024);
  http_assert_header(&plain, "Content-Encoding", NULL);
  http_fetch(ts.port, "GET", "/roles?limit=500", "Accept-Encoding: gzip, deflate, br\r\n", 200, &gz);
  http_assert_header(&gz, "Content-Encoding", "gzip");
  assert_header_has(&gz, "Vary", "Accept-Encoding");
  ck_assert_uint_lt(gz.body_len, plain.body_len);
  body = gunzip(gz.body, gz.body_len, &len);
  ck_assert_uint_eq(plain.body_len, len);
  ck_assert_int_eq(0, memcmp(plain.body, body, len));
  etag = etag_of(&gz);
  ck_assert_str_eq("-gz\"", etag + strlen(etag) - 4);
  free(body);
  http_response_free(&plain);
  http_response_free(&gz);
  /* q=0 refuses it */
  http_fetch(ts.port, "GET", "/roles?limit=500", "Accept-Encoding: gzip;q=0\r\n", 200, &plain);
  http_assert_header(&plain, "Content-Encoding", NULL);
  http_response_free(&plain);
  /* HEAD: the same headers, no body */
  http_fetch(ts.port, "HEAD", "/roles?limit=500", "Accept-Encoding: gzip\r\n", 200, &gz);
  http_assert_header(&gz, "Content-Encoding", "gzip");
  http_assert_header(&gz, "ETag", etag);
  ck_assert_uint_eq(0, gz.body_len);
  http_response_free(&gz);
  free(etag);
  /* small bodies are sent as they are, but still vary */
  http_fetch(ts.port, "GET", "/healthz", "Accept-Encoding: gzip\r\n", 200, &gz);
  http_assert_header(&gz, "Content-Encoding", NULL);
  assert_header_has(&gz, "Vary", "Accept-Encoding");
  ck_assert_str_eq("{\"status\":\"ok\"}", gz.body);
  http_response_free(&gz);
}
END_TEST

/* Reads from @a fd until the end of the header block; @return the status. */
static int
read_head(int fd, char *buf, size_t size)
{
  size_t len = 0;

  while (NULL == strstr(buf, "\r\n\r\n")) {
    ssize_t n = recv(fd, buf + len, size - len - 1, 0);

    if (n <= 0)
      return -1;
    len += (size_t) n;
    buf[len] = '\0';
  }
  return atoi(buf + 9);
}

START_TEST(a_304_keeps_the_connection_usable)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(ts.port) };
  struct http_response r;
  char req[512];
  char buf[8192] = "";
  char *etag;
  int fd;

  http_fetch(ts.port, "GET", "/roles/cloud-architect", "", 200, &r);
  etag = etag_of(&r);
  http_response_free(&r);
  snprintf(req, sizeof req,
           "GET /roles/cloud-architect HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n\r\n", etag);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  fd = socket(AF_INET, SOCK_STREAM, 0);
  ck_assert_int_eq(0, connect(fd, (struct sockaddr *) &sa, sizeof sa));
  ck_assert_int_eq((ssize_t) strlen(req), send(fd, req, strlen(req), MSG_NOSIGNAL));
  ck_assert_int_eq(304, read_head(fd, buf, sizeof buf));
  ck_assert_ptr_null(strstr(buf, "Connection: close"));
  /* the next answer on the connection starts right where the 304 ended */
  ck_assert_int_eq((ssize_t) strlen(req), send(fd, req, strlen(req), MSG_NOSIGNAL));
  buf[0] = '\0';
  ck_assert_int_eq(304, read_head(fd, buf, sizeof buf));
  ck_assert_int_eq(0, strncmp(buf, "HTTP/1.1 304", 12));
  close(fd);
  free(etag);
}
END_TEST

START_TEST(index_lists_every_route)
{
  struct http_response r;
  json_t *j;
  json_t *endpoints;

  http_fetch(ts.port, "GET", "/api", "", 200, &r);
  http_assert_header(&r, "Content-Type", JSON_TYPE);
  j = http_json(&r);
  http_response_free(&r);
  ck_assert_str_eq("techpay", json_string_value(json_object_get(j, "name")));
  ck_assert_ptr_nonnull(json_string_value(json_object_get(j, "version")));
  endpoints = json_object_get(j, "endpoints");
  for (const struct route *rt = route_table; NULL != rt->pattern; rt++) {
    size_t i;
    json_t *e;
    bool found = false;

    json_array_foreach(endpoints, i, e) {
      if (0 == strcmp(rt->pattern, json_string_value(json_object_get(e, "path")))
          && 0 == strcmp(rt->method, json_string_value(json_object_get(e, "method")))) {
        found = true;
        ck_assert_msg(json_is_string(json_object_get(e, "example")), "%s: no example", rt->pattern);
        ck_assert_msg(json_is_string(json_object_get(e, "description")), "%s", rt->pattern);
        ck_assert_msg(rt->list == (NULL != json_object_get(e, "formats")), "%s", rt->pattern);
      }
    }
    ck_assert_msg(found, "%s %s is not in the index", rt->method, rt->pattern);
  }
  {
    size_t nroutes = 0;

    while (NULL != route_table[nroutes].pattern)
      nroutes++;
    ck_assert_uint_eq(nroutes, json_array_size(endpoints));
  }
  json_decref(j);
}
END_TEST

START_TEST(index_examples_answer)
{
  struct http_response r;
  json_t *j;
  json_t *e;
  size_t i;

  http_fetch(ts.port, "GET", "/api", "", 200, &r);
  j = http_json(&r);
  http_response_free(&r);
  json_array_foreach(json_object_get(j, "endpoints"), i, e) {
    const char *method = json_string_value(json_object_get(e, "method"));
    struct route_match m;

    /* writes and the audit trail need a token this server does not have */
    ck_assert_int_eq(ROUTE_FOUND, route_find(method, json_string_value(json_object_get(e, "path")),
                                             &m));
    if (m.route->auth)
      continue;
    http_fetch(ts.port, method, json_string_value(json_object_get(e, "example")), "", 200, &r);
    http_response_free(&r);
  }
  json_decref(j);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("conventions");
  TCase *tc = tcase_create("conventions");

  tcase_set_timeout(tc, 30);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, etag_is_stable_and_answers_304);
  tcase_add_test(tc, if_none_match_forms);
  tcase_add_test(tc, changed_data_changes_the_etag);
  tcase_add_test(tc, cache_control_by_kind_of_answer);
  tcase_add_test(tc, cors_on_every_answer);
  tcase_add_test(tc, preflight);
  tcase_add_test(tc, configured_origin_is_named_and_varies);
  tcase_add_test(tc, csv_by_accept_and_by_format);
  tcase_add_test(tc, every_list_answers_csv);
  tcase_add_test(tc, csv_keeps_the_format_in_paging_links);
  tcase_add_test(tc, variants_are_cached_apart);
  tcase_add_test(tc, format_and_accept_errors);
  tcase_add_test(tc, gzip_when_accepted_and_worth_it);
  tcase_add_test(tc, a_304_keeps_the_connection_usable);
  tcase_add_test(tc, index_lists_every_route);
  tcase_add_test(tc, index_examples_answer);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
