/**
 * @file http/listen.c
 * @brief Binding the listening socket.
 */
#include "http/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LISTEN_BACKLOG 1024

/* Binding ourselves (instead of letting libmicrohttpd do it) is what lets
 * us tell the operator why: "address in use" rather than a bare failure. */
int
listen_socket(const char *bind_addr, uint16_t port, uint16_t *bound_port, char *err, size_t err_size)
{
  struct sockaddr_storage ss;
  socklen_t len;
  int one = 1;
  int zero = 0;
  int fd;

  memset(&ss, 0, sizeof ss);
  if (1 == inet_pton(AF_INET, bind_addr, &((struct sockaddr_in *) &ss)->sin_addr)) {
    ((struct sockaddr_in *) &ss)->sin_family = AF_INET;
    ((struct sockaddr_in *) &ss)->sin_port = htons(port);
    len = sizeof(struct sockaddr_in);
  } else if (1 == inet_pton(AF_INET6, bind_addr, &((struct sockaddr_in6 *) &ss)->sin6_addr)) {
    ((struct sockaddr_in6 *) &ss)->sin6_family = AF_INET6;
    ((struct sockaddr_in6 *) &ss)->sin6_port = htons(port);
    len = sizeof(struct sockaddr_in6);
  } else {
    snprintf(err, err_size, "bind address '%s' is not an IPv4 or IPv6 address", bind_addr);
    return -1;
  }
  fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    snprintf(err, err_size, "cannot create socket: %s", strerror(errno));
    return -1;
  }
  /* Lets a restarted server reuse the port while old connections linger in
   * TIME_WAIT; it does not allow two listeners on one port. */
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (AF_INET6 == ss.ss_family)
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  if (0 != bind(fd, (struct sockaddr *) &ss, len) || 0 != listen(fd, LISTEN_BACKLOG)) {
    snprintf(err, err_size, "cannot listen on %s port %u: %s", bind_addr, port, strerror(errno));
    close(fd);
    return -1;
  }
  len = sizeof ss;
  getsockname(fd, (struct sockaddr *) &ss, &len);
  *bound_port = ntohs(AF_INET6 == ss.ss_family ? ((struct sockaddr_in6 *) &ss)->sin6_port
                                               : ((struct sockaddr_in *) &ss)->sin_port);
  return fd;
}
