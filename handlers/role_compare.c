/**
 * @file handlers/role_compare.c
 * @brief Loading roles for a comparison, pay differences and skill sets.
 */
#include "handlers/role_compare.h"

#include <string.h>

#include "db/compare.h"
#include "db/roles.h"
#include "handlers/role_json.h"
#include "http/reply.h"

/* A bound is shown as a bound: the amount never travels without it. */
static json_t *
total_pay_json(const struct salary_row *t)
{
  return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o}",
                   "amount", (json_int_t) t->amount_usd,
                   "currency", "USD",
                   "statistic", json_string_lossy(t->statistic),
                   "bound", json_string_lossy(t->bound),
                   "scope", json_string_or_null(t->scope),
                   "year", t->has_year ? json_integer(t->year) : json_null(),
                   "source", source_json(&t->source));
}

struct load_ctx {
  struct compared_role *out;
  int64_t ranked_roles;
};

static int
set_role(void *cls, const struct compare_role_row *row)
{
  struct load_ctx *ctx = cls;
  json_t *role = role_json_summary(&row->role);

  if (NULL == role
      || 0 != json_object_set_new(role, "rank", row->has_rank ? json_integer(row->rank)
                                                              : json_null())
      || 0 != json_object_set_new(role, "total_pay", row->has_total ? total_pay_json(&row->total)
                                                                    : json_null())
      || 0 != role_json_add_pay_basis(role, &row->role)) {
    json_decref(role);
    return -1;
  }
  ctx->out->role = role;
  ctx->out->has_pay = row->role.has_pay;
  ctx->out->pay_usd = row->role.pay_usd;
  ctx->ranked_roles = row->ranked_roles;
  return 0;
}

static int
append_skill(void *cls, const struct role_skill_row *row)
{
  return json_array_append_new(cls, role_skill_brief_json(row));
}

/* One role and its skills; the caller holds the read transaction. */
static enum db_status
load_one(struct db *db, const char *slug, struct compared_role *out, int64_t *ranked_roles)
{
  struct load_ctx ctx = { .out = out };
  int64_t id = 0;
  enum db_status status = db_compare_role(db, slug, &id, set_role, &ctx);

  if (DB_ONE != status)
    return status;
  *ranked_roles = ctx.ranked_roles;
  out->skills = json_array();
  if (NULL == out->skills)
    return DB_HARD;
  status = db_role_skills(db, id, append_skill, out->skills);
  return status < DB_NONE ? status : DB_ONE;
}

enum db_status
comparison_load(struct db *db, const char *const slugs[], size_t n, struct comparison *c)
{
  enum db_status status;

  memset(c, 0, sizeof *c);
  if (n > COMPARE_MAX_ROLES)
    return DB_HARD;
  status = db_read_begin(db);
  if (DB_ONE != status)
    return status;
  for (size_t i = 0; i < n && DB_ONE == status; i++) {
    c->n = i + 1; /* so that a partly loaded role is freed too */
    status = load_one(db, slugs[i], &c->roles[i], &c->ranked_roles);
    if (DB_NONE == status)
      c->missing = i;
  }
  db_read_end(db);
  if (DB_ONE != status) {
    size_t missing = c->missing;

    comparison_clear(c);
    c->missing = missing;
  }
  return status;
}

void
comparison_clear(struct comparison *c)
{
  for (size_t i = 0; i < c->n; i++) {
    json_decref(c->roles[i].role);
    json_decref(c->roles[i].skills);
  }
  memset(c, 0, sizeof *c);
}

int64_t
percent_tenths(int64_t diff, int64_t base)
{
  /* Integer arithmetic, so that a half tenth is not lost to a binary
   * fraction: round(1000 * diff / base) with halves away from zero. */
  int64_t scaled = 2 * 1000 * diff + (diff < 0 ? -base : base);

  return scaled / (2 * base);
}

json_t *
pay_difference_json(const struct compared_role *from, const struct compared_role *to)
{
  int64_t diff;

  /* No pay on either side means no difference; a zero base cannot occur
   * (the schema requires pay > 0) but must not divide. */
  if (!from->has_pay || !to->has_pay || from->pay_usd <= 0)
    return json_pack("{s:n, s:n}", "usd", "percent");
  diff = to->pay_usd - from->pay_usd;
  return json_pack("{s:I, s:f}",
                   "usd", (json_int_t) diff,
                   "percent", (double) percent_tenths(diff, from->pay_usd) / 10.0);
}

static bool
skills_contain(const json_t *list, const char *slug)
{
  size_t i;
  json_t *skill;

  json_array_foreach(list, i, skill) {
    const char *s = json_string_value(json_object_get(skill, "slug"));

    if (NULL != s && 0 == strcmp(s, slug))
      return true;
  }
  return false;
}

static bool
skill_matches(const char *slug, const json_t *const others[], size_t nothers,
              enum skill_match match)
{
  size_t hits = 0;

  for (size_t j = 0; j < nothers; j++)
    hits += skills_contain(others[j], slug) ? 1 : 0;
  return SKILLS_IN_ALL == match ? hits == nothers : 0 == hits;
}

json_t *
skills_select(const json_t *list, const json_t *const others[], size_t nothers,
              enum skill_match match)
{
  json_t *out = json_array();
  size_t i;
  json_t *skill;

  if (NULL == out)
    return NULL;
  json_array_foreach(list, i, skill) {
    const char *slug = json_string_value(json_object_get(skill, "slug"));

    if (NULL == slug || !skill_matches(slug, others, nothers, match))
      continue;
    if (0 != json_array_append(out, skill)) {
      json_decref(out);
      return NULL;
    }
  }
  return out;
}

json_t *
comparison_meta(const struct comparison *c)
{
  return json_pack("{s:I, s:s}",
                   "ranked_roles", (json_int_t) c->ranked_roles,
                   "pay_basis", "each role's pay_basis says how its pay was found: the median of "
                   "its individual base reports (reported_median) or the mean of the published "
                   "average base salaries (published_average)");
}
