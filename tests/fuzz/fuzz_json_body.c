/**
 * @file tests/fuzz/fuzz_json_body.c
 * @brief libFuzzer target: the JSON body of a write route. The first byte
 *        chooses the route; the rest is the body, parsed as the daemon
 *        parses it (body.c), checked by the route's validator (validate.c)
 *        and then handed to the route's handler, which writes to the
 *        seeded in-memory database. The database is restored after each
 *        input, so a finding replays alone.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "handlers/validate.h"
#include "http/body.h"
#include "http/router.h"
#include "tests/fuzz/fuzz_support.h"

/* The daemon's default --max-body: larger bodies never reach a parser. */
#define FUZZ_MAX_BODY (1024 * 1024)

static int
check_role_create(const json_t *body, struct field_errors *v)
{
  struct role_input in;

  return validate_role_create(body, &in, v);
}

static int
check_role_patch(const json_t *body, struct field_errors *v)
{
  struct role_input in;

  return validate_role_patch(body, &in, v);
}

static int
check_salary_create(const json_t *body, struct field_errors *v)
{
  struct salary_input in;
  int rc = validate_salary_create(body, &in, v);

  if (0 == rc && (in.amount < 1 || in.amount > VALIDATE_AMOUNT_MAX))
    fuzz_fail("a salary passed with an amount out of range");
  if (0 == rc && NULL != in.role && 0 != validate_slug(in.role))
    fuzz_fail("a salary passed with a role that is not a slug");
  return rc;
}

static int
check_skill_create(const json_t *body, struct field_errors *v)
{
  struct skill_input in;

  return validate_skill_create(body, &in, v);
}

static int
check_skill_patch(const json_t *body, struct field_errors *v)
{
  struct skill_input in;

  return validate_skill_patch(body, &in, v);
}

struct write_route {
  const char *method;
  const char *pattern;
  const char *arg; /* args[0]: a seeded role or skill; NULL when the route has none */
  handler_fn handler;
  int (*validate)(const json_t *body, struct field_errors *v);
};

static const struct write_route routes[] = {
  { "POST", "/roles", NULL, h_roles_post, check_role_create },
  { "PATCH", "/roles/{slug}", "cloud-architect", h_roles_patch, check_role_patch },
  { "POST", "/salaries", NULL, h_salaries_post, check_salary_create },
  { "POST", "/skills", NULL, h_skills_post, check_skill_create },
  { "PATCH", "/skills/{slug}", "tensorflow", h_skills_patch, check_skill_patch },
};
#define NROUTES (sizeof routes / sizeof routes[0])

static void
check_validation(int rc, const struct field_errors *v)
{
  json_t *errors;

  if (v->count > VALIDATION_MAX_ERRORS || v->count > v->total)
    fuzz_fail("validation counts out of bounds");
  if ((0 == rc) != (0 == v->total))
    fuzz_fail("a validator's answer disagrees with its problems");
  for (size_t i = 0; i < v->count; i++)
    if (NULL == memchr(v->items[i].field, '\0', sizeof v->items[i].field)
        || NULL == memchr(v->items[i].reason, '\0', sizeof v->items[i].reason))
      fuzz_fail("a field error that is not a string");
  errors = validation_errors_json(v);
  if (NULL == errors || json_array_size(errors) != v->count)
    fuzz_fail("the errors array does not list every kept problem");
  json_decref(errors);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const struct write_route *wr;
  struct request_body b = { 0 };
  struct reply rep = { 0 };
  struct field_errors v;
  json_t *json = NULL;

  if (size < 1)
    return 0;
  wr = &routes[data[0] % NROUTES];
  rep.instance = wr->pattern;
  if (0 != body_append(&b, (const char *) data + 1, size - 1, FUZZ_MAX_BODY))
    fuzz_fail("out of memory gathering the body");
  if (0 != body_parse_json(&b, &json, &rep)) {
    if (400 != rep.status)
      fuzz_fail("an unparsable body answered other than 400");
    fuzz_check_reply(0, &rep);
  } else {
    struct request req = {
      .method = wr->method,
      .path = wr->pattern,
      .args = { wr->arg },
      .nargs = NULL != wr->arg ? 1 : 0,
      .app = fuzz_db(),
      .json = json,
      .body = b.data,
      .body_len = b.len,
      .content_type = "application/json",
      .token_id = "fuzz",
      .route_pattern = wr->pattern,
    };

    check_validation(wr->validate(json, &v), &v);
    fuzz_check_reply(wr->handler(&req, &rep), &rep);
    fuzz_db_reset();
    json_decref(json);
  }
  body_clear(&b);
  return 0;
}
