/**
 * @file model/text.c
 * @brief Text checks, decoded with util/utf8.
 */
#include "model/text.h"

#include <string.h>

#include "util/utf8.h"

bool
text_is_control(uint32_t cp)
{
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

bool
text_is_space(uint32_t cp)
{
  return (cp >= 0x09 && cp <= 0x0d) || 0x20 == cp || 0x85 == cp || 0xa0 == cp
         || 0x1680 == cp || (cp >= 0x2000 && cp <= 0x200a) || 0x2028 == cp
         || 0x2029 == cp || 0x202f == cp || 0x205f == cp || 0x3000 == cp || 0xfeff == cp;
}

void
text_scan(const char *s, size_t len, bool multiline, struct text_facts *f)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t i = 0;
  uint32_t cp = 0;

  memset(f, 0, sizeof *f);
  while (i < len) {
    size_t n = utf8_decode(u + i, len - i, &cp);

    if (0 == n) {
      f->invalid = true;
      return;
    }
    i += n;
    if (0 == f->chars && text_is_space(cp))
      f->edge_space = true;
    f->chars++;
    if (0 == cp)
      f->nul = true;
    else if (text_is_control(cp) && !(multiline && ('\n' == cp || '\t' == cp)))
      f->control = true;
  }
  if (f->chars > 0 && text_is_space(cp))
    f->edge_space = true;
}

bool
text_slug_shape(const char *s, size_t len)
{
  bool after_hyphen = true; /* the start behaves like a hyphen: no hyphen may follow */

  for (size_t i = 0; i < len; i++) {
    char c = s[i];

    if ('-' == c) {
      if (after_hyphen)
        return false;
      after_hyphen = true;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      after_hyphen = false;
    } else {
      return false;
    }
  }
  return len > 0 && !after_hyphen;
}

size_t
text_append_chars(char *dst, size_t size, size_t used, const char *s)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t len = strlen(s);
  size_t i = 0;

  while (i < len) {
    uint32_t cp;
    size_t n = utf8_decode(u + i, len - i, &cp);

    if (0 == n) {
      i++;
      if (used + 1 >= size)
        break;
      dst[used++] = '?';
      continue;
    }
    if (used + n >= size)
      break;
    memcpy(dst + used, s + i, n);
    used += n;
    i += n;
  }
  dst[used] = '\0';
  return used;
}

void
text_sanitize(char *out, const char *s, size_t n, size_t max)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t o = 0;
  size_t i = 0;

  while (i < n) {
    uint32_t cp;
    size_t len = utf8_decode(u + i, n - i, &cp);

    if (0 == len || text_is_control(cp)) {
      if (o + 1 > max)
        break;
      out[o++] = '?';
      i += 0 == len ? 1 : len;
      continue;
    }
    if (o + len > max)
      break;
    memcpy(out + o, s + i, len);
    o += len;
    i += len;
  }
  if (i < n) {
    memcpy(out + o, "...", 3);
    o += 3;
  }
  out[o] = '\0';
}
