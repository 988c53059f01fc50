/**
 * @file handlers/skills_get.c
 * @brief GET /skills/{slug}
 */
#include "handlers/handlers.h"

int
h_skills_get(const struct request *req, struct reply *rep)
{
  (void) req;
  return reply_problem(rep, PROBLEM_NOT_FOUND, NULL, "not implemented yet");
}
