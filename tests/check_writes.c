/**
 * @file tests/check_writes.c
 * @brief The write routes over real HTTP: creations (201 + Location),
 *        changes (200), deletes (204), links, the audit trail, and every
 *        refusal (401, 403, 404, 409, 413, 415, 400, 422, 503), with the
 *        database checked directly: a refused or failed write changes
 *        nothing, a successful one moves pay, rankings and ETags at once.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/auth.h"
#include "http/daemon.h"
#include "http/router.h"
#include "tests/harness.h"
#include "tests/test_engine.h"

#define TOKEN "a-test-token-0123456789"
#define AUTH "Authorization: Bearer " TOKEN "\r\n"
#define JSON_CT "Content-Type: application/json\r\n"
#define JSON_TYPE "application/json; charset=utf-8"
#define PROBLEM_TYPE "application/problem+json; charset=utf-8"

struct wserver {
  struct scratch_db db;
  struct auth *auth;
  struct server *srv;
  uint16_t port;
};

static struct wserver ws;

/* A server on a fresh database: with the test token unless !tokens. */
static void
wserver_start(struct wserver *w, bool tokens, bool read_only, size_t max_body, unsigned threads)
{
  struct server_options opts = {
    .bind = "127.0.0.1",
    .threads = threads,
    .max_connections = 64,
    .timeout_s = 5,
    .access_log_off = true,
    .max_body = max_body,
  };
  char err[512];

  scratch_db_create(&w->db);
  w->auth = NULL;
  if (tokens) {
    w->auth = auth_new(NULL, TOKEN, read_only, err, sizeof err);
    ck_assert_msg(NULL != w->auth, "%s", err);
  }
  opts.auth = w->auth;
  w->srv = app_server_start(&opts, w->db.path, read_only, err, sizeof err);
  ck_assert_msg(NULL != w->srv, "%s", err);
  w->port = server_port(w->srv);
}

static void
wserver_stop(struct wserver *w)
{
  server_stop(w->srv, 2000);
  w->srv = NULL;
  auth_free(w->auth);
  w->auth = NULL;
  scratch_db_remove(&w->db);
}

static void
setup(void)
{
  wserver_start(&ws, true, false, 0, 4);
}

static void
teardown(void)
{
  wserver_stop(&ws);
}

/* ---- HTTP ----------------------------------------------------------- */

/* Sends @a method @a target with header lines @a headers ("" or
 * "Name: value\r\n...") and @a body (or NULL); asserts the status. */
static void
send_req(uint16_t port, const char *method, const char *target, const char *headers,
         const char *body, int want, struct http_response *r)
{
  char *raw = NULL;
  char length[64] = "";

  if (NULL != body)
    snprintf(length, sizeof length, "Content-Length: %zu\r\n", strlen(body));
  ck_assert_int_lt(0, asprintf(&raw, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s"
                               "Connection: close\r\n\r\n%s",
                               method, target, headers, length, NULL != body ? body : ""));
  ck_assert_int_eq(0, http_raw(port, raw, r));
  free(raw);
  ck_assert_msg(want == r->status, "%s %s: status %d, want %d, body %.400s", method, target,
                r->status, want, r->body);
}

/*
 * A write with the token and a JSON body (or none). 204: asserts an empty
 * answer without Content-Type and returns NULL; else returns the JSON.
 */
static json_t *
write_req(const char *method, const char *target, const char *body, int want)
{
  struct http_response r;
  json_t *j = NULL;

  send_req(ws.port, method, target, NULL != body ? AUTH JSON_CT : AUTH, body, want, &r);
  if (204 == want) {
    ck_assert_uint_eq(0, r.body_len);
    http_assert_header(&r, "Content-Type", NULL);
  } else {
    http_assert_header(&r, "Content-Type", want >= 400 ? PROBLEM_TYPE : JSON_TYPE);
    j = http_json(&r);
  }
  http_response_free(&r);
  return j;
}

static json_t *
get_json(uint16_t port, const char *target, const char *headers, int want)
{
  struct http_response r;
  json_t *j;

  send_req(port, "GET", target, headers, NULL, want, &r);
  j = http_json(&r);
  http_response_free(&r);
  return j;
}

static const char *
str_at(const json_t *j, const char *key)
{
  return json_string_value(json_object_get(j, key));
}

static json_t *
data_of(const json_t *j)
{
  return json_object_get(j, "data");
}

/* Asserts that problem @a p lists an error for @a field. */
static void
assert_error_field(const json_t *p, const char *field)
{
  json_t *errors = json_object_get(p, "errors");
  json_t *e;
  size_t i;

  ck_assert_msg(json_is_array(errors), "no errors array in %s", str_at(p, "detail"));
  json_array_foreach(errors, i, e) {
    if (0 == strcmp(field, str_at(e, "field"))) {
      ck_assert_ptr_nonnull(str_at(e, "reason"));
      ck_assert_uint_gt(strlen(str_at(e, "reason")), 0);
      return;
    }
  }
  ck_abort_msg("no error for field '%s' among %zu", field, json_array_size(errors));
}

/* ---- the database, read directly ------------------------------------ */

static int64_t
db_int(const char *sql)
{
  return scratch_db_scalar(&ws.db, sql);
}

/* Every row of every table, as text: equal dumps, equal databases. */
static char *
db_dump(void)
{
  return scratch_db_dump(&ws.db);
}

static int64_t
audit_rows(void)
{
  return db_int("SELECT count(*) FROM audit");
}

/* ---- roles ---------------------------------------------------------- */

#define NEW_ROLE \
  "{\"slug\":\"quantum-engineer\",\"title\":\"Quantum Engineer\"," \
  "\"category\":\"Research\",\"summary\":\"Builds quantum hardware control software.\"}"

START_TEST(role_create_change_delete)
{
  struct http_response r;
  json_t *j;
  json_t *role;

  send_req(ws.port, "POST", "/roles", AUTH JSON_CT, NEW_ROLE, 201, &r);
  http_assert_header(&r, "Location", "/roles/quantum-engineer");
  http_assert_header(&r, "Content-Type", JSON_TYPE);
  j = http_json(&r);
  http_response_free(&r);
  role = data_of(j);
  /* the shape GET /roles/{slug} serves */
  ck_assert_str_eq("quantum-engineer", str_at(role, "slug"));
  ck_assert_str_eq("Research", str_at(role, "category"));
  ck_assert(json_is_null(json_object_get(role, "pay")));
  ck_assert(json_is_array(json_object_get(role, "salaries")));
  ck_assert(json_is_array(json_object_get(role, "skills")));
  json_decref(j);

  j = get_json(ws.port, "/roles/quantum-engineer", "", 200);
  ck_assert_str_eq("Quantum Engineer", str_at(data_of(j), "title"));
  json_decref(j);

  j = write_req("PATCH", "/roles/quantum-engineer",
                "{\"title\":\"Quantum Software Engineer\",\"summary\":\"Zyxwvut.\\nLine two.\"}",
                200);
  role = data_of(j);
  ck_assert_str_eq("Quantum Software Engineer", str_at(role, "title"));
  ck_assert_str_eq("Zyxwvut.\nLine two.", str_at(role, "summary"));
  ck_assert_str_eq("Research", str_at(role, "category")); /* untouched */
  json_decref(j);
  j = get_json(ws.port, "/roles/quantum-engineer", "", 200);
  ck_assert_str_eq("Quantum Software Engineer", str_at(data_of(j), "title"));
  json_decref(j);
  /* full-text search follows the change */
  j = get_json(ws.port, "/roles?q=zyxwvut&fields=slug", "", 200);
  ck_assert_uint_eq(1, json_array_size(data_of(j)));
  ck_assert_str_eq("quantum-engineer", str_at(json_array_get(data_of(j), 0), "slug"));
  json_decref(j);

  ck_assert_ptr_null(write_req("DELETE", "/roles/quantum-engineer", NULL, 204));
  json_decref(get_json(ws.port, "/roles/quantum-engineer", "", 404));
  ck_assert_int_eq(0, db_int("SELECT count(*) FROM roles WHERE slug = 'quantum-engineer'"));
  ck_assert_int_eq(3, audit_rows());
}
END_TEST

START_TEST(duplicate_slugs_are_409)
{
  json_t *p;
  char *before = db_dump();
  char *after;

  p = write_req("POST", "/roles",
                "{\"slug\":\"cloud-architect\",\"title\":\"Cloud\",\"category\":\"X\","
                "\"summary\":\"Y\"}", 409);
  ck_assert_str_eq("/problems/conflict", str_at(p, "type"));
  ck_assert_ptr_nonnull(strstr(str_at(p, "detail"), "'cloud-architect'"));
  json_decref(p);
  p = write_req("POST", "/skills", "{\"slug\":\"python\",\"name\":\"Python 3\"}", 409);
  ck_assert_ptr_nonnull(strstr(str_at(p, "detail"), "'python'"));
  json_decref(p);
  /* demand ranks are unique too: rank 1 is python's */
  p = write_req("POST", "/skills", "{\"slug\":\"zig\",\"name\":\"Zig\",\"demand_rank\":1}", 409);
  ck_assert_ptr_nonnull(strstr(str_at(p, "detail"), "'python'"));
  json_decref(p);
  p = write_req("PATCH", "/skills/sql", "{\"demand_rank\":1}", 409);
  ck_assert_ptr_nonnull(strstr(str_at(p, "detail"), "'python'"));
  json_decref(p);
  after = db_dump();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}
END_TEST

START_TEST(role_with_observations_needs_cascade)
{
  int64_t observations = db_int("SELECT count(*) FROM salaries s JOIN roles r ON r.id = s.role_id"
                                " WHERE r.slug = 'machine-learning-engineer'");
  int64_t role_id = db_int("SELECT id FROM roles WHERE slug = 'machine-learning-engineer'");
  char want[64];
  char sql[128];
  json_t *p;
  json_t *entry;

  ck_assert_int_gt(observations, 0);
  p = write_req("DELETE", "/roles/machine-learning-engineer", NULL, 409);
  snprintf(want, sizeof want, "has %lld salary observation", (long long) observations);
  ck_assert_msg(NULL != strstr(str_at(p, "detail"), want), "%s", str_at(p, "detail"));
  ck_assert_ptr_nonnull(strstr(str_at(p, "detail"), "?cascade=true"));
  json_decref(p);
  p = write_req("DELETE", "/roles/machine-learning-engineer?cascade=false", NULL, 409);
  json_decref(p);
  p = write_req("DELETE", "/roles/machine-learning-engineer?cascade=yes", NULL, 400);
  ck_assert_str_eq("cascade", str_at(p, "parameter"));
  json_decref(p);
  json_decref(get_json(ws.port, "/roles/machine-learning-engineer", "", 200));
  ck_assert_int_eq(0, audit_rows());

  ck_assert_ptr_null(write_req("DELETE", "/roles/machine-learning-engineer?cascade=true", NULL,
                               204));
  json_decref(get_json(ws.port, "/roles/machine-learning-engineer", "", 404));
  snprintf(sql, sizeof sql, "SELECT count(*) FROM salaries WHERE role_id = %lld",
           (long long) role_id);
  ck_assert_int_eq(0, db_int(sql));
  snprintf(sql, sizeof sql, "SELECT count(*) FROM role_skills WHERE role_id = %lld",
           (long long) role_id);
  ck_assert_int_eq(0, db_int(sql));
  snprintf(sql, sizeof sql, "SELECT count(*) FROM role_mentions WHERE role_id = %lld",
           (long long) role_id);
  ck_assert_int_eq(0, db_int(sql));
  /* audited with what was deleted */
  p = get_json(ws.port, "/audit", AUTH, 200);
  entry = json_array_get(data_of(p), 0);
  ck_assert_str_eq("DELETE", str_at(entry, "method"));
  ck_assert_str_eq("/roles/{slug}", str_at(entry, "route"));
  ck_assert_str_eq("/roles/machine-learning-engineer", str_at(entry, "target"));
  ck_assert_int_eq(observations, json_integer_value(json_object_get(json_object_get(entry, "before"),
                                                                    "salaries")));
  ck_assert(json_is_null(json_object_get(entry, "after")));
  json_decref(p);
}
END_TEST

START_TEST(unknown_targets_are_404)
{
  static const struct {
    const char *method;
    const char *target;
    const char *body;
    const char *type;
  } cases[] = {
    { "PATCH", "/roles/no-such-role", "{\"title\":\"T\"}", "/problems/role-not-found" },
    { "DELETE", "/roles/no-such-role", NULL, "/problems/role-not-found" },
    { "PATCH", "/skills/no-such-skill", "{\"name\":\"N\"}", "/problems/skill-not-found" },
    { "PUT", "/roles/no-such-role/skills/python", NULL, "/problems/role-not-found" },
    { "PUT", "/roles/cloud-architect/skills/no-such-skill", NULL, "/problems/skill-not-found" },
    { "DELETE", "/roles/no-such-role/skills/python", NULL, "/problems/role-not-found" },
    { "DELETE", "/roles/cloud-architect/skills/no-such-skill", NULL, "/problems/skill-not-found" },
    /* both exist, but are not linked */
    { "DELETE", "/roles/cloud-architect/skills/tensorflow", NULL, "/problems/not-found" },
    { "DELETE", "/salaries/999999", NULL, "/problems/not-found" },
    { "DELETE", "/salaries/abc", NULL, "/problems/not-found" },
    { "DELETE", "/salaries/007", NULL, "/problems/not-found" },
  };
  char *before = db_dump();
  char *after;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_t *p = write_req(cases[i].method, cases[i].target, cases[i].body, 404);

    ck_assert_msg(0 == strcmp(cases[i].type, str_at(p, "type")), "%s %s: %s", cases[i].method,
                  cases[i].target, str_at(p, "type"));
    json_decref(p);
  }
  json_decref(get_json(ws.port, "/salaries/999999", "", 404));
  json_decref(get_json(ws.port, "/salaries/0", "", 404));
  after = db_dump();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}
END_TEST

/* ---- validation ----------------------------------------------------- */

START_TEST(invalid_bodies_are_422_naming_each_field)
{
  static const struct {
    const char *method;
    const char *target;
    const char *body;
    const char *fields[4];
  } cases[] = {
    /* missing members */
    { "POST", "/roles", "{}", { "slug", "title", "category", "summary" } },
    /* wrong types, unknown field */
    { "POST", "/roles",
      "{\"slug\":7,\"title\":[],\"category\":\"C\",\"summary\":\"S\",\"color\":\"red\"}",
      { "slug", "title", "color" } },
    /* bad slug, too long */
    { "POST", "/roles",
      "{\"slug\":\"Not A Slug\",\"title\":\"T\",\"category\":\"C\",\"summary\":\"S\"}",
      { "slug" } },
    { "POST", "/roles",
      "{\"slug\":\"ok\",\"title\":\"T\",\"category\":\"CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"
      "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC\",\"summary\":\"S\"}",
      { "category" } },
    /* a body that is not an object */
    { "POST", "/roles", "[1,2]", { "" } },
    /* negative amount, unknown kind, missing statistic */
    { "POST", "/salaries", "{\"role\":\"cloud-architect\",\"amount\":-5,\"kind\":\"bonus\"}",
      { "amount", "kind", "statistic" } },
    /* a fraction, a string amount, a bad source */
    { "POST", "/salaries",
      "{\"role\":\"cloud-architect\",\"amount\":1.5,\"kind\":\"base\",\"statistic\":\"average\","
      "\"source\":{\"id\":\"1\"}}",
      { "amount", "source.id", "source.section" } },
    { "POST", "/salaries", "{\"amount\":\"100000\",\"kind\":\"base\",\"statistic\":\"average\"}",
      { "amount", "subject" } },
    { "POST", "/skills", "{\"slug\":\"-bad-\",\"name\":\" padded\",\"demand_rank\":0}",
      { "slug", "name", "demand_rank" } },
    /* the identifier cannot change; a change must change something */
    { "PATCH", "/roles/cloud-architect", "{\"slug\":\"new-slug\"}", { "slug", "" } },
    { "PATCH", "/skills/python", "{}", { "" } },
    { "PATCH", "/skills/python", "{\"name\":null,\"rank\":2}", { "name", "rank" } },
  };
  char *before = db_dump();
  char *after;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_t *p = write_req(cases[i].method, cases[i].target, cases[i].body, 422);

    ck_assert_str_eq("/problems/invalid-body", str_at(p, "type"));
    ck_assert_int_eq(422, json_integer_value(json_object_get(p, "status")));
    for (size_t f = 0; f < 4 && NULL != cases[i].fields[f]; f++)
      assert_error_field(p, cases[i].fields[f]);
    json_decref(p);
  }
  after = db_dump();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}
END_TEST

START_TEST(many_problems_are_counted)
{
  char body[2048] = "{";
  json_t *p;

  for (int i = 0; i < 40; i++) {
    char member[32];

    snprintf(member, sizeof member, "%s\"extra%d\":%d", 0 == i ? "" : ",", i, i);
    strcat(body, member);
  }
  strcat(body, "}");
  p = write_req("POST", "/skills", body, 422);
  /* slug and name are missing, and 40 members are unknown */
  ck_assert_int_eq(42, json_integer_value(json_object_get(p, "total_errors")));
  ck_assert_uint_eq(32, json_array_size(json_object_get(p, "errors")));
  assert_error_field(p, "slug");
  assert_error_field(p, "extra0");
  json_decref(p);
}
END_TEST

START_TEST(bodies_refused_before_the_handler)
{
  struct http_response r;
  json_t *p;
  char *before = db_dump();
  char *after;

  /* 415: not JSON */
  send_req(ws.port, "POST", "/roles", AUTH "Content-Type: text/plain\r\n", NEW_ROLE, 415, &r);
  http_response_free(&r);
  send_req(ws.port, "PATCH", "/skills/python", AUTH, "{\"name\":\"P\"}", 415, &r);
  http_response_free(&r);
  /* 400: malformed JSON, located */
  send_req(ws.port, "POST", "/roles", AUTH JSON_CT, "{\n  \"slug\": \"x\",\n  \"title\": }", 400,
           &r);
  p = http_json(&r);
  http_response_free(&r);
  ck_assert_str_eq("/problems/malformed-json", str_at(p, "type"));
  ck_assert_msg(NULL != strstr(str_at(p, "detail"), "line 3"), "%s", str_at(p, "detail"));
  ck_assert_msg(NULL != strstr(str_at(p, "detail"), "column"), "%s", str_at(p, "detail"));
  json_decref(p);
  /* duplicate members are malformed, not "last one wins" */
  send_req(ws.port, "POST", "/skills", AUTH JSON_CT, "{\"slug\":\"a\",\"slug\":\"b\",\"name\":\"N\"}",
           400, &r);
  http_response_free(&r);
  /* query parameters a write does not take */
  p = write_req("POST", "/roles?dry_run=1", NEW_ROLE, 400);
  ck_assert_str_eq("dry_run", str_at(p, "parameter"));
  json_decref(p);
  after = db_dump();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}
END_TEST

START_TEST(body_over_the_limit_is_413)
{
  struct wserver small;
  struct http_response r;
  char body[512];

  wserver_start(&small, true, false, 64, 1);
  snprintf(body, sizeof body, "{\"slug\":\"big\",\"name\":\"%0300d\"}", 0);
  send_req(small.port, "POST", "/skills", AUTH JSON_CT, body, 413, &r);
  http_response_free(&r);
  /* within the limit it goes through */
  send_req(small.port, "POST", "/skills", AUTH JSON_CT, "{\"slug\":\"zig\",\"name\":\"Zig\"}", 201,
           &r);
  http_response_free(&r);
  wserver_stop(&small);
}
END_TEST

/* ---- credentials ---------------------------------------------------- */

START_TEST(writes_need_a_token)
{
  struct http_response r;
  char *before = db_dump();
  char *after;
  size_t n = 0;

  for (const struct route *rt = route_table; NULL != rt->pattern; rt++) {
    char target[128];
    char *auth_hdr;

    if (!rt->auth)
      continue;
    n++;
    /* a concrete path for the pattern */
    snprintf(target, sizeof target, "%s", rt->pattern);
    for (char *b; NULL != (b = strchr(target, '{'));) {
      char *e = strchr(b, '}');

      memmove(b + 1, e + 1, strlen(e + 1) + 1);
      b[0] = 'x';
    }
    send_req(ws.port, rt->method, target, JSON_CT, "{}", 401, &r);
    auth_hdr = http_header(&r, "WWW-Authenticate");
    ck_assert_msg(NULL != auth_hdr && 0 == strncmp(auth_hdr, "Bearer", 6), "%s %s", rt->method,
                  target);
    free(auth_hdr);
    http_response_free(&r);
    send_req(ws.port, rt->method, target, "Authorization: Bearer wrong-token-0123456789\r\n"
             JSON_CT, "{}", 401, &r);
    http_response_free(&r);
    send_req(ws.port, rt->method, target, "Authorization: Basic dXNlcjpwYXNz\r\n" JSON_CT, "{}",
             401, &r);
    http_response_free(&r);
  }
  ck_assert_uint_ge(n, 10);
  after = db_dump();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}
END_TEST

START_TEST(no_tokens_or_read_only_is_403)
{
  struct wserver other;
  struct http_response r;

  wserver_start(&other, false, false, 0, 1);
  send_req(other.port, "POST", "/roles", AUTH JSON_CT, NEW_ROLE, 403, &r);
  http_response_free(&r);
  send_req(other.port, "DELETE", "/salaries/1", AUTH, NULL, 403, &r);
  http_response_free(&r);
  send_req(other.port, "GET", "/audit", AUTH, NULL, 403, &r);
  http_response_free(&r);
  wserver_stop(&other);

  wserver_start(&other, true, true, 0, 1);
  send_req(other.port, "POST", "/roles", AUTH JSON_CT, NEW_ROLE, 403, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "read-only"));
  http_response_free(&r);
  /* reads still work */
  send_req(other.port, "GET", "/roles/cloud-architect", "", NULL, 200, &r);
  http_response_free(&r);
  wserver_stop(&other);
}
END_TEST

/* ---- salaries, skills, links ---------------------------------------- */

START_TEST(salary_create_read_delete)
{
  struct http_response r;
  json_t *j;
  json_t *again;
  json_t *p;
  char location[64];
  int64_t id;

  send_req(ws.port, "POST", "/salaries", AUTH JSON_CT,
           "{\"role\":\"cloud-architect\",\"amount\":180000,\"currency\":\"USD\",\"kind\":\"base\","
           "\"statistic\":\"median\",\"scope\":\"senior\",\"year\":2025,\"note\":\"n\","
           "\"source\":{\"id\":1,\"section\":\"Cloud Architect\",\"slug\":\"ignored\"},\"id\":1}",
           201, &r);
  j = http_json(&r);
  id = json_integer_value(json_object_get(data_of(j), "id"));
  snprintf(location, sizeof location, "/salaries/%lld", (long long) id);
  http_assert_header(&r, "Location", location);
  http_response_free(&r);
  ck_assert_str_eq("cloud-architect", str_at(data_of(j), "role"));
  ck_assert_int_eq(180000, json_integer_value(json_object_get(data_of(j), "amount")));
  ck_assert_str_eq("exact", str_at(data_of(j), "bound"));
  ck_assert_int_eq(1, json_integer_value(json_object_get(json_object_get(data_of(j), "source"),
                                                         "id")));
  /* GET /salaries/{id} serves the same object, as does the list */
  again = get_json(ws.port, location, "", 200);
  ck_assert(json_equal(data_of(j), data_of(again)));
  json_decref(again);
  again = get_json(ws.port, "/salaries?role=cloud-architect", "", 200);
  ck_assert(json_equal(data_of(j), json_array_get(data_of(again), 0)));
  json_decref(again);
  json_decref(j);

  /* without a source: the API's, created once */
  j = write_req("POST", "/salaries",
                "{\"role\":null,\"subject\":\"Graduates\",\"amount\":90000,\"kind\":\"total\","
                "\"statistic\":\"individual\"}", 201);
  ck_assert(json_is_null(json_object_get(data_of(j), "role")));
  ck_assert_str_eq("Graduates", str_at(data_of(j), "subject"));
  ck_assert_str_eq("api-entries", str_at(json_object_get(data_of(j), "source"), "slug"));
  json_decref(j);
  j = write_req("POST", "/salaries",
                "{\"role\":\"devops-engineer\",\"amount\":120000,\"kind\":\"total\","
                "\"statistic\":\"maximum\",\"bound\":\"below\"}", 201);
  ck_assert_str_eq("below", str_at(data_of(j), "bound"));
  json_decref(j);
  ck_assert_int_eq(1, db_int("SELECT count(*) FROM sources WHERE slug = 'api-entries'"));

  /* the role and the source must exist: 422 naming each */
  p = write_req("POST", "/salaries",
                "{\"role\":\"no-such-role\",\"amount\":1000,\"kind\":\"base\",\"statistic\":\"average\","
                "\"source\":{\"id\":999,\"section\":\"S\"}}", 422);
  assert_error_field(p, "role");
  assert_error_field(p, "source.id");
  json_decref(p);

  ck_assert_ptr_null(write_req("DELETE", location, NULL, 204));
  json_decref(get_json(ws.port, location, "", 404));
  json_decref(write_req("DELETE", location, NULL, 404));
  ck_assert_int_eq(4, audit_rows());
}
END_TEST

START_TEST(skill_create_and_change)
{
  struct http_response r;
  json_t *j;

  send_req(ws.port, "POST", "/skills", AUTH JSON_CT,
           "{\"slug\":\"rust\",\"name\":\"Rust\",\"demand_rank\":40}", 201, &r);
  http_assert_header(&r, "Location", "/skills/rust");
  j = http_json(&r);
  http_response_free(&r);
  ck_assert_str_eq("Rust", str_at(data_of(j), "name"));
  ck_assert_int_eq(40, json_integer_value(json_object_get(data_of(j), "demand_rank")));
  ck_assert(json_is_array(json_object_get(data_of(j), "roles")));
  json_decref(j);
  j = get_json(ws.port, "/skills?sort=demand&limit=500", "", 200);
  {
    json_t *last = json_array_get(data_of(j), 0);
    size_t i;

    json_array_foreach(data_of(j), i, last) {
      if (0 == strcmp("rust", str_at(last, "slug")))
        break;
    }
    ck_assert_str_eq("rust", str_at(last, "slug"));
  }
  json_decref(j);

  j = write_req("PATCH", "/skills/rust", "{\"name\":\"Rust language\"}", 200);
  ck_assert_str_eq("Rust language", str_at(data_of(j), "name"));
  ck_assert_int_eq(40, json_integer_value(json_object_get(data_of(j), "demand_rank")));
  json_decref(j);
  j = write_req("PATCH", "/skills/rust", "{\"demand_rank\":null}", 200);
  ck_assert(json_is_null(json_object_get(data_of(j), "demand_rank")));
  json_decref(j);
  /* a seed skill takes a free rank; its rank now comes from the API */
  j = write_req("PATCH", "/skills/excel", "{\"demand_rank\":9}", 200);
  ck_assert_int_eq(9, json_integer_value(json_object_get(data_of(j), "demand_rank")));
  ck_assert_str_eq("api-entries", str_at(json_object_get(data_of(j), "source"), "slug"));
  json_decref(j);
  /* its own rank is no conflict */
  json_decref(write_req("PATCH", "/skills/excel", "{\"demand_rank\":9}", 200));
  ck_assert_int_eq(5, audit_rows());
}
END_TEST

START_TEST(link_and_unlink)
{
  struct http_response r;
  json_t *j;
  json_t *skills;
  json_t *s;
  size_t i;
  bool found = false;
  int64_t audited;

  send_req(ws.port, "PUT", "/roles/cloud-architect/skills/tensorflow", AUTH, NULL, 201, &r);
  http_assert_header(&r, "Location", "/roles/cloud-architect/skills/tensorflow");
  j = http_json(&r);
  http_response_free(&r);
  ck_assert_str_eq("cloud-architect", str_at(data_of(j), "role"));
  ck_assert_str_eq("tensorflow", str_at(json_object_get(data_of(j), "skill"), "slug"));
  ck_assert_str_eq("Linked through the API",
                   str_at(json_object_get(json_object_get(data_of(j), "skill"), "source"),
                          "section"));
  json_decref(j);
  audited = audit_rows();
  /* idempotent: 200, nothing recorded */
  j = write_req("PUT", "/roles/cloud-architect/skills/tensorflow", NULL, 200);
  ck_assert_str_eq("tensorflow", str_at(json_object_get(data_of(j), "skill"), "slug"));
  json_decref(j);
  ck_assert_int_eq(audited, audit_rows());
  /* a link that existed before the API keeps its source */
  j = write_req("PUT", "/roles/cloud-architect/skills/aws-cloud", NULL, 200);
  ck_assert_str_ne("api-entries",
                   str_at(json_object_get(json_object_get(data_of(j), "skill"), "source"), "slug"));
  json_decref(j);

  j = get_json(ws.port, "/roles/cloud-architect", "", 200);
  skills = json_object_get(data_of(j), "skills");
  json_array_foreach(skills, i, s)
    found = found || 0 == strcmp("tensorflow", str_at(s, "slug"));
  ck_assert(found);
  json_decref(j);

  ck_assert_ptr_null(write_req("DELETE", "/roles/cloud-architect/skills/tensorflow", NULL, 204));
  json_decref(write_req("DELETE", "/roles/cloud-architect/skills/tensorflow", NULL, 404));
  ck_assert_int_eq(0, db_int("SELECT count(*) FROM role_skills rs JOIN skills k"
                             " ON k.id = rs.skill_id JOIN roles r ON r.id = rs.role_id"
                             " WHERE r.slug = 'cloud-architect' AND k.slug = 'tensorflow'"));
  ck_assert_int_eq(audited + 1, audit_rows());
}
END_TEST

/* ---- the audit trail ------------------------------------------------ */

START_TEST(audit_trail)
{
  struct http_response r;
  json_t *j;
  json_t *e;
  char *dump;

  json_decref(write_req("POST", "/roles", NEW_ROLE, 201));
  json_decref(write_req("PATCH", "/roles/quantum-engineer", "{\"category\":\"Science\"}", 200));
  json_decref(write_req("PUT", "/roles/quantum-engineer/skills/python", NULL, 201));
  ck_assert_ptr_null(write_req("DELETE", "/roles/quantum-engineer", NULL, 204));

  /* needs a token */
  send_req(ws.port, "GET", "/audit", "", NULL, 401, &r);
  http_response_free(&r);
  send_req(ws.port, "GET", "/audit", "Authorization: Bearer wrong-token-0123456789\r\n", NULL, 401,
           &r);
  http_response_free(&r);

  send_req(ws.port, "GET", "/audit", AUTH, NULL, 200, &r);
  ck_assert_ptr_null(strstr(r.body, TOKEN));
  ck_assert_ptr_null(strstr(r.headers, TOKEN));
  j = http_json(&r);
  http_response_free(&r);
  ck_assert_int_eq(4, json_integer_value(json_object_get(json_object_get(j, "meta"), "total")));
  ck_assert_uint_eq(4, json_array_size(data_of(j)));
  /* newest first */
  e = json_array_get(data_of(j), 0);
  ck_assert_str_eq("DELETE", str_at(e, "method"));
  ck_assert_str_eq("env", str_at(e, "token_id"));
  ck_assert_str_eq("Science", str_at(json_object_get(e, "before"), "category"));
  ck_assert_int_eq(1, json_integer_value(json_object_get(json_object_get(e, "before"), "skills")));
  ck_assert(json_is_null(json_object_get(e, "after")));
  e = json_array_get(data_of(j), 1);
  ck_assert_str_eq("PUT", str_at(e, "method"));
  ck_assert_str_eq("/roles/{slug}/skills/{skill}", str_at(e, "route"));
  ck_assert_str_eq("/roles/quantum-engineer/skills/python", str_at(e, "target"));
  ck_assert_str_eq("python", str_at(json_object_get(e, "after"), "skill"));
  e = json_array_get(data_of(j), 2);
  ck_assert_str_eq("PATCH", str_at(e, "method"));
  ck_assert_str_eq("Research", str_at(json_object_get(e, "before"), "category"));
  ck_assert_str_eq("Science", str_at(json_object_get(e, "after"), "category"));
  e = json_array_get(data_of(j), 3);
  ck_assert_str_eq("POST", str_at(e, "method"));
  ck_assert_str_eq("/roles", str_at(e, "route"));
  ck_assert_str_eq("/roles", str_at(e, "target"));
  ck_assert(json_is_null(json_object_get(e, "before")));
  ck_assert_str_eq("quantum-engineer", str_at(json_object_get(e, "after"), "slug"));
  {
    const char *at = str_at(e, "at");

    /* RFC 3339 UTC with milliseconds: 2026-01-31T12:00:00.123Z */
    ck_assert_uint_eq(24, strlen(at));
    ck_assert_int_eq('T', at[10]);
    ck_assert_int_eq('.', at[19]);
    ck_assert_int_eq('Z', at[23]);
  }
  ck_assert_int_lt(json_integer_value(json_object_get(e, "id")),
                   json_integer_value(json_object_get(json_array_get(data_of(j), 0), "id")));
  json_decref(j);

  /* paging */
  j = get_json(ws.port, "/audit?limit=2&offset=1", AUTH, 200);
  ck_assert_uint_eq(2, json_array_size(data_of(j)));
  ck_assert_str_eq("PUT", str_at(json_array_get(data_of(j), 0), "method"));
  json_decref(j);
  json_decref(get_json(ws.port, "/audit?limit=0", AUTH, 400));
  json_decref(get_json(ws.port, "/audit?since=1", AUTH, 400));

  /* the token is nowhere in the database either */
  dump = db_dump();
  ck_assert_ptr_null(strstr(dump, TOKEN));
  free(dump);
}
END_TEST

START_TEST(audit_pages_on_by_cursor)
{
  json_t *all;
  json_t *j;
  char target[512] = "/audit?limit=2";
  size_t seen = 0;

  for (int i = 0; i < 5; i++) {
    char body[160];

    snprintf(body, sizeof body, "{\"slug\":\"audit-skill-%d\",\"name\":\"Audit skill %d\"}", i, i);
    json_decref(write_req("POST", "/skills", body, 201));
  }
  all = get_json(ws.port, "/audit?limit=500", AUTH, 200);
  for (int pages = 0; pages < 10; pages++) {
    const char *next;

    j = get_json(ws.port, target, AUTH, 200);
    for (size_t i = 0; i < json_array_size(data_of(j)); i++, seen++)
      ck_assert(json_equal(json_array_get(data_of(all), seen), json_array_get(data_of(j), i)));
    next = str_at(json_object_get(j, "meta"), "next_cursor");
    if (NULL == next) {
      json_decref(j);
      break;
    }
    snprintf(target, sizeof target, "/audit?limit=2&cursor=%s", next);
    json_decref(j);
  }
  ck_assert_uint_eq(json_array_size(data_of(all)), seen);
  ck_assert_uint_le(5, seen);
  json_decref(all);
  json_decref(get_json(ws.port, "/audit?offset=10000", AUTH, 200));
  j = get_json(ws.port, "/audit?offset=10001", AUTH, 400);
  ck_assert_str_eq("offset", str_at(j, "parameter"));
  ck_assert_ptr_nonnull(strstr(str_at(j, "detail"), "next_cursor"));
  json_decref(j);
  j = get_json(ws.port, "/audit?cursor=bm90LWEtY3Vyc29y", AUTH, 400);
  ck_assert_str_eq("cursor", str_at(j, "parameter"));
  json_decref(j);
}
END_TEST

/* ---- pay, rankings, ETags ------------------------------------------- */

static char *
roles_etag(json_t **body)
{
  struct http_response r;
  char *tag;

  send_req(ws.port, "GET", "/roles?sort=pay", "", NULL, 200, &r);
  tag = http_header(&r, "ETag");
  ck_assert_ptr_nonnull(tag);
  if (NULL != body)
    *body = http_json(&r);
  http_response_free(&r);
  return tag;
}

START_TEST(writes_move_pay_rankings_and_etags)
{
  struct http_response r;
  json_t *j;
  char *old_tag;
  char *tag;
  char header[160];
  char location[64];
  int64_t want_pay;

  /* every worker thread has the ranking cached */
  for (int i = 0; i < 8; i++) {
    tag = roles_etag(NULL);
    free(tag);
  }
  old_tag = roles_etag(&j);
  ck_assert_str_eq("machine-learning-engineer", str_at(json_array_get(data_of(j), 0), "slug"));
  json_decref(j);

  j = write_req("POST", "/salaries",
                "{\"role\":\"data-science-manager\",\"amount\":400000,\"kind\":\"base\","
                "\"statistic\":\"average\",\"year\":2025}", 201);
  snprintf(location, sizeof location, "/salaries/%lld",
           (long long) json_integer_value(json_object_get(data_of(j), "id")));
  json_decref(j);
  want_pay = db_int("SELECT CAST(round(avg(s.amount_usd)) AS INTEGER) FROM salaries s"
                    " JOIN roles r ON r.id = s.role_id WHERE r.slug = 'data-science-manager'"
                    " AND s.kind = 'base' AND s.statistic = 'average' AND s.bound = 'exact'");
  ck_assert_int_gt(want_pay, 146085);

  /* at once, on every thread: new body, new tag, no 304 for the old tag */
  snprintf(header, sizeof header, "If-None-Match: %s\r\n", old_tag);
  for (int i = 0; i < 8; i++) {
    json_t *first;

    tag = roles_etag(&j);
    ck_assert_str_ne(old_tag, tag);
    first = json_array_get(data_of(j), 0);
    ck_assert_str_eq("data-science-manager", str_at(first, "slug"));
    ck_assert_int_eq(want_pay, json_integer_value(json_object_get(first, "pay")));
    ck_assert_int_eq(1, json_integer_value(json_object_get(first, "rank")));
    json_decref(j);
    free(tag);
    send_req(ws.port, "GET", "/roles?sort=pay", header, NULL, 200, &r);
    http_response_free(&r);
  }
  j = get_json(ws.port, "/roles/data-science-manager", "", 200);
  ck_assert_int_eq(want_pay, json_integer_value(json_object_get(data_of(j), "pay")));
  json_decref(j);

  /* and back when the observation goes */
  ck_assert_ptr_null(write_req("DELETE", location, NULL, 204));
  for (int i = 0; i < 8; i++) {
    tag = roles_etag(&j);
    ck_assert_str_eq("machine-learning-engineer", str_at(json_array_get(data_of(j), 0), "slug"));
    ck_assert_str_eq(old_tag, tag); /* the same data, the same bytes */
    json_decref(j);
    free(tag);
  }
  free(old_tag);
}
END_TEST

START_TEST(role_changes_reach_cached_lists)
{
  json_t *j;

  for (int i = 0; i < 8; i++)
    json_decref(get_json(ws.port, "/roles?category=Research", "", 200));
  json_decref(write_req("POST", "/roles", NEW_ROLE, 201));
  for (int i = 0; i < 8; i++) {
    j = get_json(ws.port, "/roles?category=Research", "", 200);
    ck_assert_int_eq(1, json_integer_value(json_object_get(json_object_get(j, "meta"), "total")));
    json_decref(j);
  }
}
END_TEST

/* ---- failures change nothing ---------------------------------------- */

START_TEST(failed_writes_leave_the_database_unchanged)
{
  char *before = db_dump();
  char *after;
  json_t *p;

  /* refused after the transaction began: conflict, observations, unknown role */
  json_decref(write_req("POST", "/roles",
                        "{\"slug\":\"cloud-architect\",\"title\":\"T\",\"category\":\"C\","
                        "\"summary\":\"S\"}", 409));
  json_decref(write_req("DELETE", "/roles/machine-learning-engineer", NULL, 409));
  json_decref(write_req("POST", "/salaries",
                        "{\"role\":\"no-such-role\",\"amount\":1000,\"kind\":\"base\","
                        "\"statistic\":\"average\"}", 422));
  json_decref(write_req("PUT", "/roles/cloud-architect/skills/no-such-skill", NULL, 404));
  after = db_dump();
  ck_assert_str_eq(before, after);
  free(after);

  /* a write that fails at its last step (the audit row) is rolled back
   * whole: the observation, the pay it moved and the API source it made */
  scratch_db_exec(&ws.db, scratch_db_sql(&ws.db,
                                          "CREATE TRIGGER audit_refused BEFORE INSERT ON audit"
                                          " BEGIN SELECT RAISE(ABORT, 'refused'); END",
                                          "CREATE FUNCTION audit_refused() RETURNS trigger"
                                          " LANGUAGE plpgsql AS"
                                          " $$BEGIN RAISE EXCEPTION 'refused'; END$$;"
                                          "CREATE TRIGGER audit_refused BEFORE INSERT ON audit"
                                          " FOR EACH ROW EXECUTE FUNCTION audit_refused()"));
  free(before);
  before = db_dump();
  p = write_req("POST", "/salaries",
                "{\"role\":\"data-science-manager\",\"amount\":400000,\"kind\":\"base\","
                "\"statistic\":\"average\"}", 500);
  ck_assert_str_eq("/problems/internal", str_at(p, "type"));
  json_decref(p);
  json_decref(write_req("DELETE", "/roles/machine-learning-engineer?cascade=true", NULL, 500));
  json_decref(write_req("PUT", "/roles/cloud-architect/skills/tensorflow", NULL, 500));
  json_decref(write_req("PATCH", "/skills/python", "{\"name\":\"Py\"}", 500));
  after = db_dump();
  ck_assert_str_eq(before, after);
  free(after);
  free(before);
  /* the connections are usable afterwards */
  scratch_db_exec(&ws.db, scratch_db_sql(&ws.db, "DROP TRIGGER audit_refused",
                                          "DROP TRIGGER audit_refused ON audit;"
                                          "DROP FUNCTION audit_refused()"));
  for (int i = 0; i < 4; i++) {
    char body[160];

    snprintf(body, sizeof body, "{\"slug\":\"skill-%d\",\"name\":\"Skill %d\"}", i, i);
    json_decref(write_req("POST", "/skills", body, 201));
  }
  ck_assert_int_eq(4, audit_rows());
}
END_TEST

START_TEST(busy_database_is_503)
{
  struct http_response r;
  sqlite3 *conn;
  char *retry;

  /* another writer holds the lock past the busy timeout */
  ck_assert_int_eq(SQLITE_OK, sqlite3_open(ws.db.path, &conn));
  ck_assert_int_eq(SQLITE_OK, sqlite3_exec(conn, "BEGIN IMMEDIATE", NULL, NULL, NULL));
  send_req(ws.port, "POST", "/skills", AUTH JSON_CT, "{\"slug\":\"zig\",\"name\":\"Zig\"}", 503,
           &r);
  retry = http_header(&r, "Retry-After");
  ck_assert_ptr_nonnull(retry);
  free(retry);
  http_response_free(&r);
  ck_assert_int_eq(SQLITE_OK, sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL));
  sqlite3_close(conn);
  json_decref(write_req("POST", "/skills", "{\"slug\":\"zig\",\"name\":\"Zig\"}", 201));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("writes");
  TCase *tc = tcase_create("writes");

  tcase_set_timeout(tc, 60);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, role_create_change_delete);
  tcase_add_test(tc, duplicate_slugs_are_409);
  tcase_add_test(tc, role_with_observations_needs_cascade);
  tcase_add_test(tc, unknown_targets_are_404);
  tcase_add_test(tc, invalid_bodies_are_422_naming_each_field);
  tcase_add_test(tc, many_problems_are_counted);
  tcase_add_test(tc, bodies_refused_before_the_handler);
  tcase_add_test(tc, body_over_the_limit_is_413);
  tcase_add_test(tc, writes_need_a_token);
  tcase_add_test(tc, no_tokens_or_read_only_is_403);
  tcase_add_test(tc, salary_create_read_delete);
  tcase_add_test(tc, skill_create_and_change);
  tcase_add_test(tc, link_and_unlink);
  tcase_add_test(tc, audit_trail);
  tcase_add_test(tc, audit_pages_on_by_cursor);
  tcase_add_test(tc, writes_move_pay_rankings_and_etags);
  tcase_add_test(tc, role_changes_reach_cached_lists);
  tcase_add_test(tc, failed_writes_leave_the_database_unchanged);
  test_engine_add_sqlite_only(tc, busy_database_is_503,
                              "another connection's write lock held past the busy timeout");
  suite_add_tcase(s, tc);
  return run_suite(s);
}
