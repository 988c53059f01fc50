/**
 * @file http/listen.h
 * @brief The listening socket, bound before libmicrohttpd starts.
 */
#ifndef TECHPAY_HTTP_LISTEN_H
#define TECHPAY_HTTP_LISTEN_H

#include <stddef.h>
#include <stdint.h>

/**
 * Binds and listens on @a bind_addr (an IPv4 or IPv6 literal) port @a port
 * (0: any free port).
 * @param[out] bound_port the port actually bound
 * @return the socket, or -1 with one line in @a err ("address in use", ...)
 */
int listen_socket(const char *bind_addr, uint16_t port, uint16_t *bound_port, char *err,
                  size_t err_size);

#endif
