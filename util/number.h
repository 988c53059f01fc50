/**
 * @file util/number.h
 * @brief Whole numbers read from text with an explicit cap, written once:
 *        the import reads amounts, years and ids from CSV cells, and every
 *        reader must agree on what a number is.
 */
#ifndef TECHPAY_UTIL_NUMBER_H
#define TECHPAY_UTIL_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Reads @a n bytes of ASCII digits as a whole number: no sign, no
 * separators, no exponent, no fraction, no spaces; leading zeros are
 * allowed. A value above @a max is refused, however many digits it has.
 * @param[out] out the value; untouched on failure
 * @return 0, or -1 when @a s is empty, holds anything but digits, or is
 *         above @a max
 */
int number_parse_digits(const char *s, size_t n, uint64_t max, uint64_t *out);

/**
 * Whether @a s is a whole number in its one plain spelling: ASCII digits
 * only, no leading zero but for "0" itself, of any length. A query value
 * or a path id must be spelled so, so that one number is one cache entry
 * and one URL.
 */
bool number_is_canonical(const char *s);

/**
 * Reads @a s, a number in its canonical spelling (number_is_canonical())
 * no greater than @a max.
 * @param[out] out the value; untouched on failure
 * @return 0, or -1 when @a s is spelled otherwise or is above @a max
 */
int number_parse_canonical(const char *s, uint64_t max, uint64_t *out);

#endif
