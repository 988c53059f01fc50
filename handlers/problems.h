/**
 * @file handlers/problems.h
 * @brief techpay's own problem types, beside the framework's generic HTTP
 *        ones: what is not found among our resources, and a query that
 *        ran over its time budget.
 */
#ifndef TECHPAY_HANDLERS_PROBLEMS_H
#define TECHPAY_HANDLERS_PROBLEMS_H

#include "http/problem.h"

enum app_problem {
  PROBLEM_ROLE_NOT_FOUND = PROBLEM_APP_FIRST,
  PROBLEM_SKILL_NOT_FOUND,
  PROBLEM_SOURCE_NOT_FOUND,
  PROBLEM_QUERY_TIMEOUT,
  PROBLEM__COUNT /* every problem an answer of ours can carry, the framework's included */
};

/** Registers ours with the framework; call once at start-up, before any handler runs. */
void app_problems_register(void);

#endif
