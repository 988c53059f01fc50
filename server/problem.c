/**
 * @file server/problem.c
 * @brief The error registry.
 */
#include "server/problem.h"

#include <assert.h>

static const struct problem_def registry[PROBLEM__COUNT] = {
  [PROBLEM_NOT_FOUND] = { 404, "not-found", "No such resource" },
  [PROBLEM_METHOD_NOT_ALLOWED] = { 405, "method-not-allowed", "Method not allowed on this resource" },
  [PROBLEM_URI_TOO_LONG] = { 414, "uri-too-long", "Request path too long" },
  [PROBLEM_INVALID_PARAMETER] = { 400, "invalid-parameter", "Invalid query parameter" },
  [PROBLEM_UNKNOWN_PARAMETER] = { 400, "unknown-parameter", "Unknown query parameter" },
  [PROBLEM_DUPLICATE_PARAMETER] = { 400, "duplicate-parameter", "Query parameter given more than once" },
  [PROBLEM_TOO_MANY_PARAMETERS] = { 400, "too-many-parameters", "Too many query parameters" },
  [PROBLEM_ROLE_NOT_FOUND] = { 404, "role-not-found", "No such role" },
  [PROBLEM_SKILL_NOT_FOUND] = { 404, "skill-not-found", "No such skill" },
  [PROBLEM_SOURCE_NOT_FOUND] = { 404, "source-not-found", "No such source document" },
  [PROBLEM_UNAVAILABLE] = { 503, "unavailable", "Service temporarily unavailable" },
  [PROBLEM_INTERNAL] = { 500, "internal", "Internal server error" },
  [PROBLEM_NOT_ACCEPTABLE] = { 406, "not-acceptable", "No acceptable representation" },
};

const struct problem_def *
problem_get(enum problem_id id)
{
  assert(id < PROBLEM__COUNT);
  return &registry[id];
}
