/**
 * @file http/problem.c
 * @brief The error registry: the generic HTTP problems, and the rows an
 *        application adds.
 */
#include "http/problem.h"

#include <assert.h>

static const struct problem_def registry[PROBLEM_APP_FIRST] = {
  [PROBLEM_NOT_FOUND] = { 404, "not-found", "No such resource" },
  [PROBLEM_METHOD_NOT_ALLOWED] = { 405, "method-not-allowed", "Method not allowed on this resource" },
  [PROBLEM_URI_TOO_LONG] = { 414, "uri-too-long", "Request path too long" },
  [PROBLEM_INVALID_PARAMETER] = { 400, "invalid-parameter", "Invalid query parameter" },
  [PROBLEM_UNKNOWN_PARAMETER] = { 400, "unknown-parameter", "Unknown query parameter" },
  [PROBLEM_DUPLICATE_PARAMETER] = { 400, "duplicate-parameter", "Query parameter given more than once" },
  [PROBLEM_TOO_MANY_PARAMETERS] = { 400, "too-many-parameters", "Too many query parameters" },
  [PROBLEM_UNAVAILABLE] = { 503, "unavailable", "Service temporarily unavailable" },
  [PROBLEM_INTERNAL] = { 500, "internal", "Internal server error" },
  [PROBLEM_NOT_ACCEPTABLE] = { 406, "not-acceptable", "No acceptable representation" },
  [PROBLEM_UNAUTHORIZED] = { 401, "unauthorized", "Authentication required" },
  [PROBLEM_FORBIDDEN] = { 403, "forbidden", "Writes are not enabled" },
  [PROBLEM_BODY_TOO_LARGE] = { 413, "body-too-large", "Request body too large" },
  [PROBLEM_UNSUPPORTED_MEDIA_TYPE] = { 415, "unsupported-media-type", "Unsupported request body type" },
  [PROBLEM_MALFORMED_JSON] = { 400, "malformed-json", "Malformed JSON body" },
  [PROBLEM_INVALID_BODY] = { 422, "invalid-body", "Invalid request body" },
  [PROBLEM_CONFLICT] = { 409, "conflict", "Conflict with the current data" },
  [PROBLEM_STORAGE_FULL] = { 507, "storage-full", "No room left to store the data" },
  [PROBLEM_MALFORMED_REQUEST] = { 400, "malformed-request", "Malformed request" },
  [PROBLEM_HEADERS_TOO_LARGE] = { 431, "headers-too-large", "Request header fields too large" },
  [PROBLEM_NOT_IMPLEMENTED] = { 501, "not-implemented", "Not implemented" },
};

/* The application's rows, set once at start-up before any thread reads them. */
static const struct problem_def *app_registry;
static unsigned app_count;

void
problem_register(const struct problem_def *defs, unsigned count)
{
  app_registry = defs;
  app_count = count;
}

const struct problem_def *
problem_get(unsigned id)
{
  if (id < PROBLEM_APP_FIRST)
    return &registry[id];
  assert(id - PROBLEM_APP_FIRST < app_count);
  return &app_registry[id - PROBLEM_APP_FIRST];
}
