/**
 * @file http/reply.c
 * @brief Building replies and RFC 9457 problem documents.
 */
#include "http/reply.h"

#include "util/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whatever the reply held is replaced: one body (JSON, static text or none). */
static int
reply_set(struct reply *rep, unsigned status, const char *content_type, json_t *body,
          const char *text, size_t text_len)
{
  json_decref(rep->body);
  rep->body = body;
  rep->text = text;
  rep->text_len = text_len;
  rep->status = status;
  rep->content_type = content_type;
  return 0;
}

int
reply_json(struct reply *rep, unsigned status, json_t *body)
{
  if (NULL == body)
    return -1;
  return reply_set(rep, status, CONTENT_TYPE_JSON, body, NULL, 0);
}

int
reply_empty(struct reply *rep, unsigned status)
{
  return reply_set(rep, status, NULL, NULL, NULL, 0);
}

int
reply_static(struct reply *rep, unsigned status, const char *content_type, const char *text,
             size_t text_len)
{
  return reply_set(rep, status, content_type, NULL, text, text_len);
}

json_t *
json_string_lossy(const char *s)
{
  const unsigned char *p = (const unsigned char *) s;
  size_t len = strlen(s);
  char *out;
  size_t o = 0;
  json_t *str;

  /* Fast path: almost everything we echo is valid already. */
  str = json_stringn(s, len);
  if (NULL != str)
    return str;
  out = malloc(len * 3 + 1);
  if (NULL == out)
    return NULL;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = utf8_decode(p + i, len - i, &cp);

    if (0 == n || 0 == p[i]) {
      memcpy(out + o, "\xef\xbf\xbd", 3);
      o += 3;
      i++;
    } else {
      memcpy(out + o, p + i, n);
      o += n;
      i += n;
    }
  }
  str = json_stringn(out, o);
  free(out);
  return str;
}

int
reply_problem(struct reply *rep, unsigned id, const char *param,
              const char *detail_fmt, ...)
{
  const struct problem_def *def = problem_get(id);
  char type[96];
  char detail[512];
  json_t *body;
  va_list ap;

  va_start(ap, detail_fmt);
  vsnprintf(detail, sizeof detail, detail_fmt, ap);
  va_end(ap);
  snprintf(type, sizeof type, "/problems/%s", def->slug);
  body = json_pack("{s:s, s:s, s:I, s:o}",
                   "type", type,
                   "title", def->title,
                   "status", (json_int_t) def->status,
                   "detail", json_string_lossy(detail));
  if (NULL == body)
    return -1;
  if (NULL != rep->instance
      && 0 != json_object_set_new(body, "instance", json_string_lossy(rep->instance)))
    goto fail;
  if (NULL != param && 0 != json_object_set_new(body, "parameter", json_string_lossy(param)))
    goto fail;
  json_decref(rep->body);
  rep->body = body;
  rep->text = NULL;
  rep->status = def->status;
  rep->content_type = CONTENT_TYPE_PROBLEM;
  return 0;
fail:
  json_decref(body);
  return -1;
}

int
reply_header(struct reply *rep, const char *name, const char *value_fmt, ...)
{
  va_list ap;
  char *value = NULL;
  int n;

  if (rep->nheaders == REPLY_MAX_HEADERS)
    return -1;
  va_start(ap, value_fmt);
  n = vasprintf(&value, value_fmt, ap);
  va_end(ap);
  if (n < 0)
    return -1;
  /* A header value echoing request text must not be able to start a new
   * header or a body. */
  if (NULL != strpbrk(value, "\r\n")) {
    free(value);
    return -1;
  }
  rep->headers[rep->nheaders].name = name;
  rep->headers[rep->nheaders].value = value;
  rep->nheaders++;
  return 0;
}

void
reply_clear(struct reply *rep)
{
  for (unsigned i = 0; i < rep->nheaders; i++)
    free(rep->headers[i].value);
  rep->nheaders = 0;
  json_decref(rep->body);
  rep->body = NULL;
  rep->text = NULL;
  rep->text_len = 0;
  rep->status = 0;
  rep->content_type = NULL;
  rep->allow = NULL;
}
