/**
 * @file handlers/skills_list.c
 * @brief GET /skills?sort=demand|pay|name: every skill with its published
 *        demand rank, stated shares, the roles needing it and their pay.
 */
#include "handlers/handlers.h"

#include "db/skills.h"
#include "handlers/app.h"
#include "handlers/paging.h"
#include "handlers/role_json.h"
#include "http/params.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500

static const char *const sort_names[] = {
  [SKILL_SORT_DEMAND] = "demand", [SKILL_SORT_PAY] = "pay", [SKILL_SORT_NAME] = "name", NULL,
};

/* A skill's first row starts its item; every row may add one share to it. */
static int
append_skill(void *cls, const struct skill_row *row)
{
  json_t *data = cls;

  if (row->first && 0 != json_array_append_new(data, skill_json(row)))
    return -1;
  if (!row->has_share)
    return 0;
  return skill_json_add_share(json_array_get(data, json_array_size(data) - 1), &row->share);
}

/* The page, its total and the pay baseline, all from one snapshot. */
static enum db_status
load_page(struct db *db, enum skill_sort sort, int64_t limit, int64_t offset,
          json_t *data, int64_t *total, json_t **baseline)
{
  enum db_status status = db_read_begin(db);
  int64_t mean = 0;

  if (DB_ONE != status)
    return status;
  status = db_skills_count(db, total);
  if (DB_ONE == status)
    status = db_skills_pay_baseline(db, &mean);
  if (DB_ONE == status || DB_NONE == status) {
    *baseline = DB_ONE == status ? json_integer((json_int_t) mean) : json_null();
    status = db_skills_list(db, sort, limit, offset, append_skill, data);
  }
  db_read_end(db);
  return status;
}

int
h_skills_list(const struct request *req, struct reply *rep)
{
  int sort;
  int64_t limit;
  int64_t offset;
  int64_t total = 0;
  json_t *baseline = NULL;
  enum db_status status;
  json_t *data;

  if (0 != params_choice(req, "sort", sort_names, SKILL_SORT_DEMAND, &sort, rep)
      || 0 != params_uint(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, &limit, rep)
      || 0 != paging_offset(req, false, &offset, rep))
    return 0;
  data = json_array();
  if (NULL == data)
    return -1;
  status = load_page(req_db(req), (enum skill_sort) sort, limit, offset, data, &total, &baseline);
  if (status < DB_NONE) {
    json_decref(data);
    json_decref(baseline);
    return reply_db_error(rep, status);
  }
  /* The baseline is what every pay_premium is measured against. */
  return reply_json(rep, 200,
                    json_pack("{s:o, s:{s:I, s:I, s:I, s:s, s:o}}",
                              "data", data,
                              "meta",
                              "total", (json_int_t) total,
                              "limit", (json_int_t) limit,
                              "offset", (json_int_t) offset,
                              "sort", sort_names[sort],
                              "avg_pay_all_roles", baseline));
}
