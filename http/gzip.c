/**
 * @file http/gzip.c
 * @brief One-shot deflate into a buffer sized by deflateBound, so a single
 *        deflate(Z_FINISH) call always completes.
 */
#include "http/gzip.h"

#include <limits.h>
#include <stdlib.h>

/* next_in becomes a pointer to const: the input is only read. */
#define ZLIB_CONST
#include <zlib.h>

/* windowBits 15 (the largest window) plus 16: a gzip header and trailer
 * rather than a zlib one, which is what Content-Encoding: gzip means. */
#define GZIP_WINDOW_BITS (15 + 16)
#define GZIP_MEM_LEVEL 8
/* Level 6 is zlib's default: most of level 9's gain at a fraction of its
 * cost, and the result is cached per data version anyway. */
#define GZIP_LEVEL 6

int
gzip_compress(const void *in, size_t in_len, void **out, size_t *out_len)
{
  z_stream zs = { 0 };
  unsigned char *buf;
  uLong bound;
  int rc;

  *out = NULL;
  *out_len = 0;
  if (in_len > UINT_MAX
      || Z_OK != deflateInit2(&zs, GZIP_LEVEL, Z_DEFLATED, GZIP_WINDOW_BITS, GZIP_MEM_LEVEL,
                              Z_DEFAULT_STRATEGY))
    return -1;
  bound = deflateBound(&zs, (uLong) in_len);
  buf = bound <= UINT_MAX ? malloc(bound) : NULL;
  if (NULL == buf) {
    deflateEnd(&zs);
    return -1;
  }
  zs.next_in = in;
  zs.avail_in = (uInt) in_len;
  zs.next_out = buf;
  zs.avail_out = (uInt) bound;
  rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (Z_STREAM_END != rc) {
    free(buf);
    return -1;
  }
  *out = buf;
  *out_len = (size_t) zs.total_out;
  return 0;
}
