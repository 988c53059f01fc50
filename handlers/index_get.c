/**
 * @file handlers/index_get.c
 * @brief GET /api: the endpoints, read from the route table, each with its
 *        example URL and one-line description from there.
 */
#include "handlers/handlers.h"

#include <string.h>

#include "build_config.h"
#include "handlers/routes.h"

static json_t *
endpoint_json(const struct route *r)
{
  json_t *e = json_pack("{s:s, s:s, s:s?, s:s?}",
                        "method", r->method,
                        "path", r->pattern,
                        "example", r->example,
                        "description", r->summary);

  if (NULL != e && r->list
      && 0 != json_object_set_new(e, "formats", json_pack("[s, s]", "json", "csv"))) {
    json_decref(e);
    return NULL;
  }
  return e;
}

int
h_index_get(const struct request *req, struct reply *rep)
{
  json_t *endpoints;

  (void) req; /* it takes no query: the route table says so */
  endpoints = json_array();
  if (NULL == endpoints)
    return -1;
  for (const struct route *r = route_table; NULL != r->pattern; r++) {
    if (0 != json_array_append_new(endpoints, endpoint_json(r))) {
      json_decref(endpoints);
      return -1;
    }
  }
  return reply_json(rep, 200, json_pack("{s:s, s:s, s:o}",
                                        "name", "techpay",
                                        "version", TECHPAY_VERSION,
                                        "endpoints", endpoints));
}
