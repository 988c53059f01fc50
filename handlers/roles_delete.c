/**
 * @file handlers/roles_delete.c
 * @brief DELETE /roles/{slug}[?cascade=true]: deletes a role with its
 *        skill links, mentions and industry ties. A role with salary
 *        observations is kept (409) unless cascade=true, which deletes
 *        them too. 204 when done.
 */
#include "handlers/handlers.h"

#include <stdlib.h>

#include "db/audit.h"
#include "db/catalog.h"
#include "db/role_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"
#include "http/params.h"

static const char *const cascade_values[] = { "false", "true", NULL };

int
h_roles_delete(const struct request *req, struct reply *rep)
{
  const char *slug = req->args[0];
  char *before = NULL;
  int cascade = 0;
  int64_t id = 0;
  int64_t observations = 0;
  enum db_status st;
  int rc = 0;

  if (0 != params_choice(req, "cascade", cascade_values, 0, &cascade, rep))
    return 0;
  if (0 != write_begin(req, rep))
    return 0;
  st = db_role_id(req_db(req), slug, &id);
  if (DB_NONE == st) {
    db_write_rollback(req_db(req));
    return reply_problem(rep, PROBLEM_ROLE_NOT_FOUND, NULL,
                         "there is no role '%.100s'; GET /roles lists them", slug);
  }
  if (DB_ONE == st)
    st = db_role_salary_count(req_db(req), id, &observations);
  if (DB_ONE == st && observations > 0 && !cascade) {
    db_write_rollback(req_db(req));
    return reply_problem(rep, PROBLEM_CONFLICT, NULL,
                         "the role '%s' has %lld salary observation%s; DELETE /roles/%s"
                         "?cascade=true deletes the role with %s",
                         slug, (long long) observations, 1 == observations ? "" : "s", slug,
                         1 == observations ? "it" : "them");
  }
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_ROLE, id, 0, &before);
  if (DB_ONE == st)
    st = db_role_delete(req_db(req), id, 0 != cascade);
  if (DB_ONE != st)
    rc = write_abort(req, rep, st < DB_NONE ? st : DB_HARD);
  else if (0 == write_commit(req, rep, before, NULL))
    rc = reply_empty(rep, 204);
  free(before);
  return rc;
}
