/**
 * @file handlers/skills_patch.c
 * @brief PATCH /skills/{slug}: changes a skill's name or demand rank (null
 *        removes the rank). 200 with the skill as GET /skills/{slug}
 *        serves it; 409 when the rank is another skill's.
 */
#include "handlers/handlers.h"

#include "db/audit.h"
#include "db/skill_write.h"
#include "db/source_write.h"
#include "handlers/app.h"
#include "handlers/write_common.h"
#include "http/params.h"

static enum db_status
change_skill(const struct request *req, struct reply *rep, const void *cls,
             struct write_result *w)
{
  const struct skill_input *in = cls;
  const char *slug = req->args[0];
  /* A rank given through the API is the API's statement: its source
   * becomes the API's, as for any other figure entered here. */
  struct skill_fields f = {
    .name = in->name,
    .set_rank = in->has_demand_rank,
    .has_rank = in->has_demand_rank && 0 != in->demand_rank,
    .rank = in->demand_rank,
  };
  int64_t id = 0;
  enum db_status st = db_skill_id(req_db(req), slug, &id);

  if (DB_NONE == st)
    return write_refuse(w, reply_problem(rep, PROBLEM_SKILL_NOT_FOUND, NULL,
                                         "there is no skill '%.100s'; POST /skills creates one",
                                         slug));
  if (DB_ONE == st && f.has_rank)
    st = write_rank_free(req, rep, f.rank, id, w);
  if (DB_ONE != st || w->refused)
    return st;
  if (f.has_rank) {
    f.section = DB_API_SECTION_ENTERED;
    st = db_api_source(req_db(req), &f.source_id);
  }
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_SKILL, id, 0, &w->before);
  if (DB_ONE == st)
    st = db_skill_update(req_db(req), id, &f);
  if (DB_ONE == st)
    st = db_audit_summary(req_db(req), AUDIT_SKILL, id, 0, &w->after);
  w->arg = slug;
  return st;
}

int
h_skills_patch(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { NULL };
  static const struct write_op op = { .apply = change_skill, .show = h_skills_get, .status = 200 };
  struct skill_input in;
  struct validation v;

  if (0 != params_only(req, allowed, rep))
    return 0;
  if (0 != validate_skill_patch(req->json, &in, &v))
    return reply_invalid_body(rep, &v);
  return write_run(req, rep, &op, &in);
}
