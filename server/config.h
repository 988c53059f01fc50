/**
 * @file server/config.h
 * @brief Command line and environment: flags win over the environment,
 *        which wins over the defaults. A bad value is an error, never
 *        silently replaced.
 */
#ifndef TECHPAY_SERVER_CONFIG_H
#define TECHPAY_SERVER_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum command {
  CMD_SERVE,
  CMD_MIGRATE,        /* techpayd migrate: apply pending migrations and exit */
  CMD_MIGRATE_STATUS, /* techpayd migrate --status */
  CMD_HEALTHCHECK,    /* techpayd healthcheck: GET /healthz of a running server */
  CMD_HELP,
  CMD_VERSION,
};

struct config {
  enum command command;
  const char *bind;    /* borrowed from argv, the environment or a literal */
  uint16_t port;
  const char *db_path; /* borrowed likewise */
  unsigned threads;
  unsigned max_connections;
  unsigned timeout_s;
  const char *cors_origin; /* "*" or one origin (validated); borrowed likewise */
};

/** Looks up an environment variable; getenv in production, a table in tests. */
typedef const char *(*config_getenv_fn)(const char *name);

/**
 * Fills @a cfg from @a argv and the environment.
 * @return 0, or -1 with one line in @a err (the caller exits with 2)
 */
int config_parse(int argc, char *const argv[], config_getenv_fn env, unsigned cpu_count,
                 struct config *cfg, char *err, size_t err_size);

/** Prints the --help text. */
void config_usage(FILE *out);

#endif
