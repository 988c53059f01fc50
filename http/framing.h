/**
 * @file http/framing.h
 * @brief RFC 9112's rules for where a request ends, applied to the header
 *        fields as libmicrohttpd parsed them, before anything else.
 *
 * libmicrohttpd 0.9.75 accepts requests whose body length can be read two
 * ways (Content-Length with Transfer-Encoding, two Content-Lengths, a name
 * with a space before the colon, a folded line, a bare CR or a NUL in a
 * value) and keeps the connection open. A proxy in front that reads the
 * length the other way sends the next request's bytes as this one's body,
 * or this body as a next request (request smuggling). Each such request
 * is refused here with 400 (501 for a transfer coding other than chunked)
 * and the connection closed, so no byte after it is read as a request.
 *
 * libmicrohttpd keeps each field's name and value as pointers into the
 * bytes it read, with the colon and the line ends overwritten by NULs.
 * Where those bytes are not what one well-formed line per field leaves,
 * the field was folded (its value was moved), or its value held a NUL
 * (the value stops before the line does).
 */
#ifndef TECHPAY_HTTP_FRAMING_H
#define TECHPAY_HTTP_FRAMING_H

#include <stddef.h>

#include <microhttpd.h>

#include "http/reply.h"

/* The request line and header fields we accept, together, counting what
 * libmicrohttpd keeps per field: beyond it, our own 431. Below the 16 KiB
 * a connection has (SERVER_CONNECTION_MEMORY), so that the refusal still
 * fits beside the request. */
#define FRAMING_HEAD_MAX (12 * 1024)

/* libmicrohttpd's own record of each field, counted against FRAMING_HEAD_MAX. */
#define FRAMING_FIELD_COST 64

/* Request targets longer than this (path and query) answer 414: a common
 * limit among servers, and it leaves room in the connection for the rest. */
#define FRAMING_TARGET_MAX (8 * 1024)

enum framing_target {
  TARGET_OK,
  TARGET_TOO_LONG,        /* over FRAMING_TARGET_MAX */
  TARGET_TOO_MANY_PARAMS, /* over REQUEST_MAX_PARAMS */
};

/**
 * Checks the request target @a uri as sent, from libmicrohttpd's URI log
 * callback, before libmicrohttpd parses its query. A refused target has
 * its query cut in place, so that libmicrohttpd records none of its
 * parameters: hundreds of them exhaust the connection's memory, and
 * libmicrohttpd then neither answers nor closes. The request is refused
 * once its headers are in.
 */
enum framing_target framing_target_check(char *uri, size_t *len);

/** The refusal of a target framing_target_check() did not pass, into @a rep. */
void framing_target_refuse(enum framing_target t, struct reply *rep);

/**
 * Checks the header fields of the request on @a conn, whose target was
 * @a target_len bytes long.
 * @return 0 when the request is well framed; otherwise -1 with the
 *         refusal (400, 431 or 501) in @a rep: send it, then close
 */
int framing_check(struct MHD_Connection *conn, size_t target_len, struct reply *rep);

#endif
