/**
 * @file server/app_server.c
 * @brief The wiring of techpay into the HTTP framework: what each pool
 *        thread opens, what the cache is keyed by, what the metrics say
 *        about the build.
 */
#include "server/app_server.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_config.h"
#include "db/data_version.h"
#include "db/db.h"
#include "handlers/app.h"
#include "handlers/pay_snapshot.h"
#include "handlers/problems.h"
#include "handlers/routes.h"
#include "server/build_commit.h"
#include "util/log.h"

/* What the server holds for us until it stops; freed by app_stop(). */
struct app_state {
  struct server_app hooks; /* cls is this state */
  char *db_path;
  enum db_open_mode mode;
  struct data_version *data_version;
  struct app_shared shared;
};

/* A pool thread's store connection: SQLite connections here are opened
 * without a mutex and never shared between threads. */
static void *
thread_open(void *cls)
{
  struct app_state *st = cls;
  struct db *db = NULL;
  char err[512];

  if (0 != db_open(st->db_path, st->mode, &db, err, sizeof err)) {
    log_msg(LOG_ERROR, "%s", err);
    return NULL;
  }
  return db;
}

static void
thread_close(void *cls, void *db)
{
  (void) cls;
  db_close(db);
}

static bool
data_version(void *cls, int64_t *version)
{
  const struct app_state *st = cls;

  return data_version_get(st->data_version, version);
}

static void
app_state_free(struct app_state *st)
{
  if (NULL == st)
    return;
  data_version_stop(st->data_version);
  pay_snapshots_free(st->shared.pay);
  free(st->db_path);
  free(st);
}

static void
app_stop(void *cls)
{
  app_state_free(cls);
}

/* The framework's refusals, in words that name our resources and options. */
static const struct server_texts app_texts = {
  .not_found = "nothing is served at this path; try GET /roles",
  .no_tokens = "writes are disabled: start techpayd with --admin-token-file FILE or "
               "TECHPAY_ADMIN_TOKEN to enable them",
  .read_only = "this server runs --read-only",
  .unauthorized = "send Authorization: Bearer <token> with a configured admin token",
  .realm = "techpay",
  .unavailable = "the database cannot be opened",
};

static char build_info[256];
static pthread_once_t build_info_once = PTHREAD_ONCE_INIT;

static void
build_info_init(void)
{
  snprintf(build_info, sizeof build_info, "version=\"%s\",commit=\"%s\",sqlite=\"%s\"",
           TECHPAY_VERSION, TECHPAY_COMMIT, db_engine_version());
}

const char *
app_build_info(void)
{
  pthread_once(&build_info_once, &build_info_init);
  return build_info;
}

struct server *
app_server_start(struct server_options *opts, const char *db_path, bool read_only,
                 char *err, size_t err_size)
{
  struct app_state *st = calloc(1, sizeof *st);
  struct server *srv;

  if (NULL == st || NULL == (st->db_path = strdup(db_path))) {
    free(st);
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  st->mode = read_only ? DB_OPEN_READONLY : DB_OPEN_READWRITE;
  st->hooks = (struct server_app) {
    .cls = st,
    .shared = &st->shared,
    .thread_open = &thread_open,
    .thread_close = &thread_close,
    .data_version = &data_version,
    .stop = &app_stop,
  };
  st->shared.pay = pay_snapshots_new();
  if (NULL == st->shared.pay) {
    app_state_free(st);
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  st->data_version = data_version_start(db_path, st->mode, err, err_size);
  if (NULL == st->data_version) {
    app_state_free(st);
    return NULL;
  }
  app_problems_register();
  opts->routes = route_table;
  opts->app = &st->hooks;
  opts->build_info = app_build_info();
  opts->texts = &app_texts;
  srv = server_start(opts, err, err_size);
  if (NULL == srv)
    app_state_free(st);
  return srv;
}
