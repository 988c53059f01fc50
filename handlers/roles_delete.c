/**
 * @file handlers/roles_delete.c
 * @brief DELETE /roles/{slug}[?cascade=true]: deletes a role with its
 *        skill links, mentions and industry ties. A role with salary
 *        observations is kept (409) unless cascade=true, which deletes
 *        them too. 204 when done.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "db/role_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"
#include "http/params.h"

static const char *const cascade_values[] = { "false", "true", NULL };
static bool
read_cascade(const struct request *req, struct reply *rep, union write_input *in, int *rc)
{
  *rc = 0;
  in->cascade = 0;
  return 0 == params_choice(req, "cascade", cascade_values, 0, &in->cascade, rep);
}

/* A role with salary observations goes only with them, when asked to. */
static enum db_status
find_deletable(const struct request *req, struct reply *rep, const union write_input *in,
               struct write_result *w)
{
  const char *slug = req->args[0];
  int64_t observations = 0;
  enum db_status st = db_role_id(req_db(req), slug, &w->id);

  if (DB_NONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_ROLE_NOT_FOUND, NULL,
                                         "there is no role '%.100s'; GET /roles lists them",
                                         slug));
  if (DB_ONE == st)
    st = db_role_salary_count(req_db(req), w->id, &observations);
  if (DB_ONE == st && observations > 0 && !in->cascade)
    return write_refuse(w, reply_problem(rep, PROBLEM_CONFLICT, NULL,
                                         "the role '%s' has %lld salary observation%s;"
                                         " DELETE /roles/%s?cascade=true deletes the role"
                                         " with %s", slug, (long long) observations,
                                         1 == observations ? "" : "s", slug,
                                         1 == observations ? "it" : "them"));
  return st;
}

static enum db_status
delete_role(const struct request *req, struct reply *rep, const union write_input *in,
            struct write_result *w)
{
  (void) rep;
  return db_role_delete(req_db(req), w->id, 0 != in->cascade);
}

WRITE_ROUTE(h_roles_delete, .params = read_cascade,
            .check = find_deletable, .write = delete_role, .audit = AUDIT_ROLE,
            .audit_before = true)
