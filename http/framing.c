/**
 * @file http/framing.c
 * @brief One pass over the header fields: names, values, their layout in
 *        the bytes read, and the fields that frame the body.
 */
#include "http/framing.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "http/request.h"

struct framing_scan {
  const char *prev_key;     /* the previous field, NULL before the first */
  const char *prev_value;
  size_t prev_value_size;
  unsigned content_length;  /* fields of each kind seen */
  unsigned transfer_encoding;
  const char *coding;       /* the Transfer-Encoding value */
  size_t head;              /* FRAMING_HEAD_MAX's measure so far */
  const char *fault;        /* the first fault, for the detail */
  const char *field;        /* the field it is in (may be cut short: a NUL) */
};

/* RFC 9110 tchar */
static bool
is_token(const char *s, size_t n)
{
  static const char extra[] = "!#$%&'*+-.^_`|~";

  if (0 == n)
    return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char) s[i];

    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || ('\0' != c && NULL != strchr(extra, c))))
      return false;
  }
  return true;
}

/* No CR, LF, NUL or other control byte but HTAB (RFC 9110 field-value). */
static bool
is_field_value(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char) s[i];

    if ((c < 0x20 && '\t' != c) || 0x7f == c)
      return false;
  }
  return true;
}

/* The value sits where one line leaves it: right after its name's
 * overwritten colon and optional spaces. A folded value was moved. */
static bool
value_in_place(const char *key, size_t key_size, const char *value)
{
  const char *p = key + key_size;

  if (value <= p || '\0' != *p)
    return false;
  for (p++; p < value; p++)
    if (' ' != *p && '\t' != *p)
      return false;
  return true;
}

/* Between the end of a value and the next field's name lies only its
 * line end (one or two overwritten bytes); a NUL inside the value would
 * leave the rest of the line there. */
static bool
value_ends_its_line(const char *value, size_t value_size, const char *next_key)
{
  const char *end = value + value_size;

  if (next_key <= end || next_key - end > 2)
    return false;
  for (const char *p = end; p < next_key; p++)
    if ('\0' != *p)
      return false;
  return true;
}

static enum MHD_Result
scan_field(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
           const char *value, size_t value_size)
{
  struct framing_scan *s = cls;

  (void) kind;
  s->field = key;
  s->head += key_size + value_size + 4 + FRAMING_FIELD_COST;
  if (!is_token(key, key_size))
    s->fault = "a header field name that is not a token (a space before the colon?)";
  else if (!is_field_value(value, value_size))
    s->fault = "a control character (CR, LF or NUL) in a header field value";
  else if (!value_in_place(key, key_size, value))
    s->fault = "a header field folded onto a continuation line (obsolete line folding)";
  else if (NULL != s->prev_key
           && !value_ends_its_line(s->prev_value, s->prev_value_size, key))
    s->fault = "a NUL in a header field value";
  if (NULL != s->fault)
    return MHD_NO;
  if (0 == strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
    s->content_length++;
  if (0 == strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
    s->transfer_encoding++;
    s->coding = value;
  }
  s->prev_key = key;
  s->prev_value = value;
  s->prev_value_size = value_size;
  return MHD_YES;
}

/* The last value is followed by its line end and the empty line's: two
 * overwritten bytes at least. */
static bool
last_value_ends_its_line(const struct framing_scan *s)
{
  const char *end;

  if (NULL == s->prev_key)
    return true;
  end = s->prev_value + s->prev_value_size;
  return '\0' == end[0] && '\0' == end[1];
}


int
framing_check(struct MHD_Connection *conn, size_t target_len, struct reply *rep)
{
  struct framing_scan s = { .head = target_len };

  MHD_get_connection_values_n(conn, MHD_HEADER_KIND, &scan_field, &s);
  if (NULL == s.fault && !last_value_ends_its_line(&s))
    s.fault = "a NUL in a header field value";
  if (NULL != s.fault)
    reply_problem(rep, PROBLEM_MALFORMED_REQUEST, NULL,
                  "the request has %s; it is not read further", s.fault);
  else if (s.head > FRAMING_HEAD_MAX)
    reply_problem(rep, PROBLEM_HEADERS_TOO_LARGE, NULL, "the request line and header fields "
                  "take more than %d bytes (counting %d per field)", FRAMING_HEAD_MAX,
                  FRAMING_FIELD_COST);
  else if (s.content_length > 1 || s.transfer_encoding > 1)
    reply_problem(rep, PROBLEM_MALFORMED_REQUEST, NULL, "the request has more than one %s "
                  "field, so its body length is ambiguous",
                  s.content_length > 1 ? "Content-Length" : "Transfer-Encoding");
  else if (s.content_length > 0 && s.transfer_encoding > 0)
    reply_problem(rep, PROBLEM_MALFORMED_REQUEST, NULL, "the request has both Content-Length "
                  "and Transfer-Encoding, so its body length is ambiguous");
  else if (s.transfer_encoding > 0 && 0 != strcasecmp(s.coding, "chunked"))
    reply_problem(rep, PROBLEM_NOT_IMPLEMENTED, NULL, "the only transfer coding accepted is "
                  "'chunked' alone; send the body with Content-Length or chunked");
  else
    return 0;
  return -1;
}

enum framing_target
framing_target_check(char *uri, size_t *len)
{
  char *query = strchr(uri, '?');
  unsigned params = 0;
  enum framing_target t = TARGET_OK;

  *len = strlen(uri);
  if (NULL == query)
    return TARGET_OK;
  for (const char *p = query + 1; '\0' != *p; p++)
    if ('&' != *p && ('&' == p[-1] || p == query + 1))
      params++;
  if (*len > FRAMING_TARGET_MAX)
    t = TARGET_TOO_LONG;
  else if (params > REQUEST_MAX_PARAMS)
    t = TARGET_TOO_MANY_PARAMS;
  if (TARGET_OK != t)
    query[1] = '\0'; /* libmicrohttpd splits the query off at the '?' after this */
  return t;
}

void
framing_target_refuse(enum framing_target t, struct reply *rep)
{
  if (TARGET_TOO_LONG == t) {
    rep->instance = NULL; /* too long to echo back */
    reply_problem(rep, PROBLEM_URI_TOO_LONG, NULL, "request targets longer than %d bytes "
                  "are not served", FRAMING_TARGET_MAX);
  } else {
    reply_problem(rep, PROBLEM_TOO_MANY_PARAMETERS, NULL,
                  "at most %d query parameters are accepted", REQUEST_MAX_PARAMS);
  }
}
