/**
 * @file http/router.c
 * @brief The matcher: a method and a path against a route table.
 */
#include "http/router.h"

#include <string.h>

#include "http/params.h"

int
route_query_check(const struct route *r, const struct request *req, struct reply *rep)
{
  static const char *const none[] = { NULL };

  if (r->page)
    return 0; /* the same file for every query: its script reads the query */
  return params_only(req, NULL != r->query ? r->query : none, rep);
}

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
