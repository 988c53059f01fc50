/**
 * @file http/serve.h
 * @brief The network thread's part of a request, step by step as
 *        libmicrohttpd calls the access handler.
 */
#ifndef TECHPAY_HTTP_SERVE_H
#define TECHPAY_HTTP_SERVE_H

#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

struct request_state;

/**
 * The headers are in (the handler's first call): refuses what they
 * condemn (credentials, body type and size) and starts a streamed upload.
 * @return true when the call's result is in @a ret; false to go on
 *         gathering the request
 */
bool serve_headers(struct request_state *rs, struct MHD_Connection *conn, const char *method,
                   const char *url, enum MHD_Result *ret);

/** A piece of the body: gathered, or fed to a streamed upload on the pool. */
enum MHD_Result serve_upload(struct request_state *rs, struct MHD_Connection *conn,
                             const char *data, size_t *size);

/** The whole request is in: answer it, from the cache or through the pool. */
enum MHD_Result serve_complete(struct request_state *rs, struct MHD_Connection *conn,
                               const char *method, const char *url);

/**
 * The pool finished the step of rs->job: takes its result.
 * @return true when the call's result is in @a ret (an answer was queued,
 *         or the connection is to be dropped); false when the call goes
 *         on (a piece of a streamed upload was fed)
 */
bool serve_job_done(struct request_state *rs, enum MHD_Result *ret);

#endif
