/**
 * @file handlers/roles_post.c
 * @brief POST /roles: creates a role. 201 with Location and the role as
 *        GET /roles/{slug} serves it; 409 when the slug is taken.
 */
#include "handlers/handlers.h"

#include "db/audit.h"
#include "db/catalog.h"
#include "db/role_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"
#include "http/params.h"

static enum db_status
create_role(const struct request *req, struct reply *rep, const void *cls,
            struct write_result *w)
{
  const struct role_input *in = cls;
  struct role_fields f = {
    .slug = in->slug, .title = in->title, .category = in->category, .summary = in->summary,
  };
  int64_t id = 0;
  enum db_status st = db_role_id(req_db(req), in->slug, &id);

  if (DB_ONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_CONFLICT, NULL,
                                         "a role with the slug '%s' exists already;"
                                         " PATCH /roles/%s changes it", in->slug, in->slug));
  if (DB_NONE == st)
    st = db_role_insert(req_db(req), &f, &id);
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_ROLE, id, 0, &w->after);
  w->arg = in->slug;
  return st;
}

int
h_roles_post(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { NULL };
  static const struct write_op op = {
    .apply = create_role, .show = h_roles_get, .status = 201, .collection = "/roles",
  };
  struct role_input in;
  struct validation v;

  if (0 != params_only(req, allowed, rep))
    return 0;
  if (0 != validate_role_create(req->json, &in, &v))
    return reply_invalid_body(rep, &v);
  return write_run(req, rep, &op, &in);
}
