/**
 * @file handlers/roles_post.c
 * @brief POST /roles: creates a role. 201 with Location and the role as
 *        GET /roles/{slug} serves it; 409 when the slug is taken.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "db/role_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

static enum db_status
create_role(const struct request *req, struct reply *rep, const union write_input *in,
            struct write_result *w)
{
  const struct role_input *role = &in->role;
  struct role_fields f = {
    .slug = role->slug, .title = role->title, .category = role->category,
    .summary = role->summary,
  };
  enum db_status st = db_role_id(req_db(req), role->slug, &w->id);

  w->arg = role->slug;
  if (DB_ONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_CONFLICT, NULL,
                                         "a role with the slug '%s' exists already;"
                                         " PATCH /roles/%s changes it", role->slug, role->slug));
  return DB_NONE == st ? db_role_insert(req_db(req), &f, &w->id) : st;
}

WRITE_ROUTE(h_roles_post, .validate_role = validate_role_create, .write = create_role,
            .audit = AUDIT_ROLE, .audit_after = true,
            .show = h_roles_get, .status = 201, .collection = "/roles")
