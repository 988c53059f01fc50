/**
 * @file handlers/app.h
 * @brief What the application keeps beside each request: the store
 *        connection of the thread that runs the handler. The server holds
 *        it, unseen, as the thread's state (request.app): server/ opens one
 *        per pool thread.
 */
#ifndef TECHPAY_HANDLERS_APP_H
#define TECHPAY_HANDLERS_APP_H

#include "db/db.h"
#include "http/request.h"

/** @return the connection of the thread running @a req's handler (borrowed) */
struct pay_snapshots;

/* What every thread shares (request.shared): server/ makes it. */
struct app_shared {
  struct pay_snapshots *pay; /* the reports behind GET /pay, by data version */
};

static inline struct db *
req_db(const struct request *req)
{
  return req->app;
}

#endif
