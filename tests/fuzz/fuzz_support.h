/**
 * @file tests/fuzz/fuzz_support.h
 * @brief What the libFuzzer targets share: one migrated in-memory
 *        database, the query string split as libmicrohttpd splits it, and
 *        a way to stop on a broken invariant.
 */
#ifndef TECHPAY_TESTS_FUZZ_SUPPORT_H
#define TECHPAY_TESTS_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "http/reply.h"
#include "http/request.h"

/** The libFuzzer entry point each target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/**
 * An in-memory database with every migration (the seed data included),
 * created on the first call and kept for the whole run.
 */
struct db *fuzz_db(void);

/**
 * Puts fuzz_db() back as it was after the migrations, so that a write
 * sees the same database whatever ran before it and a finding replays
 * alone. Aborts (a finding) when the last handler left a transaction or
 * a statement open, which would also block the copy.
 */
void fuzz_db_reset(void);

/** Aborts (a finding) when the last handler left a transaction open. */
void fuzz_db_check_idle(void);

/** A NUL-terminated copy of the input; the caller frees it. Never NULL. */
char *fuzz_strndup(const uint8_t *data, size_t size);

/**
 * Splits @a query (modified in place) at '&' and '=' and percent-decodes
 * keys and values, as libmicrohttpd does before the daemon sees them.
 * A "key" without '=' gets the value "".
 * @return how many parameters were stored (at most @a max)
 */
unsigned fuzz_split_query(char *query, struct param *params, unsigned max);

/**
 * The handler's answer must be a well-formed reply: a status, and a body
 * that serialises. Aborts (a finding) when it is not; then clears @a rep.
 */
void fuzz_check_reply(int handler_rc, struct reply *rep);

/** Aborts with @a what on stderr: the fuzzer reports it with the input. */
void fuzz_fail(const char *what) __attribute__((noreturn));

#endif
