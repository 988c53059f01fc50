/**
 * @file handlers/sources_list.c
 * @brief GET /sources: the documents the data set is built from, with how
 *        much of it each one contributes.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "handlers/role_json.h"
#include "http/params.h"

static int
append_source(void *cls, const struct source_doc_row *row)
{
  return json_array_append_new(cls, source_doc_json(row));
}

int
h_sources_list(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { NULL };
  json_t *data;

  if (0 != params_only(req, allowed, rep))
    return 0;
  data = json_array();
  if (NULL == data)
    return -1;
  return reply_list(rep, db_sources_list(req->db, append_source, data), data);
}
