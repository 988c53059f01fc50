/**
 * @file handlers/sources_get.c
 * @brief GET /sources/{id}: one document, the figures taken from it and
 *        the roles it describes.
 *
 * At most EMBEDDED_SALARIES_MAX salary figures are embedded, as in GET
 * /roles/{slug}: an import makes a source of up to a million rows. When
 * there are more, `figures.salaries_more` is the GET /salaries query that
 * lists them all (paged); otherwise it is null.
 */
#include "handlers/handlers.h"

#include <string.h>

#include "db/catalog.h"
#include "handlers/app.h"
#include "handlers/role_json.h"
#include "handlers/validate.h"
#include "handlers/write_common.h"

/*
 * A positive decimal id in canonical form (no sign, no leading zero, at
 * most 2^31), so that each document has exactly one URL.
 * @return the id, or 0 when @a s is not one
 */
static int64_t
parse_id(const char *s)
{
  int64_t n = write_parse_id(s);

  return n <= VALIDATE_SOURCE_ID_MAX ? n : 0;
}

static int
set_doc(void *cls, const struct source_doc_row *row)
{
  json_t **doc = cls;

  *doc = source_doc_json(row);
  return NULL == *doc ? -1 : 0;
}

static int
append_observation(void *cls, const struct observation_row *row)
{
  if (embedded_salaries_full(cls))
    return 0;
  return json_array_append_new(cls, observation_json(row));
}

static int
append_share(void *cls, const struct source_share_row *row)
{
  json_t *item = json_pack("{s:I, s:{s:o, s:o}, s:o, s:o, s:o, s:o, s:o}",
                           "id", (json_int_t) row->id,
                           "skill",
                           "slug", json_string_lossy(row->skill_slug),
                           "name", json_string_lossy(row->skill_name),
                           "metric", json_string_lossy(row->metric),
                           "percent", number_json(row->percent),
                           "qualifier", json_string_lossy(row->qualifier),
                           "scope", json_string_or_null(row->scope),
                           "section", json_string_lossy(row->section));

  return json_array_append_new(cls, item);
}

static int
append_fact(void *cls, const struct fact_row *row)
{
  json_t *item = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
                           "id", (json_int_t) row->id,
                           "subject", json_string_lossy(row->subject),
                           "statement", json_string_lossy(row->statement),
                           "value", row->has_value ? number_json(row->value) : json_null(),
                           "unit", json_string_or_null(row->unit),
                           "year", row->has_year ? json_integer(row->year) : json_null(),
                           "section", json_string_lossy(row->section));

  return json_array_append_new(cls, item);
}

/* A role described in several sections arrives once per section, in a row. */
static int
append_role(void *cls, const struct source_role_row *row)
{
  json_t *roles = cls;
  json_t *last = json_array_get(roles, json_array_size(roles) - 1);
  const char *last_slug = json_string_value(json_object_get(last, "slug"));

  if (NULL == last_slug || 0 != strcmp(last_slug, row->slug)) {
    last = json_pack("{s:o, s:o, s:[]}",
                     "slug", json_string_lossy(row->slug),
                     "title", json_string_lossy(row->title),
                     "sections");
    if (0 != json_array_append_new(roles, last))
      return -1;
  }
  return json_array_append_new(json_object_get(last, "sections"),
                               json_string_lossy(row->section));
}

/* The document's figures and roles, added to @a doc; runs inside the caller's snapshot. */
static enum db_status
load_details(struct db *db, int64_t id, json_t *doc)
{
  json_t *salaries = json_array();
  json_t *shares = json_array();
  json_t *facts = json_array();
  json_t *roles = json_array();
  json_t *more = NULL;
  int64_t rows = 0;
  enum db_status status = DB_HARD;

  if (NULL == salaries || NULL == shares || NULL == facts || NULL == roles)
    goto done;
  status = db_source_salaries(db, id, EMBEDDED_SALARIES_MAX + 1, append_observation, salaries,
                              &rows);
  if (status >= DB_NONE) {
    more = salaries_more_json(rows, "/salaries?source=%lld", (long long) id);
    status = db_source_shares(db, id, append_share, shares);
  }
  if (status >= DB_NONE)
    status = db_source_facts(db, id, append_fact, facts);
  if (status >= DB_NONE)
    status = db_source_roles(db, id, append_role, roles);
  if (status < DB_NONE)
    goto done;
  status = DB_ONE;
  if (0 != json_object_set_new(doc, "figures",
                               json_pack("{s:O, s:O, s:O, s:O}", "salaries", salaries,
                                         "salaries_more", more,
                                         "skill_shares", shares, "facts", facts))
      || 0 != json_object_set(doc, "roles", roles))
    status = DB_HARD;
done:
  json_decref(salaries);
  json_decref(shares);
  json_decref(facts);
  json_decref(roles);
  json_decref(more);
  return status;
}

/* The document and its details from one snapshot; fills *doc or leaves it NULL. */
static enum db_status
load_source(struct db *db, int64_t id, json_t **doc)
{
  enum db_status status = db_read_begin(db);

  *doc = NULL;
  if (DB_ONE != status)
    return status;
  status = db_source_get(db, id, set_doc, doc);
  if (DB_ONE == status)
    status = load_details(db, id, *doc);
  db_read_end(db);
  if (DB_ONE != status) {
    json_decref(*doc);
    *doc = NULL;
  }
  return status;
}

int
h_sources_get(const struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *doc;
  enum db_status status;

  id = parse_id(req->args[0]);
  if (0 == id)
    return reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                         "source ids are positive whole numbers; GET /sources lists them");
  status = load_source(req_db(req), id, &doc);
  if (DB_NONE == status)
    return reply_problem(rep, PROBLEM_SOURCE_NOT_FOUND, NULL,
                         "there is no source %lld; GET /sources lists them", (long long) id);
  if (DB_ONE != status)
    return reply_db_error(rep, status);
  return reply_json(rep, 200, json_pack("{s:o}", "data", doc));
}
