/**
 * @file db/pg_absent.c
 * @brief The PostgreSQL engine's place in a build without libpq: a
 *        PostgreSQL --db value is recognised, and refused with one line.
 *
 * Recognised without libpq's parser, by the same rule (a URL scheme, or a
 * first word that is a libpq keyword followed by '='), so that such a
 * value is never taken for a SQLite file name and created as one.
 */
#include "db/engine.h"
#include "db/copy.h"
#include "db/version_signal.h"

#include <stdio.h>
#include <string.h>

/* The keywords a libpq key=value string most often starts with. */
static const char *const first_keywords[] = {
  "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service",
  "sslmode", "connect_timeout", "application_name", "options", "target_session_attrs",
};

bool
db_spec_is_postgresql(const char *spec)
{
  size_t word;

  if (NULL == spec)
    return false;
  if (0 == strncmp(spec, "postgresql://", 13) || 0 == strncmp(spec, "postgres://", 11))
    return true;
  spec += strspn(spec, " \t");
  word = strcspn(spec, "= \t");
  if ('\0' == spec[word] || NULL == strchr(spec + word, '='))
    return false;
  for (size_t i = 0; i < sizeof first_keywords / sizeof first_keywords[0]; i++)
    if (strlen(first_keywords[i]) == word && 0 == strncmp(spec, first_keywords[i], word))
      return spec[word + strspn(spec + word, " \t")] == '=';
  return false;
}

void
db_spec_redact(const char *spec, char *out, size_t out_size)
{
  /* without libpq's parser, no PostgreSQL value is shown at all */
  snprintf(out, out_size, "%s", db_spec_is_postgresql(spec) ? "(PostgreSQL database)" : spec);
}

int
pg_db_open(const char *spec, enum db_open_mode mode, struct db **out, char *err,
           size_t err_size)
{
  (void) spec;
  (void) mode;
  *out = NULL;
  snprintf(err, err_size,
           "this techpayd was built without the PostgreSQL engine (libpq-dev)");
  return -1;
}

/* No connection of this build is a PostgreSQL one, so no COPY is ever begun. */
enum db_status
db_copy_begin(struct db *db, const char *sql)
{
  (void) db;
  (void) sql;
  return DB_HARD;
}

enum db_status
db_copy_put(struct db *db, const char *data, size_t len)
{
  (void) db;
  (void) data;
  (void) len;
  return DB_HARD;
}

enum db_status
db_copy_end(struct db *db, const char *abandon, uint64_t *line)
{
  (void) db;
  (void) abandon;
  *line = 0;
  return DB_HARD;
}

bool
db_copy_open(struct db *db)
{
  (void) db;
  return false;
}

void
pg_signal_watch(const char *spec, struct version_signal *vs)
{
  /* never reached: no PostgreSQL connection opens in this build */
  (void) spec;
  (void) vs;
}
