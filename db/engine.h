/**
 * @file db/engine.h
 * @brief Which storage engine a --db value names, and what differs
 *        between the engines for the code outside db/: migrating, and
 *        showing the value in a log line.
 *
 * A postgresql:// or postgres:// URL or a libpq key=value string names a
 * PostgreSQL database; anything else is a SQLite file, as it always was.
 * The PostgreSQL side is built only with libpq; without it a PostgreSQL
 * value is refused with one clear line (db/pg_absent.c). Nothing here
 * names libpq, so server/ can include it.
 */
#ifndef TECHPAY_DB_ENGINE_H
#define TECHPAY_DB_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "db/db.h"

/** Whether @a spec names a PostgreSQL database rather than a SQLite file. */
bool db_spec_is_postgresql(const char *spec);

/** Writes @a spec for a log line or an error: a PostgreSQL password is left out. */
void db_spec_redact(const char *spec, char *out, size_t out_size);

/** What db_open() was given for @a db (a file path, or a PostgreSQL connection string). */
const char *db_spec(struct db *db);

/** Whether @a db is a PostgreSQL connection. */
bool db_is_postgresql(struct db *db);

/**
 * Brings @a db to this binary's schema with its engine's migrations
 * (db/migrate.h for SQLite, db/pg_migrate.h for PostgreSQL).
 * @return 0, or -1 with one line in @a err
 */
int db_migrate(struct db *db, unsigned upto, unsigned *applied, char *err, size_t err_size);

/**
 * Prints the state of every migration, as `techpayd migrate --status`.
 * @param db NULL: a SQLite file that does not exist yet
 * @return 0 when the database is usable by this binary, 1 when it is not
 */
int db_migrate_print_status(struct db *db, FILE *out);

/** Opens a PostgreSQL connection (db_open() calls it for such a @a spec). */
int pg_db_open(const char *spec, enum db_open_mode mode, struct db **out, char *err,
               size_t err_size);

#endif
