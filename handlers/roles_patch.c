/**
 * @file handlers/roles_patch.c
 * @brief PATCH /roles/{slug}: changes a role's title, category or summary.
 *        200 with the role as GET /roles/{slug} serves it.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "db/role_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

static enum db_status
find_role(const struct request *req, struct reply *rep, const union write_input *in,
          struct write_result *w)
{
  enum db_status st = db_role_id(req_db(req), req->args[0], &w->id);

  (void) in;
  w->arg = req->args[0];
  if (DB_NONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_ROLE_NOT_FOUND, NULL,
                                         "there is no role '%.100s'; POST /roles creates one",
                                         req->args[0]));
  return st;
}

static enum db_status
change_role(const struct request *req, struct reply *rep, const union write_input *in,
            struct write_result *w)
{
  struct role_fields f = {
    .title = in->role.title, .category = in->role.category, .summary = in->role.summary,
  };

  (void) rep;
  return db_role_update(req_db(req), w->id, &f);
}

WRITE_ROUTE(h_roles_patch, .validate_role = validate_role_patch, .check = find_role,
            .write = change_role, .audit = AUDIT_ROLE, .audit_before = true,
            .audit_after = true, .show = h_roles_get, .status = 200)
