/**
 * @file handlers/sources_list.c
 * @brief GET /sources: the documents the data set is built from, with how
 *        much of it each one contributes.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "handlers/app.h"
#include "handlers/role_json.h"

static int
append_source(void *cls, const struct source_doc_row *row)
{
  return json_array_append_new(cls, source_doc_json(row));
}

int
h_sources_list(const struct request *req, struct reply *rep)
{
  enum db_status status;
  json_t *data;

  data = json_array();
  if (NULL == data)
    return -1;
  /* a snapshot, so that the query gets its time budget (db_read_begin) */
  status = db_read_begin(req_db(req));
  if (DB_ONE == status) {
    status = db_sources_list(req_db(req), append_source, data);
    db_read_end(req_db(req));
  }
  return reply_list(rep, status, data);
}
