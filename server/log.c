/**
 * @file server/log.c
 * @brief One-line log messages on stderr.
 */
#include "server/log.h"

#include <stdarg.h>
#include <stdio.h>

enum log_level log_threshold = LOG_INFO;

static const char *const level_names[] = {
  [LOG_ERROR] = "error",
  [LOG_WARNING] = "warning",
  [LOG_INFO] = "info",
  [LOG_DEBUG] = "debug",
};

void
log_msg(enum log_level level, const char *fmt, ...)
{
  char line[1024];
  va_list ap;

  if (level > log_threshold)
    return;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  /* One fprintf per line: stdio locks the stream, so lines from worker
   * threads never interleave. */
  fprintf(stderr, "techpayd: %s: %s\n", level_names[level], line);
}
