/**
 * @file handlers/db_error.c
 * @brief Mapping a failed query to a problem reply.
 */
#include "handlers/handlers.h"

int
reply_db_error(struct reply *rep, enum db_status status)
{
  if (DB_BUSY == status)
    return reply_problem(rep, PROBLEM_UNAVAILABLE, NULL,
                         "the database is busy; retry shortly");
  return reply_problem(rep, PROBLEM_INTERNAL, NULL,
                       "the request could not be completed; the error has been logged");
}
