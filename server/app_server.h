/**
 * @file server/app_server.h
 * @brief techpayd's server: the HTTP framework given techpay's routes, a
 *        store connection per pool thread and the data version that keys
 *        the response cache. techpayd and the tests start it the same way.
 */
#ifndef TECHPAY_SERVER_APP_SERVER_H
#define TECHPAY_SERVER_APP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/daemon.h"

/** The label pairs of techpay_build_info: version, commit and SQLite's version. */
const char *app_build_info(void);

/**
 * Starts serving the database at @a db_path (an existing, migrated one;
 * copied), opened read-only when @a read_only. Sets opts->routes, app,
 * build_info and texts, and registers our problem types; the rest of
 * @a opts is the caller's. server_stop() ends it.
 * @return the server, or NULL with one line in @a err
 */
struct server *app_server_start(struct server_options *opts, const char *db_path, bool read_only,
                                char *err, size_t err_size);

#endif
