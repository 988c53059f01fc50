/**
 * @file http/security_headers.h
 * @brief The headers that keep a browser from misreading an answer.
 */
#ifndef TECHPAY_HTTP_SECURITY_HEADERS_H
#define TECHPAY_HTTP_SECURITY_HEADERS_H

#include <microhttpd.h>

/** The policy of every API answer: JSON and CSV load nothing, embed in no frame. */
#define SECURITY_CSP_API "default-src 'none'; frame-ancestors 'none'"

/**
 * Adds X-Content-Type-Options, Content-Security-Policy and Referrer-Policy
 * to @a resp, each only when the handler did not set its own (a page
 * that loads scripts or styles brings a CSP of its own). A 304 (@a status)
 * gets no CSP: a browser merges a 304's headers into the stored 200, so
 * the API's policy would replace the page's and block its scripts.
 */
void security_headers_add(struct MHD_Response *resp, unsigned status);

#endif
