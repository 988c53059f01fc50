/**
 * @file http/cors.c
 * @brief CORS headers and preflight answers.
 */
#include "http/cors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/request_id.h"

/* Scripts may read the request id of an answer to quote it in a report,
 * and send their own to follow a request through the logs. */
#define EXPOSE_HEADERS CORS_EXPOSE_HEADERS ", " REQUEST_ID_HEADER
#define READ_ALLOW_HEADERS CORS_READ_ALLOW_HEADERS ", " REQUEST_ID_HEADER
#define WRITE_ALLOW_HEADERS CORS_WRITE_ALLOW_HEADERS ", " READ_ALLOW_HEADERS

static bool
is_alpha(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static bool
is_hex(char c)
{
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A host name or IPv4 literal, or an IPv6 literal in brackets. */
static const char *
skip_host(const char *p)
{
  const char *start = p;

  if ('[' == *p) {
    for (p++; is_hex(*p) || ':' == *p || '.' == *p;)
      p++;
    return ']' == *p && p > start + 1 ? p + 1 : NULL;
  }
  while (is_alpha(*p) || is_digit(*p) || '-' == *p || '.' == *p)
    p++;
  return p > start ? p : NULL;
}

bool
cors_origin_valid(const char *origin)
{
  const char *p = origin;
  unsigned long port = 0;

  if (0 == strcmp(origin, CORS_ANY_ORIGIN))
    return true;
  if (!is_alpha(*p))
    return false;
  while (is_alpha(*p) || is_digit(*p) || '+' == *p || '-' == *p || '.' == *p)
    p++;
  if (0 != strncmp(p, "://", 3) || NULL == (p = skip_host(p + 3)))
    return false;
  if (':' != *p)
    return '\0' == *p;
  for (p++; is_digit(*p) && port <= 65535; p++)
    port = port * 10 + (unsigned long) (*p - '0');
  return '\0' == *p && port >= 1 && port <= 65535;
}

int
cors_init(struct cors *c, const char *origin, const char *write_origin, char *err,
          size_t err_size)
{
  memset(c, 0, sizeof *c);
  if (NULL == origin)
    origin = CORS_ANY_ORIGIN;
  if (!cors_origin_valid(origin)) {
    snprintf(err, err_size, "CORS origin '%.80s' is not '*' or scheme://host[:port]", origin);
    return -1;
  }
  if (NULL != write_origin
      && (0 == strcmp(write_origin, CORS_ANY_ORIGIN) || !cors_origin_valid(write_origin))) {
    snprintf(err, err_size, "CORS write origin '%.80s' is not one scheme://host[:port]",
             write_origin);
    return -1;
  }
  c->owned[0] = strdup(origin);
  c->owned[1] = NULL != write_origin ? strdup(write_origin) : NULL;
  if (NULL == c->owned[0] || (NULL != write_origin && NULL == c->owned[1])) {
    cors_clear(c);
    snprintf(err, err_size, "out of memory");
    return -1;
  }
  c->origin = c->owned[0];
  c->one_origin = 0 != strcmp(origin, CORS_ANY_ORIGIN);
  c->write_origin = c->owned[1];
  return 0;
}

void
cors_clear(struct cors *c)
{
  free(c->owned[0]);
  free(c->owned[1]);
  memset(c, 0, sizeof *c);
}

void
cors_add_headers(struct MHD_Response *resp, const struct cors *c, bool token_route)
{
  const char *origin = token_route ? c->write_origin : c->origin;

  /* without an origin a browser hands the answer to no script of another page */
  if (NULL != origin)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, origin);
  MHD_add_response_header(resp, "Access-Control-Expose-Headers", EXPOSE_HEADERS);
}

bool
cors_varies(const struct cors *c, bool token_route)
{
  return token_route ? NULL != c->write_origin : c->one_origin;
}

/* The methods of @a methods ("GET, HEAD, POST, OPTIONS") that read:
 * GET, HEAD and OPTIONS, in their order, into @a out. */
static void
read_methods(const char *methods, char *out, size_t size)
{
  static const char *const reads[] = { "GET", "HEAD", "OPTIONS" };
  size_t used = 0;

  out[0] = '\0';
  for (const char *p = methods; '\0' != *p;) {
    size_t n = strcspn(p, ", ");

    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++)
      if (strlen(reads[i]) == n && 0 == strncmp(p, reads[i], n) && used + n + 2 < size)
        used += (size_t) snprintf(out + used, size - used, "%s%s", 0 == used ? "" : ", ",
                                  reads[i]);
    p += n;
    p += strspn(p, ", ");
  }
}

struct MHD_Response *
cors_preflight(const struct cors *c, const char *methods, const char *request_origin)
{
  struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
  bool writer = NULL != c->write_origin && NULL != request_origin
                && 0 == strcmp(request_origin, c->write_origin);
  char reads[32];

  if (NULL == resp)
    return NULL;
  read_methods(methods, reads, sizeof reads);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN,
                          writer ? c->write_origin : c->origin);
  MHD_add_response_header(resp, "Access-Control-Expose-Headers", EXPOSE_HEADERS);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, methods);
  MHD_add_response_header(resp, "Access-Control-Allow-Methods", writer ? methods : reads);
  MHD_add_response_header(resp, "Access-Control-Allow-Headers",
                          writer ? WRITE_ALLOW_HEADERS : READ_ALLOW_HEADERS);
  MHD_add_response_header(resp, "Access-Control-Max-Age", CORS_MAX_AGE);
  if (c->one_origin || NULL != c->write_origin)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Origin");
  return resp;
}
