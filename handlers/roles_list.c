/**
 * @file handlers/roles_list.c
 * @brief GET /roles: roles ranked by pay or listed by title, paged.
 */
#include "handlers/handlers.h"

#include "db/roles.h"
#include "handlers/role_json.h"
#include "server/params.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500
/* Far beyond any data set we expect, small enough for SQLite's int64. */
#define MAX_OFFSET 1000000000

static const char *const sort_names[] = { [ROLE_SORT_TITLE] = "title", [ROLE_SORT_PAY] = "pay", NULL };
static const char *const order_names[] = { [SORT_ASC] = "asc", [SORT_DESC] = "desc", NULL };

static int
append_role(void *cls, const struct role_row *row)
{
  json_t *item = role_json_summary(row);

  if (NULL == item)
    return -1;
  return json_array_append_new(cls, item);
}

int
h_roles_list(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { "sort", "order", "limit", "offset", NULL };
  int sort;
  int order;
  int64_t limit;
  int64_t offset;
  int64_t total = 0;
  enum db_status status;
  json_t *data;

  if (0 != params_only(req, allowed, rep)
      || 0 != params_choice(req, "sort", sort_names, ROLE_SORT_TITLE, &sort, rep))
    return 0;
  /* Pay reads naturally highest first, titles A to Z. */
  if (0 != params_choice(req, "order", order_names,
                         ROLE_SORT_PAY == sort ? SORT_DESC : SORT_ASC, &order, rep)
      || 0 != params_uint(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, &limit, rep)
      || 0 != params_uint(req, "offset", 0, 0, MAX_OFFSET, &offset, rep))
    return 0;
  data = json_array();
  if (NULL == data)
    return -1;
  /* One snapshot, so that total and page agree even during a write. */
  status = db_read_begin(req->db);
  if (DB_ONE == status) {
    status = db_roles_count(req->db, &total);
    if (DB_ONE == status)
      status = db_roles_list(req->db, (enum role_sort) sort, (enum sort_order) order,
                             limit, offset, append_role, data);
    db_read_end(req->db);
  }
  if (status < DB_NONE) {
    json_decref(data);
    return reply_db_error(rep, status);
  }
  return reply_json(rep, 200,
                    json_pack("{s:o, s:{s:I, s:I, s:I, s:s, s:s}}",
                              "data", data,
                              "meta",
                              "total", (json_int_t) total,
                              "limit", (json_int_t) limit,
                              "offset", (json_int_t) offset,
                              "sort", sort_names[sort],
                              "order", order_names[order]));
}
