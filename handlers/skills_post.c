/**
 * @file handlers/skills_post.c
 * @brief POST /skills: creates a skill. 201 with Location and the skill as
 *        GET /skills/{slug} serves it; 409 when the slug or the demand
 *        rank is taken.
 */
#include "handlers/handlers.h"

#include "db/skill_write.h"
#include "db/source_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

static enum db_status
create_skill(const struct request *req, struct reply *rep, const union write_input *in,
             struct write_result *w)
{
  const struct skill_input *skill = &in->skill;
  struct skill_fields f = {
    .slug = skill->slug, .name = skill->name,
    .has_rank = skill->has_demand_rank && 0 != skill->demand_rank, .rank = skill->demand_rank,
    .section = DB_API_SECTION_ENTERED,
  };
  enum db_status st = db_skill_id(req_db(req), skill->slug, &w->id);

  w->arg = skill->slug;
  if (DB_ONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_CONFLICT, NULL,
                                         "a skill with the slug '%s' exists already;"
                                         " PATCH /skills/%s changes it", skill->slug,
                                         skill->slug));
  if (DB_NONE == st)
    st = f.has_rank ? write_rank_free(req, rep, f.rank, 0, w) : DB_ONE;
  if (DB_ONE != st || w->refused)
    return st;
  st = db_api_source(req_db(req), &f.source_id);
  return DB_ONE == st ? db_skill_insert(req_db(req), &f, &w->id) : st;
}

WRITE_ROUTE(h_skills_post, .validate_skill = validate_skill_create, .write = create_skill,
            .audit = AUDIT_SKILL, .audit_after = true,
            .show = h_skills_get, .status = 201, .collection = "/skills")
