/**
 * @file util/utf8.h
 * @brief The one UTF-8 decoder: request text is checked with it wherever
 *        it is echoed, logged or stored.
 */
#ifndef TECHPAY_UTIL_UTF8_H
#define TECHPAY_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Decodes the sequence at @a s (@a len bytes available).
 * @param[out] cp the code point, when valid
 * @return the sequence's length, or 0 when the bytes there are not UTF-8:
 *         truncated, overlong, a surrogate or above U+10FFFF
 */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/**
 * @return true when the @a len bytes at @a s are UTF-8 text: every
 *         sequence valid, and no control character (C0 with NUL, DEL, C1)
 */
bool utf8_is_text(const char *s, size_t len);

#endif
