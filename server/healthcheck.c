/**
 * @file server/healthcheck.c
 * @brief A one-request HTTP client for the container health check.
 */
#include "server/healthcheck.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
connect_to(const char *addr, uint16_t port, unsigned timeout_ms)
{
  struct sockaddr_storage ss;
  struct sockaddr_in *v4 = (struct sockaddr_in *) &ss;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *) &ss;
  socklen_t len;
  struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
  int fd;

  memset(&ss, 0, sizeof ss);
  /* The server listening on every address is reachable on loopback. */
  if (0 == strcmp(addr, "0.0.0.0"))
    addr = "127.0.0.1";
  else if (0 == strcmp(addr, "::"))
    addr = "::1";
  if (1 == inet_pton(AF_INET, addr, &v4->sin_addr)) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof *v4;
  } else if (1 == inet_pton(AF_INET6, addr, &v6->sin6_addr)) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof *v6;
  } else {
    fprintf(stderr, "techpayd: healthcheck: '%s' is not an IP address\n", addr);
    return -1;
  }
  fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (0 != connect(fd, (struct sockaddr *) &ss, len)) {
    fprintf(stderr, "techpayd: healthcheck: cannot connect to %s port %u: %s\n",
            addr, port, strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

int
healthcheck_run(const char *bind_addr, uint16_t port, unsigned timeout_ms)
{
  static const char request[] =
    "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  char buf[256];
  size_t len = 0;
  ssize_t n;
  int fd = connect_to(bind_addr, port, timeout_ms);
  int status = 0;

  if (fd < 0)
    return 1;
  if ((ssize_t) (sizeof request - 1) != send(fd, request, sizeof request - 1, MSG_NOSIGNAL)) {
    fprintf(stderr, "techpayd: healthcheck: sending failed: %s\n", strerror(errno));
    close(fd);
    return 1;
  }
  while (len < 12 && (n = recv(fd, buf + len, sizeof buf - 1 - len, 0)) > 0)
    len += (size_t) n;
  close(fd);
  buf[len] = '\0';
  if (len >= 12 && 0 == strncmp(buf, "HTTP/1.", 7))
    sscanf(buf + 9, "%3d", &status);
  if (200 != status) {
    fprintf(stderr, "techpayd: healthcheck: /healthz answered %d\n", status);
    return 1;
  }
  return 0;
}
