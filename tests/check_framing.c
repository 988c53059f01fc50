/**
 * @file tests/check_framing.c
 * @brief Raw-socket requests whose end can be read two ways (request
 *        smuggling), transfer codings we do not implement, and requests
 *        libmicrohttpd would refuse or choke on: each gets one answer at
 *        once and, where the framing is in doubt, a closed connection, so
 *        that nothing sent after it is ever answered as a request.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/daemon.h"
#include "tests/harness.h"

#define TOKEN "framing-test-token-0123456789"

static struct test_server ts;

static void
setup(void)
{
  test_server_start(&ts, 1);
}

static void
teardown(void)
{
  test_server_stop(&ts);
}

/* Everything the server sends for @a raw until it closes or a second
 * passes (times CK_TIMEOUT_MULTIPLIER). */
struct exchange {
  char buf[65536];
  size_t len;
  bool closed;   /* the server closed the connection within the wait */
  double secs;   /* how long until then, or the wait */
};

static double
now_s(void)
{
  struct timespec t;

  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

static void
exchange(const char *raw, size_t raw_len, struct exchange *x)
{
  struct timeval tv = { .tv_sec = timeout_multiplier() };
  int fd = connect_local(ts.port);
  double start = now_s();

  ck_assert_int_ge(fd, 0);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ck_assert_int_eq((ssize_t) raw_len, send(fd, raw, raw_len, MSG_NOSIGNAL));
  x->len = 0;
  x->closed = false;
  for (;;) {
    ssize_t n = recv(fd, x->buf + x->len, sizeof x->buf - 1 - x->len, 0);

    if (0 == n)
      x->closed = true;
    if (n <= 0)
      break;
    x->len += (size_t) n;
  }
  x->buf[x->len] = '\0';
  x->secs = now_s() - start;
  close(fd);
}

static unsigned
count(const char *hay, const char *needle)
{
  unsigned n = 0;

  for (const char *p = hay; NULL != (p = strstr(p, needle)); p++)
    n++;
  return n;
}

/* One problem with @a status, the usual headers, then the close. */
static void
assert_one_problem_then_close(const struct exchange *x, int status, const char *what)
{
  char line[64];

  snprintf(line, sizeof line, "HTTP/1.1 %d ", status);
  ck_assert_msg(0 == strncmp(x->buf, line, strlen(line)), "%s: got %.80s", what, x->buf);
  ck_assert_msg(1 == count(x->buf, "HTTP/1.1 "), "%s: more than one answer:\n%s", what, x->buf);
  ck_assert_msg(NULL != strstr(x->buf, "Content-Type: application/problem+json"), "%s", what);
  ck_assert_msg(NULL != strstr(x->buf, "X-Content-Type-Options: nosniff"), "%s", what);
  ck_assert_msg(NULL != strstr(x->buf, "Access-Control-Allow-Origin: "), "%s", what);
  ck_assert_msg(NULL != strstr(x->buf, "X-Request-Id: "), "%s", what);
  ck_assert_msg(NULL != strstr(x->buf, "Connection: close"), "%s", what);
  ck_assert_msg(x->closed, "%s: the connection was left open", what);
  ck_assert_msg(NULL == strstr(x->buf, "techpay_"), "%s: /metrics was answered", what);
}

/* Each ends with a GET /metrics that a confused server would answer. */
#define SMUGGLED "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"

static const struct {
  const char *name;
  const char *raw;
  size_t len;  /* 0: strlen */
  int status;
} cases[] = {
  { "Content-Length and Transfer-Encoding",
    "POST /roles HTTP/1.1\r\nHost: x\r\nContent-Length: 34\r\nTransfer-Encoding: chunked\r\n\r\n"
    "0\r\n\r\n" SMUGGLED, 0, 400 },
  { "two Content-Lengths",
    "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 34\r\n\r\n"
    SMUGGLED, 0, 400 },
  { "two Transfer-Encodings",
    "POST /roles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity"
    "\r\n\r\n0\r\n\r\n" SMUGGLED, 0, 400 },
  { "a space before the colon",
    "POST /roles HTTP/1.1\r\nHost: x\r\nContent-Length : 34\r\n\r\n" SMUGGLED, 0, 400 },
  { "a folded Content-Length",
    "POST /roles HTTP/1.1\r\nHost: x\r\nX-A: a\r\n Content-Length: 34\r\n\r\n" SMUGGLED, 0, 400 },
  { "a bare CR in a value",
    "POST /roles HTTP/1.1\r\nHost: x\r\nX-A: a\rContent-Length: 34\r\n\r\n" SMUGGLED, 0, 400 },
  { "Transfer-Encoding identity",
    "POST /roles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n" SMUGGLED, 0, 501 },
  { "Transfer-Encoding gzip, chunked",
    "POST /roles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"
    SMUGGLED, 0, 501 },
  { "Transfer-Encoding 'chunked '",
    "POST /roles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked \r\n\r\n0\r\n\r\n" SMUGGLED,
    0, 501 },
  { "a NUL in Authorization",
    "GET /audit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " TOKEN "\0junk\r\n\r\n" SMUGGLED,
    sizeof "GET /audit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " TOKEN "\0junk\r\n\r\n"
    SMUGGLED - 1, 400 },
  { "a NUL in the last value",
    "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\0junk\r\n\r\n" SMUGGLED,
    sizeof "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\0junk\r\n\r\n" SMUGGLED - 1,
    400 },
  { "a NUL in a middle value",
    "GET /healthz HTTP/1.1\r\nX-Request-Id: abc\0junk\r\nHost: x\r\n\r\n" SMUGGLED,
    sizeof "GET /healthz HTTP/1.1\r\nX-Request-Id: abc\0junk\r\nHost: x\r\n\r\n" SMUGGLED - 1,
    400 },
};
#define NCASES (sizeof cases / sizeof cases[0])

START_TEST(ambiguous_framing_is_refused_and_closed)
{
  struct exchange *x = malloc(sizeof *x);
  size_t len = 0 != cases[_i].len ? cases[_i].len : strlen(cases[_i].raw);

  exchange(cases[_i].raw, len, x);
  assert_one_problem_then_close(x, cases[_i].status, cases[_i].name);
  free(x);
}
END_TEST

START_TEST(well_framed_requests_keep_the_connection)
{
  static const char raw[] =
    "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
    "GET /healthz HTTP/1.1\nHost: x\nX-Empty:\nX-Tab:\tv\n\n"
    "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  struct exchange *x = malloc(sizeof *x);

  exchange(raw, sizeof raw - 1, x);
  /* a body read by length, bare LF line ends, an empty and a tabbed value */
  ck_assert_uint_eq(3, count(x->buf, "HTTP/1.1 "));
  ck_assert_uint_eq(3, count(x->buf, "HTTP/1.1 200 "));
  free(x);
}
END_TEST

/* "GET /roles?a0=1&a1=1... HTTP/1.1" with @a n parameters, in a malloc'd string. */
static char *
many_params(unsigned n)
{
  size_t cap = 64 + 16 * (size_t) n;
  char *raw = malloc(cap);
  size_t len = (size_t) snprintf(raw, cap, "GET /roles?");

  for (unsigned i = 0; i < n; i++)
    len += (size_t) snprintf(raw + len, cap - len, "%sa%u=1", 0 == i ? "" : "&", i);
  snprintf(raw + len, cap - len, " HTTP/1.1\r\nHost: x\r\n\r\n");
  return raw;
}

START_TEST(hundreds_of_parameters_are_answered_at_once)
{
  static const unsigned counts[] = { 33, 225, 250, 600 };
  struct exchange *x = malloc(sizeof *x);

  for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
    char *raw = many_params(counts[i]);

    exchange(raw, strlen(raw), x);
    ck_assert_msg(0 == strncmp(x->buf, "HTTP/1.1 400 ", 13), "%u: %.80s", counts[i], x->buf);
    ck_assert_ptr_nonnull(strstr(x->buf, "too-many-parameters"));
    ck_assert_msg(x->secs < (double) timeout_multiplier(), "%u parameters: %.2f s", counts[i],
                  x->secs);
    free(raw);
  }
  free(x);
}
END_TEST

/* Request lines (a long query) and header fields of every size up to the
 * connection's memory: ours to refuse get our problem, all get an answer
 * or a close within the second, none is held. */
static void
sweep(bool in_target, size_t from, size_t to, size_t *answered_ours, size_t *closed_silent)
{
  struct exchange *x = malloc(sizeof *x);
  char *raw = malloc(to + 256);

  for (size_t n = from; n <= to; n += 97) {
    char *fill = malloc(n + 1);

    memset(fill, 'a', n);
    fill[n] = '\0';
    if (in_target)
      snprintf(raw, to + 256, "GET /healthz?%s HTTP/1.1\r\nHost: x\r\n\r\n", fill);
    else
      snprintf(raw, to + 256, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", fill);
    free(fill);
    exchange(raw, strlen(raw), x);
    ck_assert_msg(x->closed || x->len > 0, "%zu bytes: held without an answer", n);
    ck_assert_msg(x->secs < (double) timeout_multiplier(), "%zu bytes: %.2f s", n, x->secs);
    if (NULL != strstr(x->buf, "application/problem+json"))
      (*answered_ours)++;
    else if (0 == x->len)
      (*closed_silent)++;
  }
  free(raw);
  free(x);
}

/* The sum of techpay_http_requests_total over the lines with @a label. */
static unsigned long
requests_counted(const char *label)
{
  struct http_response r;
  unsigned long sum = 0;

  http_fetch(ts.port, "GET", "/metrics", "", 200, &r);
  for (const char *p = r.body; NULL != (p = strstr(p, "techpay_http_requests_total{")); p++) {
    const char *end = strchr(p, '}');

    if (NULL != end && NULL != memmem(p, (size_t) (end - p), label, strlen(label)))
      sum += strtoul(end + 1, NULL, 10);
  }
  http_response_free(&r);
  return sum;
}

START_TEST(large_heads_are_answered_or_closed_at_once)
{
  size_t ours = 0;
  size_t silent = 0;
  unsigned long sent_414 = requests_counted("status=\"414\"");

  sweep(true, 8 * 1024 + 1, 18 * 1024, &ours, &silent);
  fprintf(stderr, "framing: long targets: %zu answered with a problem, %zu closed unanswered\n",
          ours, silent);
  ck_assert_uint_gt(ours, 70); /* 8 KiB to the edge of the connection's memory */
  /* what reached the client is what is counted: a refusal that did not fit is not a 414 */
  ck_assert_uint_eq(ours, requests_counted("status=\"414\"") - sent_414);
  ours = silent = 0;
  sweep(false, 12 * 1024, 18 * 1024, &ours, &silent);
  fprintf(stderr, "framing: large headers: %zu answered with a problem, %zu closed unanswered\n",
          ours, silent);
  ck_assert_uint_gt(ours, 30);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("framing");
  TCase *tc = tcase_create("framing");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, ambiguous_framing_is_refused_and_closed, 0, (int) NCASES);
  tcase_add_test(tc, well_framed_requests_keep_the_connection);
  tcase_add_test(tc, hundreds_of_parameters_are_answered_at_once);
  tcase_add_test(tc, large_heads_are_answered_or_closed_at_once);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
