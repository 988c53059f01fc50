/**
 * @file util/log.h
 * @brief One-line log messages on stderr, and the names of the log levels
 *        and formats the configuration accepts.
 *
 * Messages (start-up, errors) go to stderr; the access log, one line per
 * request, goes to stdout (server/access_log.h).
 */
#ifndef TECHPAY_UTIL_LOG_H
#define TECHPAY_UTIL_LOG_H

#include <stdarg.h>

enum log_level { LOG_ERROR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

/* How access log lines are written. */
enum log_format {
  LOG_FORMAT_JSON, /* one JSON object per line */
  LOG_FORMAT_TEXT, /* one human-readable line */
};

/** Messages above this level are dropped (tests lower it to keep output quiet). */
extern enum log_level log_threshold;

void log_msg(enum log_level level, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/** @return "error", "warning", "info" or "debug" */
const char *log_level_name(enum log_level level);

/** Parses a level name (as log_level_name() spells it). @return 0, or -1 */
int log_level_parse(const char *name, enum log_level *level);

/** @return "json" or "text" */
const char *log_format_name(enum log_format format);

/** Parses "json" or "text". @return 0, or -1 */
int log_format_parse(const char *name, enum log_format *format);

/** libmicrohttpd's messages (MHD_OPTION_EXTERNAL_LOGGER) as warnings, one line each. */
void log_mhd(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
