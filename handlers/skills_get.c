/**
 * @file handlers/skills_get.c
 * @brief GET /skills/{slug}: one skill with its figures and the roles that
 *        need it, ranked by pay.
 *
 * At most EMBEDDED_ROLES_MAX roles are embedded: a skill most roles need
 * would otherwise answer them all (5,453 roles, 1.8 MB, for python on the
 * large data set). When there are more, `roles_more` is the GET /roles
 * query that ranks and pages through all of them; otherwise it is null.
 */
#include "handlers/handlers.h"

#include "db/skills.h"
#include "handlers/app.h"
#include "handlers/read_reply.h"
#include "handlers/role_json.h"

#define EMBEDDED_ROLES_MAX 100

/* The skill arrives once per share; its first row makes the object. */
static int
set_skill(void *cls, const struct skill_row *row)
{
  json_t **skill = cls;

  if (row->first) {
    json_decref(*skill);
    *skill = skill_json(row);
    if (NULL == *skill)
      return -1;
  }
  return row->has_share ? skill_json_add_share(*skill, &row->share) : 0;
}

/* A role summary, its place in this skill's pay ranking and why it is listed. */
static int
append_role(void *cls, const struct skill_role_row *row)
{
  json_t *item;

  if (json_array_size(cls) >= EMBEDDED_ROLES_MAX)
    return 0; /* the probe row: there are more */
  item = role_json_summary(&row->role);

  if (NULL == item
      || 0 != json_object_set_new(item, "rank",
                                  row->has_rank ? json_integer(row->rank) : json_null())
      || 0 != json_object_set_new(item, "source", source_json(&row->source))) {
    json_decref(item);
    return -1;
  }
  return json_array_append_new(cls, item);
}

/* Runs both queries inside one snapshot; fills *skill or leaves it NULL. */
static enum db_status
load_skill(struct db *db, const char *slug, json_t **skill)
{
  json_t *roles = json_array();
  json_t *more = NULL;
  int64_t id = 0;
  enum db_status status = DB_HARD;

  *skill = NULL;
  if (NULL == roles)
    goto done;
  status = db_read_begin(db);
  if (DB_ONE != status)
    goto done;
  status = db_skill_get(db, slug, &id, set_skill, skill);
  if (DB_ONE == status) {
    int64_t rows = 0;
    enum db_status detail = db_skill_roles(db, id, EMBEDDED_ROLES_MAX + 1, append_role, roles,
                                           &rows);

    if (detail < DB_NONE)
      status = detail;
    else if (rows > EMBEDDED_ROLES_MAX)
      more = json_sprintf("/roles?skill=%s&sort=pay", slug);
    else
      more = json_null();
  }
  db_read_end(db);
  if (DB_ONE == status
      && (0 != json_object_set(*skill, "roles", roles)
          || 0 != json_object_set(*skill, "roles_more", more)))
    status = DB_HARD;
done:
  json_decref(roles);
  json_decref(more);
  return read_drop_unless_found(status, skill);
}

int
h_skills_get(const struct request *req, struct reply *rep)
{
  const char *slug = req->args[0];
  json_t *skill;
  enum db_status status = load_skill(req_db(req), slug, &skill);

  return reply_found(rep, status, skill, PROBLEM_SKILL_NOT_FOUND, "skill", "/skills", slug);
}
