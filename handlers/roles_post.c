/**
 * @file handlers/roles_post.c
 * @brief POST /roles: creates a role. 201 with Location and the role as
 *        GET /roles/{slug} serves it; 409 when the slug is taken.
 */
#include "handlers/handlers.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/audit.h"
#include "db/catalog.h"
#include "db/role_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

int
h_roles_post(const struct request *req, struct reply *rep)
{
  struct role_input in;
  struct validation v;
  struct role_fields f;
  char *after = NULL;
  char location[128];
  int64_t id = 0;
  enum db_status st;
  int rc;

  if (0 != validate_role_create(req->json, &in, &v))
    return reply_invalid_body(rep, &v);
  if (0 != write_begin(req, rep))
    return 0;
  st = db_role_id(req_db(req), in.slug, &id);
  if (DB_ONE == st) {
    db_write_rollback(req_db(req));
    return reply_problem(rep, PROBLEM_CONFLICT, NULL,
                         "a role with the slug '%s' exists already; PATCH /roles/%s changes it",
                         in.slug, in.slug);
  }
  if (DB_NONE != st)
    return write_abort(req, rep, st);
  f = (struct role_fields) {
    .slug = in.slug, .title = in.title, .category = in.category, .summary = in.summary,
  };
  st = db_role_insert(req_db(req), &f, &id);
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_ROLE, id, 0, &after);
  if (DB_ONE != st) {
    free(after);
    return write_abort(req, rep, st < DB_NONE ? st : DB_HARD);
  }
  if (0 != write_commit(req, rep, NULL, after)) {
    free(after);
    return 0;
  }
  snprintf(location, sizeof location, "/roles/%s", in.slug);
  rc = write_show(req, rep, h_roles_get, in.slug, 201, location, after);
  free(after);
  return rc;
}
