/**
 * @file server/main.c
 * @brief techpayd: configuration, migrations, serving until SIGINT/SIGTERM.
 */
#include "build_config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__ /* known from the headers above */
#include <malloc.h>
#endif

#include "db/engine.h"
#include "db/migrations.h"
#include "db/ops.h"
#include "db/write.h"
#include "handlers/problems.h"
#include "handlers/routes.h"
#include "http/auth.h"
#include "http/daemon.h"
#include "http/metrics.h"
#include "server/app_server.h"
#include "server/config.h"
#include "server/healthcheck.h"
#include "server/import_cli.h"
#include "util/log.h"

static const char *
real_getenv(const char *name)
{
  return getenv(name);
}

static int
fail(const char *what)
{
  fprintf(stderr, "techpayd: %s\n", what);
  return EXIT_FAILURE;
}

static int
migrate_status(const char *path)
{
  struct db *db = NULL;
  char err[512];
  struct stat st;
  int rc;

  if ((db_spec_is_postgresql(path) || 0 == stat(path, &st))
      && 0 != db_open(path, DB_OPEN_READONLY, &db, err, sizeof err))
    return fail(err);
  if (NULL == db)
    printf("no database at %s yet: every migration is pending\n", path);
  rc = db_migrate_print_status(db, stdout);
  db_close(db);
  return rc;
}

/* Creates the database if needed, brings it to our schema and applies
 * the pay rule's setting. */
static int
prepare_database(const char *path, unsigned min_reports)
{
  struct db *db;
  char err[512];
  unsigned applied = 0;
  int rc;

  if (0 != db_open(path, DB_OPEN_CREATE, &db, err, sizeof err))
    return fail(err);
  rc = db_migrate(db, 0, &applied, err, sizeof err);
  if (0 == rc && 0 != min_reports)
    rc = db_settings_apply_min_reports(db, min_reports, err, sizeof err);
  db_close(db);
  if (0 != rc)
    return fail(err);
  if (applied > 0) {
    char shown[512];

    db_spec_redact(path, shown, sizeof shown);
    log_msg(LOG_INFO, "database %s: applied %u migration(s)", shown, applied);
  }
  return 0;
}

/* --read-only changes nothing, so the database must be current already. */
static int
check_read_only_database(const char *path)
{
  struct db *db;
  char err[512];
  int64_t version = 0;
  enum db_status st;
  char shown[256];

  if (0 != db_open(path, DB_OPEN_READONLY, &db, err, sizeof err))
    return fail(err);
  st = db_schema_version(db, &version);
  db_close(db);
  if (DB_ONE != st || version != (int64_t) migrations_count) {
    db_spec_redact(path, shown, sizeof shown);
    snprintf(err, sizeof err, "database %s is at migration %lld, this techpayd needs %zu: "
             "start it once without --read-only to migrate", shown, (long long) version,
             migrations_count);
    return fail(err);
  }
  return 0;
}

/* Folds the write-ahead log into the database file, on a connection of
 * its own once every worker's is closed: a stopped server leaves one
 * self-contained file (a copy or backup needs nothing else). */
static void
checkpoint(const char *path)
{
  struct db *db;
  char err[512];
  int frames = 0;
  int copied = 0;

  if (0 != db_open(path, DB_OPEN_READWRITE, &db, err, sizeof err)) {
    log_msg(LOG_WARNING, "WAL checkpoint skipped: %s", err);
    return;
  }
  if (0 != db_checkpoint(db, &frames, &copied, err, sizeof err))
    log_msg(LOG_WARNING, "%s", err);
  else if (frames >= 0)
    log_msg(LOG_INFO, "WAL checkpoint: %d of %d frame(s) copied, log truncated", copied, frames);
  db_close(db);
}

/* The server's options from the configuration; the tokens are set apart. */
static struct server_options
server_options_of(const struct config *cfg)
{
  return (struct server_options) {
    .bind = cfg->bind,
    .port = cfg->port,
    .threads = cfg->threads,
    .max_connections = cfg->max_connections,
    .max_connections_per_ip = cfg->max_connections_per_ip,
    .timeout_s = cfg->timeout_s,
    .request_timeout_s = cfg->request_timeout_s,
    .cors_origin = cfg->cors_origin,
    .cors_write_origin = cfg->cors_write_origin,
    .access_log = stdout,
    .access_log_off = !cfg->access_log,
    .log_format = cfg->log_format,
    .max_body = cfg->max_body,
  };
}

/* Blocked before the server's threads exist, so they inherit the mask
 * and only sigwait() in wait_for_stop() ever sees these signals. */
static void
block_stop_signals(sigset_t *stop_signals)
{
  sigemptyset(stop_signals);
  sigaddset(stop_signals, SIGINT);
  sigaddset(stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, stop_signals, NULL);
  signal(SIGPIPE, SIG_IGN);
}

/* The write tokens, and a log line saying whether writes are possible. */
static struct auth *
load_auth(const struct config *cfg, char *err, size_t err_size)
{
  struct auth *auth = auth_new(cfg->admin_token_file, getenv("TECHPAY_ADMIN_TOKEN"),
                               cfg->read_only, err, err_size);

  if (NULL == auth)
    return NULL;
  log_msg(LOG_INFO, "writes %s (%zu admin token(s))",
          cfg->read_only ? "disabled: read-only" : 0 == auth_count(auth) ? "disabled" : "enabled",
          auth_count(auth));
  return auth;
}

/* Serves until SIGINT or SIGTERM, then lets the requests in flight finish
 * within the drain timeout. */
static void
wait_for_stop(struct server *srv, const sigset_t *stop_signals, const struct config *cfg)
{
  int sig = 0;
  unsigned cut_off;

  sigwait(stop_signals, &sig);
  log_msg(LOG_INFO, "%s received: finishing requests in flight (at most %u s)", strsignal(sig),
          cfg->drain_timeout_s);
  cut_off = server_stop(srv, cfg->drain_timeout_s * 1000);
  if (0 != cut_off)
    log_msg(LOG_WARNING, "drain timeout: %u request(s) still in flight were cut off", cut_off);
}

static int
serve(const struct config *cfg)
{
  struct server_options opts = server_options_of(cfg);
  struct auth *auth;
  struct server *srv;
  struct db *holder = NULL;
  sigset_t stop_signals;
  char err[512];
  char described[1024];
  char db_shown[512];
  struct config shown = *cfg;

  block_stop_signals(&stop_signals);
  /* a PostgreSQL URL may hold a password: never in a log line */
  db_spec_redact(cfg->db_path, db_shown, sizeof db_shown);
  shown.db_path = db_shown;
  config_describe(&shown, described, sizeof described);
  log_msg(LOG_INFO, "config %s", described);
  auth = load_auth(cfg, err, sizeof err);
  if (NULL == auth)
    return fail(err);
  opts.auth = auth;
  /* Held from start to stop: SQLite's -wal and -shm files then exist for
   * as long as the server runs, so the connections opened later (each
   * worker's first, each import's own) need nothing created, even once
   * the directory has been made read-only. */
  if (!cfg->read_only && 0 != db_open(cfg->db_path, DB_OPEN_READWRITE, &holder, err, sizeof err)) {
    auth_free(auth);
    return fail(err);
  }
  srv = app_server_start(&opts, cfg->db_path, cfg->read_only, err, sizeof err);
  if (NULL == srv) {
    db_close(holder);
    auth_free(auth);
    return fail(err);
  }
  log_msg(LOG_INFO, "serving http://%s:%u/ (database %s, %u threads)",
          strchr(cfg->bind, ':') ? "[::]" : cfg->bind, server_port(srv), db_shown,
          cfg->threads);
  wait_for_stop(srv, &stop_signals, cfg);
  auth_free(auth);
  if (!cfg->read_only && !db_spec_is_postgresql(cfg->db_path))
    checkpoint(cfg->db_path); /* the server keeps PostgreSQL's log */
  db_close(holder);
  log_msg(LOG_INFO, "stopped");
  return EXIT_SUCCESS;
}

int
main(int argc, char **argv)
{
  struct config cfg;
  char err[512];
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);

#ifdef __GLIBC__
  /* A request's large buffers (the pay reports it picks, their amounts)
   * are mapped and given back when freed: glibc would otherwise raise
   * this threshold after the first such free and keep them in each pool
   * thread's arena, so peak memory would add up over threads and requests. */
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
  if (0 != config_parse(argc, argv, &real_getenv, cpus > 0 ? (unsigned) cpus : 1,
                        &cfg, err, sizeof err)) {
    fprintf(stderr, "techpayd: %s (try 'techpayd --help')\n", err);
    return 2;
  }
  log_threshold = cfg.log_level;
  app_problems_register(); /* before anything can answer one of ours */
  db_set_max_size((uint64_t) cfg.max_db_mib << 20);
  switch (cfg.command) {
  case CMD_HELP:
    config_usage(stdout);
    return EXIT_SUCCESS;
  case CMD_VERSION:
    printf("techpayd %s\n", TECHPAY_VERSION);
    return EXIT_SUCCESS;
  case CMD_MIGRATE_STATUS:
    return migrate_status(cfg.db_path);
  case CMD_MIGRATE:
    return prepare_database(cfg.db_path, 0);
  case CMD_HEALTHCHECK:
    return healthcheck_run(cfg.bind, cfg.port, 2000);
  case CMD_IMPORT:
    if (0 != prepare_database(cfg.db_path, cfg.min_reports))
      return EXIT_FAILURE;
    return import_cli_run(&cfg);
  case CMD_SERVE:
    break;
  }
  /* process_start_time_seconds: as early as a serving process gets */
  if (0 != metrics_init(route_table, app_build_info(), err, sizeof err))
    return fail(err);
  if (0 != (cfg.read_only ? check_read_only_database(cfg.db_path)
                          : prepare_database(cfg.db_path, cfg.min_reports)))
    return EXIT_FAILURE;
  /* only now: migrations and the pay recompute at start-up are writes
   * anyway, and the worker connections are opened after this */
  db_set_query_timeout(cfg.query_timeout_ms);
  return serve(&cfg);
}
