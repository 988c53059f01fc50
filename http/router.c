/**
 * @file http/router.c
 * @brief The route table and the matcher.
 */
#include "http/router.h"

#include <string.h>

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
  { .method = "POST", .pattern = "/import", .handler = h_import_post, .auth = true, .body = BODY_IMPORT, .stream = &import_stream_ops },
  { .pattern = NULL },
};

/* Splits @a path (copied into m->buf) into segments. */
static int
split(const char *path, struct route_match *m, char *segs[], unsigned max, unsigned *n)
{
  size_t len = strlen(path);
  char *p;

  if (len > ROUTE_MAX_PATH)
    return -1;
  memcpy(m->buf, path, len + 1);
  *n = 0;
  p = m->buf;
  if ('/' != *p)
    return 0; /* no segments: matches nothing */
  while ('/' == *p) {
    *p++ = '\0';
    if (*n == max)
      return 1; /* deeper than any route */
    segs[(*n)++] = p;
    p += strcspn(p, "/");
  }
  return 0;
}

static bool
pattern_matches(const char *pattern, char *const segs[], unsigned nsegs, struct route_match *m)
{
  const char *p = pattern;
  unsigned i = 0;

  m->nargs = 0;
  while ('/' == *p) {
    size_t plen;

    p++;
    plen = strcspn(p, "/");
    if (i == nsegs)
      return false;
    if ('{' == p[0]) {
      if ('\0' == segs[i][0] || m->nargs == REQUEST_MAX_ARGS)
        return false;
      m->args[m->nargs++] = segs[i];
    } else if (strlen(segs[i]) != plen || 0 != strncmp(p, segs[i], plen)) {
      return false;
    }
    p += plen;
    i++;
  }
  return i == nsegs;
}

static void
allow_add(char *allow, size_t size, const char *method)
{
  if (NULL != strstr(allow, method))
    return;
  if ('\0' != allow[0])
    strncat(allow, ", ", size - strlen(allow) - 1);
  strncat(allow, method, size - strlen(allow) - 1);
}

static bool
method_serves(const char *route_method, const char *method)
{
  return 0 == strcmp(route_method, method)
         || (0 == strcmp(method, "HEAD") && 0 == strcmp(route_method, "GET"));
}

enum route_result
route_find_in(const struct route *table, const char *method, const char *path,
              struct route_match *m)
{
  char *segs[REQUEST_MAX_ARGS * 2];
  unsigned nsegs;
  bool path_known = false;
  int rc = split(path, m, segs, sizeof segs / sizeof segs[0], &nsegs);

  m->route = NULL;
  m->allow[0] = '\0';
  m->nargs = 0;
  if (rc < 0)
    return ROUTE_URI_TOO_LONG;
  if (rc > 0 || 0 == nsegs)
    return ROUTE_NOT_FOUND;
  for (const struct route *r = table; NULL != r->pattern; r++) {
    if (!pattern_matches(r->pattern, segs, nsegs, m))
      continue;
    if (method_serves(r->method, method)) {
      m->route = r;
      return ROUTE_FOUND;
    }
    path_known = true;
    allow_add(m->allow, sizeof m->allow, r->method);
    if (0 == strcmp(r->method, "GET"))
      allow_add(m->allow, sizeof m->allow, "HEAD");
  }
  if (!path_known)
    return ROUTE_NOT_FOUND;
  m->nargs = 0;
  return ROUTE_METHOD_NOT_ALLOWED;
}

enum route_result
route_find(const char *method, const char *path, struct route_match *m)
{
  return route_find_in(route_table, method, path, m);
}
