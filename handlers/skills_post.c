/**
 * @file handlers/skills_post.c
 * @brief POST /skills: creates a skill. 201 with Location and the skill as
 *        GET /skills/{slug} serves it; 409 when the slug or the demand
 *        rank is taken.
 */
#include "handlers/handlers.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/audit.h"
#include "db/skill_write.h"
#include "db/source_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

int
h_skills_post(const struct request *req, struct reply *rep)
{
  struct skill_input in;
  struct validation v;
  struct skill_fields f;
  char holder[VALIDATE_SLUG_MAX + 1];
  char *after = NULL;
  char location[128];
  int64_t id = 0;
  enum db_status st;
  int rc;

  if (0 != validate_skill_create(req->json, &in, &v))
    return reply_invalid_body(rep, &v);
  if (0 != write_begin(req, rep))
    return 0;
  st = db_skill_id(req_db(req), in.slug, &id);
  if (DB_ONE == st) {
    db_write_rollback(req_db(req));
    return reply_problem(rep, PROBLEM_CONFLICT, NULL,
                         "a skill with the slug '%s' exists already; PATCH /skills/%s changes it",
                         in.slug, in.slug);
  }
  f = (struct skill_fields) {
    .slug = in.slug, .name = in.name,
    .has_rank = in.has_demand_rank && 0 != in.demand_rank, .rank = in.demand_rank,
    .section = DB_API_SECTION_ENTERED,
  };
  if (DB_NONE == st && f.has_rank) {
    st = db_skill_rank_holder(req_db(req), f.rank, 0, holder, sizeof holder);
    if (DB_ONE == st) {
      db_write_rollback(req_db(req));
      return reply_problem(rep, PROBLEM_CONFLICT, NULL,
                           "demand rank %lld is held by the skill '%s'; ranks are unique",
                           (long long) f.rank, holder);
    }
  }
  if (DB_NONE == st)
    st = db_api_source(req_db(req), &f.source_id);
  if (DB_ONE == st)
    st = db_skill_insert(req_db(req), &f, &id);
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_SKILL, id, 0, &after);
  if (DB_ONE != st) {
    free(after);
    return write_abort(req, rep, st < DB_NONE ? st : DB_HARD);
  }
  if (0 != write_commit(req, rep, NULL, after)) {
    free(after);
    return 0;
  }
  snprintf(location, sizeof location, "/skills/%s", in.slug);
  rc = write_show(req, rep, h_skills_get, in.slug, 201, location, after);
  free(after);
  return rc;
}
