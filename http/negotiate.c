/**
 * @file http/negotiate.c
 * @brief Accept, Accept-Encoding and If-None-Match parsing (RFC 9110
 *        sections 12.5 and 13.1.2). Lenient where it costs nothing: an
 *        element that does not parse is skipped, never an error.
 */
#include "http/negotiate.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TYPES 4

/* One list element: a token ("text/csv", "gzip", "*") and its q. */
struct element {
  const char *token;
  size_t token_len;
  int q; /* 0-1000, or -1 when the element is malformed */
};

static const char *
skip_ows(const char *p)
{
  while (' ' == *p || '\t' == *p)
    p++;
  return p;
}

/* "0", "0.5", "1.000": thousandths, or -1. */
static int
parse_q(const char *s, size_t n)
{
  int whole;
  int frac = 0;
  int scale = 100;

  if (0 == n || ('0' != s[0] && '1' != s[0]))
    return -1;
  whole = '1' == s[0] ? NEGOTIATE_Q_MAX : 0;
  if (1 == n)
    return whole;
  if ('.' != s[1] || n > 5)
    return -1;
  for (size_t i = 2; i < n; i++, scale /= 10) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    frac += (s[i] - '0') * scale;
  }
  if (whole > 0 && frac > 0)
    return -1;
  return whole + frac;
}

/* Skips a parameter value (token or quoted-string); returns its end. */
static const char *
skip_value(const char *p)
{
  if ('"' != *p)
    return p + strcspn(p, ",; \t");
  for (p++; '\0' != *p && '"' != *p; p++)
    if ('\\' == *p && '\0' != p[1])
      p++;
  return '"' == *p ? p + 1 : p;
}

/* Parses ";name=value" parameters at @a p, setting e->q from q=; returns
 * the end of the element (a comma or the end of the string). */
static const char *
parse_params(const char *p, struct element *e)
{
  for (;;) {
    const char *name;
    const char *value;
    size_t name_len;

    p = skip_ows(p);
    if ('\0' == *p || ',' == *p)
      return p;
    if (';' != *p)
      break;
    name = skip_ows(p + 1);
    name_len = strcspn(name, "=,; \t");
    if ('=' != name[name_len])
      break;
    value = name + name_len + 1;
    p = skip_value(value);
    if (1 == name_len && ('q' == name[0] || 'Q' == name[0]))
      e->q = parse_q(value, (size_t) (p - value));
  }
  e->q = -1;
  return p + strcspn(p, ",");
}

/* Reads the element at *pp and moves *pp past it and its comma.
 * @return false at the end of the list */
static bool
next_element(const char **pp, struct element *e)
{
  const char *p = *pp;

  while (',' == *p || ' ' == *p || '\t' == *p)
    p++;
  if ('\0' == *p)
    return false;
  e->token = p;
  e->token_len = strcspn(p, ",; \t");
  e->q = NEGOTIATE_Q_MAX;
  p = parse_params(p + e->token_len, e);
  *pp = ',' == *p ? p + 1 : p;
  return true;
}

static bool
token_is(const struct element *e, size_t off, size_t len, const char *s)
{
  return strlen(s) == len && 0 == strncasecmp(e->token + off, s, len);
}

/* How specifically the media range @a e matches @a type: 3 exactly,
 * 2 as type/star, 1 as star/star, 0 not at all, -1 when malformed. */
static int
range_matches(const struct element *e, const char *type)
{
  const char *slash = memchr(e->token, '/', e->token_len);
  size_t main_len;
  size_t sub_len;
  size_t type_main = strcspn(type, "/");

  if (NULL == slash || e->q < 0)
    return -1;
  main_len = (size_t) (slash - e->token);
  sub_len = e->token_len - main_len - 1;
  if (0 == main_len || 0 == sub_len)
    return -1;
  if (token_is(e, 0, main_len, "*"))
    return token_is(e, main_len + 1, sub_len, "*") ? 1 : -1;
  if (main_len != type_main || 0 != strncasecmp(e->token, type, main_len))
    return 0;
  if (token_is(e, main_len + 1, sub_len, "*"))
    return 2;
  return token_is(e, main_len + 1, sub_len, type + type_main + 1) ? 3 : 0;
}

/* Fills q[i] for each of @a types from one pass over @a accept. */
static void
accept_qualities(const char *accept, const char *const types[], unsigned n, unsigned q[])
{
  int best[MAX_TYPES] = { 0 };
  bool any_range = false;
  struct element e;
  const char *p = accept;

  for (unsigned i = 0; i < n; i++)
    q[i] = 0;
  while (NULL != p && next_element(&p, &e)) {
    for (unsigned i = 0; i < n; i++) {
      int spec = range_matches(&e, types[i]);

      if (spec < 0)
        break;
      any_range = true;
      if (spec > best[i] || (spec == best[i] && spec > 0 && (unsigned) e.q > q[i])) {
        best[i] = spec;
        q[i] = (unsigned) e.q;
      }
    }
  }
  /* No header, or nothing in it we can read: anything goes. */
  for (unsigned i = 0; i < n && !any_range; i++)
    q[i] = NEGOTIATE_Q_MAX;
}

unsigned
negotiate_accept_q(const char *accept, const char *type)
{
  unsigned q;

  accept_qualities(accept, &type, 1, &q);
  return q;
}

int
negotiate_representation(const char *accept, bool csv_offered, enum representation *repr)
{
  static const char *const types[] = { "application/json", "application/problem+json", "text/csv" };
  unsigned q[3];
  unsigned json_q;
  unsigned csv_q;

  accept_qualities(accept, types, 3, q);
  json_q = q[0] > q[1] ? q[0] : q[1];
  csv_q = csv_offered ? q[2] : 0;
  if (0 == json_q && 0 == csv_q)
    return -1;
  *repr = csv_q > json_q ? REPR_CSV : REPR_JSON;
  return 0;
}

bool
negotiate_gzip(const char *accept_encoding)
{
  int named = -1;
  int star = -1;
  struct element e;
  const char *p = accept_encoding;

  while (NULL != p && next_element(&p, &e)) {
    if (e.q < 0)
      continue;
    if (token_is(&e, 0, e.token_len, "gzip") || token_is(&e, 0, e.token_len, "x-gzip"))
      named = e.q > named ? e.q : named;
    else if (token_is(&e, 0, e.token_len, "*"))
      star = e.q > star ? e.q : star;
  }
  return named >= 0 ? named > 0 : star > 0;
}

char *
negotiate_link_with_format(const char *link, const char *format)
{
  size_t extra = strlen("&format=") + strlen(format);
  size_t nlinks = 0;
  char *out;
  char *o;

  for (const char *p = strchr(link, '>'); NULL != p; p = strchr(p + 1, '>'))
    nlinks++;
  out = malloc(strlen(link) + nlinks * extra + 1);
  if (NULL == out)
    return NULL;
  o = out;
  for (const char *p = link; '\0' != *p;) {
    const char *open = strchr(p, '<');
    const char *close = NULL != open ? strchr(open, '>') : NULL;
    size_t n = NULL != close ? (size_t) (close - p) : strlen(p);

    memcpy(o, p, n);
    o += n;
    p += n;
    if (NULL == close)
      break;
    o += sprintf(o, "%cformat=%s", NULL != memchr(open, '?', (size_t) (close - open)) ? '&' : '?',
                 format);
  }
  *o = '\0';
  return out;
}

bool
negotiate_etag_matches(const char *if_none_match, const char *etag)
{
  size_t etag_len = strlen(etag);
  const char *p = if_none_match;

  if (NULL == p)
    return false;
  for (;;) {
    const char *end;

    while (',' == *p || ' ' == *p || '\t' == *p)
      p++;
    if ('\0' == *p)
      return false;
    if ('*' == *p)
      return true;
    if (0 == strncmp(p, "W/", 2))
      p += 2;
    if ('"' != *p) {
      p += strcspn(p, ",");
      continue;
    }
    end = strchr(p + 1, '"');
    if (NULL == end)
      return false;
    if ((size_t) (end + 1 - p) == etag_len && 0 == memcmp(p, etag, etag_len))
      return true;
    p = end + 1;
  }
}
