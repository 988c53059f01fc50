/**
 * @file handlers/factors_list.c
 * @brief GET /factors
 */
#include "handlers/handlers.h"

int
h_factors_list(const struct request *req, struct reply *rep)
{
  (void) req;
  return reply_problem(rep, PROBLEM_NOT_FOUND, NULL, "not implemented yet");
}
