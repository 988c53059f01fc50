/**
 * @file handlers/roles_patch.c
 * @brief PATCH /roles/{slug}: changes a role's title, category or summary.
 *        200 with the role as GET /roles/{slug} serves it.
 */
#include "handlers/handlers.h"

#include "db/audit.h"
#include "db/catalog.h"
#include "db/role_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"
#include "http/params.h"

static enum db_status
change_role(const struct request *req, struct reply *rep, const void *cls,
            struct write_result *w)
{
  const struct role_input *in = cls;
  const char *slug = req->args[0];
  struct role_fields f = { .title = in->title, .category = in->category, .summary = in->summary };
  int64_t id = 0;
  enum db_status st = db_role_id(req_db(req), slug, &id);

  if (DB_NONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_ROLE_NOT_FOUND, NULL,
                                         "there is no role '%.100s'; POST /roles creates one",
                                         slug));
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_ROLE, id, 0, &w->before);
  if (DB_ONE == st)
    st = db_role_update(req_db(req), id, &f);
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_ROLE, id, 0, &w->after);
  w->arg = slug;
  return st;
}

int
h_roles_patch(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { NULL };
  static const struct write_op op = { .apply = change_role, .show = h_roles_get, .status = 200 };
  struct role_input in;
  struct validation v;

  if (0 != params_only(req, allowed, rep))
    return 0;
  if (0 != validate_role_patch(req->json, &in, &v))
    return reply_invalid_body(rep, &v);
  return write_run(req, rep, &op, &in);
}
