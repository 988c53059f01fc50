/**
 * @file handlers/skills_patch.c
 * @brief PATCH /skills/{slug}: changes a skill's name or demand rank (null
 *        removes the rank). 200 with the skill as GET /skills/{slug}
 *        serves it; 409 when the rank is another skill's.
 */
#include "handlers/handlers.h"

#include "db/skill_write.h"
#include "db/source_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"

static enum db_status
find_skill(const struct request *req, struct reply *rep, const union write_input *in,
           struct write_result *w)
{
  const struct skill_input *skill = &in->skill;
  enum db_status st = db_skill_id(req_db(req), req->args[0], &w->id);

  w->arg = req->args[0];
  if (DB_NONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_SKILL_NOT_FOUND, NULL,
                                         "there is no skill '%.100s'; POST /skills creates one",
                                         req->args[0]));
  if (DB_ONE == st && skill->has_demand_rank && 0 != skill->demand_rank)
    st = write_rank_free(req, rep, skill->demand_rank, w->id, w);
  return st;
}

static enum db_status
change_skill(const struct request *req, struct reply *rep, const union write_input *in,
             struct write_result *w)
{
  const struct skill_input *skill = &in->skill;
  struct skill_fields f = {
    .name = skill->name,
    .set_rank = skill->has_demand_rank,
    .has_rank = skill->has_demand_rank && 0 != skill->demand_rank,
    .rank = skill->demand_rank,
  };
  enum db_status st = DB_ONE;

  (void) rep;
  /* A rank given through the API is the API's statement: its source
   * becomes the API's, as for any other figure entered here. */
  if (f.has_rank) {
    f.section = DB_API_SECTION_ENTERED;
    st = db_api_source(req_db(req), &f.source_id);
  }
  return DB_ONE == st ? db_skill_update(req_db(req), w->id, &f) : st;
}

WRITE_ROUTE(h_skills_patch, .validate_skill = validate_skill_patch, .check = find_skill,
            .write = change_skill, .audit = AUDIT_SKILL, .audit_before = true,
            .audit_after = true, .show = h_skills_get, .status = 200)
