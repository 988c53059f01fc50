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

#include <string.h>

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
  c->skill = role_skill_json(row);
  return NULL == c->skill ? -1 : 0;
}

/* The link as the role's skill list shows it, read inside the transaction. */
static enum db_status
link_json(struct db *db, int64_t role_id, const char *role, const char *skill, json_t **out)
{
  struct find_ctx c = { .slug = skill };
  enum db_status st = db_role_skills(db, role_id, find_skill, &c);

  *out = NULL;
  if (DB_ONE == st && NULL == c.skill)
    st = DB_NONE; /* just linked, yet not listed: write_run() answers it as the fault it is */
  if (DB_ONE != st) {
    json_decref(c.skill);
    return st;
  }
  *out = json_pack("{s:{s:s, s:o}}", "data", "role", role, "skill", c.skill);
  return NULL != *out ? DB_ONE : DB_HARD;
}

static enum db_status
find_ends(const struct request *req, struct reply *rep, const union write_input *in,
          struct write_result *w)
{
  (void) in;
  return write_link_ends(req, rep, w, &w->id, &w->id2);
}

static enum db_status
link_skill(const struct request *req, struct reply *rep, const union write_input *in,
           struct write_result *w)
{
  int64_t source_id = 0;
  bool created = false;
  enum db_status st = db_api_source(req_db(req), &source_id);

  (void) rep;
  (void) in;
  if (DB_ONE == st)
    st = db_role_skill_link(req_db(req), w->id, w->id2, source_id, DB_API_SECTION_LINKED,
                            &created);
  if (DB_ONE == st)
    st = link_json(req_db(req), w->id, req->args[0], req->args[1], &w->body);
  /* Already linked: nothing to record; the API source, if this made it,
   * goes with the roll back. */
  w->unchanged = !created;
  return st;
}

static int
answer_link(const struct request *req, struct reply *rep, struct write_result *w)
{
  json_t *body = w->body;
  int rc;

  w->body = NULL;
  rc = reply_json(rep, w->unchanged ? 200 : 201, body);
  if (0 == rc && !w->unchanged)
    rc = reply_header(rep, "Location", "%s", req->path);
  return rc;
}

WRITE_ROUTE(h_role_skill_put, .check = find_ends, .write = link_skill,
            .audit = AUDIT_ROLE_SKILL, .audit_after = true, .answer = answer_link)
