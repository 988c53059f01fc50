/**
 * @file util/utf8.c
 * @brief Strict UTF-8 decoding (RFC 3629).
 */
#include "util/utf8.h"

size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
  unsigned char c;
  size_t n;
  uint32_t v;
  uint32_t least;

  if (0 == len)
    return 0;
  c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2, v = c & 0x1fu, least = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3, v = c & 0x0fu, least = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4, v = c & 0x07u, least = 0x10000;
  } else {
    return 0;
  }
  if (len < n)
    return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xc0u) != 0x80u)
      return 0;
    v = (v << 6) | (s[i] & 0x3fu);
  }
  if (v < least || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
    return 0;
  *cp = v;
  return n;
}

bool
utf8_is_text(const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *) s;

  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = utf8_decode(u + i, len - i, &cp);

    if (0 == n || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
      return false;
    i += n;
  }
  return true;
}
