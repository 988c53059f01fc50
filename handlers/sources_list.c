/**
 * @file handlers/sources_list.c
 * @brief GET /sources: the documents the data set is built from, with how
 *        much of it each one contributes.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "handlers/read_reply.h"
#include "handlers/role_json.h"

static int
append_source(void *cls, const struct source_doc_row *row)
{
  return json_array_append_new(cls, source_doc_json(row));
}

static enum db_status
query_sources_list(struct db *db, json_t *data)
{
  return db_sources_list(db, append_source, data);
}

int
h_sources_list(const struct request *req, struct reply *rep)
{
  return reply_read_list(req, query_sources_list, rep);
}
