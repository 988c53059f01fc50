/**
 * @file handlers/role_skill_delete.c
 * @brief DELETE /roles/{slug}/skills/{skill}: the role no longer needs the
 *        skill. 204 when done; 404 when the role, the skill or the link
 *        does not exist.
 */
#include "handlers/handlers.h"

#include "db/audit.h"
#include "db/skill_write.h"
#include "db/write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"
#include "http/params.h"

static enum db_status
unlink_skill(const struct request *req, struct reply *rep, const void *cls,
             struct write_result *w)
{
  int64_t role_id = 0;
  int64_t skill_id = 0;
  enum db_status st = write_link_ends(req, rep, w, &role_id, &skill_id);

  (void) cls;
  if (DB_ONE != st || w->refused)
    return st;
  st = db_audit_summary(req_db(req), AUDIT_ROLE_SKILL, role_id, skill_id, &w->before);
  if (DB_NONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                                         "the role '%s' does not need the skill '%s';"
                                         " GET /roles/%s lists its skills",
                                         req->args[0], req->args[1], req->args[0]));
  if (DB_ONE == st)
    st = db_role_skill_unlink(req_db(req), role_id, skill_id);
  return st;
}

int
h_role_skill_delete(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { NULL };
  static const struct write_op op = { .apply = unlink_skill };

  if (0 != params_only(req, allowed, rep))
    return 0;
  return write_run(req, rep, &op, NULL);
}
