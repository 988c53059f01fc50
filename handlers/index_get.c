/**
 * @file handlers/index_get.c
 * @brief GET /api: the endpoints, read from the route table, each with an
 *        example URL and a one-line description.
 */
#include "handlers/handlers.h"

#include <string.h>

#include "build_config.h"
#include "handlers/routes.h"
#include "http/params.h"

struct endpoint_doc {
  const char *pattern; /* as in the route table */
  const char *example;
  const char *description;
};

/* A route missing here is still listed, with its pattern and no example. */
static const struct endpoint_doc docs[] = {
  { "/", "/?sort=pay&category=Data", "The web page: the ranking, comparisons, skills and data"
    " notes, drawn from this API by a script; the query keeps the page's state." },
  { "/assets/{name}", "/assets/app.js", "A script or style sheet of the web page." },
  { "/api", "/api", "This index of the endpoints." },
  { "/healthz", "/healthz", "{\"status\":\"ok\"} when the database answers, otherwise 503." },
  { "/readyz", "/readyz",
    "{\"status\":\"ready\"} when the database answers, has every migration and its file is "
    "still in place, otherwise 503." },
  { "/metrics", "/metrics", "Counters, gauges and histograms in the Prometheus text format." },
  { "/openapi.json", "/openapi.json", "This API as an OpenAPI 3.1 document." },
  { "/roles", "/roles?sort=pay",
    "Roles ranked by representative base pay (sort=pay) or by title; paged with limit and offset." },
  { "/roles/{slug}", "/roles/machine-learning-engineer",
    "One role with every salary observation, the skills it needs and its sources." },
  { "/skills", "/skills?sort=demand",
    "Skills with their demand rank, shares, role counts and pay premium." },
  { "/skills/{slug}", "/skills/python", "One skill and the roles that need it, ranked by pay." },
  { "/industries", "/industries", "The ranked industries, with provenance." },
  { "/factors", "/factors", "The ranked salary factors, with provenance." },
  { "/salaries", "/salaries?role=machine-learning-engineer",
    "Salary observations as the sources state them, with provenance; filtered by role, kind, "
    "statistic and amount." },
  { "/sources", "/sources", "The source documents." },
  { "/sources/{id}", "/sources/1", "One source document and the figures taken from it." },
  { "/data-notes", "/data-notes", "Every defect found in the sources and what was done about it." },
  { "/compare", "/compare?roles=machine-learning-engineer,cloud-architect",
    "Roles side by side; the first one is the baseline." },
  { "/transitions", "/transitions?from=devops-engineer&to=platform-engineer",
    "What moving from one role to another changes in pay and skills." },
  { "/salaries/{id}", "/salaries/1", "One salary observation with its provenance." },
  { "/audit", "/audit?limit=20",
    "Every write, newest first: when, which token id, the path, the resource before and after."
    " Needs a token." },
};

/* The other methods, each needing a token. */
static const struct write_doc {
  const char *method;
  struct endpoint_doc doc;
} write_docs[] = {
  { "POST", { "/roles", "/roles",
              "Creates a role from a JSON body (slug, title, category, summary); 201 with"
              " Location. Needs a token." } },
  { "PATCH", { "/roles/{slug}", "/roles/cloud-architect",
               "Changes a role's title, category or summary (JSON body). Needs a token." } },
  { "DELETE", { "/roles/{slug}", "/roles/cloud-architect?cascade=true",
                "Deletes a role; one with salary observations needs cascade=true."
                " Needs a token." } },
  { "PUT", { "/roles/{slug}/skills/{skill}", "/roles/cloud-architect/skills/python",
             "Records that the role needs the skill; 201 when new, 200 when it did already."
             " Needs a token." } },
  { "DELETE", { "/roles/{slug}/skills/{skill}", "/roles/cloud-architect/skills/python",
                "The role no longer needs the skill. Needs a token." } },
  { "POST", { "/skills", "/skills",
              "Creates a skill from a JSON body (slug, name, demand_rank); 201 with Location."
              " Needs a token." } },
  { "PATCH", { "/skills/{slug}", "/skills/python",
               "Changes a skill's name or demand rank (JSON body). Needs a token." } },
  { "POST", { "/salaries", "/salaries",
              "Adds a salary observation in the shape GET /salaries serves; 201 with Location."
              " Needs a token." } },
  { "DELETE", { "/salaries/{id}", "/salaries/1",
                "Deletes a salary observation. Needs a token." } },
  { "POST", { "/import", "/import?dry_run=true",
              "Salary observations in bulk (CSV or NDJSON, streamed), all or none in one"
              " transaction; 422 lists the bad rows. Needs a token." } },
};

static const struct endpoint_doc *
doc_for(const char *method, const char *pattern)
{
  if (0 == strcmp(method, "GET")) {
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
      if (0 == strcmp(docs[i].pattern, pattern))
        return &docs[i];
    return NULL;
  }
  for (size_t i = 0; i < sizeof write_docs / sizeof write_docs[0]; i++)
    if (0 == strcmp(write_docs[i].method, method)
        && 0 == strcmp(write_docs[i].doc.pattern, pattern))
      return &write_docs[i].doc;
  return NULL;
}

static json_t *
endpoint_json(const struct route *r)
{
  const struct endpoint_doc *doc = doc_for(r->method, r->pattern);
  json_t *e = json_pack("{s:s, s:s, s:s?, s:s?}",
                        "method", r->method,
                        "path", r->pattern,
                        "example", doc ? doc->example : NULL,
                        "description", doc ? doc->description : NULL);

  if (NULL != e && r->list
      && 0 != json_object_set_new(e, "formats", json_pack("[s, s]", "json", "csv"))) {
    json_decref(e);
    return NULL;
  }
  return e;
}

int
h_index_get(const struct request *req, struct reply *rep)
{
  static const char *const allowed[] = { NULL };
  json_t *endpoints;

  if (0 != params_only(req, allowed, rep))
    return 0;
  endpoints = json_array();
  if (NULL == endpoints)
    return -1;
  for (const struct route *r = route_table; NULL != r->pattern; r++) {
    if (0 != json_array_append_new(endpoints, endpoint_json(r))) {
      json_decref(endpoints);
      return -1;
    }
  }
  return reply_json(rep, 200, json_pack("{s:s, s:s, s:o}",
                                        "name", "techpay",
                                        "version", TECHPAY_VERSION,
                                        "endpoints", endpoints));
}
