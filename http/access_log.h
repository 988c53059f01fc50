/**
 * @file http/access_log.h
 * @brief The access log: one line per request on stdout (or another
 *        descriptor), written when the request completes, so status,
 *        size and duration are final.
 *
 * JSON (the default) is one object per line:
 *   {"time":"2026-01-31T12:00:00.123Z","request_id":"...","method":"GET",
 *    "path":"/roles?sort=pay","route":"/roles","status":200,"bytes":1234,
 *    "duration_us":153,"client":"192.0.2.7"}
 * Text is one human line with the same facts. Each line is formatted into
 * one buffer and written with a single write(2), so lines from different
 * threads never interleave; no allocation, no JSON library.
 */
#ifndef TECHPAY_HTTP_ACCESS_LOG_H
#define TECHPAY_HTTP_ACCESS_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/log.h"

/* The request target is logged up to this many bytes. */
#define ACCESS_LOG_TARGET_MAX 512
/* Methods are logged up to this many bytes (ours are at most 7). */
#define ACCESS_LOG_METHOD_MAX 16
/* Room for the longest line: a target of 512 bytes each escaped as
 * \u00XX (6 bytes), and every other field at its longest. Below
 * PIPE_BUF, so a write to a pipe is atomic. */
#define ACCESS_LOG_LINE_MAX 4096

struct access_log {
  int fd;                 /* where lines go; -1 when the log is off */
  enum log_format format;
};

/** One finished request, as the log line tells it. */
struct access_entry {
  struct timespec time;   /* CLOCK_REALTIME when the request line arrived */
  const char *request_id;
  const char *method;
  const char *target;     /* path and query as received; need not end in NUL */
  size_t target_len;      /* at most ACCESS_LOG_TARGET_MAX */
  const char *route;      /* the matched route's pattern, or NULL */
  unsigned status;        /* 0 when no answer was sent */
  uint64_t bytes;         /* body bytes of the answer (0 for HEAD, 204, 304) */
  uint64_t duration_us;   /* request line to last byte queued to the socket */
  const char *client;     /* the client's IP address, "" when unknown */
};

/**
 * Formats @a e as one line, newline included, into @a buf (at least
 * ACCESS_LOG_LINE_MAX bytes). Strings are escaped: JSON escapes (invalid
 * UTF-8 becomes U+FFFD) or, in text, \\xHH for control characters, quotes
 * and backslashes.
 * @return the line's length
 */
size_t access_log_format_line(enum log_format format, const struct access_entry *e, char *buf);

/** Formats and writes one line; does nothing when the log is off. */
void access_log_write(const struct access_log *log, const struct access_entry *e);

#endif
