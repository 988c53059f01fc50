/**
 * @file handlers/routes.c
 * @brief The route table. Routes exist nowhere else: what each takes in
 *        its query, how GET /api describes it, what the metrics label it
 *        and what the tests walk are all read from here.
 */
#include "handlers/routes.h"

#include <stddef.h>

#include "handlers/handlers.h"
#include "handlers/pay_filters.h"
#include "http/metrics.h"

/* The query parameters of a route, NULL-ended. */
#define QUERY(...) ((const char *const[]) { __VA_ARGS__, NULL })

#define READ .method = "GET", .cacheable = true
#define LIST READ, .list = true
#define PAGE READ, .page = true, .no_db = true
#define WRITE(m) .method = (m), .auth = true

const struct route route_table[] = {
  { PAGE, .pattern = "/", .handler = h_page_get, .example = "/?sort=pay&category=Data",
    .summary = "The web page: the ranking, comparisons, skills and data notes, drawn from this"
               " API by a script; the query keeps the page's state." },
  { PAGE, .pattern = "/assets/{name}", .handler = h_asset_get, .example = "/assets/app.js",
    .summary = "A script or style sheet of the web page." },
  { READ, .pattern = "/api", .handler = h_index_get, .no_db = true, .example = "/api",
    .summary = "This index of the endpoints." },
  { .method = "GET", .pattern = "/healthz", .handler = h_healthz_get, .example = "/healthz",
    .summary = "{\"status\":\"ok\"} when the database answers, otherwise 503." },
  { .method = "GET", .pattern = "/readyz", .handler = h_readyz_get, .example = "/readyz",
    .summary = "{\"status\":\"ready\"} when the database answers, has every migration and its"
               " file is still in place, otherwise 503." },
  { .method = "GET", .pattern = "/metrics", .handler = h_metrics_get, .no_db = true,
    .media = METRICS_MEDIA_TYPE, .example = "/metrics",
    .summary = "Counters, gauges and histograms in the Prometheus text format." },
  { LIST, .pattern = "/roles", .handler = h_roles_list,
    .query = QUERY("sort", "order", "limit", "offset", "cursor", "fields", "category", "skill",
                   "industry", "min_pay", "max_pay", "q", "has_pay"),
    .example = "/roles?sort=pay",
    .summary = "Roles ranked by representative base pay (sort=pay) or by title; paged with"
               " limit and offset." },
  { READ, .pattern = "/roles/{slug}", .handler = h_roles_get,
    .example = "/roles/machine-learning-engineer",
    .summary = "One role with every salary observation, the skills it needs and its sources." },
  { WRITE("POST"), .pattern = "/roles", .handler = h_roles_post, .body = BODY_JSON,
    .example = "/roles",
    .summary = "Creates a role from a JSON body (slug, title, category, summary); 201 with"
               " Location. Needs a token." },
  { WRITE("PATCH"), .pattern = "/roles/{slug}", .handler = h_roles_patch, .body = BODY_JSON,
    .example = "/roles/cloud-architect",
    .summary = "Changes a role's title, category or summary (JSON body). Needs a token." },
  { WRITE("DELETE"), .pattern = "/roles/{slug}", .handler = h_roles_delete,
    .query = QUERY("cascade"), .example = "/roles/cloud-architect?cascade=true",
    .summary = "Deletes a role; one with salary observations needs cascade=true."
               " Needs a token." },
  { WRITE("PUT"), .pattern = "/roles/{slug}/skills/{skill}", .handler = h_role_skill_put,
    .example = "/roles/cloud-architect/skills/python",
    .summary = "Records that the role needs the skill; 201 when new, 200 when it did already."
               " Needs a token." },
  { WRITE("DELETE"), .pattern = "/roles/{slug}/skills/{skill}", .handler = h_role_skill_delete,
    .example = "/roles/cloud-architect/skills/python",
    .summary = "The role no longer needs the skill. Needs a token." },
  { LIST, .pattern = "/skills", .handler = h_skills_list,
    .query = QUERY("sort", "limit", "offset"), .example = "/skills?sort=demand",
    .summary = "Skills with their demand rank, shares, role counts and pay premium." },
  { READ, .pattern = "/skills/{slug}", .handler = h_skills_get, .example = "/skills/python",
    .summary = "One skill and the roles that need it, ranked by pay." },
  { WRITE("POST"), .pattern = "/skills", .handler = h_skills_post, .body = BODY_JSON,
    .example = "/skills",
    .summary = "Creates a skill from a JSON body (slug, name, demand_rank); 201 with Location."
               " Needs a token." },
  { WRITE("PATCH"), .pattern = "/skills/{slug}", .handler = h_skills_patch, .body = BODY_JSON,
    .example = "/skills/python",
    .summary = "Changes a skill's name or demand rank (JSON body). Needs a token." },
  { LIST, .pattern = "/industries", .handler = h_industries_list, .example = "/industries",
    .summary = "The ranked industries, with provenance." },
  { LIST, .pattern = "/factors", .handler = h_factors_list, .example = "/factors",
    .summary = "The ranked salary factors, with provenance." },
  { LIST, .pattern = "/factors/{slug}", .handler = h_factor_get,
    .query = QUERY(PAY_FILTER_PARAMS), .example = "/factors/education",
    .summary = "How much one factor moves pay: the median of the individual reports by value,"
               " relative to the median of all of them, with n per value." },
  { LIST, .pattern = "/pay", .handler = h_pay_get,
    .query = QUERY(PAY_FILTER_PARAMS, "group_by", "min_n", "sort", "order", "limit", "offset",
                   "facets"),
    .example = "/pay?role=machine-learning-engineer&location=US",
    .summary = "The pay distribution (n, p10-p90, min, max, mean) of the matching individual"
               " reports, suppressed below min_reports; group_by gives one per value." },
  { READ, .pattern = "/pay/standing", .handler = h_pay_standing_get,
    .query = QUERY(PAY_FILTER_PARAMS, "amount"),
    .example = "/pay/standing?role=machine-learning-engineer&amount=150000",
    .summary = "The percentile rank of an amount among the matching individual reports." },
  { LIST, .pattern = "/salaries", .handler = h_salaries_list,
    .query = QUERY("role", "source", "kind", "statistic", "min", "max", "location", "remote",
                   "experience", "education", "industry", "company_stage", "sort", "order",
                   "limit", "offset", "cursor"),
    .example = "/salaries?role=machine-learning-engineer",
    .summary = "Salary observations as the sources state them, with provenance; filtered by"
               " role, kind, statistic, amount and the pay factors of a report." },
  { READ, .pattern = "/salaries/{id}", .handler = h_salaries_get, .example = "/salaries/1",
    .summary = "One salary observation with its provenance." },
  { WRITE("POST"), .pattern = "/salaries", .handler = h_salaries_post, .body = BODY_JSON,
    .example = "/salaries",
    .summary = "Adds a salary observation in the shape GET /salaries serves; 201 with Location."
               " Needs a token." },
  { WRITE("DELETE"), .pattern = "/salaries/{id}", .handler = h_salaries_delete,
    .example = "/salaries/1", .summary = "Deletes a salary observation. Needs a token." },
  { LIST, .pattern = "/sources", .handler = h_sources_list, .example = "/sources",
    .summary = "The source documents." },
  { READ, .pattern = "/sources/{id}", .handler = h_sources_get, .example = "/sources/1",
    .summary = "One source document and the figures taken from it." },
  { LIST, .pattern = "/data-notes", .handler = h_data_notes_list,
    .query = QUERY("source", "defect"), .example = "/data-notes",
    .summary = "Every defect found in the sources and what was done about it." },
  { READ, .pattern = "/compare", .handler = h_compare_get, .query = QUERY("roles"),
    .example = "/compare?roles=machine-learning-engineer,cloud-architect",
    .summary = "Roles side by side; the first one is the baseline." },
  { READ, .pattern = "/transitions", .handler = h_transitions_get, .query = QUERY("from", "to"),
    .example = "/transitions?from=devops-engineer&to=platform-engineer",
    .summary = "What moving from one role to another changes in pay and skills." },
  { READ, .pattern = "/openapi.json", .handler = h_openapi_get, .no_db = true,
    .example = "/openapi.json", .summary = "This API as an OpenAPI 3.1 document." },
  { .method = "GET", .pattern = "/audit", .handler = h_audit_list, .auth = true,
    .query = QUERY("limit", "offset", "cursor"), .example = "/audit?limit=20",
    .summary = "Every write, newest first: when, which token id, the path, the resource before"
               " and after. Needs a token." },
  { WRITE("POST"), .pattern = "/import", .handler = h_import_post, .body = BODY_IMPORT,
    .stream = &import_stream_ops, .query = QUERY("dry_run"), .example = "/import?dry_run=true",
    .summary = "Salary observations in bulk (CSV or NDJSON, streamed), all or none in one"
               " transaction; 422 lists the bad rows. Needs a token." },
  { .pattern = NULL },
};

enum route_result
route_find(const char *method, const char *path, struct route_match *m)
{
  return route_find_in(route_table, method, path, m);
}
