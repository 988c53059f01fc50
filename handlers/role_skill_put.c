/**
 * @file handlers/role_skill_put.c
 * @brief PUT /roles/{slug}/skills/{skill}: records that the role needs the
 *        skill. 201 (Location: the link's path) when the link is new, 200
 *        when it existed already (nothing changes, nothing is recorded,
 *        its source stays the one that stated it). The answer is the link:
 *        {"data": {"role": slug, "skill": {slug, name, demand_rank, source}}},
 *        the skill as GET /roles/{slug} lists it.
 */
#include "handlers/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/roles.h"
#include "db/skill_write.h"
#include "db/source_write.h"
#include "db/write.h"
#include "handlers/app.h"
#include "handlers/role_json.h"
#include "handlers/write_common.h"

struct find_ctx {
  const char *slug;
  json_t *skill; /* owned; set when found */
};

static int
find_skill(void *cls, const struct role_skill_row *row)
{
  struct find_ctx *c = cls;

  if (NULL != c->skill || 0 != strcmp(row->slug, c->slug))
    return 0;
  c->skill = json_pack("{s:o, s:o, s:o, s:o}",
                       "slug", json_string_lossy(row->slug),
                       "name", json_string_lossy(row->name),
                       "demand_rank", row->has_demand_rank ? json_integer(row->demand_rank)
                                                            : json_null(),
                       "source", source_json(&row->source));
  return NULL == c->skill ? -1 : 0;
}

/* The link as the role's skill list shows it, read inside the transaction. */
static enum db_status
link_json(struct db *db, int64_t role_id, const char *role, const char *skill, json_t **out)
{
  struct find_ctx c = { .slug = skill };
  enum db_status st = db_role_skills(db, role_id, find_skill, &c);

  *out = NULL;
  if (st < DB_NONE || NULL == c.skill) {
    json_decref(c.skill);
    return st < DB_NONE ? st : DB_HARD;
  }
  *out = json_pack("{s:{s:s, s:o}}", "data", "role", role, "skill", c.skill);
  return NULL != *out ? DB_ONE : DB_HARD;
}

int
h_role_skill_put(const struct request *req, struct reply *rep)
{
  char *after = NULL;
  json_t *body = NULL;
  int64_t role_id = 0;
  int64_t skill_id = 0;
  int64_t source_id = 0;
  bool created = false;
  enum db_status st;
  int rc = 0;

  if (0 != write_begin(req, rep))
    return 0;
  st = write_link_ends(req, rep, &role_id, &skill_id);
  if (DB_NONE == st) {
    db_write_rollback(req_db(req));
    return 0;
  }
  if (DB_ONE == st)
    st = db_api_source(req_db(req), &source_id);
  if (DB_ONE == st)
    st = db_role_skill_link(req_db(req), role_id, skill_id, source_id, DB_API_SECTION_LINKED,
                            &created);
  if (DB_ONE == st && created)
    st = db_audit_summary(req_db(req), AUDIT_ROLE_SKILL, role_id, skill_id, &after);
  if (DB_ONE == st)
    st = link_json(req_db(req), role_id, req->args[0], req->args[1], &body);
  if (DB_ONE != st) {
    rc = write_abort(req, rep, st < DB_NONE ? st : DB_HARD);
  } else if (!created) {
    /* Already linked: nothing to record; the API source, if this made
     * it, goes too. */
    db_write_rollback(req_db(req));
    rc = reply_json(rep, 200, body);
    body = NULL;
  } else if (0 == write_commit(req, rep, NULL, after)) {
    rc = reply_json(rep, 201, body);
    body = NULL;
    if (0 == rc)
      rc = reply_header(rep, "Location", "%s", req->path);
  }
  json_decref(body);
  free(after);
  return rc;
}
