/**
 * @file db/migrate.h
 * @brief Brings a database to the schema this binary was built with.
 */
#ifndef TECHPAY_DB_MIGRATE_H
#define TECHPAY_DB_MIGRATE_H

#include <stddef.h>
#include <stdio.h>

#include "db/db.h"

/**
 * Applies the first @a upto pending migrations (all when upto is 0), each
 * in its own transaction, recording version, name, checksum and time.
 * Switches the database to WAL mode once the checks pass.
 * Refuses, changing nothing, when the database is not a techpay database,
 * is newer than this binary, or an applied migration differs from ours.
 *
 * @param[out] applied how many migrations this call applied
 * @return 0, or -1 with one line in @a err
 */
int migrate_run(struct db *db, unsigned upto, unsigned *applied,
                char *err, size_t err_size);

/**
 * Prints one line per migration (known and unknown) to @a out: version,
 * name, state, applied time.
 * @param db may be NULL when the database does not exist yet
 * @return 0 when the database is usable by this binary, 1 when it is not
 */
int migrate_print_status(struct db *db, FILE *out);

#endif
