/**
 * @file handlers/read_reply.h
 * @brief The two shapes most read endpoints answer in, each written once:
 *        a whole list read in one snapshot, and one resource found by its
 *        slug (or the problem saying it is not there).
 */
#ifndef TECHPAY_HANDLERS_READ_REPLY_H
#define TECHPAY_HANDLERS_READ_REPLY_H

#include <jansson.h>

#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"

/** Appends every row of a list to @a data (a JSON array); the status of the query. */
typedef enum db_status (*list_query_fn)(struct db *db, json_t *data);

/**
 * Runs @a query in one read snapshot (so that it gets its time budget,
 * db_read_begin()) on @a req's store, and replies as reply_list() does.
 */
int reply_read_list(const struct request *req, list_query_fn query, struct reply *rep);

/** @a status; unless it is DB_ONE, *item is released and set to NULL. */
enum db_status read_drop_unless_found(enum db_status status, json_t **item);

/**
 * {"data": item} for a lookup that found it (DB_ONE; steals @a item);
 * for DB_NONE the @a not_found problem "there is no <noun> '<slug>'; GET
 * <list> lists them"; else the problem of the failed query.
 */
int reply_found(struct reply *rep, enum db_status status, json_t *item, unsigned not_found,
                const char *noun, const char *list, const char *slug);

#endif
