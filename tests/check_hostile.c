/**
 * @file tests/check_hostile.c
 * @brief Hostile input over real HTTP: SQL injection in every parameter and
 *        path segment the OpenAPI document names, NUL bytes, invalid and
 *        overlong UTF-8, path traversal, huge numbers, duplicates, deep and
 *        huge JSON, broken CSV, CR/LF aimed at echoed headers; the input
 *        limits; and the security headers on every class of answer.
 *
 * Every 4xx must be a problem+json naming its own status, nothing may be a
 * 5xx, and the database must be exactly as before (every row of every
 * table hashed).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/daemon.h"
#include "http/request.h"
#include "http/router.h"
#include "http/security_headers.h"
#include "tests/harness.h"

#define TOKEN "hostile-test-token-0123456789"
#define AUTH "Authorization: Bearer " TOKEN "\r\n"
#define JSON_BODY "Content-Type: application/json\r\n"
#define CSV_BODY "Content-Type: text/csv\r\n"
#define CSV_HEADER "amount,currency,kind,statistic,year,role\n"

static struct test_server ts;

static void
setup(void)
{
  struct server_options opts = {
    .bind = "127.0.0.1",
    .threads = 2,
    .max_connections = 64,
    .timeout_s = 10,
    .access_log_off = true,
  };

  test_server_start_with_token(&ts, &opts, TOKEN);
}

static void
teardown(void)
{
  test_server_stop(&ts);
}

static uint64_t
fnv1a(uint64_t h, const void *p, size_t n)
{
  const unsigned char *b = p;

  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * UINT64_C(0x100000001b3);
  return h;
}

/* Every row of every table, in one hash: equal means nothing was written. */
static uint64_t
db_fingerprint(const struct scratch_db *sd)
{
  char *dump = scratch_db_dump(sd);
  uint64_t h = fnv1a(UINT64_C(0xcbf29ce484222325), dump, strlen(dump));

  free(dump);
  return h;
}

/* @a method @a target with header lines @a headers and, unless NULL, a body. */
static void
send_request(const char *method, const char *target, const char *headers, const char *body,
             size_t body_len, struct http_response *r)
{
  size_t cap = strlen(target) + strlen(headers) + body_len + 256;
  char *raw = malloc(cap);
  int n;

  ck_assert_ptr_nonnull(raw);
  n = snprintf(raw, cap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s", method, target, headers);
  if (NULL != body)
    n += snprintf(raw + n, cap - (size_t) n, "Content-Length: %zu\r\n", body_len);
  n += snprintf(raw + n, cap - (size_t) n, "Connection: close\r\n\r\n");
  if (NULL != body)
    memcpy(raw + n, body, body_len);
  ck_assert_msg(0 == http_raw_bytes(ts.port, raw, (size_t) n + (NULL != body ? body_len : 0), r),
                "%s %.200s: no HTTP answer", method, target);
  free(raw);
}

/* A 4xx is a problem+json that names its own status. */
static void
assert_problem(const struct http_response *r, const char *what)
{
  char *ct = http_header(r, "Content-Type");
  json_t *j;

  ck_assert_msg(NULL != ct && 0 == strncmp(ct, "application/problem+json", 24),
                "%s: %d with Content-Type %s", what, r->status, ct ? ct : "(none)");
  free(ct);
  j = http_json(r);
  ck_assert_msg(json_integer_value(json_object_get(j, "status")) == r->status,
                "%s: problem status differs from %d", what, r->status);
  json_decref(j);
}

/* Never a 5xx; a 4xx is a problem. */
static void
assert_answered(const struct http_response *r, const char *what)
{
  ck_assert_msg(r->status >= 200 && r->status < 500, "%s: status %d, body %.300s", what,
                r->status, r->body);
  if (r->status >= 400)
    assert_problem(r, what);
}

static void
percent_encode(const char *s, char *out, size_t size)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t o = 0;

  for (; '\0' != *s && o + 4 < size; s++) {
    unsigned char c = (unsigned char) *s;

    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || '-' == c || '_' == c || '.' == c) {
      out[o++] = (char) c;
    } else {
      out[o++] = '%';
      out[o++] = hex[c >> 4];
      out[o++] = hex[c & 15];
    }
  }
  out[o] = '\0';
}

static const char *const injections[] = {
  "' OR '1'='1",
  "1; DROP TABLE roles; --",
  "\" OR \"\"=\"",
  "1 UNION SELECT sql FROM sqlite_schema --",
  "machine-learning-engineer' --",
  "%') OR 1=1 --",
  "*) OR (1=1",
};
#define NINJECTIONS (sizeof injections / sizeof injections[0])

/* The OpenAPI document as served: the source of every route and parameter. */
static json_t *
openapi_fetch(void)
{
  struct http_response r;
  json_t *doc;

  http_fetch(ts.port, "GET", "/openapi.json", "", 200, &r);
  doc = http_json(&r);
  http_response_free(&r);
  return doc;
}

/* A parameter object, following a $ref into components/parameters. */
static json_t *
param_resolve(json_t *doc, json_t *p)
{
  const char *ref = json_string_value(json_object_get(p, "$ref"));
  const char *last;

  if (NULL == ref)
    return p;
  last = strrchr(ref, '/');
  ck_assert_ptr_nonnull(last);
  return json_object_get(json_object_get(json_object_get(doc, "components"), "parameters"),
                         last + 1);
}

/* @a pattern with each {name} replaced: by @a value for the one named
 * @a target_name (already encoded), by "1" for the others. */
static void
fill_path(const char *pattern, const char *target_name, const char *value, char *out, size_t size)
{
  size_t o = 0;

  for (const char *p = pattern; '\0' != *p && o + 1 < size;) {
    const char *close = '{' == *p ? strchr(p, '}') : NULL;

    if (NULL == close) {
      out[o++] = *p++;
      continue;
    }
    o += (size_t) snprintf(out + o, size - o, "%s",
                           NULL != target_name && 0 == strncmp(p + 1, target_name,
                                                               (size_t) (close - p - 1))
                           && '\0' == target_name[close - p - 1] ? value : "1");
    if (o >= size)
      o = size - 1;
    p = close + 1;
  }
  out[o] = '\0';
}

/* What a write needs to get past its body checks. */
static void
operation_send(const char *method, const char *target, struct http_response *r)
{
  static const char csv[] = CSV_HEADER "100,USD,base,average,2024,machine-learning-engineer\n";

  if (0 == strcmp(method, "GET"))
    send_request(method, target, AUTH, NULL, 0, r);
  else if (0 == strncmp(target, "/import", 7))
    send_request(method, target, AUTH CSV_BODY, csv, sizeof csv - 1, r);
  else if (0 == strcmp(method, "POST") || 0 == strcmp(method, "PATCH"))
    send_request(method, target, AUTH JSON_BODY, "{}", 2, r);
  else
    send_request(method, target, AUTH, NULL, 0, r);
}

/* One operation with every injection in parameter @a p (query or path). */
static unsigned
inject_parameter(const char *pattern, const char *method, json_t *p)
{
  const char *name = json_string_value(json_object_get(p, "name"));
  const char *in = json_string_value(json_object_get(p, "in"));
  unsigned sent = 0;

  for (size_t i = 0; i < NINJECTIONS; i++) {
    char enc[256];
    char target[1024];
    struct http_response r;

    percent_encode(injections[i], enc, sizeof enc);
    if (0 == strcmp(in, "path")) {
      fill_path(pattern, name, enc, target, sizeof target);
    } else {
      fill_path(pattern, NULL, NULL, target, sizeof target);
      snprintf(target + strlen(target), sizeof target - strlen(target), "?%s=%s", name, enc);
    }
    operation_send(method, target, &r);
    assert_answered(&r, target);
    /* a write reached through an injected value would be a 2xx */
    if (0 != strcmp(method, "GET"))
      ck_assert_msg(r.status >= 400, "%s %s: %d", method, target, r.status);
    http_response_free(&r);
    sent++;
  }
  return sent;
}

START_TEST(sql_injection_in_every_parameter_and_path_segment)
{
  uint64_t before = db_fingerprint(&ts.db);
  json_t *doc = openapi_fetch();
  json_t *paths = json_object_get(doc, "paths");
  const char *pattern;
  json_t *ops;
  unsigned sent = 0;

  json_object_foreach(paths, pattern, ops) {
    const char *m;
    json_t *op;

    json_object_foreach(ops, m, op) {
      char method[16];
      size_t i;
      json_t *p;

      if (0 == strcmp(m, "parameters") || 0 == strcmp(m, "head") || 0 == strcmp(m, "options"))
        continue;
      for (i = 0; '\0' != m[i] && i + 1 < sizeof method; i++)
        method[i] = (char) (m[i] - ('a' <= m[i] && m[i] <= 'z' ? 32 : 0));
      method[i] = '\0';
      json_array_foreach(json_object_get(op, "parameters"), i, p) {
        json_t *def = param_resolve(doc, p);
        const char *in = json_string_value(json_object_get(def, "in"));

        if (NULL != in && (0 == strcmp(in, "query") || 0 == strcmp(in, "path")))
          sent += inject_parameter(pattern, method, def);
      }
    }
  }
  json_decref(doc);
  printf("sql injection: %u requests, %zu strings in every query and path parameter\n", sent,
         NINJECTIONS);
  fflush(stdout);
  /* the document names dozens of parameters; a parse slip would test none */
  ck_assert_uint_gt(sent, 50 * NINJECTIONS);
  ck_assert_msg(before == db_fingerprint(&ts.db), "an injected request changed the database");
}
END_TEST

enum case_body {
  NO_BODY,
  LITERAL,      /* .body, .body_len bytes (strlen when 0) */
  NESTED_ARRAY, /* 100000 '[' */
  NESTED_OBJECT, /* 20000 {"a": */
  MILLION,      /* [0,0,...] with a million elements */
};

struct hostile_case {
  const char *method;
  const char *target;
  const char *headers;
  enum case_body kind;
  const char *body;
  size_t body_len;
  int status;
};

#define SALARY(amount) "{\"role\":\"machine-learning-engineer\",\"amount\":" amount \
  ",\"currency\":\"USD\",\"kind\":\"base\",\"statistic\":\"average\",\"year\":2024}"

/* bodies holding a NUL byte, so their length cannot come from strlen */
#define JSON_NUL "{\"slug\":\"a\0b\"}"
#define CSV_NUL CSV_HEADER "100,USD,base,average,2024,machine\0learning\n"

static const struct hostile_case cases[] = {
  /* NUL bytes, invalid UTF-8 and overlong encodings in parameters */
  { "GET", "/roles?category=a%00b", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/roles?q=data%00science", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/roles?q=%FF%FE", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/roles?category=%C0%AF", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/roles?industry=%E0%80%AF", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/salaries?role=%ED%A0%80", "", NO_BODY, NULL, 0, 400 },
  /* a NUL must not cut the path short: these name no role */
  { "GET", "/roles/machine-learning-engineer%00.json", "", NO_BODY, NULL, 0, 404 },
  { "DELETE", "/roles/machine-learning-engineer%00x?cascade=true", AUTH, NO_BODY, NULL, 0, 404 },
  { "GET", "/roles/%C0%AE%C0%AE", "", NO_BODY, NULL, 0, 404 },
  /* path traversal: nothing is served from files */
  { "GET", "/../../../../etc/passwd", "", NO_BODY, NULL, 0, 404 },
  { "GET", "/%2e%2e/%2e%2e/etc/passwd", "", NO_BODY, NULL, 0, 404 },
  { "GET", "/roles/..%2f..%2f..%2fetc%2fpasswd", "", NO_BODY, NULL, 0, 404 },
  { "GET", "/roles/%252e%252e%252fetc%252fpasswd", "", NO_BODY, NULL, 0, 404 },
  { "GET", "/openapi.json/../../../etc/passwd", "", NO_BODY, NULL, 0, 404 },
  { "GET", "/%2e%2e%5c%2e%2e%5cetc%5cpasswd", "", NO_BODY, NULL, 0, 404 },
  { "GET", "/sources/..%2F..%2Fetc%2Fpasswd", "", NO_BODY, NULL, 0, 404 },
  /* huge numbers and negative zero */
  { "GET", "/roles?min_pay=99999999999999999999999999", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/roles?min_pay=-0", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/roles?limit=1e999", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/roles?limit=-0", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/roles?offset=18446744073709551616", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/salaries?min=1e999", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/salaries?max=-0", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/salaries/99999999999999999999999", "", NO_BODY, NULL, 0, 404 },
  { "GET", "/salaries/-0", "", NO_BODY, NULL, 0, 404 },
  { "POST", "/salaries", AUTH JSON_BODY, LITERAL, SALARY("1e999"), 0, 400 },
  { "POST", "/salaries", AUTH JSON_BODY, LITERAL, SALARY("-0"), 0, 422 },
  { "POST", "/salaries", AUTH JSON_BODY, LITERAL, SALARY("99999999999999999999999"), 0, 400 },
  /* duplicates */
  { "GET", "/roles?sort=pay&sort=title", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/roles?limit=1&limit=2", "", NO_BODY, NULL, 0, 400 },
  { "GET", "/transitions?from=data-science-manager&from=devops-engineer&to=cloud-architect",
    "", NO_BODY, NULL, 0, 400 },
  { "POST", "/roles", AUTH JSON_BODY, LITERAL, "{\"slug\":\"a-role\",\"slug\":\"b-role\"}", 0, 400 },
  /* deep and huge JSON */
  { "POST", "/roles", AUTH JSON_BODY, NESTED_ARRAY, NULL, 0, 400 },
  { "PATCH", "/roles/machine-learning-engineer", AUTH JSON_BODY, NESTED_OBJECT, NULL, 0, 400 },
  { "POST", "/roles", AUTH JSON_BODY, MILLION, NULL, 0, 422 },
  { "POST", "/salaries", AUTH JSON_BODY, MILLION, NULL, 0, 422 },
  /* NUL, invalid and overlong UTF-8 in bodies */
  { "POST", "/roles", AUTH JSON_BODY, LITERAL, "{\"slug\":\"a\\u0000b\"}", 0, 400 },
  { "POST", "/roles", AUTH JSON_BODY, LITERAL, JSON_NUL, sizeof JSON_NUL - 1, 400 },
  { "POST", "/roles", AUTH JSON_BODY, LITERAL, "{\"slug\":\"a\xff\"}", 0, 400 },
  { "POST", "/roles", AUTH JSON_BODY, LITERAL, "{\"slug\":\"\xc0\xaf\"}", 0, 400 },
  { "POST", "/skills", AUTH JSON_BODY, LITERAL, "{\"slug\":\"\xe0\x80\xaf\"}", 0, 400 },
  /* broken CSV and NDJSON: nothing imported */
  { "POST", "/import", AUTH CSV_BODY, LITERAL,
    CSV_HEADER "100,USD,base,average,2024,\"machine-learning-engineer\n", 0, 422 },
  { "POST", "/import", AUTH CSV_BODY, LITERAL,
    CSV_HEADER "100,USD,base,\"average\"x\",2024,machine-learning-engineer\n", 0, 422 },
  { "POST", "/import", AUTH CSV_BODY, LITERAL, CSV_NUL, sizeof CSV_NUL - 1, 422 },
  { "POST", "/import", AUTH CSV_BODY, LITERAL,
    CSV_HEADER "100,USD,base,average,2024,machine-learning-engineer\xff\n", 0, 422 },
  { "POST", "/import", AUTH "Content-Type: application/x-ndjson\r\n", LITERAL,
    SALARY("100") "\n{\"role\":\"\xc0\xaf\"}\n", 0, 422 },
  /* SQL in a write's query and path: nothing deleted */
  { "DELETE", "/roles/machine-learning-engineer?cascade=1%20OR%201%3D1", AUTH, NO_BODY, NULL, 0,
    400 },
  { "DELETE", "/salaries/1%20OR%201%3D1", AUTH, NO_BODY, NULL, 0, 404 },
  { "DELETE", "/roles/%25", AUTH, NO_BODY, NULL, 0, 404 },
};
#define NCASES (sizeof cases / sizeof cases[0])

/* The body of a case, malloc'd. */
static char *
case_body(const struct hostile_case *c, size_t *len)
{
  char *b = NULL;

  switch (c->kind) {
  case NO_BODY:
    *len = 0;
    return NULL;
  case LITERAL:
    *len = 0 != c->body_len ? c->body_len : strlen(c->body);
    b = malloc(*len);
    ck_assert_ptr_nonnull(b);
    memcpy(b, c->body, *len);
    return b;
  case NESTED_ARRAY:
    *len = 100000;
    b = malloc(*len);
    ck_assert_ptr_nonnull(b);
    memset(b, '[', *len);
    return b;
  case NESTED_OBJECT:
    *len = 20000 * 5;
    b = malloc(*len);
    ck_assert_ptr_nonnull(b);
    for (size_t i = 0; i < *len; i += 5)
      memcpy(b + i, "{\"a\":", 5);
    return b;
  case MILLION:
    *len = 2 * 1000000 + 1;
    b = malloc(*len);
    ck_assert_ptr_nonnull(b);
    b[0] = '[';
    for (size_t i = 0; i < 1000000; i++) {
      b[1 + 2 * i] = '0';
      b[2 + 2 * i] = ',';
    }
    b[*len - 1] = ']';
    return b;
  }
  return NULL;
}

START_TEST(hostile_inputs)
{
  const struct hostile_case *c = &cases[_i];
  uint64_t before = db_fingerprint(&ts.db);
  struct http_response r;
  size_t len;
  char *body = case_body(c, &len);

  send_request(c->method, c->target, c->headers, body, len, &r);
  free(body);
  ck_assert_msg(c->status == r.status, "case %d, %s %s: status %d, want %d; body %.300s", _i,
                c->method, c->target, r.status, c->status, r.body);
  assert_problem(&r, c->target);
  ck_assert_msg(NULL == strstr(r.body, "root:"), "%s reached a file", c->target);
  http_response_free(&r);
  ck_assert_msg(before == db_fingerprint(&ts.db), "case %d, %s %s changed the database", _i,
                c->method, c->target);
}
END_TEST

/* No answer header may start a new line: checks the raw header block. */
static void
assert_no_injected_header(const struct http_response *r, const char *what)
{
  char *cookie = http_header(r, "Set-Cookie");
  char *injected = http_header(r, "X-Injected");

  ck_assert_msg(NULL == cookie && NULL == injected, "%s: a header was injected: %s", what,
                r->headers);
}

START_TEST(crlf_never_reaches_an_echoed_header)
{
  static const struct {
    const char *method;
    const char *target;
    const char *headers;
    const char *body;
  } attempts[] = {
    /* folded continuation lines (obs-fold) and encoded CR/LF */
    { "GET", "/roles", "X-Request-Id: abc\r\n Set-Cookie: a=1\r\n", NULL },
    { "GET", "/roles", "X-Request-Id: abc%0d%0aSet-Cookie:%20a=1\r\n", NULL },
    { "GET", "/roles?limit=1&category=x%0D%0ASet-Cookie:%20a=1", "", NULL },
    { "GET", "/roles?limit=1&format=json%0D%0AX-Injected:%201", "", NULL },
    { "GET", "/roles?limit=1&q=data%0D%0AX-Injected:%201", "", NULL },
    { "POST", "/roles", AUTH JSON_BODY,
      "{\"slug\":\"x\\r\\nSet-Cookie: a=1\",\"title\":\"T\",\"category\":\"Data\"}" },
    { "PUT", "/roles/machine-learning-engineer/skills/x%0D%0AX-Injected:%201", AUTH, NULL },
    /* a dry run: an import, even of no rows, adds its source */
    { "POST", "/import?dry_run=true", AUTH CSV_BODY "Idempotency-Key: k\r\n X-Injected: 1\r\n",
      CSV_HEADER },
    { "POST", "/import?dry_run=true", AUTH CSV_BODY "Idempotency-Key: k%0D%0AX-Injected:%201\r\n",
      CSV_HEADER },
  };
  uint64_t before = db_fingerprint(&ts.db);

  for (size_t i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
    struct http_response r;
    char *id;

    send_request(attempts[i].method, attempts[i].target, attempts[i].headers, attempts[i].body,
                 NULL != attempts[i].body ? strlen(attempts[i].body) : 0, &r);
    assert_answered(&r, attempts[i].target);
    assert_no_injected_header(&r, attempts[i].target);
    /* an id that is not a plain token is replaced, never echoed */
    id = http_header(&r, "X-Request-Id");
    ck_assert_ptr_nonnull(id);
    ck_assert_msg(NULL == strchr(id, ' ') && NULL == strchr(id, '%'), "echoed id '%s'", id);
    free(id);
    http_response_free(&r);
  }
  ck_assert_msg(before == db_fingerprint(&ts.db), "an injection attempt changed the database");
}
END_TEST

START_TEST(input_limits_have_clear_answers)
{
  char *target = malloc(ROUTE_MAX_PATH + 64);
  char *headers = malloc(SERVER_CONNECTION_MEMORY + 64);
  char query[1024] = "/roles?";
  struct http_response r;
  char *conn;

  ck_assert_ptr_nonnull(target);
  ck_assert_ptr_nonnull(headers);
  /* a path over the limit */
  target[0] = '/';
  memset(target + 1, 'a', ROUTE_MAX_PATH + 1);
  target[ROUTE_MAX_PATH + 2] = '\0';
  send_request("GET", target, "", NULL, 0, &r);
  ck_assert_int_eq(414, r.status);
  assert_problem(&r, "long path");
  http_response_free(&r);
  /* more query parameters than are read */
  for (int i = 0; i <= REQUEST_MAX_PARAMS; i++)
    snprintf(query + strlen(query), sizeof query - strlen(query), "%sp%d=1", i ? "&" : "", i);
  send_request("GET", query, "", NULL, 0, &r);
  ck_assert_int_eq(400, r.status);
  assert_problem(&r, "many parameters");
  ck_assert_ptr_nonnull(strstr(r.body, "too-many-parameters"));
  http_response_free(&r);
  /* a body over --max-body, refused from its Content-Length, unread */
  send_request("POST", "/roles", AUTH JSON_BODY "Content-Length: 4000000000\r\n", NULL, 0, &r);
  ck_assert_int_eq(413, r.status);
  assert_problem(&r, "large body");
  http_response_free(&r);
  /* headers larger than a connection's buffer: libmicrohttpd's own 431,
   * and the connection closed */
  snprintf(headers, SERVER_CONNECTION_MEMORY + 64, "X-Big: ");
  memset(headers + 7, 'a', SERVER_CONNECTION_MEMORY);
  memcpy(headers + 7 + SERVER_CONNECTION_MEMORY, "\r\n", 3);
  send_request("GET", "/roles", headers, NULL, 0, &r);
  ck_assert_int_eq(431, r.status);
  conn = http_header(&r, "Connection");
  ck_assert_str_eq("close", conn);
  free(conn);
  http_response_free(&r);
  free(headers);
  free(target);
  /* and the server still serves */
  http_fetch(ts.port, "GET", "/healthz", "", 200, &r);
  http_response_free(&r);
}
END_TEST

static void
assert_security_headers(const struct http_response *r, const char *what)
{
  char *nosniff = http_header(r, "X-Content-Type-Options");
  char *csp = http_header(r, "Content-Security-Policy");
  char *referrer = http_header(r, "Referrer-Policy");
  char *server = http_header(r, "Server");

  ck_assert_msg(NULL != nosniff && 0 == strcmp(nosniff, "nosniff"), "%s: nosniff", what);
  ck_assert_msg(NULL != csp && 0 == strcmp(csp, "default-src 'none'; frame-ancestors 'none'"),
                "%s: CSP %s", what, csp ? csp : "(none)");
  ck_assert_msg(NULL != referrer && 0 == strcmp(referrer, "no-referrer"), "%s: Referrer-Policy",
                what);
  ck_assert_msg(NULL == server, "%s: Server: %s", what, server);
  free(nosniff);
  free(csp);
  free(referrer);
}

/* A 304 carries nosniff and Referrer-Policy, and no CSP of its own. */
static void
assert_security_headers_of_304(const struct http_response *r, const char *what)
{
  char *nosniff = http_header(r, "X-Content-Type-Options");
  char *csp = http_header(r, "Content-Security-Policy");
  char *referrer = http_header(r, "Referrer-Policy");

  ck_assert_msg(NULL != nosniff && 0 == strcmp(nosniff, "nosniff"), "%s: nosniff", what);
  ck_assert_msg(NULL == csp || 0 != strcmp(csp, SECURITY_CSP_API), "%s: the API's CSP", what);
  ck_assert_msg(NULL != referrer && 0 == strcmp(referrer, "no-referrer"), "%s: Referrer-Policy",
                what);
  free(nosniff);
  free(csp);
  free(referrer);
}

START_TEST(security_headers_on_every_class_of_answer)
{
  static const struct {
    const char *method;
    const char *target;
    const char *headers;
    int status;
  } samples[] = {
    { "GET", "/roles", "", 200 },
    { "GET", "/roles?format=csv", "", 200 },
    { "GET", "/metrics", "", 200 },
    { "OPTIONS", "/roles", "", 204 },
    { "DELETE", "/salaries/1", AUTH, 204 },
    { "GET", "/roles?sort=nope", "", 400 },
    { "POST", "/roles", "", 401 },
    { "GET", "/nowhere", "", 404 },
    { "PUT", "/roles", "", 405 },
    { "GET", "/roles", "Accept: image/png\r\n", 406 },
    { "POST", "/roles", AUTH JSON_BODY "Content-Length: 4000000000\r\n", 413 },
  };
  struct http_response r;
  char *etag;
  char *csp;
  char inm[128];

  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    http_fetch(ts.port, samples[i].method, samples[i].target, samples[i].headers,
               samples[i].status, &r);
    assert_security_headers(&r, samples[i].target);
    http_response_free(&r);
  }
  http_fetch(ts.port, "GET", "/roles/machine-learning-engineer", "", 200, &r);
  etag = http_header(&r, "ETag");
  http_response_free(&r);
  snprintf(inm, sizeof inm, "If-None-Match: %s\r\n", etag);
  free(etag);
  http_fetch(ts.port, "GET", "/roles/machine-learning-engineer", inm, 304, &r);
  assert_security_headers_of_304(&r, "304");
  http_response_free(&r);
  /* the page's own policy: its 304 must not bring the API's, which the
   * browser would merge into the stored page and block its scripts */
  http_fetch(ts.port, "GET", "/", "", 200, &r);
  etag = http_header(&r, "ETag");
  csp = http_header(&r, "Content-Security-Policy");
  ck_assert_ptr_nonnull(csp);
  ck_assert_str_ne(csp, "default-src 'none'; frame-ancestors 'none'");
  free(csp);
  http_response_free(&r);
  snprintf(inm, sizeof inm, "If-None-Match: %s\r\n", etag);
  free(etag);
  http_fetch(ts.port, "GET", "/", inm, 304, &r);
  assert_security_headers_of_304(&r, "page 304");
  http_response_free(&r);
}
END_TEST

START_TEST(security_headers_on_a_server_error)
{
  /* no database to open: every request that needs it is a 503 */
  struct server_options opts = { .bind = "127.0.0.1", .threads = 1, .max_connections = 8,
                                 .timeout_s = 5 };
  char err[256];
  struct server *broken = app_server_start(&opts, "/nonexistent-techpay-dir/none.db", false,
                                           err, sizeof err);
  struct http_response r;

  ck_assert_msg(NULL != broken, "%s", err);
  http_fetch(server_port(broken), "GET", "/roles", "", 503, &r);
  assert_security_headers(&r, "503");
  assert_problem(&r, "503");
  http_response_free(&r);
  server_stop(broken, 2000);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("hostile");
  TCase *tc = tcase_create("hostile");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, sql_injection_in_every_parameter_and_path_segment);
  tcase_add_loop_test(tc, hostile_inputs, 0, (int) NCASES);
  tcase_add_test(tc, crlf_never_reaches_an_echoed_header);
  tcase_add_test(tc, input_limits_have_clear_answers);
  tcase_add_test(tc, security_headers_on_every_class_of_answer);
  tcase_add_test(tc, security_headers_on_a_server_error);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
