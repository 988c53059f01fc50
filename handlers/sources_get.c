/**
 * @file handlers/sources_get.c
 * @brief GET /sources/{id}
 */
#include "handlers/handlers.h"

int
h_sources_get(const struct request *req, struct reply *rep)
{
  (void) req;
  return reply_problem(rep, PROBLEM_NOT_FOUND, NULL, "not implemented yet");
}
