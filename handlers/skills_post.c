/**
 * @file handlers/skills_post.c
 * @brief POST /skills: creates a skill. 201 with Location and the skill as
 *        GET /skills/{slug} serves it; 409 when the slug or the demand
 *        rank is taken.
 */
#include "handlers/handlers.h"

#include "db/audit.h"
#include "db/skill_write.h"
#include "db/source_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"
#include "http/params.h"

static enum db_status
create_skill(const struct request *req, struct reply *rep, const void *cls,
             struct write_result *w)
{
  const struct skill_input *in = cls;
  struct skill_fields f = {
    .slug = in->slug, .name = in->name,
    .has_rank = in->has_demand_rank && 0 != in->demand_rank, .rank = in->demand_rank,
    .section = DB_API_SECTION_ENTERED,
  };
  int64_t id = 0;
  enum db_status st = db_skill_id(req_db(req), in->slug, &id);

  if (DB_ONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_CONFLICT, NULL,
                                         "a skill with the slug '%s' exists already;"
                                         " PATCH /skills/%s changes it", in->slug, in->slug));
  if (DB_NONE == st)
    st = f.has_rank ? write_rank_free(req, rep, f.rank, 0, w) : DB_ONE;
  if (DB_ONE != st || w->refused)
    return st;
  st = db_api_source(req_db(req), &f.source_id);
  if (DB_ONE == st)
    st = db_skill_insert(req_db(req), &f, &id);
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_SKILL, id, 0, &w->after);
  w->arg = in->slug;
  return st;
}

int
h_skills_post(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { NULL };
  static const struct write_op op = {
    .apply = create_skill, .show = h_skills_get, .status = 201, .collection = "/skills",
  };
  struct skill_input in;
  struct validation v;

  if (0 != params_only(req, allowed, rep))
    return 0;
  if (0 != validate_skill_create(req->json, &in, &v))
    return reply_invalid_body(rep, &v);
  return write_run(req, rep, &op, &in);
}
