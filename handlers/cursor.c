/**
 * @file handlers/cursor.c
 * @brief Keyset cursor encoding: JSON in base64url (RFC 4648, no padding).
 */
#include "handlers/cursor.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Far more than any real sort position; bounds the work on hostile input. */
#define CURSOR_MAX_LEN 2048

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

uint64_t
cursor_hash(uint64_t h, const char *s)
{
  static const unsigned char separator = 0xff;

  /* a separator, so that "ab"+"c" and "a"+"bc" differ */
  return hash_bytes(hash_str(h, s), &separator, 1);
}

static char *
base64url(const unsigned char *in, size_t len)
{
  char *out = malloc(len / 3 * 4 + 5);
  size_t o = 0;

  if (NULL == out)
    return NULL;
  for (size_t i = 0; i < len; i += 3) {
    uint32_t v = (uint32_t) in[i] << 16;
    size_t rest = len - i;

    if (rest > 1)
      v |= (uint32_t) in[i + 1] << 8;
    if (rest > 2)
      v |= in[i + 2];
    out[o++] = b64[(v >> 18) & 63];
    out[o++] = b64[(v >> 12) & 63];
    if (rest > 1)
      out[o++] = b64[(v >> 6) & 63];
    if (rest > 2)
      out[o++] = b64[v & 63];
  }
  out[o] = '\0';
  return out;
}

/* @return decoded length, or -1 on a character outside the alphabet */
static long
unbase64url(const char *in, unsigned char *out)
{
  uint32_t acc = 0;
  int bits = 0;
  long o = 0;

  for (; '\0' != *in; in++) {
    const char *p = strchr(b64, *in);

    if (NULL == p)
      return -1;
    acc = (acc << 6) | (uint32_t) (p - b64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (unsigned char) (acc >> bits);
    }
  }
  return o;
}

char *
cursor_encode(uint64_t fingerprint, const struct sort_value *values, size_t n)
{
  char fp[17];
  json_t *list = json_array();
  json_t *doc;
  char *text;
  char *out;

  snprintf(fp, sizeof fp, "%016" PRIx64, fingerprint);
  for (size_t i = 0; NULL != list && i < n; i++) {
    json_t *v = SV_INT == values[i].type ? json_integer(values[i].i)
                : SV_REAL == values[i].type ? json_real(values[i].r)
                                            : json_string(values[i].s);

    if (0 != json_array_append_new(list, v)) {
      json_decref(list);
      list = NULL;
    }
  }
  doc = json_pack("{s:s, s:o}", "f", fp, "a", list);
  if (NULL == doc)
    return NULL;
  text = json_dumps(doc, JSON_COMPACT);
  json_decref(doc);
  if (NULL == text)
    return NULL;
  out = base64url((const unsigned char *) text, strlen(text));
  free(text);
  return out;
}

static int
read_value(json_t *v, struct sort_value *out)
{
  if (json_is_integer(v))
    *out = (struct sort_value) { .type = SV_INT, .i = json_integer_value(v) };
  else if (json_is_real(v))
    *out = (struct sort_value) { .type = SV_REAL, .r = json_real_value(v) };
  else if (json_is_string(v))
    *out = (struct sort_value) { .type = SV_TEXT, .s = json_string_value(v) };
  else
    return -1;
  return 0;
}

int
cursor_decode(const char *text, uint64_t fingerprint, struct sort_value *values,
              size_t n, json_t **holder)
{
  unsigned char raw[CURSOR_MAX_LEN];
  char fp[17];
  const char *got_fp = NULL;
  json_t *list = NULL;
  json_t *doc;
  long len;

  *holder = NULL;
  if (strlen(text) > CURSOR_MAX_LEN || (len = unbase64url(text, raw)) <= 0)
    return -1;
  doc = json_loadb((const char *) raw, (size_t) len, JSON_REJECT_DUPLICATES, NULL);
  if (NULL == doc)
    return -1;
  if (0 != json_unpack(doc, "{s:s, s:o !}", "f", &got_fp, "a", &list) || !json_is_array(list)) {
    json_decref(doc);
    return -1;
  }
  snprintf(fp, sizeof fp, "%016" PRIx64, fingerprint);
  if (0 != strcmp(fp, got_fp) || json_array_size(list) != n) {
    json_decref(doc);
    return -2;
  }
  for (size_t i = 0; i < n; i++) {
    if (0 != read_value(json_array_get(list, i), &values[i])) {
      json_decref(doc);
      return -1;
    }
  }
  *holder = doc;
  return 0;
}
