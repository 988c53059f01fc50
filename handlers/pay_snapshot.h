/**
 * @file handlers/pay_snapshot.h
 * @brief Every individual exact base report in memory, sorted by amount,
 *        for one data version: the pay requests filter it in C instead of
 *        reading the store, so that any subset comes out already sorted.
 *        Not an endpoint.
 *
 * One snapshot is current per server. A request at data version v uses it
 * when it was read at v or later (the response cache's freshness rule:
 * never older than what a miss would read); otherwise the first such
 * request builds a new one on its pool thread, and the old one is dropped,
 * freed when the last request using it is done. While one is being built,
 * the other requests read the store as they would without a snapshot.
 */
#ifndef TECHPAY_HANDLERS_PAY_SNAPSHOT_H
#define TECHPAY_HANDLERS_PAY_SNAPSHOT_H

#include <stdint.h>

#include "db/db.h"
#include "handlers/pay_set.h"

struct pay_snapshots;
struct pay_snapshot;

/** @return an empty holder, or NULL when out of memory */
struct pay_snapshots *pay_snapshots_new(void);

/** Frees the holder and its current snapshot; none may be in use. NULL is ignored. */
void pay_snapshots_free(struct pay_snapshots *h);

/**
 * The current snapshot when it holds for @a version, else a new one read
 * from @a db (outside any read transaction of the caller).
 * @return the snapshot (release with pay_snapshot_release()), or NULL with
 *         *status DB_NONE while another request builds one, or the failure
 */
const struct pay_snapshot *pay_snapshot_get(struct pay_snapshots *h, struct db *db,
                                            int64_t version, enum db_status *status);

void pay_snapshot_release(struct pay_snapshots *h, const struct pay_snapshot *s);

/**
 * The reports of @a s matching @a f into @a set (as positions in its rows,
 * never copies), in ascending amount for one role or none, with
 * the names and the setting of the snapshot (all borrowed from it: @a set
 * must be freed before @a s is released). @return 0, or -1 when out of memory
 */
int pay_snapshot_select(const struct pay_snapshot *s, const struct pay_filter *f,
                        struct pay_set *set);

#endif
