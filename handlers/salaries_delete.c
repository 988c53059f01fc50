/**
 * @file handlers/salaries_delete.c
 * @brief DELETE /salaries/{id}: deletes one salary observation; the pay of
 *        its role follows at once. 204 when done.
 */
#include "handlers/handlers.h"

#include <stdlib.h>

#include "db/audit.h"
#include "db/salary_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

int
h_salaries_delete(const struct request *req, struct reply *rep)
{
  char *before = NULL;
  int64_t id;
  enum db_status st;
  int rc = 0;

  id = write_parse_id(req->args[0]);
  if (0 == id)
    return reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                         "salary ids are positive whole numbers; GET /salaries lists them");
  if (0 != write_begin(req, rep))
    return 0;
  st = db_audit_summary(req_db(req), AUDIT_SALARY, id, 0, &before);
  if (DB_NONE == st) {
    db_write_rollback(req_db(req));
    return reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                         "there is no salary observation %lld; GET /salaries lists them",
                         (long long) id);
  }
  if (DB_ONE == st)
    st = db_salary_delete(req_db(req), id);
  if (DB_ONE != st)
    rc = write_abort(req, rep, st < DB_NONE ? st : DB_HARD);
  else if (0 == write_commit(req, rep, before, NULL))
    rc = reply_empty(rep, 204);
  free(before);
  return rc;
}
