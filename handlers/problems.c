/**
 * @file handlers/problems.c
 * @brief The rows of techpay's own problem types.
 */
#include "handlers/problems.h"

static const struct problem_def app_registry[PROBLEM__COUNT - PROBLEM_APP_FIRST] = {
  [PROBLEM_ROLE_NOT_FOUND - PROBLEM_APP_FIRST] = { 404, "role-not-found", "No such role" },
  [PROBLEM_SKILL_NOT_FOUND - PROBLEM_APP_FIRST] = { 404, "skill-not-found", "No such skill" },
  [PROBLEM_SOURCE_NOT_FOUND - PROBLEM_APP_FIRST] = { 404, "source-not-found",
                                                     "No such source document" },
  [PROBLEM_QUERY_TIMEOUT - PROBLEM_APP_FIRST] = { 503, "query-timeout",
                                                  "Query over its time budget" },
};

void
app_problems_register(void)
{
  problem_register(app_registry, PROBLEM__COUNT - PROBLEM_APP_FIRST);
}
