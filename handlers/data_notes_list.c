/**
 * @file handlers/data_notes_list.c
 * @brief GET /data-notes
 */
#include "handlers/handlers.h"

int
h_data_notes_list(const struct request *req, struct reply *rep)
{
  (void) req;
  return reply_problem(rep, PROBLEM_NOT_FOUND, NULL, "not implemented yet");
}
