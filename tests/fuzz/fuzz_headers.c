/**
 * @file tests/fuzz/fuzz_headers.c
 * @brief libFuzzer target: the request headers techpayd reads and the
 *        text it echoes. The first byte chooses the reader, the rest is
 *        the header value: Accept, Accept-Encoding, If-None-Match
 *        (negotiate.c), Authorization (auth.c), Content-Type and
 *        Content-Length (body.c), X-Request-Id (request_id.c), Origin
 *        (cors.c), and the raw bytes through the UTF-8 decoder, the lossy
 *        JSON string and the access log line.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/access_log.h"
#include "http/auth.h"
#include "http/body.h"
#include "http/cors.h"
#include "http/negotiate.h"
#include "http/request_id.h"
#include "util/utf8.h"
#include "tests/fuzz/fuzz_support.h"

#define FUZZ_TOKEN "fuzz-token-0123456789abcdef"
#define FUZZ_ETAG "\"0123456789abcdef\""

static const struct auth *
fuzz_auth(void)
{
  static struct auth *a;
  char err[256];

  if (NULL == a && NULL == (a = auth_new(NULL, FUZZ_TOKEN, false, err, sizeof err)))
    fuzz_fail(err);
  return a;
}

static void
accept_headers(const char *s)
{
  enum representation repr;

  if (negotiate_accept_q(s, "application/json") > NEGOTIATE_Q_MAX
      || negotiate_accept_q(s, "text/csv") > NEGOTIATE_Q_MAX)
    fuzz_fail("a quality above 1");
  if (0 == negotiate_representation(s, false, &repr) && REPR_JSON != repr)
    fuzz_fail("CSV chosen where it is not offered");
  negotiate_representation(s, true, &repr);
  negotiate_gzip(s);
  negotiate_etag_matches(s, FUZZ_ETAG);
}

static void
link_header(const char *s)
{
  char *out = negotiate_link_with_format(s, "csv");

  if (NULL == out)
    fuzz_fail("out of memory rewriting a Link header");
  free(out);
}

static void
authorization(const char *s)
{
  char id[AUTH_TOKEN_ID_MAX];

  if (AUTH_OK == auth_check(fuzz_auth(), s, id) && NULL == strstr(s, FUZZ_TOKEN))
    fuzz_fail("credentials without the token were accepted");
}

/* "Content-Type\nContent-Length" */
static void
content_headers(char *s)
{
  static const enum body_kind kinds[] = { BODY_JSON, BODY_IMPORT };
  char *length = strchr(s, '\n');
  char type[64];

  if (NULL != length)
    *length++ = '\0';
  body_media_type(s, type, sizeof type);
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    struct reply rep = { .instance = "/roles" };

    if (0 != body_check_headers(kinds[i], s, length, 1024, &rep)) {
      if (413 != rep.status && 415 != rep.status)
        fuzz_fail("refused headers without a 413 or 415");
      fuzz_check_reply(0, &rep);
    }
  }
}

static void
identity_headers(const char *s)
{
  char id[REQUEST_ID_MAX + 1];

  request_id_assign(s, id);
  if (!request_id_valid(id))
    fuzz_fail("an assigned request id that is not valid");
  cors_origin_valid(s);
}

static void
raw_text(const uint8_t *data, size_t size, const char *s)
{
  struct access_entry e = {
    .request_id = "fuzz", .method = "GET", .target = (const char *) data,
    .target_len = size < ACCESS_LOG_TARGET_MAX ? size : ACCESS_LOG_TARGET_MAX,
    .route = "/roles", .status = 200, .client = "127.0.0.1",
  };
  char line[ACCESS_LOG_LINE_MAX];
  json_t *js;
  json_t *parsed;
  size_t len;

  for (size_t off = 0; off < size;) {
    uint32_t cp;
    size_t n = utf8_decode(data + off, size - off, &cp);

    if (n > 4 || n > size - off || (n > 0 && (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))))
      fuzz_fail("the UTF-8 decoder accepted what is not a code point");
    off += n > 0 ? n : 1;
  }
  js = json_string_lossy(s);
  if (NULL == js)
    fuzz_fail("a lossy string was refused");
  json_decref(js);
  len = access_log_format_line(LOG_FORMAT_JSON, &e, line);
  if (0 == len || len >= ACCESS_LOG_LINE_MAX || '\n' != line[len - 1])
    fuzz_fail("an access log line that is not one line");
  /* \u0000 is valid JSON, which jansson reads only when asked */
  parsed = json_loadb(line, len, JSON_ALLOW_NUL, NULL);
  if (NULL == parsed)
    fuzz_fail("a JSON access log line that is not JSON");
  json_decref(parsed);
  len = access_log_format_line(LOG_FORMAT_TEXT, &e, line);
  if (0 == len || len >= ACCESS_LOG_LINE_MAX || NULL != memchr(line, '\n', len - 1))
    fuzz_fail("a text access log line that is not one line");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *s;

  if (size < 1)
    return 0;
  s = fuzz_strndup(data + 1, size - 1);
  switch (data[0] % 6) {
  case 0: accept_headers(s); break;
  case 1: link_header(s); break;
  case 2: authorization(s); break;
  case 3: content_headers(s); break;
  case 4: identity_headers(s); break;
  default: raw_text(data + 1, size - 1, s); break;
  }
  free(s);
  return 0;
}
