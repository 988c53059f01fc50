/**
 * @file http/negotiate.h
 * @brief Reading the request headers that choose a representation:
 *        Accept (JSON or CSV), Accept-Encoding (gzip or identity) and
 *        If-None-Match. Pure string functions, no libmicrohttpd.
 */
#ifndef TECHPAY_HTTP_NEGOTIATE_H
#define TECHPAY_HTTP_NEGOTIATE_H

#include <stdbool.h>

/** Quality values are kept in thousandths: "q=0.5" is 500, no q is 1000. */
#define NEGOTIATE_Q_MAX 1000

enum representation {
  REPR_JSON,
  REPR_CSV,
};

/**
 * The quality the Accept header value @a accept gives the media type
 * @a type ("type/subtype", lower case), taken from its most specific
 * matching range (exact, then type/star, then star/star); parameters other
 * than q are ignored.
 * @return 0-1000; 1000 when @a accept is NULL or holds no media range
 */
unsigned negotiate_accept_q(const char *accept, const char *type);

/**
 * Chooses JSON or CSV for the Accept header value @a accept (NULL when
 * absent). JSON wins ties; CSV is considered only when @a csv_offered.
 * @return 0 with *repr set, or -1 when the header admits neither
 */
int negotiate_representation(const char *accept, bool csv_offered, enum representation *repr);

/**
 * @return whether the Accept-Encoding value @a accept_encoding (NULL when
 *         absent) admits gzip with q > 0, named (gzip, x-gzip) or through "*"
 */
bool negotiate_gzip(const char *accept_encoding);

/**
 * Weak comparison of If-None-Match (@a if_none_match, NULL when absent)
 * with our current entity tag @a etag (quoted, e.g. "\"ab12\""): true for
 * "*" and for any listed tag equal to @a etag once W/ prefixes are ignored.
 */
bool negotiate_etag_matches(const char *if_none_match, const char *etag);

/**
 * Adds "format=@a format" to the query of every URI reference in the Link
 * header value @a link (RFC 8288: "<uri>; rel=..., <uri>; ..."), so that a
 * client that chose the representation with format= keeps it while paging.
 * @return a malloc'd copy, or NULL when out of memory
 */
char *negotiate_link_with_format(const char *link, const char *format);

#endif
