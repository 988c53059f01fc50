/**
 * @file handlers/roles_patch.c
 * @brief PATCH /roles/{slug}: changes a role's title, category or summary.
 *        200 with the role as GET /roles/{slug} serves it.
 */
#include "handlers/handlers.h"

#include <stdlib.h>

#include "db/audit.h"
#include "db/catalog.h"
#include "db/role_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

int
h_roles_patch(const struct request *req, struct reply *rep)
{
  const char *slug = req->args[0];
  struct role_input in;
  struct validation v;
  struct role_fields f;
  char *before = NULL;
  char *after = NULL;
  int64_t id = 0;
  enum db_status st;
  int rc = 0;

  if (0 != validate_role_patch(req->json, &in, &v))
    return reply_invalid_body(rep, &v);
  if (0 != write_begin(req, rep))
    return 0;
  st = db_role_id(req_db(req), slug, &id);
  if (DB_NONE == st) {
    db_write_rollback(req_db(req));
    return reply_problem(rep, PROBLEM_ROLE_NOT_FOUND, NULL,
                         "there is no role '%.100s'; POST /roles creates one", slug);
  }
  f = (struct role_fields) { .title = in.title, .category = in.category, .summary = in.summary };
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_ROLE, id, 0, &before);
  if (DB_ONE == st)
    st = db_role_update(req_db(req), id, &f);
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_ROLE, id, 0, &after);
  if (DB_ONE != st) {
    rc = write_abort(req, rep, st < DB_NONE ? st : DB_HARD);
    goto done;
  }
  if (0 == write_commit(req, rep, before, after))
    rc = write_show(req, rep, h_roles_get, slug, 200, NULL, after);
done:
  free(before);
  free(after);
  return rc;
}
