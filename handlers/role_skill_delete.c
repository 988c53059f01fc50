/**
 * @file handlers/role_skill_delete.c
 * @brief DELETE /roles/{slug}/skills/{skill}: the role no longer needs the
 *        skill. 204 when done; 404 when the role, the skill or the link
 *        does not exist.
 */
#include "handlers/handlers.h"

#include "db/skill_write.h"
#include "db/write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

/* The link must exist: its audit summary is how that is learnt. */
static enum db_status
find_link(const struct request *req, struct reply *rep, const union write_input *in,
          struct write_result *w)
{
  enum db_status st = write_link_ends(req, rep, w, &w->id, &w->id2);

  (void) in;
  if (DB_ONE != st || w->refused)
    return st;
  st = db_audit_summary(req_db(req), AUDIT_ROLE_SKILL, w->id, w->id2, &w->before);
  if (DB_NONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                                         "the role '%s' does not need the skill '%s';"
                                         " GET /roles/%s lists its skills",
                                         req->args[0], req->args[1], req->args[0]));
  return st;
}

static enum db_status
unlink_skill(const struct request *req, struct reply *rep, const union write_input *in,
             struct write_result *w)
{
  (void) rep;
  (void) in;
  return db_role_skill_unlink(req_db(req), w->id, w->id2);
}

WRITE_ROUTE(h_role_skill_delete, .check = find_link, .write = unlink_skill)
