/**
 * @file handlers/salaries_list.c
 * @brief GET /salaries: every salary figure as the sources state it, with
 *        its bound and provenance, filtered and ordered by amount.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "handlers/role_json.h"
#include "handlers/validate.h"
#include "http/params.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500
/* Far beyond any data set we expect, small enough for SQLite's int64. */
#define MAX_OFFSET 1000000000
/* The schema keeps amounts below this (salaries.amount_usd CHECK). */
#define MAX_AMOUNT 100000000

/* One sort key for now; the list leaves room for more without a new parameter. */
static const char *const sort_names[] = { "amount", NULL };
static const char *const order_names[] = { [SORT_ASC] = "asc", [SORT_DESC] = "desc", NULL };

struct salaries_query {
  struct salary_filter filter;
  const char *role;  /* the requested slug, borrowed; NULL when absent */
  int sort;
  int order;
  int64_t limit;
  int64_t offset;
};

/* An optional choice: NULL when absent, else the matching static string. */
static int
optional_choice(const struct request *req, const char *name, const char *const choices[],
                const char **out, struct reply *rep)
{
  int i = -1;

  if (0 != params_choice(req, name, choices, -1, &i, rep))
    return -1;
  *out = i < 0 ? NULL : choices[i];
  return 0;
}

static int
optional_amount(const struct request *req, const char *name, bool *has, int64_t *out,
                struct reply *rep)
{
  if (0 != params_uint(req, name, -1, 0, MAX_AMOUNT, out, rep))
    return -1;
  *has = *out >= 0;
  return 0;
}

/* Reads and checks every parameter; on failure @a rep holds the 400. */
static int
read_query(const struct request *req, struct salaries_query *q, struct reply *rep)
{
  static const char *const allowed[] = {
    "role", "source", "kind", "statistic", "min", "max", "sort", "order", "limit", "offset",
    NULL,
  };
  struct salary_filter *f = &q->filter;
  int64_t source_id = 0;

  if (0 != params_only(req, allowed, rep)
      || 0 != params_single(req, "role", &q->role, rep)
      || 0 != params_uint(req, "source", 0, 1, VALIDATE_SOURCE_ID_MAX, &source_id, rep)
      || 0 != optional_choice(req, "kind", salary_kinds, &f->kind, rep)
      || 0 != optional_choice(req, "statistic", salary_statistics, &f->statistic, rep)
      || 0 != optional_amount(req, "min", &f->has_min, &f->min_usd, rep)
      || 0 != optional_amount(req, "max", &f->has_max, &f->max_usd, rep)
      || 0 != params_choice(req, "sort", sort_names, 0, &q->sort, rep)
      || 0 != params_choice(req, "order", order_names, SORT_DESC, &q->order, rep)
      || 0 != params_uint(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, &q->limit, rep)
      || 0 != params_uint(req, "offset", 0, 0, MAX_OFFSET, &q->offset, rep))
    return -1;
  /* An unknown document id is a valid filter that matches nothing (as in /data-notes). */
  f->has_source = source_id > 0;
  f->source_id = source_id;
  if (NULL != q->role && '\0' == q->role[0]) {
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, "role",
                  "'role' must be a role slug; GET /roles lists them");
    return -1;
  }
  /* An empty range is a mistake, not a question with no answer. */
  if (f->has_min && f->has_max && f->min_usd > f->max_usd) {
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, "min",
                  "'min' (%lld) must not exceed 'max' (%lld)",
                  (long long) f->min_usd, (long long) f->max_usd);
    return -1;
  }
  return 0;
}

static int
append_observation(void *cls, const struct observation_row *row)
{
  return json_array_append_new(cls, observation_json(row));
}

/*
 * The role lookup, the total and the page, all from one snapshot.
 * @param[out] role_known false when the role filter names no role
 */
static enum db_status
load_page(struct db *db, struct salaries_query *q, json_t *data, int64_t *total,
          bool *role_known)
{
  enum db_status status = db_read_begin(db);

  *role_known = true;
  if (DB_ONE != status)
    return status;
  if (NULL != q->role) {
    status = db_role_id(db, q->role, &q->filter.role_id);
    q->filter.has_role = DB_ONE == status;
    *role_known = DB_NONE != status;
  }
  if (DB_ONE == status)
    status = db_salaries_count(db, &q->filter, total);
  if (DB_ONE == status)
    status = db_salaries_list(db, &q->filter, (enum sort_order) q->order, q->limit,
                              q->offset, append_observation, data);
  db_read_end(db);
  return status;
}

int
h_salaries_list(const struct request *req, struct reply *rep)
{
  struct salaries_query q = { .role = NULL };
  int64_t total = 0;
  bool role_known;
  enum db_status status;
  json_t *data;

  if (0 != read_query(req, &q, rep))
    return 0;
  data = json_array();
  if (NULL == data)
    return -1;
  status = load_page(req->db, &q, data, &total, &role_known);
  if (status < DB_NONE || !role_known) {
    json_decref(data);
    if (status < DB_NONE)
      return reply_db_error(rep, status);
    return reply_problem(rep, PROBLEM_ROLE_NOT_FOUND, "role",
                         "there is no role '%.100s'; GET /roles lists them", q.role);
  }
  return reply_json(rep, 200,
                    json_pack("{s:o, s:{s:I, s:I, s:I, s:s, s:s}}",
                              "data", data,
                              "meta",
                              "total", (json_int_t) total,
                              "limit", (json_int_t) q.limit,
                              "offset", (json_int_t) q.offset,
                              "sort", sort_names[q.sort],
                              "order", order_names[q.order]));
}
