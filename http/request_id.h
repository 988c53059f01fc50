/**
 * @file http/request_id.h
 * @brief Request ids: the X-Request-Id a client sent, when it is sane,
 *        or a new one. Every answer carries it and the access log names
 *        it, so one request can be followed from client to log line.
 */
#ifndef TECHPAY_HTTP_REQUEST_ID_H
#define TECHPAY_HTTP_REQUEST_ID_H

#include <stdbool.h>

#define REQUEST_ID_HEADER "X-Request-Id"
/* Longest id taken from a client. */
#define REQUEST_ID_MAX 64
/* Length of the ids we make: 16 hex digits. */
#define REQUEST_ID_NEW_LEN 16

/**
 * @return whether @a id is 1-64 characters of [A-Za-z0-9._-]: safe to echo
 *         in a header and a log line without escaping
 */
bool request_id_valid(const char *id);

/**
 * Fills @a out with @a incoming when it is valid, else with a new id.
 * New ids are 16 hex digits from a per-thread sequence started at a random
 * point: never repeated by one thread, and another thread's sequence
 * starts elsewhere. No lock, no allocation.
 * @param incoming the request's X-Request-Id, or NULL
 */
void request_id_assign(const char *incoming, char out[REQUEST_ID_MAX + 1]);

#endif
