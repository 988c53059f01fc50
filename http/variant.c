/**
 * @file http/variant.c
 * @brief Query parameters, representation and cache key of a GET.
 */
#include "http/variant.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/negotiate.h"
#include "util/utf8.h"

static enum MHD_Result
collect_param(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
  struct param_collector *pc = cls;

  (void) kind;
  if (0 == strcmp(key, "format")) {
    pc->format = value ? value : "";
    pc->nformat++;
    return MHD_YES;
  }
  if (pc->n == REQUEST_MAX_PARAMS) {
    pc->overflow = true;
    return MHD_NO;
  }
  if (!utf8_is_text(key, strlen(key)) || (NULL != value && !utf8_is_text(value, strlen(value)))) {
    pc->not_text = key;
    return MHD_NO;
  }
  pc->params[pc->n].key = key;
  pc->params[pc->n].value = value ? value : "";
  pc->n++;
  return MHD_YES;
}

/* Variant, path and parameters, NUL-separated: decoded values cannot
 * contain NUL, so distinct requests never share a key. The variant keeps
 * JSON, CSV and their gzip forms apart. */
size_t
variant_cache_key(char *key, const struct entity_spec *spec, bool explicit_format, const char *path,
          const struct param *params, unsigned n)
{
  /* representation, encoding, and whether format= chose it (it then
   * appears in the Link header) */
  const char variant[] = { REPR_CSV == spec->repr ? 'c' : 'j', spec->gzip ? 'g' : 'i',
                           explicit_format ? 'f' : 'a', '\0' };
  size_t len = 0;
  const char *parts[2 + 2 * REQUEST_MAX_PARAMS];
  unsigned nparts = 0;

  parts[nparts++] = variant;
  parts[nparts++] = path;
  for (unsigned i = 0; i < n; i++) {
    parts[nparts++] = params[i].key;
    parts[nparts++] = params[i].value;
  }
  for (unsigned i = 0; i < nparts; i++) {
    size_t l = strlen(parts[i]);

    if (len + l + 1 > VARIANT_KEY_MAX)
      return 0;
    memcpy(key + len, parts[i], l);
    len += l;
    key[len++] = '\0';
  }
  return len;
}

/* A route with a media type of its own serves that type only: Accept
 * must admit it, and format=, which picks JSON or CSV, is not taken. */
static int
choose_own_media(const char *accept, const struct route *route, const struct param_collector *pc,
                 struct reply *rep)
{
  char essence[64];

  if (NULL != pc->format) {
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, "format", "'format' chooses JSON or CSV, "
                  "and this resource is served as %s only", route->media);
    return -1;
  }
  snprintf(essence, sizeof essence, "%.*s", (int) strcspn(route->media, "; \t"), route->media);
  if (negotiate_accept_q(accept, essence) > 0)
    return 0;
  reply_problem(rep, PROBLEM_NOT_ACCEPTABLE, NULL,
                "this resource is served as %s, which Accept does not admit", route->media);
  return -1;
}

/* The representation asked for: format= wins over Accept. Fills @a rep
 * with a problem and returns -1 when no answer would do. */
int
variant_choose(struct MHD_Connection *conn, const struct route *route,
                      const struct param_collector *pc, enum representation *repr,
                      struct reply *rep)
{
  if (pc->nformat > 1) {
    reply_problem(rep, PROBLEM_DUPLICATE_PARAMETER, "format", "'format' may be given only once");
    return -1;
  }
  *repr = REPR_JSON;
  if (NULL != route->media)
    return choose_own_media(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                        MHD_HTTP_HEADER_ACCEPT), route, pc, rep);
  if (NULL != pc->format) {
    *repr = 0 == strcmp(pc->format, "csv") ? REPR_CSV : REPR_JSON;
    if (0 == strcmp(pc->format, "json") || (route->list && REPR_CSV == *repr))
      return 0;
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, "format", "'format' must be %s",
                  route->list ? "one of: json, csv" : "json (csv is offered by lists only)");
    return -1;
  }
  if (0 == negotiate_representation(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT), route->list,
                                    repr))
    return 0;
  reply_problem(rep, PROBLEM_NOT_ACCEPTABLE, NULL,
                "this resource is served as application/json%s, which Accept does not admit",
                route->list ? " or text/csv" : "");
  return -1;
}

/* Handlers never see format=, so their paging links lack it: add it, so
 * that following "next" keeps the representation the client chose. */
void
variant_links_keep_format(struct reply *rep, const char *format)
{
  for (unsigned i = 0; i < rep->nheaders; i++) {
    char *value;

    if (0 != strcasecmp(rep->headers[i].name, "Link"))
      continue;
    value = negotiate_link_with_format(rep->headers[i].value, format);
    if (NULL == value)
      continue; /* out of memory: the link still works, in JSON */
    free(rep->headers[i].value);
    rep->headers[i].value = value;
  }
}

static int
param_cmp(const struct param *a, const struct param *b)
{
  int c = strcmp(a->key, b->key);

  return 0 != c ? c : strcmp(a->value, b->value);
}

void
variant_params_sort(struct param *params, unsigned n)
{
  /* insertion sort: at most REQUEST_MAX_PARAMS entries, usually a handful */
  for (unsigned i = 1; i < n; i++) {
    struct param p = params[i];
    unsigned j = i;

    for (; j > 0 && param_cmp(&params[j - 1], &p) > 0; j--)
      params[j] = params[j - 1];
    params[j] = p;
  }
}

void
variant_collect_params(struct MHD_Connection *conn, struct param_collector *pc)
{
  MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, &collect_param, pc);
  /* Order never changes an answer (only skill may repeat, and its values
   * are a set), so one order for all: ?a=1&b=2 and ?b=2&a=1 share a cache
   * entry, and the paging links and problems they get are the same bytes. */
  variant_params_sort(pc->params, pc->n);
}

int
variant_params_check(const struct param_collector *pc, struct reply *rep)
{
  if (pc->overflow)
    reply_problem(rep, PROBLEM_TOO_MANY_PARAMETERS, NULL,
                  "at most %d query parameters are accepted", REQUEST_MAX_PARAMS);
  else if (NULL != pc->not_text)
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, pc->not_text, "query parameters must be UTF-8 "
                  "text, without NUL or other control characters");
  else
    return 0;
  return -1;
}

size_t
variant_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
  (void) cls;
  (void) conn;
  for (char *p = s; NULL != (p = strstr(p, "%00")); p += 3) {
    p[1] = 'F';
    p[2] = 'F';
  }
  return MHD_http_unescape(s);
}
