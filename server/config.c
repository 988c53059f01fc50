/**
 * @file server/config.c
 * @brief Parsing flags and environment variables.
 */
#include "server/config.h"

#include <string.h>

#include "http/cors.h"
#include "server/config_import.h"

#define DEFAULT_BIND "0.0.0.0"
#define DEFAULT_PORT 8080
#define DEFAULT_DB "./techpay.db"
#define DEFAULT_MAX_CONNECTIONS 1024
/* a browser opens at most six; one address holding more is a proxy or an attack */
#define DEFAULT_MAX_CONNECTIONS_PER_IP 64
#define DEFAULT_TIMEOUT_S 30
/* long enough for a slow mobile link to send a few KiB of headers */
#define DEFAULT_REQUEST_TIMEOUT_S 20
#define DEFAULT_CORS_ORIGIN CORS_ANY_ORIGIN
#define DEFAULT_LOG_FORMAT "json"
#define DEFAULT_LOG_LEVEL "info"
#define DEFAULT_ACCESS_LOG "on"
#define DEFAULT_DRAIN_TIMEOUT_S 10
#define DEFAULT_MAX_BODY (8u * 1024 * 1024)
#define DEFAULT_MIN_REPORTS 5
#define DEFAULT_QUERY_TIMEOUT_MS 1000

enum opt_kind {
  OPT_BIND, OPT_PORT, OPT_DB, OPT_THREADS, OPT_MAX_CONN, OPT_MAX_CONN_PER_IP, OPT_TIMEOUT,
  OPT_REQUEST_TIMEOUT, OPT_CORS_ORIGIN, OPT_CORS_WRITE_ORIGIN,
  OPT_LOG_FORMAT, OPT_LOG_LEVEL, OPT_ACCESS_LOG, OPT_DRAIN_TIMEOUT,
  OPT_TOKEN_FILE, OPT_READ_ONLY, OPT_MAX_BODY, OPT_MIN_REPORTS, OPT_MAX_DB_SIZE,
  OPT_QUERY_TIMEOUT,
};

struct option_def {
  enum opt_kind kind;
  const char *flag;
  const char *env;     /* preferred variable */
  const char *env_alt; /* also accepted, e.g. PORT as set by container platforms */
  unsigned min;
  unsigned max;
};

static const struct option_def options[] = {
  { OPT_BIND, "--bind", "TECHPAY_BIND", NULL, 0, 0 },
  { OPT_PORT, "--port", "TECHPAY_PORT", "PORT", 1, 65535 },
  { OPT_DB, "--db", "TECHPAY_DB", "DATABASE_URL", 0, 0 },
  { OPT_THREADS, "--threads", "TECHPAY_THREADS", NULL, 1, 256 },
  { OPT_MAX_CONN, "--max-connections", "TECHPAY_MAX_CONNECTIONS", NULL, 1, 100000 },
  { OPT_MAX_CONN_PER_IP, "--max-connections-per-ip", "TECHPAY_MAX_CONNECTIONS_PER_IP", NULL, 0,
    100000 },
  { OPT_TIMEOUT, "--timeout", "TECHPAY_TIMEOUT", NULL, 1, 3600 },
  { OPT_REQUEST_TIMEOUT, "--request-timeout", "TECHPAY_REQUEST_TIMEOUT", NULL, 0, 3600 },
  { OPT_CORS_ORIGIN, "--cors-origin", "TECHPAY_CORS_ORIGIN", NULL, 0, 0 },
  { OPT_CORS_WRITE_ORIGIN, "--cors-write-origin", "TECHPAY_CORS_WRITE_ORIGIN", NULL, 0, 0 },
  { OPT_LOG_FORMAT, "--log-format", "TECHPAY_LOG_FORMAT", NULL, 0, 0 },
  { OPT_LOG_LEVEL, "--log-level", "TECHPAY_LOG_LEVEL", NULL, 0, 0 },
  { OPT_ACCESS_LOG, "--access-log", "TECHPAY_ACCESS_LOG", NULL, 0, 0 },
  { OPT_DRAIN_TIMEOUT, "--drain-timeout", "TECHPAY_DRAIN_TIMEOUT", NULL, 0, 3600 },
  { OPT_TOKEN_FILE, "--admin-token-file", "TECHPAY_ADMIN_TOKEN_FILE", NULL, 0, 0 },
  { OPT_READ_ONLY, "--read-only", "TECHPAY_READ_ONLY", NULL, 0, 0 },
  { OPT_MAX_BODY, "--max-body", "TECHPAY_MAX_BODY", NULL, 1, 1024u * 1024 * 1024 },
  { OPT_MIN_REPORTS, "--min-reports", "TECHPAY_MIN_REPORTS", NULL, 1, 100000 },
  { OPT_MAX_DB_SIZE, "--max-db-size", "TECHPAY_MAX_DB_SIZE", NULL, 0, 16u * 1024 * 1024 },
  { OPT_QUERY_TIMEOUT, "--query-timeout", "TECHPAY_QUERY_TIMEOUT", NULL, 0, 3600000 },
};
#define NOPTIONS (sizeof options / sizeof options[0])

/* The end of the --help text: what the commands do. */
static void
usage_commands(FILE *out)
{
  fputs("\n"
        "migrate applies pending migrations and exits; migrate --status lists them.\n"
        "healthcheck asks the server at --bind/--port for /healthz: exit 0 when healthy.\n"
        "import reads salary observations (CSV with a header row, or NDJSON; the format\n"
        "from --format or the extension .csv, .ndjson, .jsonl) into the database in one\n"
        "transaction: all of them, or none and the bad rows listed (exit 1).\n"
        "Flags win over environment variables. Exit status: 0 ok, 1 start-up error, 2 usage error.\n",
        out);
}

/* The options of serving: where it listens and how it treats connections. */
static void
usage_network(FILE *out)
{
  fprintf(out,
          "Usage: techpayd [OPTION]...\n"
          "       techpayd migrate [--status] [--db PATH]\n"
          "       techpayd healthcheck [--bind ADDR] [--port N]\n"
          "       techpayd import FILE [--format csv|ndjson] [--dry-run] [--db PATH]\n"
          "Serve the techpay careers-pay API over HTTP.\n"
          "\n"
          "  --bind ADDR            IPv4 or IPv6 address to listen on (TECHPAY_BIND; default " DEFAULT_BIND ")\n"
          "  --port N               TCP port, 1-65535 (TECHPAY_PORT or PORT; default %d)\n"
          "  --db PATH|URL          SQLite file, created and seeded if missing, or a\n"
          "                         PostgreSQL URL postgresql://... (docs/postgresql.md)\n"
          "                         (TECHPAY_DB, DATABASE_URL; default " DEFAULT_DB ")\n"
          "  --threads N            worker threads, 1-256 (TECHPAY_THREADS; default: CPU count)\n"
          "  --max-connections N    open connections at most (TECHPAY_MAX_CONNECTIONS; default %d)\n"
          "  --max-connections-per-ip N\n"
          "                         open connections from one client address at most; 0: no\n"
          "                         limit (TECHPAY_MAX_CONNECTIONS_PER_IP; default %d)\n"
          "  --timeout SECONDS      close idle connections after this (TECHPAY_TIMEOUT; default %d)\n"
          "  --request-timeout SECONDS\n"
          "                         close a connection whose request has not arrived this long\n"
          "                         after it opened or after the previous answer; an authorised\n"
          "                         upload only needs its headers in time; 0: no limit\n"
          "                         (TECHPAY_REQUEST_TIMEOUT; default %d)\n"
          "  --cors-origin ORIGIN   Access-Control-Allow-Origin of every answer: '*' or one\n"
          "                         origin such as https://example.com:8443\n"
          "                         (TECHPAY_CORS_ORIGIN; default " DEFAULT_CORS_ORIGIN ")\n"
          "  --cors-write-origin ORIGIN\n"
          "                         the one origin whose scripts may send a token (writes,\n"
          "                         the audit), e.g. https://admin.example.com; default none:\n"
          "                         no script of another origin may (TECHPAY_CORS_WRITE_ORIGIN)\n",
          DEFAULT_PORT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_IP, DEFAULT_TIMEOUT_S,
          DEFAULT_REQUEST_TIMEOUT_S);
}

/* The options of logging, writes and the database. */
static void
usage_service(FILE *out)
{
  fprintf(out,
          "  --log-format FORMAT    access log lines on stdout: json or text\n"
          "                         (TECHPAY_LOG_FORMAT; default " DEFAULT_LOG_FORMAT ")\n"
          "  --log-level LEVEL      error, warning, info or debug; access lines are info\n"
          "                         (TECHPAY_LOG_LEVEL; default " DEFAULT_LOG_LEVEL ")\n"
          "  --access-log on|off    one line per request on stdout\n"
          "                         (TECHPAY_ACCESS_LOG; default " DEFAULT_ACCESS_LOG ")\n"
          "  --drain-timeout SECONDS\n"
          "                         after SIGTERM, how long requests in flight may take,\n"
          "                         0-3600 (TECHPAY_DRAIN_TIMEOUT; default %d)\n"
          "  --admin-token-file PATH  write tokens, one per line (TECHPAY_ADMIN_TOKEN_FILE;\n"
          "                         a single token may also come from TECHPAY_ADMIN_TOKEN);\n"
          "                         without any, every write answers 403\n"
          "  --read-only            open the database read-only and refuse every write\n"
          "                         (TECHPAY_READ_ONLY=1)\n"
          "  --max-body BYTES       larger request bodies get 413 (TECHPAY_MAX_BODY; default %u)\n"
          "  --min-reports N        individual salary reports that make a role's pay their\n"
          "                         median; GET /pay shows no figure of fewer\n"
          "                         (TECHPAY_MIN_REPORTS; default %d)\n"
          "  --max-db-size MIB      the database may grow to this many MiB, 0-16777216; writes\n"
          "                         beyond answer 507 and change nothing (TECHPAY_MAX_DB_SIZE;\n"
          "                         default 0: as far as the disk allows)\n"
          "  --query-timeout MS     the reads of one request that run longer are stopped and\n"
          "                         answer 503; writes and imports are never stopped; 0: no\n"
          "                         limit (TECHPAY_QUERY_TIMEOUT; default %d)\n"
          "  --help                 show this text\n"
          "  --version              show the version\n",
          DEFAULT_DRAIN_TIMEOUT_S, DEFAULT_MAX_BODY, DEFAULT_MIN_REPORTS, DEFAULT_QUERY_TIMEOUT_MS);
}

void
config_usage(FILE *out)
{
  usage_network(out);
  usage_service(out);
  usage_commands(out);
}

static int
parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
  unsigned long n = 0;

  if ('\0' == *s)
    return -1;
  for (; '\0' != *s; s++) {
    if (*s < '0' || *s > '9')
      return -1;
    n = n * 10 + (unsigned long) (*s - '0');
    if (n > max)
      return -1;
  }
  if (n < min)
    return -1;
  *out = (unsigned) n;
  return 0;
}

/* The CORS origins: "*" or one origin for reads, exactly one for tokens. */
static int
apply_origin(const struct option_def *o, const char *value, const char *origin,
             struct config *cfg, char *err, size_t err_size)
{
  if (OPT_CORS_ORIGIN == o->kind) {
    if (!cors_origin_valid(value)) {
      snprintf(err, err_size, "%s must be '*' or an origin such as https://example.com[:port], "
               "not '%.60s'", origin, value);
      return -1;
    }
    cfg->cors_origin = value;
    return 0;
  }
  /* "*" would let every page on the web use a token it holds */
  if (0 == strcmp(value, CORS_ANY_ORIGIN) || !cors_origin_valid(value)) {
    snprintf(err, err_size, "%s must be one origin such as https://admin.example.com[:port], "
             "not '%.60s'", origin, value);
    return -1;
  }
  cfg->cors_write_origin = value;
  return 0;
}

/* The settings that take one of a few words. */
static int
apply_word(const struct option_def *o, const char *value, const char *origin,
           struct config *cfg, char *err, size_t err_size)
{
  switch (o->kind) {
  case OPT_LOG_FORMAT:
    if (0 == log_format_parse(value, &cfg->log_format))
      return 0;
    snprintf(err, err_size, "%s must be json or text, not '%.40s'", origin, value);
    return -1;
  case OPT_LOG_LEVEL:
    if (0 == log_level_parse(value, &cfg->log_level))
      return 0;
    snprintf(err, err_size, "%s must be error, warning, info or debug, not '%.40s'",
             origin, value);
    return -1;
  case OPT_READ_ONLY:
    if (0 == strcmp(value, "1") || 0 == strcmp(value, "true") || 0 == strcmp(value, "on")) {
      cfg->read_only = true;
    } else if (0 == strcmp(value, "0") || 0 == strcmp(value, "false") || 0 == strcmp(value, "off")) {
      cfg->read_only = false;
    } else {
      snprintf(err, err_size, "%s must be 1 or 0 (true/false, on/off), not '%.40s'", origin, value);
      return -1;
    }
    return 0;
  default: /* OPT_ACCESS_LOG */
    if (0 != strcmp(value, "on") && 0 != strcmp(value, "off")) {
      snprintf(err, err_size, "%s must be on or off, not '%.40s'", origin, value);
      return -1;
    }
    cfg->access_log = 0 == strcmp(value, "on");
    return 0;
  }
}

/* Stores the whole number @a n, already within the option's range. */
static void
set_number(const struct option_def *o, unsigned n, struct config *cfg)
{
  unsigned *const field[] = {
    [OPT_THREADS] = &cfg->threads,
    [OPT_MAX_CONN] = &cfg->max_connections,
    [OPT_MAX_CONN_PER_IP] = &cfg->max_connections_per_ip,
    [OPT_TIMEOUT] = &cfg->timeout_s,
    [OPT_REQUEST_TIMEOUT] = &cfg->request_timeout_s,
    [OPT_DRAIN_TIMEOUT] = &cfg->drain_timeout_s,
    [OPT_MAX_BODY] = &cfg->max_body,
    [OPT_MIN_REPORTS] = &cfg->min_reports,
    [OPT_MAX_DB_SIZE] = &cfg->max_db_mib,
    [OPT_QUERY_TIMEOUT] = &cfg->query_timeout_ms,
  };

  if (OPT_PORT == o->kind)
    cfg->port = (uint16_t) n;
  else if ((size_t) o->kind < sizeof field / sizeof field[0] && NULL != field[o->kind])
    *field[o->kind] = n;
}

static int
apply(const struct option_def *o, const char *value, const char *origin,
      struct config *cfg, char *err, size_t err_size)
{
  unsigned n = 0;

  switch (o->kind) {
  case OPT_BIND:
  case OPT_DB:
  case OPT_TOKEN_FILE:
    if ('\0' == value[0]) {
      snprintf(err, err_size, "%s must not be empty", origin);
      return -1;
    }
    if (OPT_BIND == o->kind)
      cfg->bind = value;
    else if (OPT_DB == o->kind)
      cfg->db_path = value;
    else
      cfg->admin_token_file = value;
    return 0;
  case OPT_CORS_ORIGIN:
  case OPT_CORS_WRITE_ORIGIN:
    return apply_origin(o, value, origin, cfg, err, err_size);
  case OPT_LOG_FORMAT:
  case OPT_LOG_LEVEL:
  case OPT_READ_ONLY:
  case OPT_ACCESS_LOG:
    return apply_word(o, value, origin, cfg, err, err_size);
  default:
    break;
  }
  if (0 != parse_uint(value, o->min, o->max, &n)) {
    snprintf(err, err_size, "%s must be a whole number from %u to %u, not '%.40s'",
             origin, o->min, o->max, value);
    return -1;
  }
  set_number(o, n, cfg);
  return 0;
}

static int
apply_env(config_getenv_fn env, struct config *cfg, char *err, size_t err_size)
{
  for (size_t i = 0; i < NOPTIONS; i++) {
    const struct option_def *o = &options[i];
    const char *name = o->env;
    const char *value = env(name);

    if (NULL == value && NULL != o->env_alt) {
      name = o->env_alt;
      value = env(name);
    }
    if (NULL != value && 0 != apply(o, value, name, cfg, err, err_size))
      return -1;
  }
  return 0;
}

static const struct option_def *
find_flag(const char *arg, const char **inline_value)
{
  for (size_t i = 0; i < NOPTIONS; i++) {
    size_t len = strlen(options[i].flag);

    if (0 != strncmp(arg, options[i].flag, len))
      continue;
    if ('\0' == arg[len]) {
      *inline_value = NULL;
      return &options[i];
    }
    if ('=' == arg[len]) {
      *inline_value = arg + len + 1;
      return &options[i];
    }
  }
  return NULL;
}

static struct config
config_defaults(unsigned cpu_count)
{
  return (struct config) {
    .command = CMD_SERVE,
    .bind = DEFAULT_BIND,
    .port = DEFAULT_PORT,
    .db_path = DEFAULT_DB,
    .threads = cpu_count > 0 ? (cpu_count > 256 ? 256 : cpu_count) : 1,
    .max_connections = DEFAULT_MAX_CONNECTIONS,
    .max_connections_per_ip = DEFAULT_MAX_CONNECTIONS_PER_IP,
    .timeout_s = DEFAULT_TIMEOUT_S,
    .request_timeout_s = DEFAULT_REQUEST_TIMEOUT_S,
    .cors_origin = DEFAULT_CORS_ORIGIN,
    .log_format = LOG_FORMAT_JSON,
    .log_level = LOG_INFO,
    .access_log = true,
    .drain_timeout_s = DEFAULT_DRAIN_TIMEOUT_S,
    .max_body = DEFAULT_MAX_BODY,
    .min_reports = DEFAULT_MIN_REPORTS,
    .query_timeout_ms = DEFAULT_QUERY_TIMEOUT_MS,
  };
}

/* The command named by the first argument, if any.
 * @return the index of the first argument after it */
static int
parse_command(int argc, char *const argv[], struct config *cfg)
{
  static const struct {
    const char *word;
    enum command command;
  } commands[] = {
    { "migrate", CMD_MIGRATE },
    { "healthcheck", CMD_HEALTHCHECK },
    { "import", CMD_IMPORT },
  };

  for (size_t i = 0; argc > 1 && i < sizeof commands / sizeof commands[0]; i++)
    if (0 == strcmp(argv[1], commands[i].word)) {
      cfg->command = commands[i].command;
      return 2;
    }
  return 1;
}

/* A flag that takes a value, inline ("--port=80") or as the next argument. */
static int
parse_option(int argc, char *const argv[], int *i, struct config *cfg, char *err,
             size_t err_size)
{
  const char *arg = argv[*i];
  const char *value;
  const struct option_def *o = find_flag(arg, &value);

  if (NULL == o) {
    snprintf(err, err_size, "unknown %s '%.60s'", '-' == arg[0] ? "option" : "argument", arg);
    return -1;
  }
  if (NULL == value) {
    if (*i + 1 == argc) {
      snprintf(err, err_size, "%s needs a value", o->flag);
      return -1;
    }
    value = argv[++*i];
  }
  return apply(o, value, o->flag, cfg, err, err_size);
}

/* Takes argv[*i] (and maybe its value).
 * @return 0 to go on, 1 when --help or --version ends the parsing, -1 on error */
static int
parse_arg(int argc, char *const argv[], int *i, struct config *cfg, char *err, size_t err_size)
{
  const char *arg = argv[*i];

  if (0 == strcmp(arg, "--help") || 0 == strcmp(arg, "-h")) {
    cfg->command = CMD_HELP;
    return 1;
  }
  if (0 == strcmp(arg, "--version")) {
    cfg->command = CMD_VERSION;
    return 1;
  }
  /* a switch: the flag alone turns it on */
  if (0 == strcmp(arg, "--read-only")) {
    cfg->read_only = true;
    return 0;
  }
  if (0 == strcmp(arg, "--status") && CMD_MIGRATE == cfg->command) {
    cfg->command = CMD_MIGRATE_STATUS;
    return 0;
  }
  if (CMD_IMPORT == cfg->command) {
    int used = config_import_arg(argc, argv, i, cfg, err, err_size);

    if (0 != used)
      return used < 0 ? -1 : 0;
  }
  return parse_option(argc, argv, i, cfg, err, err_size);
}

int
config_parse(int argc, char *const argv[], config_getenv_fn env, unsigned cpu_count,
             struct config *cfg, char *err, size_t err_size)
{
  int i;

  *cfg = config_defaults(cpu_count);
  i = parse_command(argc, argv, cfg);
  if (0 != apply_env(env, cfg, err, err_size))
    return -1;
  for (; i < argc; i++) {
    int rc = parse_arg(argc, argv, &i, cfg, err, err_size);

    if (0 != rc)
      return rc < 0 ? -1 : 0;
  }
  return CMD_IMPORT == cfg->command ? config_import_format(cfg, err, err_size) : 0;
}
