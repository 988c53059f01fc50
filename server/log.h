/**
 * @file server/log.h
 * @brief One-line log messages on stderr.
 */
#ifndef TECHPAY_SERVER_LOG_H
#define TECHPAY_SERVER_LOG_H

enum log_level { LOG_ERROR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

/** Messages above this level are dropped (tests lower it to keep output quiet). */
extern enum log_level log_threshold;

void log_msg(enum log_level level, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

#endif
