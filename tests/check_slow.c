/**
 * @file tests/check_slow.c
 * @brief Slow and greedy clients: hundreds of connections trickling
 *        headers (slowloris) or bodies one byte at a time while ordinary
 *        requests keep being answered; the per-address and total
 *        connection limits.
 *
 * The server runs with techpayd's default limits. All of 127.0.0.0/8 is
 * loopback, so the slow clients come from 127.0.0.2 and up, each address
 * under the per-address limit, and the ordinary client from 127.0.0.1.
 * The figures (connections held, latencies, memory) are printed for
 * docs/security.md; the assertions are about answers, never about time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/auth.h"
#include "server/config.h"
#include "http/daemon.h"
#include "http/deadline.h"
#include "http/metrics.h"
#include "tests/harness.h"

#define TOKEN "slow-test-token-0123456789"
#define SLOW_HEADERS 300   /* slowloris connections */
#define SLOW_BODIES 100    /* connections trickling a body */
#define PER_ADDRESS 50     /* slow connections from each address, under the default limit */
#define ROUNDS 30          /* of ordinary requests, a tick apart */
#define PER_ROUND 10
#define TICK_NS (100 * 1000 * 1000L)

static const char loris_head[] = "GET /roles HTTP/1.1\r\nHost: 127.0.0.1\r\n";
static const char body_head[] =
  "POST /roles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " TOKEN "\r\n"
  "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n";

/* A connection from @a source (an address of 127.0.0.0/8) to the server. */
static int
connect_from(const char *source, uint16_t port)
{
  struct sockaddr_in src = { .sin_family = AF_INET };
  struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(port) };
  struct timeval tv = { .tv_sec = 10 }; /* the generous client timeout */
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(1, inet_pton(AF_INET, source, &src.sin_addr));
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ck_assert_msg(0 == bind(fd, (struct sockaddr *) &src, sizeof src), "bind %s: %s", source,
                strerror(errno));
  ck_assert_msg(0 == connect(fd, (struct sockaddr *) &dst, sizeof dst), "connect: %s",
                strerror(errno));
  return fd;
}

/* Resident memory of this process (server and clients), in KiB. */
static long
rss_kib(void)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;

  if (NULL == f)
    return -1;
  while (NULL != fgets(line, sizeof line, f))
    if (0 == strncmp(line, "VmRSS:", 6))
      kib = atol(line + 6);
  fclose(f);
  return kib;
}

/* The gauge techpay_http_connections_open, from GET /metrics. */
static long
connections_open(uint16_t port)
{
  struct http_response r;
  const char *g;
  long n;

  http_fetch(port, "GET", "/metrics", "", 200, &r);
  g = strstr(r.body, "\ntechpay_http_connections_open ");
  ck_assert_ptr_nonnull(g);
  n = atol(g + sizeof "\ntechpay_http_connections_open " - 1);
  http_response_free(&r);
  return n;
}

static const char *
no_env(const char *name)
{
  (void) name;
  return NULL;
}

/* A server with techpayd's own defaults for the connection limits; no
 * request deadline, so that slow connections stay for the whole
 * measurement (request_deadline_closes_slow_requests tests it). */
static void
start_with_defaults(struct test_server *ts, struct auth **auth, unsigned threads)
{
  char *argv[] = { "techpayd", NULL };
  struct config cfg;
  char err[256];
  struct server_options opts = { .bind = "127.0.0.1", .threads = threads,
                                 .access_log_off = true };

  ck_assert_int_eq(0, config_parse(1, argv, no_env, 1, &cfg, err, sizeof err));
  opts.max_connections = cfg.max_connections;
  opts.max_connections_per_ip = cfg.max_connections_per_ip;
  opts.timeout_s = cfg.timeout_s;
  *auth = auth_new(NULL, TOKEN, false, err, sizeof err);
  ck_assert_msg(NULL != *auth, "%s", err);
  opts.auth = *auth;
  test_server_start_opts(ts, &opts);
}

struct trickle {
  int fds[SLOW_HEADERS + SLOW_BODIES];
  size_t sent[SLOW_HEADERS + SLOW_BODIES];
  atomic_bool running;
  unsigned ticks;
};

/* The next byte of slow connection @a i: its request head, then forever
 * another header line (never the blank line that ends them) or another
 * byte of a body that never reaches its Content-Length. */
static char
next_byte(const struct trickle *t, size_t i)
{
  static const char more_headers[] = "X-a: b\r\n";
  size_t n = t->sent[i];

  if (i < SLOW_HEADERS)
    return n < sizeof loris_head - 1 ? loris_head[n]
                                     : more_headers[(n - (sizeof loris_head - 1))
                                                    % (sizeof more_headers - 1)];
  return n < sizeof body_head - 1 ? body_head[n] : ' ';
}

static void *
trickle_run(void *arg)
{
  struct trickle *t = arg;
  struct timespec tick = { 0, TICK_NS };

  while (atomic_load(&t->running)) {
    for (size_t i = 0; i < SLOW_HEADERS + SLOW_BODIES; i++) {
      char c = next_byte(t, i);

      if (1 == send(t->fds[i], &c, 1, MSG_NOSIGNAL))
        t->sent[i]++;
    }
    t->ticks++;
    nanosleep(&tick, NULL);
  }
  return NULL;
}

/* Still open and unanswered: nothing to read yet. */
static bool
held(int fd)
{
  char c;

  return recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK) < 0 && (EAGAIN == errno || EWOULDBLOCK == errno);
}

static int
cmp_ms(const void *a, const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

START_TEST(slow_clients_do_not_starve_ordinary_ones)
{
  static const char *const targets[] = { "/roles", "/roles/machine-learning-engineer", "/healthz",
                                         "/salaries?limit=5" };
  static struct trickle t;
  struct test_server ts;
  struct auth *auth;
  pthread_t th;
  double lat[ROUNDS * PER_ROUND];
  unsigned ok = 0;
  unsigned n = 0;
  unsigned still_held = 0;
  long rss_before;
  long rss_during;
  long rss_after;
  long open_during;
  struct timespec tick = { 0, TICK_NS };

  start_with_defaults(&ts, &auth, 2);
  rss_before = rss_kib();
  for (size_t i = 0; i < SLOW_HEADERS + SLOW_BODIES; i++) {
    char source[32];

    snprintf(source, sizeof source, "127.0.0.%zu", 2 + i / PER_ADDRESS);
    t.fds[i] = connect_from(source, ts.port);
    t.sent[i] = 0;
  }
  atomic_store(&t.running, true);
  t.ticks = 0;
  ck_assert_int_eq(0, pthread_create(&th, NULL, trickle_run, &t));
  for (unsigned round = 0; round < ROUNDS; round++) {
    for (unsigned k = 0; k < PER_ROUND; k++, n++) {
      char raw[256];
      struct http_response r;
      double start = now_ms();

      snprintf(raw, sizeof raw, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
               targets[n % 4]);
      if (0 == http_raw(ts.port, raw, &r) && 200 == r.status)
        ok++;
      lat[n] = now_ms() - start;
      http_response_free(&r);
    }
    nanosleep(&tick, NULL);
  }
  open_during = connections_open(ts.port);
  rss_during = rss_kib();
  atomic_store(&t.running, false);
  pthread_join(th, NULL);
  for (size_t i = 0; i < SLOW_HEADERS + SLOW_BODIES; i++) {
    still_held += held(t.fds[i]);
    close(t.fds[i]);
  }
  /* wait until the server has seen them go (bounded: 20 s) */
  for (int i = 0; i < 200 && connections_open(ts.port) > 1; i++)
    nanosleep(&tick, NULL);
  rss_after = rss_kib();
  qsort(lat, n, sizeof lat[0], cmp_ms);
  printf("slow clients: %u held (%d slowloris, %d slow bodies) over %u ticks; gauge %ld open;\n"
         "  ordinary requests: %u of %u answered 200; latency ms p50 %.2f p90 %.2f p99 %.2f "
         "max %.2f;\n  RSS KiB before %ld, during %ld, after %ld\n",
         still_held, SLOW_HEADERS, SLOW_BODIES, t.ticks, open_during, ok, n, lat[n / 2],
         lat[n * 9 / 10], lat[n * 99 / 100], lat[n - 1], rss_before, rss_during, rss_after);
  fflush(stdout);
  test_server_stop(&ts);
  auth_free(auth);
  ck_assert_uint_eq(n, ok);
  /* every slow connection was still open and unanswered at the end */
  ck_assert_uint_eq(SLOW_HEADERS + SLOW_BODIES, still_held);
  ck_assert_int_ge(open_during, SLOW_HEADERS + SLOW_BODIES);
}
END_TEST

/* Closed by the server without an answer: end of stream or a reset. */
static bool
refused(int fd)
{
  char c;
  ssize_t got = recv(fd, &c, 1, 0);

  return 0 == got || (got < 0 && ECONNRESET == errno);
}

/* Trickles one more byte of @a text (from *sent on) to @a fd. */
static void
trickle_one(int fd, const char *text, size_t *sent)
{
  if ('\0' != text[*sent] && 1 == send(fd, text + *sent, 1, MSG_NOSIGNAL))
    (*sent)++;
}

/* The server closed @a fd (end of stream or a reset), without waiting. */
static bool
closed_by_server(int fd)
{
  char buf[512];
  ssize_t got = recv(fd, buf, sizeof buf, MSG_DONTWAIT);

  return 0 == got || (got < 0 && EAGAIN != errno && EWOULDBLOCK != errno);
}

START_TEST(request_deadline_closes_slow_requests)
{
  struct server_options opts = { .bind = "127.0.0.1", .threads = 1, .max_connections = 64,
                                 .max_connections_per_ip = 8, .timeout_s = 30,
                                 .request_timeout_s = 1, .access_log_off = true };
  static const char unread_body[] =
    "POST /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n"
    "....................................................................................";
  struct test_server ts;
  struct auth *auth;
  char err[256];
  int loris;
  int slow_body;
  int silent;
  int upload;
  size_t sent[3] = { 0, 0, 0 };
  bool cut[3] = { false, false, false };
  struct http_response r;
  int tick;

  auth = auth_new(NULL, TOKEN, false, err, sizeof err);
  ck_assert_msg(NULL != auth, "%s", err);
  opts.auth = auth;
  test_server_start_opts(&ts, &opts);
  loris = connect_from("127.0.0.2", ts.port);
  slow_body = connect_from("127.0.0.3", ts.port);
  silent = connect_from("127.0.0.4", ts.port);
  upload = connect_from("127.0.0.5", ts.port);
  /* its headers at once, its body a byte a tick */
  ck_assert_int_eq((ssize_t) sizeof body_head - 1,
                   send(upload, body_head, sizeof body_head - 1, MSG_NOSIGNAL));
  /* trickle until the three that never finish a request are cut (bounded: 10 s) */
  for (tick = 0; tick < 100 && !(cut[0] && cut[1] && cut[2]); tick++) {
    trickle_one(loris, loris_head, &sent[0]);
    trickle_one(slow_body, unread_body, &sent[1]);
    trickle_one(upload, "{", &sent[2]);
    sent[2] = 0;
    cut[0] = cut[0] || closed_by_server(loris);
    cut[1] = cut[1] || closed_by_server(slow_body);
    cut[2] = cut[2] || closed_by_server(silent);
    nanosleep(&(struct timespec) { 0, TICK_NS }, NULL);
  }
  printf("request deadline 1 s: slowloris %s, unread slow body %s, silent connection %s, "
         "after %d ticks of 100 ms\n", cut[0] ? "closed" : "open", cut[1] ? "closed" : "open",
         cut[2] ? "closed" : "open", tick);
  fflush(stdout);
  ck_assert_msg(cut[0], "a slowloris connection outlived the request deadline");
  ck_assert_msg(cut[1], "a slow body nobody reads outlived the request deadline");
  ck_assert_msg(cut[2], "a silent connection outlived the request deadline");
  /* an authorised upload only needs its headers in time */
  ck_assert_msg(!closed_by_server(upload), "an authorised upload was cut off");
  http_fetch(ts.port, "GET", "/healthz", "", 200, &r);
  http_response_free(&r);
  close(loris);
  close(slow_body);
  close(silent);
  close(upload);
  test_server_stop(&ts);
  auth_free(auth);
}
END_TEST

/*
 * A connection that arms its deadline while the watcher sweeps has a start
 * later than the sweep's clock reading; that must count as young, not wrap
 * into an age past the limit and get a busy connection shut down.
 */
START_TEST(deadline_spares_a_connection_armed_during_a_sweep)
{
  char err[256];
  struct deadline_watch *w = deadline_watch_start(1, err, sizeof err);
  struct deadline_entry e = { 0 };
  struct deadline_entry old = { 0 };
  int young[2];
  int aged[2];
  char c;

  ck_assert_msg(NULL != w, "%s", err);
  ck_assert_int_eq(0, socketpair(AF_UNIX, SOCK_STREAM, 0, young));
  ck_assert_int_eq(0, socketpair(AF_UNIX, SOCK_STREAM, 0, aged));
  deadline_watch_add(w, &e, young[0]);
  deadline_watch_add(w, &old, aged[0]);
  /* as if armed just after every sweep of the next seconds read the clock */
  atomic_store(&e.since_ns, metrics_now_ns() + 3000000000u);
  /* and, to show the watcher ran, one that has waited too long */
  atomic_store(&old.since_ns, metrics_now_ns() - 2000000000u);
  sleep(2);
  ck_assert_int_eq(0, (int) recv(aged[1], &c, 1, MSG_DONTWAIT)); /* shut down: end of stream */
  ck_assert_int_eq(-1, (int) recv(young[1], &c, 1, MSG_DONTWAIT)); /* still open: nothing yet */
  ck_assert_int_eq(EAGAIN, errno);
  deadline_watch_remove(w, &e);
  deadline_watch_remove(w, &old);
  deadline_watch_stop(w);
  for (int i = 0; i < 2; i++) {
    close(young[i]);
    close(aged[i]);
  }
}
END_TEST

START_TEST(one_address_cannot_take_every_connection)
{
  struct test_server ts;
  struct auth *auth;
  struct config cfg;
  char *argv[] = { "techpayd", NULL };
  char err[256];
  int fds[1024];
  unsigned limit;
  int extra;
  struct http_response r;

  ck_assert_int_eq(0, config_parse(1, argv, no_env, 1, &cfg, err, sizeof err));
  limit = cfg.max_connections_per_ip;
  ck_assert_uint_le(limit, sizeof fds / sizeof fds[0]);
  start_with_defaults(&ts, &auth, 2);
  for (unsigned i = 0; i < limit; i++)
    fds[i] = connect_from("127.0.0.2", ts.port);
  /* the first ones are all accepted before the next is tried */
  for (int i = 0; i < 200 && connections_open(ts.port) < (long) limit + 1; i++)
    nanosleep(&(struct timespec) { 0, 50 * 1000 * 1000L }, NULL);
  extra = connect_from("127.0.0.2", ts.port);
  ck_assert_msg(refused(extra), "connection %u from one address was kept", limit + 1);
  close(extra);
  /* another address is served */
  http_fetch(ts.port, "GET", "/healthz", "", 200, &r);
  http_response_free(&r);
  for (unsigned i = 0; i < limit; i++)
    close(fds[i]);
  test_server_stop(&ts);
  auth_free(auth);
}
END_TEST

START_TEST(over_the_total_limit_connections_wait)
{
  struct server_options opts = { .bind = "127.0.0.1", .threads = 1, .max_connections = 8,
                                 .timeout_s = 30, .access_log_off = true };
  static const char healthz[] = "GET /healthz HTTP/1.0\r\n\r\n";
  struct test_server ts;
  int fds[8];
  int extra;
  struct http_response r;
  char c;
  ssize_t got;

  test_server_start_opts(&ts, &opts);
  /* one connection is /metrics' own while it asks */
  for (int i = 0; i < 7; i++)
    fds[i] = connect_from("127.0.0.3", ts.port);
  for (int i = 0; i < 200 && connections_open(ts.port) < 8; i++)
    nanosleep(&(struct timespec) { 0, 50 * 1000 * 1000L }, NULL);
  fds[7] = connect_from("127.0.0.3", ts.port);
  extra = connect_from("127.0.0.4", ts.port);
  ck_assert_int_eq((ssize_t) sizeof healthz - 1, send(extra, healthz, sizeof healthz - 1,
                                                       MSG_NOSIGNAL));
  /* no room: it waits in the listen queue, not accepted, so never answered */
  got = recv(extra, &c, 1, 0);
  printf("total limit: the connection over it got %zd (%s)\n", got, got < 0 ? strerror(errno) : "");
  ck_assert_msg(got <= 0, "a connection over the limit was answered");
  for (int i = 0; i < 8; i++)
    close(fds[i]);
  close(extra);
  /* and once they are gone, the server serves again */
  for (int i = 0; i < 200; i++) {
    if (0 == http_request(ts.port, "GET", "/healthz", &r) && 200 == r.status)
      break;
    http_response_free(&r);
    nanosleep(&(struct timespec) { 0, 50 * 1000 * 1000L }, NULL);
  }
  ck_assert_int_eq(200, r.status);
  http_response_free(&r);
  test_server_stop(&ts);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("slow");
  TCase *tc = tcase_create("slow");
  struct rlimit rl;

  /* hundreds of connections, each a descriptor on both ends */
  if (0 == getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 2048 && rl.rlim_max >= 2048) {
    rl.rlim_cur = 2048;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, slow_clients_do_not_starve_ordinary_ones);
  tcase_add_test(tc, request_deadline_closes_slow_requests);
  tcase_add_test(tc, deadline_spares_a_connection_armed_during_a_sweep);
  tcase_add_test(tc, one_address_cannot_take_every_connection);
  tcase_add_test(tc, over_the_total_limit_connections_wait);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
