/**
 * @file handlers/salaries_get.c
 * @brief GET /salaries/{id}: one salary observation as GET /salaries
 *        lists it, with its role (or subject) and provenance.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "handlers/app.h"
#include "handlers/role_json.h"
#include "handlers/write_common.h"

static int
set_observation(void *cls, const struct observation_row *row)
{
  json_t **item = cls;

  *item = observation_json(row);
  return NULL == *item ? -1 : 0;
}

int
h_salaries_get(const struct request *req, struct reply *rep)
{
  json_t *item = NULL;
  int64_t id;
  enum db_status st;

  id = write_parse_id(req->args[0]);
  if (0 == id)
    return reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                         "salary ids are positive whole numbers; GET /salaries lists them");
  st = db_salary_get(req_db(req), id, set_observation, &item);
  if (DB_NONE == st)
    return reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                         "there is no salary observation %lld; GET /salaries lists them",
                         (long long) id);
  if (DB_ONE != st) {
    json_decref(item);
    return reply_db_error(rep, st);
  }
  return reply_json(rep, 200, json_pack("{s:o}", "data", item));
}
