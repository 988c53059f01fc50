/**
 * @file handlers/salaries_delete.c
 * @brief DELETE /salaries/{id}: deletes one salary observation; the pay of
 *        its role follows at once. 204 when done.
 */
#include "handlers/handlers.h"

#include "db/audit.h"
#include "db/salary_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"
#include "http/params.h"

static enum db_status
delete_salary(const struct request *req, struct reply *rep, const void *cls,
              struct write_result *w)
{
  const int64_t *id = cls;
  enum db_status st = db_audit_summary(req_db(req), AUDIT_SALARY, *id, 0, &w->before);

  if (DB_NONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                                         "there is no salary observation %lld;"
                                         " GET /salaries lists them", (long long) *id));
  if (DB_ONE == st)
    st = db_salary_delete(req_db(req), *id);
  return st;
}

int
h_salaries_delete(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { NULL };
  static const struct write_op op = { .apply = delete_salary };
  int64_t id;

  if (0 != params_only(req, allowed, rep))
    return 0;
  id = write_parse_id(req->args[0]);
  if (0 == id)
    return reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                         "salary ids are positive whole numbers; GET /salaries lists them");
  return write_run(req, rep, &op, &id);
}
