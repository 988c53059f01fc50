/**
 * @file handlers/salaries_delete.c
 * @brief DELETE /salaries/{id}: deletes one salary observation; the pay of
 *        its role follows at once. 204 when done.
 */
#include "handlers/handlers.h"

#include "db/salary_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

static bool
read_id(const struct request *req, struct reply *rep, union write_input *in, int *rc)
{
  in->id = write_parse_id(req->args[0]);
  if (0 != in->id)
    return true;
  *rc = reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                      "salary ids are positive whole numbers; GET /salaries lists them");
  return false;
}

/* The observation must exist: its audit summary is how that is learnt. */
static enum db_status
find_salary(const struct request *req, struct reply *rep, const union write_input *in,
            struct write_result *w)
{
  enum db_status st = db_audit_summary(req_db(req), AUDIT_SALARY, in->id, 0, &w->before);

  if (DB_NONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                                         "there is no salary observation %lld;"
                                         " GET /salaries lists them", (long long) in->id));
  return st;
}

static enum db_status
delete_salary(const struct request *req, struct reply *rep, const union write_input *in,
              struct write_result *w)
{
  (void) rep;
  (void) w;
  return db_salary_delete(req_db(req), in->id);
}

WRITE_ROUTE(h_salaries_delete, .params = read_id, .check = find_salary, .write = delete_salary)
