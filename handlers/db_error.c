/**
 * @file handlers/db_error.c
 * @brief Turning a query's outcome into a reply.
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

int
reply_list(struct reply *rep, enum db_status status, json_t *data)
{
  if (status < DB_NONE) {
    json_decref(data);
    return reply_db_error(rep, status);
  }
  return reply_json(rep, 200,
                    json_pack("{s:o, s:{s:I}}", "data", data,
                              "meta", "total", (json_int_t) json_array_size(data)));
}
