/**
 * @file handlers/routes.h
 * @brief techpay's routes: every method and path it serves and the handler
 *        of each, in one table that the server is given at start-up.
 */
#ifndef TECHPAY_HANDLERS_ROUTES_H
#define TECHPAY_HANDLERS_ROUTES_H

#include "http/router.h"

/** Every route, ended by an entry with a NULL pattern; also read by GET /api and the tests. */
extern const struct route route_table[];

/** Matches @a method and @a path against route_table. */
enum route_result route_find(const char *method, const char *path, struct route_match *m);

#endif
