/**
 * @file util/hash.h
 * @brief The one hash of the project: FNV-1a, 64 bits. Fast on short keys,
 *        stable across builds and machines, so it may be stored (migration
 *        checksums, request fingerprints) as well as used in tables.
 *        It is not a defence against chosen inputs.
 */
#ifndef TECHPAY_UTIL_HASH_H
#define TECHPAY_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

/** The value to fold the first bytes into. */
#define HASH_INIT UINT64_C(14695981039346656037)

/** @return @a h with the @a n bytes at @a p folded in */
uint64_t hash_bytes(uint64_t h, const void *p, size_t n);

/** @return @a h with the bytes of the string @a s (not its NUL) folded in */
uint64_t hash_str(uint64_t h, const char *s);

#endif
