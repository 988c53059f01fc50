/**
 * @file handlers/factors_list.c
 * @brief GET /factors: what a source ranks as moving pay, and how.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "handlers/app.h"
#include "handlers/role_json.h"

static int
append_factor(void *cls, const struct ranked_row *row)
{
  json_t *item = json_pack("{s:o, s:o, s:o, s:o, s:o}",
                           "slug", json_string_lossy(row->slug),
                           "name", json_string_lossy(row->name),
                           "rank", row->has_rank ? json_integer(row->rank) : json_null(),
                           "effect", json_string_or_null(row->text),
                           "source", source_json(&row->source));

  return json_array_append_new(cls, item);
}

int
h_factors_list(const struct request *req, struct reply *rep)
{
  enum db_status status;
  json_t *data;

  data = json_array();
  if (NULL == data)
    return -1;
  /* a snapshot, so that the query gets its time budget (db_read_begin) */
  status = db_read_begin(req_db(req));
  if (DB_ONE == status) {
    status = db_factors_list(req_db(req), append_factor, data);
    db_read_end(req_db(req));
  }
  return reply_list(rep, status, data);
}
