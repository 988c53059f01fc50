/**
 * @file util/log.c
 * @brief One-line log messages on stderr.
 */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum log_level log_threshold = LOG_INFO;

static const char *const level_names[] = {
  [LOG_ERROR] = "error",
  [LOG_WARNING] = "warning",
  [LOG_INFO] = "info",
  [LOG_DEBUG] = "debug",
};

static const char *const format_names[] = {
  [LOG_FORMAT_JSON] = "json",
  [LOG_FORMAT_TEXT] = "text",
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

const char *
log_level_name(enum log_level level)
{
  return level_names[level];
}

int
log_level_parse(const char *name, enum log_level *level)
{
  for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
    if (0 == strcmp(name, level_names[i])) {
      *level = (enum log_level) i;
      return 0;
    }
  }
  return -1;
}

const char *
log_format_name(enum log_format format)
{
  return format_names[format];
}

int
log_format_parse(const char *name, enum log_format *format)
{
  for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
    if (0 == strcmp(name, format_names[i])) {
      *format = (enum log_format) i;
      return 0;
    }
  }
  return -1;
}

void
log_mhd(void *cls, const char *fmt, va_list ap)
{
  char line[512];
  size_t len;

  (void) cls;
  vsnprintf(line, sizeof line, fmt, ap);
  len = strlen(line);
  while (len > 0 && '\n' == line[len - 1])
    line[--len] = '\0';
  log_msg(LOG_WARNING, "http: %s", line);
}
