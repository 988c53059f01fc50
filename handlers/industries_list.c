/**
 * @file handlers/industries_list.c
 * @brief GET /industries: the industries a source ranks as hiring, with the
 *        roles the sources tie to each: at most DB_INDUSTRY_ROLES_MAX of
 *        them (by slug), and, when there are more, `roles_more`, the
 *        GET /roles query that lists them all (else null).
 */
#include "handlers/handlers.h"

#include <string.h>

#include "db/catalog.h"
#include "handlers/read_reply.h"
#include "handlers/role_json.h"

/* @a s as a URL query value: the schema does not restrict industry slugs. */
static json_t *
roles_more_json(const char *slug)
{
  static const char hex[] = "0123456789ABCDEF";
  char value[3 * 256 + 1];
  size_t n = 0;

  for (const unsigned char *p = (const unsigned char *) slug; '\0' != *p && n + 4 < sizeof value; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
        || NULL != strchr("-._~", *p)) {
      value[n++] = (char) *p;
    } else {
      value[n++] = '%';
      value[n++] = hex[*p >> 4];
      value[n++] = hex[*p & 15];
    }
  }
  value[n] = '\0';
  return json_sprintf("/roles?industry=%s", value);
}

/* An industry's first row makes its item; each row may name one more role. */
static int
append_industry(void *cls, const struct ranked_row *row)
{
  json_t *data = cls;
  json_t *item;

  json_t *roles;

  if (row->first) {
    item = json_pack("{s:o, s:o, s:o, s:o, s:o, s:[], s:n}",
                     "slug", json_string_lossy(row->slug),
                     "name", json_string_lossy(row->name),
                     "rank", row->has_rank ? json_integer(row->rank) : json_null(),
                     "note", json_string_or_null(row->text),
                     "source", source_json(&row->source),
                     "roles", "roles_more");
    if (0 != json_array_append_new(data, item))
      return -1;
  }
  if (NULL == row->role_slug)
    return 0;
  item = json_array_get(data, json_array_size(data) - 1);
  roles = json_object_get(item, "roles");
  if (json_array_size(roles) < DB_INDUSTRY_ROLES_MAX)
    return json_array_append_new(roles, json_string_lossy(row->role_slug));
  /* the one more: list the rest by the query that has them all */
  return json_object_set_new(item, "roles_more", roles_more_json(row->slug));
}

static enum db_status
query_industries_list(struct db *db, json_t *data)
{
  return db_industries_list(db, append_industry, data);
}

int
h_industries_list(const struct request *req, struct reply *rep)
{
  return reply_read_list(req, query_industries_list, rep);
}
