/**
 * @file http/stream.h
 * @brief Routes that consume their body as it arrives (bulk import): the
 *        daemon hands each piece of the upload to the route's context, so
 *        memory stays bounded whatever the body's size.
 */
#ifndef TECHPAY_HTTP_STREAM_H
#define TECHPAY_HTTP_STREAM_H

#include <stddef.h>

#include "http/reply.h"
#include "http/request.h"

struct stream_ops {
  /**
   * The headers passed the checks: make the context (e.g. open a
   * transaction). @a req has no body. Returns NULL with @a rep filled to
   * refuse the request before its body is read.
   */
  void *(*begin)(const struct request *req, struct reply *rep);
  /** The next piece of the body. @return 0, or -1 when out of memory (the connection is dropped) */
  int (*feed)(void *ctx, const char *data, size_t len);
  /** The whole body arrived: fill @a rep (commit or roll back) and free @a ctx. */
  int (*finish)(void *ctx, const struct request *req, struct reply *rep);
  /** The request ended before its body did (client gone, stop): undo and free @a ctx. */
  void (*abort)(void *ctx);
};

#endif
