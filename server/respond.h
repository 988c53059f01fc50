/**
 * @file server/respond.h
 * @brief Sending this request's answer; every answer goes through here, so
 *        every one carries the request id and the CORS headers.
 */
#ifndef TECHPAY_SERVER_RESPOND_H
#define TECHPAY_SERVER_RESPOND_H

#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "server/entity.h"
#include "server/reply.h"
#include "server/request_state.h"
#include "server/server_internal.h"

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
 * Sends the handler's reply: a GET 200 of JSON or static text as an entity (tagged, maybe CSV or
 * gzip, then cached in @a w when @a key_len is not 0), anything else as it is.
 */
enum MHD_Result respond_answer(struct request_state *rs, struct MHD_Connection *conn,
                               const char *method, struct reply *rep,
                               const struct entity_spec *spec, struct worker *w,
                               const char *key, size_t key_len, int64_t version);

#endif
