/**
 * @file handlers/roles_get.c
 * @brief GET /roles/{slug}: one role with its salary observations, the
 *        skills it needs and the documents that describe it.
 *
 * At most EMBEDDED_SALARIES_MAX observations are embedded; when there are
 * more, `salaries_more` is the GET /salaries query that lists them all
 * (paged); otherwise it is null.
 */
#include "handlers/handlers.h"

#include <string.h>

#include "db/roles.h"
#include "handlers/app.h"
#include "handlers/read_reply.h"
#include "handlers/role_json.h"

static int
set_role(void *cls, const struct role_row *row)
{
  json_t **role = cls;

  *role = role_json_summary(row);
  return NULL == *role || 0 != role_json_add_pay_basis(*role, row) ? -1 : 0;
}

static int
append_source(void *cls, const struct source_ref *src)
{
  return json_array_append_new(cls, source_json(src));
}

static int
append_salary(void *cls, const struct salary_row *row)
{
  json_t *salaries = cls;

  if (embedded_salaries_full(salaries))
    return 0;
  return json_array_append_new(salaries, salary_json(row));
}

static int
append_skill(void *cls, const struct role_skill_row *row)
{
  return json_array_append_new(cls, role_skill_json(row));
}

/* Runs the detail queries inside one snapshot; fills *role or leaves it NULL. */
static enum db_status
load_role(struct db *db, const char *slug, json_t **role)
{
  json_t *sources = json_array();
  json_t *salaries = json_array();
  json_t *skills = json_array();
  json_t *more = NULL;
  int64_t id = 0;
  enum db_status status = DB_HARD;

  *role = NULL;
  if (NULL == sources || NULL == salaries || NULL == skills)
    goto done;
  status = db_read_begin(db);
  if (DB_ONE != status)
    goto done;
  status = db_role_get(db, slug, &id, set_role, role);
  if (DB_ONE == status) {
    int64_t rows = 0;
    enum db_status detail = db_role_mentions(db, id, append_source, sources);

    if (detail >= DB_NONE)
      detail = db_role_salaries(db, id, EMBEDDED_SALARIES_MAX + 1, append_salary, salaries,
                                &rows);
    if (detail >= DB_NONE)
      more = salaries_more_json(rows, "/salaries?role=%s", slug);
    if (detail >= DB_NONE)
      detail = db_role_skills(db, id, append_skill, skills);
    if (detail < DB_NONE)
      status = detail;
  }
  db_read_end(db);
  if (DB_ONE == status
      && (0 != json_object_set(*role, "sources", sources)
          || 0 != json_object_set(*role, "salaries", salaries)
          || 0 != json_object_set(*role, "salaries_more", more)
          || 0 != json_object_set(*role, "skills", skills)))
    status = DB_HARD;
done:
  json_decref(sources);
  json_decref(salaries);
  json_decref(skills);
  json_decref(more);
  return read_drop_unless_found(status, role);
}

int
h_roles_get(const struct request *req, struct reply *rep)
{
  const char *slug = req->args[0];
  json_t *role;
  enum db_status status = load_role(req_db(req), slug, &role);

  return reply_found(rep, status, role, PROBLEM_ROLE_NOT_FOUND, "role", "/roles", slug);
}
