/**
 * @file handlers/read_reply.c
 * @brief The answers shared by the read endpoints; not an endpoint itself.
 */
#include "handlers/read_reply.h"

#include "handlers/app.h"
#include "handlers/handlers.h"

int
reply_read_list(const struct request *req, list_query_fn query, struct reply *rep)
{
  json_t *data = json_array();
  enum db_status status;

  if (NULL == data)
    return -1;
  status = db_read_begin(req_db(req));
  if (DB_ONE == status) {
    status = query(req_db(req), data);
    db_read_end(req_db(req));
  }
  return reply_list(rep, status, data);
}

enum db_status
read_drop_unless_found(enum db_status status, json_t **item)
{
  if (DB_ONE != status) {
    json_decref(*item);
    *item = NULL;
  }
  return status;
}

int
reply_found(struct reply *rep, enum db_status status, json_t *item, unsigned not_found,
            const char *noun, const char *list, const char *slug)
{
  if (DB_NONE == status)
    return reply_problem(rep, not_found, NULL, "there is no %s '%.100s'; GET %s lists them",
                         noun, slug, list);
  if (DB_ONE != status)
    return reply_db_error(rep, status);
  return reply_json(rep, 200, json_pack("{s:o}", "data", item));
}
