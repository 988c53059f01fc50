/**
 * @file server/healthcheck.h
 * @brief `techpayd healthcheck`: asks a running server for /healthz, so a
 *        container image needs no curl for its HEALTHCHECK.
 */
#ifndef TECHPAY_SERVER_HEALTHCHECK_H
#define TECHPAY_SERVER_HEALTHCHECK_H

#include <stdint.h>

/**
 * Requests GET /healthz from @a bind_addr (a wildcard address means this
 * host's loopback) on @a port, waiting at most @a timeout_ms.
 * @return 0 when the answer is 200, 1 otherwise (the reason on stderr)
 */
int healthcheck_run(const char *bind_addr, uint16_t port, unsigned timeout_ms);

#endif
