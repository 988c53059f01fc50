/**
 * @file server/config.h
 * @brief Command line and environment: flags win over the environment,
 *        which wins over the defaults. A bad value is an error, never
 *        silently replaced.
 */
#ifndef TECHPAY_SERVER_CONFIG_H
#define TECHPAY_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/log.h"

enum command {
  CMD_SERVE,
  CMD_MIGRATE,        /* techpayd migrate: apply pending migrations and exit */
  CMD_MIGRATE_STATUS, /* techpayd migrate --status */
  CMD_HEALTHCHECK,    /* techpayd healthcheck: GET /healthz of a running server */
  CMD_IMPORT,         /* techpayd import FILE: salary observations in one transaction */
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
  unsigned max_connections_per_ip; /* 0: no per-address limit */
  unsigned timeout_s;
  unsigned request_timeout_s; /* a request must arrive within this; 0: no deadline */
  const char *cors_origin; /* "*" or one origin (validated); borrowed likewise */
  const char *cors_write_origin; /* the one origin whose scripts may send a token; NULL: none */
  enum log_format log_format; /* of the access log */
  enum log_level log_level;   /* messages above it are dropped; access lines are info */
  bool access_log;            /* one line per request on stdout */
  unsigned drain_timeout_s;   /* after SIGTERM, how long requests in flight may take */
  const char *admin_token_file; /* one write token per line; NULL: none */
  bool read_only;             /* open the database read-only, refuse every write */
  unsigned max_body;          /* request bodies larger than this are refused (413) */
  unsigned min_reports;       /* individual reports that make a role's pay their median */
  unsigned max_db_mib;        /* database pages beyond this many MiB answer 507; 0: no cap */
  unsigned query_timeout_ms;  /* a request's reads are stopped after this; 0: never */
  const char *import_file;    /* import: the file (borrowed from argv) */
  const char *import_format;  /* import: "csv" or "ndjson", from --format or the extension */
  bool import_dry_run;        /* import --dry-run: validate and count, write nothing */
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

/**
 * The effective configuration as one line of name=value pairs (for the
 * start-up log), e.g. "bind=0.0.0.0 port=8080 db=./techpay.db ...".
 * Values pass through config_mask(); values with spaces or quotes are
 * quoted. Cut short (never mid-pair) when @a size is too small.
 */
void config_describe(const struct config *cfg, char *out, size_t size);

/**
 * What may be logged of a setting's value: "***" for a secret one (a
 * non-empty value; "" stays ""), and for any other the value with the
 * password of a "scheme://user:password@host" URL replaced by "***".
 */
void config_mask(const char *value, bool secret, char *out, size_t size);

#endif
