/**
 * @file db/pg_migrate.c
 * @brief Applies migrations/postgresql/ in order, each in one transaction
 *        under an advisory lock, and records them as db/migrate.c does.
 *
 * Several replicas may start at the same moment on an empty database.
 * Each migration's transaction begins with pg_advisory_xact_lock on one
 * key, so they take turns; whoever comes second reads schema_migrations
 * after the first committed, finds the migration there and moves on. The
 * lock ends with the transaction, so a process that dies mid-migration
 * leaves neither a half-applied migration nor a held lock.
 *
 * The files are embedded as they are; version, name and checksum come
 * from each file's name and bytes, checked once on first use.
 */
#include "db/pg_migrate.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db/pg_conn.h"
#include "db/pg_migrations_data.h"
#include "util/hash.h"

#define PG_MIGRATIONS_MAX 256

static struct pg_migration table[PG_MIGRATIONS_MAX];
static size_t table_count;
static char table_error[192];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static const char create_table_sql[] =
  "CREATE TABLE IF NOT EXISTS schema_migrations ("
  " version bigint PRIMARY KEY,"
  " name text COLLATE \"C\" NOT NULL,"
  " checksum text COLLATE \"C\" NOT NULL,"
  " applied_at text COLLATE \"C\" NOT NULL)";

/* Whether our record exists, and how many objects the schema holds. */
static const char schema_objects_sql[] =
  "SELECT count(*) FILTER (WHERE c.relname = 'schema_migrations'), count(*)"
  " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
  " WHERE n.nspname = current_schema()";

/* Parses "NNNN_lowercase_name.sql" into @a m, which must be @a expected. */
static int
parse_file(const struct embedded_file *f, unsigned expected, struct pg_migration *m)
{
  size_t len = strlen(f->name);
  size_t name_len;

  if (len < 10 || 0 != strcmp(f->name + len - 4, ".sql") || '_' != f->name[4])
    return -1;
  for (int i = 0; i < 4; i++)
    if (!isdigit((unsigned char) f->name[i]))
      return -1;
  name_len = len - 9;
  if (name_len >= sizeof m->name || (unsigned) atoi(f->name) != expected)
    return -1;
  for (size_t i = 0; i < name_len; i++) {
    unsigned char c = (unsigned char) f->name[5 + i];
    if (!(islower(c) || isdigit(c) || '_' == c))
      return -1;
  }
  m->version = expected;
  memcpy(m->name, f->name + 5, name_len);
  m->name[name_len] = '\0';
  m->sql = (const char *) f->bytes;
  /* The checksum format of util/embed.c, which db/migrate.c compares. */
  snprintf(m->checksum, sizeof m->checksum, "fnv1a64:%016" PRIx64,
           hash_bytes(HASH_INIT, f->bytes, f->len));
  return 0;
}

static void
build_table(void)
{
  if (pg_migration_files_count > PG_MIGRATIONS_MAX) {
    snprintf(table_error, sizeof table_error, "more than %d PostgreSQL migrations",
             PG_MIGRATIONS_MAX);
    return;
  }
  for (size_t i = 0; i < pg_migration_files_count; i++)
    if (0 != parse_file(&pg_migration_files[i], (unsigned) i + 1, &table[i])) {
      snprintf(table_error, sizeof table_error,
               "embedded PostgreSQL migration %s: expected %04zu_<name>.sql here",
               pg_migration_files[i].name, i + 1);
      return;
    }
  table_count = pg_migration_files_count;
}

const struct pg_migration *
pg_migrations(size_t *count, char *err, size_t err_size)
{
  pthread_once(&table_once, build_table);
  if ('\0' != table_error[0]) {
    snprintf(err, err_size, "%s", table_error);
    return NULL;
  }
  *count = table_count;
  return table;
}

/* Takes @a res; 0 when it is a success, else -1 with "what: message". */
static int
check_result(PGconn *conn, PGresult *res, const char *what, char *err, size_t err_size)
{
  ExecStatusType status = PQresultStatus(res);
  const char *msg;
  char line[384];

  if (PGRES_COMMAND_OK == status || PGRES_TUPLES_OK == status) {
    PQclear(res);
    return 0;
  }
  msg = NULL == res ? NULL : PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  pg_conn_one_line(NULL != msg ? msg : PQerrorMessage(conn), "", line, sizeof line);
  snprintf(err, err_size, "%s: %s", what, line);
  PQclear(res);
  return -1;
}

static int
exec(PGconn *conn, const char *sql, char *err, size_t err_size, const char *what)
{
  return check_result(conn, PQexec(conn, sql), what, err, err_size);
}

static void
rollback(PGconn *conn)
{
  if (PQTRANS_IDLE != PQtransactionStatus(conn))
    PQclear(PQexec(conn, "ROLLBACK"));
}

/* Every techpayd uses the same key, and nothing else of ours locks it. */
static int
lock_migrations(PGconn *conn, char *err, size_t err_size)
{
  char key[32];
  const char *params[1] = { key };

  snprintf(key, sizeof key, "%" PRId64, (int64_t) hash_str(HASH_INIT, "techpay migrations"));
  return check_result(conn,
                      PQexecParams(conn, "SELECT pg_advisory_xact_lock($1::bigint)", 1, NULL,
                                   params, NULL, NULL, 0),
                      "locking schema_migrations", err, err_size);
}

/* A schema with tables but no migration record belongs to someone else:
 * adding our schema to it could only do harm. */
static int
check_ours(PGconn *conn, char *err, size_t err_size)
{
  PGresult *res = PQexec(conn, schema_objects_sql);
  long long has_record, count;

  if (PGRES_TUPLES_OK != PQresultStatus(res))
    return check_result(conn, res, "reading schema", err, err_size);
  has_record = atoll(PQgetvalue(res, 0, 0));
  count = atoll(PQgetvalue(res, 0, 1));
  PQclear(res);
  if (0 == has_record && count > 0) {
    snprintf(err, err_size,
             "database holds %lld schema objects but no techpay migration record: "
             "not a techpay database, refusing to change it", count);
    return -1;
  }
  return 0;
}

/* Checks row @a row of schema_migrations against migration @a expected. */
static int
check_row(const PGresult *res, int row, unsigned expected, const struct pg_migration *known,
          size_t known_count, char *err, size_t err_size)
{
  long long version = atoll(PQgetvalue(res, row, 0));
  const char *checksum = PQgetvalue(res, row, 2);

  if (version > (long long) known_count) {
    snprintf(err, err_size,
             "database is at migration %lld (%s), newer than this techpayd "
             "(knows %zu): use a newer binary",
             version, PQgetvalue(res, row, 1), known_count);
    return -1;
  }
  if (version != (long long) expected) {
    snprintf(err, err_size, "schema_migrations is missing migration %u", expected);
    return -1;
  }
  if (0 != strcmp(checksum, known[expected - 1].checksum)) {
    snprintf(err, err_size,
             "migration %04u_%s was changed after it was applied "
             "(database has %s, this binary %s)",
             expected, known[expected - 1].name, checksum, known[expected - 1].checksum);
    return -1;
  }
  return 0;
}

/* Compares what the database says was applied with what we carry.
 * Sets *next to the first version not yet applied. */
static int
check_applied(PGconn *conn, const struct pg_migration *known, size_t known_count,
              unsigned *next, char *err, size_t err_size)
{
  PGresult *res = PQexec(conn, "SELECT version, name, checksum FROM schema_migrations"
                               " ORDER BY version");
  unsigned expected = 1;

  if (PGRES_TUPLES_OK != PQresultStatus(res))
    return check_result(conn, res, "reading schema_migrations", err, err_size);
  for (int row = 0; row < PQntuples(res); row++, expected++)
    if (0 != check_row(res, row, expected, known, known_count, err, err_size)) {
      PQclear(res);
      return -1;
    }
  PQclear(res);
  *next = expected;
  return 0;
}

static int
record(PGconn *conn, const struct pg_migration *m, char *err, size_t err_size)
{
  char version[16];
  const char *params[3] = { version, m->name, m->checksum };
  char what[96];

  snprintf(version, sizeof version, "%u", m->version);
  snprintf(what, sizeof what, "recording migration %04u", m->version);
  /* The time format of SQLite's strftime('%Y-%m-%dT%H:%M:%fZ', 'now'). */
  return check_result(conn,
                      PQexecParams(conn,
                                   "INSERT INTO schema_migrations"
                                   " (version, name, checksum, applied_at) VALUES"
                                   " ($1::bigint, $2, $3, to_char(now() AT TIME ZONE 'UTC',"
                                   " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))",
                                   3, NULL, params, NULL, NULL, 0),
                      what, err, err_size);
}

/* One transaction: lock, check, and apply the next migration up to
 * @a last. 1 when one was applied, 0 when none is left, -1 on failure. */
static int
migrate_step(PGconn *conn, const struct pg_migration *known, size_t known_count,
             unsigned last, char *err, size_t err_size)
{
  const struct pg_migration *m;
  unsigned next = 0;
  char what[96];

  if (0 != exec(conn, "BEGIN", err, err_size, "starting a transaction"))
    return -1;
  if (0 != lock_migrations(conn, err, err_size) || 0 != check_ours(conn, err, err_size)
      || 0 != exec(conn, create_table_sql, err, err_size, "creating schema_migrations")
      || 0 != check_applied(conn, known, known_count, &next, err, err_size))
    goto fail;
  if (next > last)
    return 0 == exec(conn, "COMMIT", err, err_size, "committing") ? 0 : -1;
  m = &known[next - 1];
  snprintf(what, sizeof what, "migration %04u_%s", m->version, m->name);
  if (0 != exec(conn, m->sql, err, err_size, what) || 0 != record(conn, m, err, err_size)
      || 0 != exec(conn, "COMMIT", err, err_size, what))
    goto fail;
  return 1;
fail:
  rollback(conn);
  return -1;
}

int
pg_migrate_run(PGconn *conn, unsigned upto, unsigned *applied, char *err, size_t err_size)
{
  size_t count = 0;
  const struct pg_migration *known = pg_migrations(&count, err, err_size);
  unsigned last;
  int rc;

  *applied = 0;
  if (NULL == known)
    return -1;
  last = (0 == upto || upto > count) ? (unsigned) count : upto;
  while (1 == (rc = migrate_step(conn, known, count, last, err, err_size)))
    (*applied)++;
  return rc;
}

/* The state column of a status line, and whether it makes us unusable. */
static const char *
row_state(const PGresult *res, int row, const struct pg_migration *m, int *usable)
{
  if (NULL == m) {
    *usable = 1;
    return "unknown";
  }
  if (0 != strcmp(PQgetvalue(res, row, 2), m->checksum)) {
    *usable = 1;
    return "changed";
  }
  return "applied";
}

int
pg_migrate_print_status(PGconn *conn, FILE *out)
{
  char err[256];
  size_t known_count = 0;
  const struct pg_migration *known = pg_migrations(&known_count, err, sizeof err);
  PGresult *res;
  int usable = 0;
  int rows;
  int row = 0;

  if (NULL == known)
    return 1;
  fprintf(out, "%-8s %-24s %-10s %s\n", "version", "name", "state", "applied_at");
  res = PQexec(conn, "SELECT version, name, checksum, applied_at FROM schema_migrations"
                     " ORDER BY version");
  if (PGRES_TUPLES_OK != PQresultStatus(res)) {
    /* No record yet: every migration is pending. */
    PQclear(res);
    res = NULL;
  }
  rows = NULL == res ? 0 : PQntuples(res);
  for (unsigned v = 1; v <= known_count || row < rows; v++) {
    const struct pg_migration *m = v <= known_count ? &known[v - 1] : NULL;
    bool applied = row < rows && atoll(PQgetvalue(res, row, 0)) == (long long) v;
    const char *state = applied ? row_state(res, row, m, &usable) : "pending";

    fprintf(out, "%04u     %-24s %-10s %s\n", v,
            applied && NULL == m ? PQgetvalue(res, row, 1) : (m ? m->name : "?"), state,
            applied ? PQgetvalue(res, row, 3) : "-");
    if (applied)
      row++;
  }
  PQclear(res);
  return usable;
}
