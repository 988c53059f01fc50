/**
 * @file handlers/skills_list.c
 * @brief GET /skills?sort=demand|pay|name
 */
#include "handlers/handlers.h"

int
h_skills_list(const struct request *req, struct reply *rep)
{
  (void) req;
  return reply_problem(rep, PROBLEM_NOT_FOUND, NULL, "not implemented yet");
}
