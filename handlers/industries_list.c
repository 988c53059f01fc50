/**
 * @file handlers/industries_list.c
 * @brief GET /industries: the industries a source ranks as hiring, with the
 *        roles the sources tie to each.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "handlers/role_json.h"
#include "server/params.h"

/* An industry's first row makes its item; each row may name one more role. */
static int
append_industry(void *cls, const struct ranked_row *row)
{
  json_t *data = cls;
  json_t *item;

  if (row->first) {
    item = json_pack("{s:o, s:o, s:o, s:o, s:o, s:[]}",
                     "slug", json_string_lossy(row->slug),
                     "name", json_string_lossy(row->name),
                     "rank", row->has_rank ? json_integer(row->rank) : json_null(),
                     "note", json_string_or_null(row->text),
                     "source", source_json(&row->source),
                     "roles");
    if (0 != json_array_append_new(data, item))
      return -1;
  }
  if (NULL == row->role_slug)
    return 0;
  item = json_array_get(data, json_array_size(data) - 1);
  return json_array_append_new(json_object_get(item, "roles"), json_string_lossy(row->role_slug));
}

int
h_industries_list(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { NULL };
  enum db_status status;
  json_t *data;

  if (0 != params_only(req, allowed, rep))
    return 0;
  data = json_array();
  if (NULL == data)
    return -1;
  /* a snapshot, so that the query gets its time budget (db_read_begin) */
  status = db_read_begin(req->db);
  if (DB_ONE == status) {
    status = db_industries_list(req->db, append_industry, data);
    db_read_end(req->db);
  }
  return reply_list(rep, status, data);
}
