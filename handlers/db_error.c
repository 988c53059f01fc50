/**
 * @file handlers/db_error.c
 * @brief Turning a query's outcome into a reply.
 */
#include "handlers/handlers.h"

int
reply_db_error(struct reply *rep, enum db_status status)
{
  /* The faults of the file are the operator's to fix, not the client's:
   * say which one it is (the log says more), and that nothing was half done. */
  switch (status) {
  case DB_BUSY:
    return reply_problem(rep, PROBLEM_UNAVAILABLE, NULL,
                         "the database is busy; retry shortly");
  case DB_FULL:
    return reply_problem(rep, PROBLEM_STORAGE_FULL, NULL,
                         "the database has no room left; nothing of this request was written");
  case DB_READONLY:
    return reply_problem(rep, PROBLEM_UNAVAILABLE, NULL,
                         "the database file cannot be written at the moment; nothing of this "
                         "request was written");
  case DB_GONE:
    return reply_problem(rep, PROBLEM_UNAVAILABLE, NULL,
                         "the database file was removed while the server ran; writes are "
                         "refused until it is restarted");
  case DB_CORRUPT:
    return reply_problem(rep, PROBLEM_UNAVAILABLE, NULL,
                         "the database file is damaged; nothing of this request was written");
  case DB_TIMEOUT:
    /* the same request would run as long again: say how to ask for less */
    return reply_problem(rep, PROBLEM_QUERY_TIMEOUT, NULL,
                         "the query ran longer than its time budget of %u ms and was stopped; "
                         "ask for less: narrow it with more selective filters, a smaller "
                         "limit, or page on with the cursor of the page before",
                         db_query_timeout());
  case DB_IOERR:
    return reply_problem(rep, PROBLEM_UNAVAILABLE, NULL,
                         "the database file could not be read or written; nothing of this "
                         "request was written");
  default:
    return reply_problem(rep, PROBLEM_INTERNAL, NULL,
                         "the request could not be completed; the error has been logged");
  }
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
