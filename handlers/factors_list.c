/**
 * @file handlers/factors_list.c
 * @brief GET /factors: what a source ranks as moving pay, and how.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "handlers/read_reply.h"
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

static enum db_status
query_factors_list(struct db *db, json_t *data)
{
  return db_factors_list(db, append_factor, data);
}

int
h_factors_list(const struct request *req, struct reply *rep)
{
  return reply_read_list(req, query_factors_list, rep);
}
