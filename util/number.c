/**
 * @file util/number.c
 * @brief Digit-only number parsing. strtoull() is not used: it accepts
 *        signs, spaces and a locale, none of which a cell may hold.
 */
#include "util/number.h"

#include <string.h>

int
number_parse_digits(const char *s, size_t n, uint64_t max, uint64_t *out)
{
  uint64_t v = 0;

  if (0 == n)
    return -1;
  for (size_t i = 0; i < n; i++) {
    unsigned d = (unsigned char) s[i] - (unsigned) '0';

    if (d > 9)
      return -1;
    /* refuse before the multiplication could pass max (or wrap) */
    if (v > (max - d) / 10)
      return -1;
    v = v * 10 + d;
  }
  *out = v;
  return 0;
}

bool
number_is_canonical(const char *s)
{
  if ('\0' == s[0] || ('0' == s[0] && '\0' != s[1]))
    return false;
  for (; '\0' != *s; s++)
    if (*s < '0' || *s > '9')
      return false;
  return true;
}

int
number_parse_canonical(const char *s, uint64_t max, uint64_t *out)
{
  if ('0' == s[0] && '\0' != s[1])
    return -1;
  return number_parse_digits(s, strlen(s), max, out);
}
