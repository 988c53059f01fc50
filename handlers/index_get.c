/**
 * @file handlers/index_get.c
 * @brief GET /
 */
#include "handlers/handlers.h"

int
h_index_get(const struct request *req, struct reply *rep)
{
  (void) req;
  return reply_problem(rep, PROBLEM_NOT_FOUND, NULL, "not implemented yet");
}
