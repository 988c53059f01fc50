/**
 * @file handlers/role_json.c
 * @brief JSON shapes of roles and sources.
 */
#include "handlers/role_json.h"

#include "server/reply.h"

json_t *
role_json_summary(const struct role_row *row)
{
  return json_pack("{s:o, s:o, s:o, s:o, s:o}",
                   "slug", json_string_lossy(row->slug),
                   "title", json_string_lossy(row->title),
                   "category", json_string_lossy(row->category),
                   "summary", json_string_lossy(row->summary),
                   "pay", row->has_pay ? json_integer(row->pay_usd) : json_null());
}

json_t *
source_json(const struct source_ref *src)
{
  return json_pack("{s:I, s:o, s:o, s:o}",
                   "id", (json_int_t) src->id,
                   "slug", json_string_lossy(src->slug),
                   "title", json_string_lossy(src->title),
                   "section", json_string_lossy(src->section));
}
