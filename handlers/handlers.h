/**
 * @file handlers/handlers.h
 * @brief One handler per endpoint; the routes live in server/router.c.
 *
 * Each handler validates its parameters, asks db/ for rows, and fills the
 * reply; it never sees SQL or libmicrohttpd.
 */
#ifndef TECHPAY_HANDLERS_HANDLERS_H
#define TECHPAY_HANDLERS_HANDLERS_H

#include "server/reply.h"
#include "server/request.h"

/** GET /healthz: 200 {"status":"ok"} when the database answers, else 503. */
int h_healthz_get(const struct request *req, struct reply *rep);

/** GET /roles?sort=&order=&limit=&offset=: the ranking. */
int h_roles_list(const struct request *req, struct reply *rep);

/** GET /roles/{slug}: one role with its salaries, skills and sources. args[0] = slug. */
int h_roles_get(const struct request *req, struct reply *rep);

/**
 * The reply for a failed query: 503 when the database was busy, 500
 * otherwise (the cause is already logged; nothing of it reaches the client).
 */
int reply_db_error(struct reply *rep, enum db_status status);

#endif
