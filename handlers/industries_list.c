/**
 * @file handlers/industries_list.c
 * @brief GET /industries
 */
#include "handlers/handlers.h"

int
h_industries_list(const struct request *req, struct reply *rep)
{
  (void) req;
  return reply_problem(rep, PROBLEM_NOT_FOUND, NULL, "not implemented yet");
}
