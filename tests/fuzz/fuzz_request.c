/**
 * @file tests/fuzz/fuzz_request.c
 * @brief libFuzzer target: a request line, "METHOD /path?query" (GET when
 *        there is no space), through the router and, for a matched route,
 *        through its handler and every parameter parser it uses (params.c,
 *        roles_params.c, cursor.c, paging.c, write_parse_id, ...) against
 *        the seeded database; then the response-cache key the daemon builds.
 *
 * A write route runs without a body (fuzz_json_body and fuzz_import fuzz
 * bodies); the database is restored after it, so every input starts from
 * the same data and a finding replays alone.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "handlers/routes.h"
#include "http/variant.h"
#include "tests/fuzz/fuzz_support.h"

static void
check_route(enum route_result rr, const struct route_match *m)
{
  switch (rr) {
  case ROUTE_FOUND:
    if (NULL == m->route || m->nargs > REQUEST_MAX_ARGS)
      fuzz_fail("a found route without its entry");
    for (unsigned i = 0; i < m->nargs; i++)
      if ('\0' == m->args[i][0] || NULL != strchr(m->args[i], '/'))
        fuzz_fail("a path argument that is empty or spans segments");
    break;
  case ROUTE_METHOD_NOT_ALLOWED:
    if ('\0' == m->allow[0])
      fuzz_fail("405 without Allow");
    break;
  case ROUTE_NOT_FOUND:
  case ROUTE_URI_TOO_LONG:
    break;
  }
}

static void
run_route(const struct route_match *m, const char *method, const char *path, char *query)
{
  struct param params[REQUEST_MAX_PARAMS];
  struct request req = {
    .method = method,
    .path = path,
    .params = params,
    .app = fuzz_db(),
    .route_pattern = m->route->pattern,
    .token_id = "fuzz",
    .nargs = m->nargs,
  };
  struct reply rep = { .instance = path };
  struct entity_spec spec = { .repr = REPR_JSON };
  char key[VARIANT_KEY_MAX];

  req.nparams = NULL != query ? fuzz_split_query(query, params, REQUEST_MAX_PARAMS) : 0;
  memcpy(req.args, m->args, sizeof req.args);
  fuzz_check_reply(m->route->handler(&req, &rep), &rep);
  if (0 == strcmp(m->route->method, "GET"))
    fuzz_db_check_idle();
  else
    fuzz_db_reset();
  variant_cache_key(key, &spec, false, path, params, req.nparams);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = fuzz_strndup(data, size);
  const char *method = "GET";
  char *target = text;
  char *space = strchr(text, ' ');
  char *query;
  struct route_match m;
  enum route_result rr;

  if (NULL != space) {
    *space = '\0';
    method = text;
    target = space + 1;
  }
  query = strchr(target, '?');
  if (NULL != query)
    *query++ = '\0';
  MHD_http_unescape(target);
  rr = route_find(method, target, &m);
  check_route(rr, &m);
  /* a streamed body is read by its stream operations, not the handler */
  if (ROUTE_FOUND == rr && NULL == m.route->stream)
    run_route(&m, method, target, query);
  free(text);
  return 0;
}
