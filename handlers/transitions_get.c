/**
 * @file handlers/transitions_get.c
 * @brief GET /transitions?from=a&to=b
 */
#include "handlers/handlers.h"

int
h_transitions_get(const struct request *req, struct reply *rep)
{
  (void) req;
  return reply_problem(rep, PROBLEM_NOT_FOUND, NULL, "not implemented yet");
}
