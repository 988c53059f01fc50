/**
 * @file tests/parity.h
 * @brief Comparing the answers of techpayd on PostgreSQL and on SQLite.
 */
#ifndef TECHPAY_TESTS_PARITY_H
#define TECHPAY_TESTS_PARITY_H

#include "tests/child.h"

/** GET @a url with @a headers from @a pg and @a lite: asserts the same
 *  status, body bytes, ETag and Content-Type. */
void parity_assert_same(struct child_server *pg, struct child_server *lite, const char *url,
                        const char *headers);

/** The slugs of @a url's answer (status 200 asserted) from @a srv, sorted,
 *  then its total, as one text; caller frees. At most 128 slugs. */
char *parity_matches(struct child_server *srv, const char *url);

#endif
