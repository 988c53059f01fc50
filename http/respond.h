/**
 * @file http/respond.h
 * @brief Sending this request's answer; every answer goes through here, so
 *        every one carries the request id and the CORS headers.
 */
#ifndef TECHPAY_HTTP_RESPOND_H
#define TECHPAY_HTTP_RESPOND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "http/cache.h"
#include "http/entity.h"
#include "http/reply.h"
#include "http/request_state.h"
#include "http/server_internal.h"

/** Queues @a resp (this request's own; released here) with @a status. */
enum MHD_Result respond_owned(struct request_state *rs, struct MHD_Connection *conn,
                              unsigned status, struct MHD_Response *resp, size_t body_len);

/** Sends @a rep as it is (problems, writes, 204s). */
enum MHD_Result respond_reply(struct request_state *rs, struct MHD_Connection *conn,
                              struct reply *rep);

/** Sends entity @a e: its 200, or the 304 when the client has it already. */
enum MHD_Result respond_entity(struct request_state *rs, struct MHD_Connection *conn,
                               const struct entity *e);

/**
 * Prepares the handler's reply for sending: a GET 200 of JSON or static
 * text becomes entity @a e (tagged, maybe CSV or gzip). Runs on any
 * thread. @return true when @a e was built (the caller owns it); false
 * when @a rep is to be sent as it is (it then may hold a 500 problem)
 */
bool respond_prepare(const char *method, struct reply *rep, const struct entity_spec *spec,
                     struct entity *e);

/**
 * respond_prepare(), then sends the answer, caching the entity in
 * @a cache under @a key when @a key_len is not 0.
 */
enum MHD_Result respond_answer(struct request_state *rs, struct MHD_Connection *conn,
                               const char *method, struct reply *rep,
                               const struct entity_spec *spec, struct response_cache *cache,
                               const char *key, size_t key_len, int64_t version);

#endif
