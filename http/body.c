/**
 * @file http/body.c
 * @brief Request body checks, gathering and JSON parsing.
 */
#include "http/body.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
body_media_type(const char *content_type, char *out, size_t size)
{
  size_t n = 0;

  if (NULL == content_type)
    content_type = "";
  while (' ' == *content_type)
    content_type++;
  for (; '\0' != *content_type && ';' != *content_type && ' ' != *content_type && n + 1 < size;
       content_type++)
    out[n++] = (char) tolower((unsigned char) *content_type);
  out[n] = '\0';
}

/* A charset other than UTF-8 would need transcoding we do not do. */
static bool
charset_ok(const char *content_type)
{
  const char *cs = NULL != content_type ? strcasestr(content_type, "charset=") : NULL;

  if (NULL == cs)
    return true;
  cs += 8;
  if ('"' == *cs)
    cs++;
  return 0 == strncasecmp(cs, "utf-8", 5) || 0 == strncasecmp(cs, "utf8", 4);
}

int
body_check_headers(enum body_kind kind, const char *content_type, const char *content_length,
                   size_t max, struct reply *rep)
{
  char type[64];
  bool ok;

  body_media_type(content_type, type, sizeof type);
  if (BODY_JSON == kind)
    ok = 0 == strcmp(type, "application/json");
  else
    ok = 0 == strcmp(type, "text/csv") || 0 == strcmp(type, "application/x-ndjson");
  if (!ok || !charset_ok(content_type)) {
    reply_problem(rep, PROBLEM_UNSUPPORTED_MEDIA_TYPE, NULL,
                  "send %s in UTF-8 (Content-Type was '%.60s')",
                  BODY_JSON == kind ? "application/json" : "text/csv or application/x-ndjson",
                  NULL != content_type ? content_type : "");
    return -1;
  }
  if (NULL != content_length) {
    char *end = NULL;
    unsigned long long n = strtoull(content_length, &end, 10);

    if (end != content_length && n > max) {
      reply_problem(rep, PROBLEM_BODY_TOO_LARGE, NULL,
                    "the body is %llu bytes; at most %zu are accepted", n, max);
      return -1;
    }
  }
  return 0;
}

int
body_append(struct request_body *b, const char *data, size_t len, size_t max)
{
  if (b->too_large || len > max - b->len) {
    b->too_large = true;
    return 0;
  }
  if (b->len + len + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    char *grown;

    while (cap < b->len + len + 1)
      cap *= 2;
    grown = realloc(b->data, cap);
    if (NULL == grown)
      return -1;
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return 0;
}

void
body_clear(struct request_body *b)
{
  free(b->data);
  memset(b, 0, sizeof *b);
}

int
body_parse_json(const struct request_body *b, json_t **out, struct reply *rep)
{
  json_error_t err;

  *out = json_loadb(NULL != b->data ? b->data : "", b->len, JSON_REJECT_DUPLICATES, &err);
  if (NULL != *out)
    return 0;
  reply_problem(rep, PROBLEM_MALFORMED_JSON, NULL, "malformed JSON at line %d, column %d: %s",
                err.line, err.column, err.text);
  return -1;
}
