/**
 * @file tests/check_http_lib.c
 * @brief The HTTP framework on its own: linked with util/ only (no SQLite,
 *        no techpay route), a server with a table of its own answers.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <jansson.h>

#include "http/daemon.h"
#include "http/reply.h"
#include "http/router.h"

static int
hello_get(const struct request *req, struct reply *rep)
{
  return reply_json(rep, 200, json_pack("{s:s, s:s}", "hello", req->args[0],
                                        "app", NULL == req->app ? "none" : "some"));
}

static const struct route hello_routes[] = {
  { .method = "GET", .pattern = "/hello/{name}", .handler = hello_get },
  { .pattern = NULL },
};

/* One request on its own connection; the whole answer into @a buf. */
static size_t
fetch(uint16_t port, const char *request, char *buf, size_t size)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
  struct timeval tv = { .tv_sec = 10 };
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  size_t got = 0;
  ssize_t n;

  ck_assert_int_ge(fd, 0);
  inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ck_assert_int_eq(0, connect(fd, (struct sockaddr *) &sa, sizeof sa));
  ck_assert_int_eq((ssize_t) strlen(request), send(fd, request, strlen(request), MSG_NOSIGNAL));
  while (got + 1 < size && (n = recv(fd, buf + got, size - got - 1, 0)) > 0)
    got += (size_t) n;
  buf[got] = '\0';
  close(fd);
  return got;
}

START_TEST(a_table_of_its_own_is_served)
{
  struct server_options opts = {
    .bind = "127.0.0.1", .port = 0, .threads = 1, .max_connections = 8, .timeout_s = 5,
    .access_log_off = true, .routes = hello_routes,
  };
  char err[256] = "";
  char buf[8192];
  struct server *srv = server_start(&opts, err, sizeof err);
  const char *body;
  json_t *j;

  ck_assert_msg(NULL != srv, "%s", err);
  fetch(server_port(srv), "GET /hello/world HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        buf, sizeof buf);
  ck_assert_msg(0 == strncmp(buf, "HTTP/1.1 200 ", 13), "%s", buf);
  ck_assert_ptr_nonnull(strcasestr(buf, "\r\nContent-Type: application/json"));
  ck_assert_ptr_nonnull(strcasestr(buf, "\r\nETag: "));
  body = strstr(buf, "\r\n\r\n");
  ck_assert_ptr_nonnull(body);
  j = json_loads(body + 4, 0, NULL);
  ck_assert_ptr_nonnull(j);
  ck_assert_str_eq("world", json_string_value(json_object_get(j, "hello")));
  ck_assert_str_eq("none", json_string_value(json_object_get(j, "app")));
  json_decref(j);
  ck_assert_uint_eq(0, server_stop(srv, 2000));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("http_lib");
  TCase *tc = tcase_create("http_lib");
  SRunner *sr;
  int failed;

  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, a_table_of_its_own_is_served);
  suite_add_tcase(s, tc);
  sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
