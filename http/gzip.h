/**
 * @file http/gzip.h
 * @brief Compressing a response body into one gzip member (RFC 1952).
 */
#ifndef TECHPAY_HTTP_GZIP_H
#define TECHPAY_HTTP_GZIP_H

#include <stddef.h>

/**
 * Compresses @a in (@a in_len bytes) at zlib level 6.
 * @param[out] out the gzip bytes; the caller frees them with free()
 * @param[out] out_len their length
 * @return 0, or -1 when out of memory or the input is over 4 GiB
 */
int gzip_compress(const void *in, size_t in_len, void **out, size_t *out_len);

#endif
