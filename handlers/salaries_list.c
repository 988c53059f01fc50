/**
 * @file handlers/salaries_list.c
 * @brief GET /salaries?role=&kind=&statistic=&min=&max=&sort=
 */
#include "handlers/handlers.h"

int
h_salaries_list(const struct request *req, struct reply *rep)
{
  (void) req;
  return reply_problem(rep, PROBLEM_NOT_FOUND, NULL, "not implemented yet");
}
