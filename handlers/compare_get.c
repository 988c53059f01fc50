/**
 * @file handlers/compare_get.c
 * @brief GET /compare?roles=a,b[,c...]
 */
#include "handlers/handlers.h"

int
h_compare_get(const struct request *req, struct reply *rep)
{
  (void) req;
  return reply_problem(rep, PROBLEM_NOT_FOUND, NULL, "not implemented yet");
}
