/**
 * @file handlers/skills_patch.c
 * @brief PATCH /skills/{slug}: changes a skill's name or demand rank (null
 *        removes the rank). 200 with the skill as GET /skills/{slug}
 *        serves it; 409 when the rank is another skill's.
 */
#include "handlers/handlers.h"

#include <stdlib.h>

#include "db/audit.h"
#include "db/skill_write.h"
#include "db/source_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

int
h_skills_patch(const struct request *req, struct reply *rep)
{
  const char *slug = req->args[0];
  struct skill_input in;
  struct validation v;
  struct skill_fields f;
  char holder[VALIDATE_SLUG_MAX + 1];
  char *before = NULL;
  char *after = NULL;
  int64_t id = 0;
  enum db_status st;
  int rc = 0;

  if (0 != validate_skill_patch(req->json, &in, &v))
    return reply_invalid_body(rep, &v);
  if (0 != write_begin(req, rep))
    return 0;
  st = db_skill_id(req_db(req), slug, &id);
  if (DB_NONE == st) {
    db_write_rollback(req_db(req));
    return reply_problem(rep, PROBLEM_SKILL_NOT_FOUND, NULL,
                         "there is no skill '%.100s'; POST /skills creates one", slug);
  }
  /* A rank given through the API is the API's statement: its source
   * becomes the API's, as for any other figure entered here. */
  f = (struct skill_fields) {
    .name = in.name,
    .set_rank = in.has_demand_rank,
    .has_rank = in.has_demand_rank && 0 != in.demand_rank,
    .rank = in.demand_rank,
  };
  if (DB_ONE == st && f.has_rank) {
    st = db_skill_rank_holder(req_db(req), f.rank, id, holder, sizeof holder);
    if (DB_ONE == st) {
      db_write_rollback(req_db(req));
      return reply_problem(rep, PROBLEM_CONFLICT, NULL,
                           "demand rank %lld is held by the skill '%s'; ranks are unique",
                           (long long) f.rank, holder);
    }
    if (DB_NONE == st)
      st = DB_ONE;
  }
  if (DB_ONE == st && f.has_rank) {
    f.section = DB_API_SECTION_ENTERED;
    st = db_api_source(req_db(req), &f.source_id);
  }
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_SKILL, id, 0, &before);
  if (DB_ONE == st)
    st = db_skill_update(req_db(req), id, &f);
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_SKILL, id, 0, &after);
  if (DB_ONE != st)
    rc = write_abort(req, rep, st < DB_NONE ? st : DB_HARD);
  else if (0 == write_commit(req, rep, before, after))
    rc = write_show(req, rep, h_skills_get, slug, 200, NULL, after);
  free(before);
  free(after);
  return rc;
}
