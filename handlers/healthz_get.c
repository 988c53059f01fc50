/**
 * @file handlers/healthz_get.c
 * @brief GET /healthz
 */
#include "handlers/handlers.h"

#include "handlers/app.h"

int
h_healthz_get(const struct request *req, struct reply *rep)
{
  enum db_status status;

  status = db_ping(req_db(req));
  if (DB_ONE != status)
    return reply_problem(rep, PROBLEM_UNAVAILABLE, NULL, "the database does not answer");
  return reply_json(rep, 200, json_pack("{s:s}", "status", "ok"));
}
