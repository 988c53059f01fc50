/**
 * @file tests/fuzz/fuzz_support.c
 * @brief What the libFuzzer targets share.
 */
#include "tests/fuzz/fuzz_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>
#include <sqlite3.h>

#include "db/sqlite_db.h"
#include "db/migrate.h"
#include "handlers/problems.h"
#include "util/log.h"

void
fuzz_fail(const char *what)
{
  fprintf(stderr, "fuzz: invariant broken: %s\n", what);
  abort();
}

/* Every target knows techpay's problems from the start, as techpayd does. */
__attribute__((constructor)) static void
register_problems(void)
{
  app_problems_register();
}

/* The migrated database as it was made, and the copy the targets use. */
static struct db *pristine;
static struct db *work;

static struct db *
open_memory(void)
{
  struct db *db;
  char err[512];

  if (0 != db_open(":memory:", DB_OPEN_CREATE, &db, err, sizeof err)) {
    fprintf(stderr, "fuzz: in-memory database: %s\n", err);
    exit(1);
  }
  return db;
}

struct db *
fuzz_db(void)
{
  char err[512];
  unsigned applied;

  if (NULL != work)
    return work;
  /* handlers log client mistakes at info and below; only our faults show */
  log_threshold = LOG_ERROR;
  pristine = open_memory();
  if (0 != migrate_run(pristine, 0, &applied, err, sizeof err)) {
    fprintf(stderr, "fuzz: migrating the in-memory database: %s\n", err);
    exit(1);
  }
  work = open_memory();
  fuzz_db_reset();
  return work;
}

void
fuzz_db_check_idle(void)
{
  if (NULL != work && !sqlite3_get_autocommit(sqlite_conn(work)))
    fuzz_fail("a handler left a transaction open");
}

void
fuzz_db_reset(void)
{
  sqlite3_backup *b;

  if (NULL == work) {
    fuzz_db();
    return;
  }
  fuzz_db_check_idle();
  b = sqlite3_backup_init(sqlite_conn(work), "main", sqlite_conn(pristine), "main");
  if (NULL == b || SQLITE_DONE != sqlite3_backup_step(b, -1)) {
    fprintf(stderr, "fuzz: restoring the database: %s\n", sqlite3_errmsg(sqlite_conn(work)));
    fuzz_fail("the database could not be restored: a statement left running?");
  }
  sqlite3_backup_finish(b);
}

char *
fuzz_strndup(const uint8_t *data, size_t size)
{
  char *s = malloc(size + 1);

  if (NULL == s)
    fuzz_fail("out of memory copying the input");
  memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

unsigned
fuzz_split_query(char *query, struct param *params, unsigned max)
{
  unsigned n = 0;
  char *next;

  for (char *p = query; NULL != p && n < max; p = next) {
    char *eq;

    next = strchr(p, '&');
    if (NULL != next)
      *next++ = '\0';
    if ('\0' == *p)
      continue;
    eq = strchr(p, '=');
    if (NULL != eq)
      *eq++ = '\0';
    MHD_http_unescape(p);
    if (NULL != eq)
      MHD_http_unescape(eq);
    params[n].key = p;
    params[n].value = NULL != eq ? eq : "";
    n++;
  }
  return n;
}

void
fuzz_check_reply(int handler_rc, struct reply *rep)
{
  if (0 != handler_rc) {
    reply_clear(rep);
    return;
  }
  if (rep->status < 100 || rep->status > 599)
    fuzz_fail("a handler returned 0 without a status");
  /* nothing a client sends may cause a server fault; the one database
   * here is never busy nor unreadable, so a 5xx is always a finding */
  if (rep->status >= 500)
    fuzz_fail("a request caused a 5xx answer");
  if (NULL != rep->body) {
    char *text = json_dumps(rep->body, REPLY_JSON_FLAGS | JSON_ENCODE_ANY);

    if (NULL == text)
      fuzz_fail("the reply body does not serialise");
    free(text);
  }
  for (unsigned i = 0; i < rep->nheaders; i++)
    if (NULL != strpbrk(rep->headers[i].value, "\r\n"))
      fuzz_fail("a response header value holds CR or LF");
  reply_clear(rep);
}
