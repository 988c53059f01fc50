/**
 * @file db/pg_migrate.h
 * @brief Brings a PostgreSQL database to the schema this binary was built
 *        with, once, however many techpayd start at the same moment.
 *
 * The PostgreSQL counterpart of db/migrate.h: the same schema_migrations
 * record (version, name, "fnv1a64:<16 hex>" checksum of the file, applied
 * time) and the same refusals, over migrations/postgresql/.
 */
#ifndef TECHPAY_DB_PG_MIGRATE_H
#define TECHPAY_DB_PG_MIGRATE_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

struct pg_migration {
  unsigned version;   /* 1, 2, ... without gaps */
  char name[64];      /* from the file name: 0002_seed.sql -> "seed" */
  const char *sql;    /* the file's text */
  char checksum[32];  /* "fnv1a64:<16 hex digits>" of the file's bytes */
};

/**
 * The embedded PostgreSQL migrations, in order.
 * @param[out] count how many
 * @return the table, or NULL when a file is misnamed or out of order
 *         (one line in @a err)
 */
const struct pg_migration *pg_migrations(size_t *count, char *err, size_t err_size);

/**
 * Applies the first @a upto pending migrations (all when upto is 0), each
 * in one transaction that first takes a transaction-level advisory lock:
 * a second process waits, then finds the migration recorded and skips it.
 * Refuses, changing nothing, when the schema is not a techpay one, is
 * newer than this binary, or an applied migration differs from ours.
 *
 * @param[out] applied how many migrations this call applied
 * @return 0, or -1 with one line in @a err
 */
int pg_migrate_run(PGconn *conn, unsigned upto, unsigned *applied, char *err,
                   size_t err_size);

/**
 * Prints one line per migration (known and unknown) to @a out, as
 * migrate_print_status does for SQLite.
 * @return 0 when the database is usable by this binary, 1 when it is not
 */
int pg_migrate_print_status(PGconn *conn, FILE *out);

#endif
