/**
 * @file http/security_headers.c
 * @brief The headers that keep a browser from misreading an answer.
 *
 * Every answer techpayd makes itself gets them here, errors included.
 * libmicrohttpd answers a few malformed requests on its own (431, 414 for
 * a request line larger than its buffer, 505, 400) with a fixed text body,
 * before any of our code runs; those carry none of these headers.
 * libmicrohttpd sends no Server header, so no version leaks.
 */
#include "http/security_headers.h"

#include <stdbool.h>

static const struct {
  const char *name;
  const char *value;
  bool on_304; /* the same for every answer, so harmless to merge */
} defaults[] = {
  /* a JSON error body must never be sniffed into HTML */
  { "X-Content-Type-Options", "nosniff", true },
  { "Content-Security-Policy", SECURITY_CSP_API, false },
  /* links in answers carry cursors and filters: they stay with us */
  { "Referrer-Policy", "no-referrer", true },
};

void
security_headers_add(struct MHD_Response *resp, unsigned status)
{
  for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
    if (MHD_HTTP_NOT_MODIFIED == status && !defaults[i].on_304)
      continue;
    if (NULL == MHD_get_response_header(resp, defaults[i].name))
      MHD_add_response_header(resp, defaults[i].name, defaults[i].value);
  }
}
