/**
 * @file handlers/sources_list.c
 * @brief GET /sources
 */
#include "handlers/handlers.h"

int
h_sources_list(const struct request *req, struct reply *rep)
{
  (void) req;
  return reply_problem(rep, PROBLEM_NOT_FOUND, NULL, "not implemented yet");
}
