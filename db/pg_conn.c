/**
 * @file db/pg_conn.c
 * @brief Connecting to PostgreSQL from a URL or key=value string, and
 *        rendering that string for people with the password taken out.
 *
 * libpq does the parsing, the password lookup (URL, PGPASSWORD,
 * PGPASSFILE) and the connecting; what is ours is that no text that
 * leaves this file (a log line, an error) carries the password. A URL is
 * redacted in its own form, so that the operator recognises it; a
 * key=value string is rebuilt from libpq's parse of it.
 */
#include "db/pg_conn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const url_schemes[] = { "postgresql://", "postgres://" };

/* Length of the scheme @a spec starts with, or 0. */
static size_t
url_scheme_length(const char *spec)
{
  for (size_t i = 0; i < sizeof url_schemes / sizeof url_schemes[0]; i++)
    if (0 == strncmp(spec, url_schemes[i], strlen(url_schemes[i])))
      return strlen(url_schemes[i]);
  return 0;
}

bool
pg_conn_is_postgresql(const char *spec)
{
  PQconninfoOption *opts;
  char *msg = NULL;

  if (NULL == spec)
    return false;
  if (url_scheme_length(spec) > 0)
    return true;
  /* libpq refuses unknown keywords, so a file name with a '=' in it
   * stays a SQLite path. */
  if (NULL == strchr(spec, '='))
    return false;
  opts = PQconninfoParse(spec, &msg);
  PQfreemem(msg);
  if (NULL == opts)
    return false;
  PQconninfoFree(opts);
  return true;
}

/* Appends @a len bytes of @a s to @a out (size @a size, used @a *used),
 * always keeping it terminated; what does not fit is cut. */
static void
append(char *out, size_t size, size_t *used, const char *s, size_t len)
{
  if (*used + 1 >= size)
    return;
  if (len > size - 1 - *used)
    len = size - 1 - *used;
  memcpy(out + *used, s, len);
  *used += len;
  out[*used] = '\0';
}

static int
hex_value(char c)
{
  if (isdigit((unsigned char) c))
    return c - '0';
  c = (char) tolower((unsigned char) c);
  return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* True when the URL parameter name @a key (length @a len, perhaps
 * percent-encoded, as libpq decodes it) is "password". */
static bool
is_password_key(const char *key, size_t len)
{
  char decoded[16];
  size_t n = 0;

  for (size_t i = 0; i < len; i++) {
    char c = key[i];

    if ('%' == c && i + 2 < len && hex_value(key[i + 1]) >= 0 && hex_value(key[i + 2]) >= 0) {
      c = (char) (hex_value(key[i + 1]) * 16 + hex_value(key[i + 2]));
      i += 2;
    }
    if (n + 1 >= sizeof decoded)
      return false;
    decoded[n++] = c;
  }
  decoded[n] = '\0';
  return 0 == strcmp(decoded, "password");
}

/* The query part of a URL (after '?') without any password parameter. */
static void
redact_query(const char *query, char *out, size_t size, size_t *used)
{
  const char *p = query;
  bool first = true;

  while ('\0' != *p) {
    size_t len = strcspn(p, "&");
    size_t key_len = strcspn(p, "=&");

    if (len > 0 && !is_password_key(p, key_len)) {
      append(out, size, used, first ? "?" : "&", 1);
      append(out, size, used, p, len);
      first = false;
    }
    p += len;
    if ('&' == *p)
      p++;
  }
}

/* scheme://[user[:password]@]hosts[/dbname][?params], minus the password. */
static void
redact_url(const char *spec, size_t scheme_len, char *out, size_t size)
{
  const char *authority = spec + scheme_len;
  size_t authority_len = strcspn(authority, "/?");
  const char *at = NULL;
  const char *rest;
  size_t used = 0;

  out[0] = '\0';
  for (size_t i = 0; i < authority_len; i++)
    if ('@' == authority[i])
      at = authority + i;
  append(out, size, &used, spec, scheme_len);
  if (NULL != at) {
    append(out, size, &used, authority, strcspn(authority, ":@"));
    authority = at;
    authority_len -= (size_t) (at - (spec + scheme_len));
  }
  append(out, size, &used, authority, authority_len);
  rest = authority + authority_len;
  append(out, size, &used, rest, strcspn(rest, "?"));
  rest += strcspn(rest, "?");
  if ('?' == *rest)
    redact_query(rest + 1, out, size, &used);
}

/* One key=value pair in libpq's syntax: quoted when it must be. */
static void
append_option(char *out, size_t size, size_t *used, const char *key, const char *val)
{
  bool quote = '\0' == val[0] || NULL != strpbrk(val, " \t\n\r\f\v'\\");

  if (*used > 0)
    append(out, size, used, " ", 1);
  append(out, size, used, key, strlen(key));
  append(out, size, used, quote ? "='" : "=", quote ? 2 : 1);
  for (const char *p = val; '\0' != *p; p++) {
    if (quote && ('\'' == *p || '\\' == *p))
      append(out, size, used, "\\", 1);
    append(out, size, used, p, 1);
  }
  if (quote)
    append(out, size, used, "'", 1);
}

void
pg_conn_redact(const char *spec, char *out, size_t out_size)
{
  size_t scheme_len = url_scheme_length(spec);
  PQconninfoOption *opts;
  char *msg = NULL;
  size_t used = 0;

  if (0 == out_size)
    return;
  if (scheme_len > 0) {
    redact_url(spec, scheme_len, out, out_size);
    return;
  }
  out[0] = '\0';
  opts = PQconninfoParse(spec, &msg);
  PQfreemem(msg);
  if (NULL == opts) {
    snprintf(out, out_size, "(unparsable PostgreSQL connection string)");
    return;
  }
  for (const PQconninfoOption *o = opts; NULL != o->keyword; o++)
    if (NULL != o->val && 0 != strcmp(o->keyword, "password"))
      append_option(out, out_size, &used, o->keyword, o->val);
  PQconninfoFree(opts);
}

/* The password written in a URL's user info, as written (still
 * percent-encoded), into @a out; empty when there is none. */
static void
url_password(const char *spec, char *out, size_t size)
{
  size_t scheme_len = url_scheme_length(spec);
  const char *authority = spec + scheme_len;
  size_t authority_len = strcspn(authority, "/?");
  const char *at = NULL;
  const char *colon;

  out[0] = '\0';
  for (size_t i = 0; scheme_len > 0 && i < authority_len; i++)
    if ('@' == authority[i])
      at = authority + i;
  if (NULL == at)
    return;
  colon = memchr(authority, ':', (size_t) (at - authority));
  if (NULL != colon)
    snprintf(out, size, "%.*s", (int) (at - colon - 1), colon + 1);
}

/* Replaces every occurrence of @a secret in @a s by asterisks: three, or
 * as many as a shorter secret has, so that the text never grows. */
static void
scrub(char *s, const char *secret)
{
  size_t len = strlen(secret);
  size_t stars = len < 3 ? len : 3;
  char *p = s;
  char *hit;

  if (0 == len)
    return;
  while (NULL != (hit = strstr(p, secret))) {
    memmove(hit + stars, hit + len, strlen(hit + len) + 1);
    memset(hit, '*', stars);
    p = hit + stars;
  }
}

/* Scrubs the password of @a spec (parsed and as written) and PGPASSWORD. */
static void
scrub_passwords(char *s, const char *spec)
{
  char written[256];
  char *msg = NULL;
  PQconninfoOption *opts = PQconninfoParse(spec, &msg);
  const char *env = getenv("PGPASSWORD");

  PQfreemem(msg);
  for (const PQconninfoOption *o = opts; NULL != o && NULL != o->keyword; o++)
    if (0 == strcmp(o->keyword, "password") && NULL != o->val)
      scrub(s, o->val);
  PQconninfoFree(opts);
  url_password(spec, written, sizeof written);
  scrub(s, written);
  if (NULL != env)
    scrub(s, env);
}

void
pg_conn_one_line(const char *msg, const char *spec, char *out, size_t out_size)
{
  size_t used = 0;
  size_t len = NULL == msg ? 0 : strlen(msg);

  if (0 == out_size)
    return;
  out[0] = '\0';
  while (len > 0 && isspace((unsigned char) msg[len - 1]))
    len--;
  for (size_t i = 0; i < len; i++) {
    if ('\n' == msg[i] || '\r' == msg[i])
      append(out, out_size, &used, "; ", 2);
    else
      append(out, out_size, &used, msg + i, 1);
  }
  scrub_passwords(out, spec);
}

/* Notices ("relation already exists, skipping") are not for stderr. */
static void
ignore_notice(void *arg, const char *message)
{
  (void) arg;
  (void) message;
}

PGconn *
pg_conn_open(const char *spec, char *err, size_t err_size)
{
  return pg_conn_open_as(spec, NULL, err, err_size);
}

PGconn *
pg_conn_open_as(const char *spec, const char *application_name, char *err, size_t err_size)
{
  /* expand_dbname: the first dbname is the whole URL or string; keywords
   * before it are defaults it may override, those after it override it,
   * so the encoding is always ours. A bounded connect_timeout by default:
   * libpq's own waits for ever on a host that does not answer, and a
   * reconnection runs on a pool thread or the change signal's. */
  const char *const keys[] = { "connect_timeout", "dbname", "client_encoding",
                               NULL == application_name ? "fallback_application_name"
                                                        : "application_name",
                               NULL };
  const char *const vals[] = { PG_CONN_TIMEOUT_S, spec, "UTF8",
                               NULL == application_name ? "techpayd" : application_name, NULL };
  PGconn *conn = PQconnectdbParams(keys, vals, 1);
  char where[512];
  char why[512];

  if (NULL == conn) {
    snprintf(err, err_size, "cannot connect to PostgreSQL: out of memory");
    return NULL;
  }
  if (CONNECTION_OK != PQstatus(conn)) {
    pg_conn_redact(spec, where, sizeof where);
    pg_conn_one_line(PQerrorMessage(conn), spec, why, sizeof why);
    snprintf(err, err_size, "cannot connect to %s: %s", where, why);
    PQfinish(conn);
    return NULL;
  }
  PQsetNoticeProcessor(conn, ignore_notice, NULL);
  return conn;
}
