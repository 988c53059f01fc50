/**
 * @file server/cors.c
 * @brief CORS headers and preflight answers.
 */
#include "server/cors.h"

#include <string.h>

#include "server/request_id.h"

/* Scripts may read the request id of an answer to quote it in a report,
 * and send their own to follow a request through the logs. */
#define EXPOSE_HEADERS CORS_EXPOSE_HEADERS ", " REQUEST_ID_HEADER
#define ALLOW_HEADERS CORS_ALLOW_HEADERS ", " REQUEST_ID_HEADER

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

void
cors_add_headers(struct MHD_Response *resp, const struct cors *c)
{
  MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, c->origin);
  MHD_add_response_header(resp, "Access-Control-Expose-Headers", EXPOSE_HEADERS);
}

struct MHD_Response *
cors_preflight(const struct cors *c, const char *methods)
{
  struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);

  if (NULL == resp)
    return NULL;
  cors_add_headers(resp, c);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, methods);
  MHD_add_response_header(resp, "Access-Control-Allow-Methods", methods);
  MHD_add_response_header(resp, "Access-Control-Allow-Headers", ALLOW_HEADERS);
  MHD_add_response_header(resp, "Access-Control-Max-Age", CORS_MAX_AGE);
  if (c->one_origin)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Origin");
  return resp;
}
