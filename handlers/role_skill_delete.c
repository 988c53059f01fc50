/**
 * @file handlers/role_skill_delete.c
 * @brief DELETE /roles/{slug}/skills/{skill}: the role no longer needs the
 *        skill. 204 when done; 404 when the role, the skill or the link
 *        does not exist.
 */
#include "handlers/handlers.h"

#include <stdlib.h>

#include "db/audit.h"
#include "db/skill_write.h"
#include "db/write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

int
h_role_skill_delete(const struct request *req, struct reply *rep)
{
  char *before = NULL;
  int64_t role_id = 0;
  int64_t skill_id = 0;
  enum db_status st;
  int rc = 0;

  if (0 != write_begin(req, rep))
    return 0;
  st = write_link_ends(req, rep, &role_id, &skill_id);
  if (DB_NONE == st) {
    db_write_rollback(req_db(req));
    return 0;
  }
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_ROLE_SKILL, role_id, skill_id, &before);
  if (DB_NONE == st) {
    db_write_rollback(req_db(req));
    return reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                         "the role '%s' does not need the skill '%s'; GET /roles/%s lists"
                         " its skills", req->args[0], req->args[1], req->args[0]);
  }
  if (DB_ONE == st)
    st = db_role_skill_unlink(req_db(req), role_id, skill_id);
  if (DB_ONE != st)
    rc = write_abort(req, rep, st < DB_NONE ? st : DB_HARD);
  else if (0 == write_commit(req, rep, before, NULL))
    rc = reply_empty(rep, 204);
  free(before);
  return rc;
}
