/**
 * @file db/write.h
 * @brief Write transactions, and the process-wide write generation.
 *
 * PRAGMA data_version tells a connection about commits made by OTHER
 * connections, never its own; every commit made through db_write_commit()
 * also bumps a generation that all threads read, so that any cache keyed
 * on both notices every write at once.
 */
#ifndef TECHPAY_DB_WRITE_H
#define TECHPAY_DB_WRITE_H

#include <stdint.h>

#include "db/db.h"

/** BEGIN IMMEDIATE: takes the write lock now, waiting up to the busy timeout. */
enum db_status db_write_begin(struct db *db);

/** COMMIT, then bumps the write generation. DB_ONE on success. */
enum db_status db_write_commit(struct db *db);

/** ROLLBACK when a transaction is open; safe to call twice. */
void db_write_rollback(struct db *db);

/** The number of commits made through db_write_commit() by this process. */
uint64_t db_write_generation(void);

/** Marks a change made outside db_write_commit() (e.g. by the importer's own commit). */
void db_write_generation_bump(void);

/**
 * Applies the pay rule's min_reports setting: when it differs from the
 * database's, stores it and recomputes every role's pay in one transaction.
 * @return 0, or -1 with one line in @a err
 */
int db_settings_apply_min_reports(struct db *db, unsigned min_reports, char *err, size_t err_size);

/** Recomputes the pay of every role from its observations (the pay rule). */
enum db_status db_pay_recompute_all(struct db *db);

#endif
