/**
 * @file util/hash.c
 * @brief FNV-1a, 64 bits.
 */
#include "util/hash.h"

#define HASH_PRIME UINT64_C(1099511628211)

uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
  const unsigned char *b = p;

  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * HASH_PRIME;
  return h;
}

uint64_t
hash_str(uint64_t h, const char *s)
{
  for (; '\0' != *s; s++)
    h = (h ^ (unsigned char) *s) * HASH_PRIME;
  return h;
}
