/**
 * @file handlers/routes.c
 * @brief The route table. Routes exist nowhere else: the index document,
 *        the metrics and the tests read them from here.
 */
#include "handlers/routes.h"

#include "handlers/handlers.h"
#include "http/metrics.h"

#define READ(p, h) { .method = "GET", .pattern = (p), .handler = (h), .cacheable = true }
#define LIST(p, h) { .method = "GET", .pattern = (p), .handler = (h), .cacheable = true, .list = true }
#define PAGE(p, h) { .method = "GET", .pattern = (p), .handler = (h), .cacheable = true, \
                     .page = true, .no_db = true }

const struct route route_table[] = {
  PAGE("/", h_page_get),
  PAGE("/assets/{name}", h_asset_get),
  { .method = "GET", .pattern = "/api", .handler = h_index_get, .cacheable = true, .no_db = true },
  { .method = "GET", .pattern = "/healthz", .handler = h_healthz_get },
  { .method = "GET", .pattern = "/readyz", .handler = h_readyz_get },
  { .method = "GET", .pattern = "/metrics", .handler = h_metrics_get, .no_db = true,
    .media = METRICS_MEDIA_TYPE },
  LIST("/roles", h_roles_list),
  READ("/roles/{slug}", h_roles_get),
  { .method = "POST", .pattern = "/roles", .handler = h_roles_post, .auth = true, .body = BODY_JSON },
  { .method = "PATCH", .pattern = "/roles/{slug}", .handler = h_roles_patch, .auth = true,
    .body = BODY_JSON },
  { .method = "DELETE", .pattern = "/roles/{slug}", .handler = h_roles_delete, .auth = true },
  { .method = "PUT", .pattern = "/roles/{slug}/skills/{skill}", .handler = h_role_skill_put,
    .auth = true },
  { .method = "DELETE", .pattern = "/roles/{slug}/skills/{skill}", .handler = h_role_skill_delete,
    .auth = true },
  LIST("/skills", h_skills_list),
  READ("/skills/{slug}", h_skills_get),
  { .method = "POST", .pattern = "/skills", .handler = h_skills_post, .auth = true,
    .body = BODY_JSON },
  { .method = "PATCH", .pattern = "/skills/{slug}", .handler = h_skills_patch, .auth = true,
    .body = BODY_JSON },
  LIST("/industries", h_industries_list),
  LIST("/factors", h_factors_list),
  LIST("/salaries", h_salaries_list),
  READ("/salaries/{id}", h_salaries_get),
  { .method = "POST", .pattern = "/salaries", .handler = h_salaries_post, .auth = true,
    .body = BODY_JSON },
  { .method = "DELETE", .pattern = "/salaries/{id}", .handler = h_salaries_delete, .auth = true },
  LIST("/sources", h_sources_list),
  READ("/sources/{id}", h_sources_get),
  LIST("/data-notes", h_data_notes_list),
  READ("/compare", h_compare_get),
  READ("/transitions", h_transitions_get),
  { .method = "GET", .pattern = "/openapi.json", .handler = h_openapi_get, .cacheable = true,
    .no_db = true },
  { .method = "GET", .pattern = "/audit", .handler = h_audit_list, .auth = true },
  { .method = "POST", .pattern = "/import", .handler = h_import_post, .auth = true,
    .body = BODY_IMPORT, .stream = &import_stream_ops },
  { .pattern = NULL },
};


enum route_result
route_find(const char *method, const char *path, struct route_match *m)
{
  return route_find_in(route_table, method, path, m);
}
