/**
 * @file tests/check_drain.c
 * @brief SIGTERM under load: the real techpayd with many keep-alive
 *        clients, some reading large answers slowly and some half-way
 *        through uploading an import, is told to stop. Every answer that
 *        began must arrive whole, the imports in flight must finish and
 *        be kept, new connections must be refused, and the exit status 0.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/child.h"
#include "tests/harness.h"

#define TOKEN "a-drain-test-token-0123456789"
#define FAST_CLIENTS 24
#define SLOW_CLIENTS 4
#define IMPORTERS 1
#define IMPORT_ROWS 3000
#define UPLOAD_CHUNK 2048

static struct child_scratch sc;
static uint16_t port;

/* Raised once the test has sent SIGTERM; clients stop starting requests
 * a while after it, when the server has closed their connection. */
static atomic_bool stopping;
static atomic_int clients_started;
static atomic_int uploads_half_sent;

struct client {
  pthread_t thread;
  int kind;              /* 0 fast, 1 slow reader, 2 importer */
  int index;
  unsigned answered;     /* answers that arrived whole */
  unsigned answered_after_stop;
  unsigned cut_off;      /* answers that began and did not arrive whole */
  unsigned server_errors;
  int import_status;     /* importers: the status of their import */
  long long import_rows; /* importers: the rows it accepted */
  char last_error[160];
};

static int
connect_loopback(int rcvbuf)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
  int fd = socket(AF_INET, SOCK_STREAM, 0);

  if (fd < 0)
    return -1;
  if (rcvbuf > 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (0 != connect(fd, (struct sockaddr *) &sa, sizeof sa)) {
    close(fd);
    return -1;
  }
  return fd;
}

static bool
send_paced(int fd, const char *p, size_t len, long pause_every_chunk_ms, struct client *c)
{
  size_t sent = 0;

  while (sent < len) {
    size_t n = len - sent < UPLOAD_CHUNK ? len - sent : UPLOAD_CHUNK;
    ssize_t w = send(fd, p + sent, n, MSG_NOSIGNAL);

    if (w <= 0)
      return false;
    sent += (size_t) w;
    if (pause_every_chunk_ms > 0) {
      if (2 == c->kind && sent >= len / 2 && sent - (size_t) w < len / 2)
        atomic_fetch_add(&uploads_half_sent, 1);
      sleep_ms(pause_every_chunk_ms);
    }
  }
  return true;
}

/* Reads one answer whole (Content-Length, which techpayd always sends).
 * @return its status; 0 when the connection closed before any byte (an
 *         idle keep-alive connection closed between requests: ordinary
 *         HTTP); -1 when an answer began and was cut off */
static int
read_answer(int fd, bool slowly, char **body_out, size_t *body_len)
{
  size_t cap = 65536;
  size_t len = 0;
  char *buf = malloc(cap);
  char *end = NULL;
  size_t want = 0;
  int status = 0;

  ck_assert_ptr_nonnull(buf);
  for (;;) {
    ssize_t n;

    if (len + 4096 > cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      ck_assert_ptr_nonnull(buf);
    }
    n = recv(fd, buf + len, slowly ? 1024 : cap - len - 1, 0);
    if (n <= 0)
      break;
    len += (size_t) n;
    buf[len] = '\0';
    if (NULL == end && NULL != (end = strstr(buf, "\r\n\r\n"))) {
      const char *cl = strcasestr(buf, "\r\nContent-Length:");

      ck_assert_msg(NULL != cl && cl < end, "an answer without Content-Length: %.200s", buf);
      want = (size_t) (end + 4 - buf) + strtoul(cl + 17, NULL, 10);
      status = atoi(buf + 9);
    }
    if (NULL != end && len >= want)
      break;
    if (slowly)
      sleep_ms(1);
  }
  if (NULL == end || len < want) {
    free(buf);
    return 0 == len ? 0 : -1;
  }
  if (NULL != body_out) {
    *body_len = len - (size_t) (end + 4 - buf);
    *body_out = strndup(end + 4, *body_len);
  }
  free(buf);
  return status;
}

static const char *const fast_targets[] = {
  "/roles?sort=pay", "/roles/cloud-architect", "/salaries?limit=100", "/skills",
  "/compare?roles=cloud-architect,devops-engineer", "/industries", "/roles?format=csv",
};

/* Keep-alive GETs until the server closes the connection after SIGTERM. */
static void
run_reader(struct client *c)
{
  bool slow = 1 == c->kind;
  int fd = connect_loopback(slow ? 4096 : 0);
  unsigned n = 0;

  atomic_fetch_add(&clients_started, 1);
  if (fd < 0) {
    snprintf(c->last_error, sizeof c->last_error, "cannot connect: %s", strerror(errno));
    return;
  }
  for (;; n++) {
    char req[256];
    bool after_stop = atomic_load(&stopping);
    const char *target = slow ? "/salaries?limit=500&format=csv"
                              : fast_targets[(n + (unsigned) c->index) %
                                             (sizeof fast_targets / sizeof fast_targets[0])];
    int status;

    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", target);
    if (!send_paced(fd, req, strlen(req), 0, c))
      break;
    status = read_answer(fd, slow, NULL, NULL);
    if (0 == status)
      break;
    if (status < 0) {
      c->cut_off++;
      snprintf(c->last_error, sizeof c->last_error, "GET %s cut off", target);
      break;
    }
    c->answered++;
    c->answered_after_stop += after_stop;
    c->server_errors += status >= 500;
    if (!slow)
      sleep_ms(2);
  }
  close(fd);
}

static char *
import_body(int index)
{
  size_t size = 64 + (size_t) IMPORT_ROWS * 64;
  char *csv = malloc(size);
  size_t len;

  ck_assert_ptr_nonnull(csv);
  len = (size_t) snprintf(csv, size, "amount,kind,statistic,role,subject\n");
  for (int i = 0; i < IMPORT_ROWS; i++)
    len += (size_t) snprintf(csv + len, size - len, "%d,base,individual,devops-engineer,Drain %d\n",
                             90000 + i, index);
  return csv;
}

/* One import, uploaded slowly enough that SIGTERM arrives half-way. */
static void
run_importer(struct client *c)
{
  char *body = import_body(c->index);
  char head[256];
  char *answer = NULL;
  size_t answer_len = 0;
  int fd = connect_loopback(0);

  atomic_fetch_add(&clients_started, 1);
  ck_assert_int_ge(fd, 0);
  snprintf(head, sizeof head, "POST /import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Authorization: Bearer " TOKEN "\r\nContent-Type: text/csv\r\n"
           "Content-Length: %zu\r\n\r\n", strlen(body));
  ck_assert(send_paced(fd, head, strlen(head), 0, c));
  /* about 100 chunks, 15 ms apart: some 1.5 s of upload */
  if (!send_paced(fd, body, strlen(body), 15, c)) {
    snprintf(c->last_error, sizeof c->last_error, "the upload was refused half-way");
    c->cut_off++;
  } else {
    c->import_status = read_answer(fd, false, &answer, &answer_len);
    if (c->import_status < 0) {
      c->cut_off++;
    } else if (201 == c->import_status) {
      json_t *j = json_loads(answer, 0, NULL);

      c->import_rows = json_integer_value(json_object_get(json_object_get(j, "data"), "rows"));
      json_decref(j);
      c->answered++;
      c->answered_after_stop++;
    }
  }
  free(answer);
  free(body);
  close(fd);
}

static void *
client_main(void *arg)
{
  struct client *c = arg;

  if (2 == c->kind)
    run_importer(c);
  else
    run_reader(c);
  return NULL;
}

static long long
salaries_after(void)
{
  return scratch_db_scalar(&sc.db, "SELECT count(*) FROM salaries");
}

static void
setup(void)
{
  child_scratch_create(&sc, "drain.db", TOKEN);
}

static void
teardown(void)
{
  child_scratch_remove(&sc);
}

/* After SIGTERM, while answers are still being drained, a new connection
 * is refused. @return whether it was seen refused before the process ended */
static bool
refuses_new_connections(pid_t pid)
{
  for (int i = 0; i < 400; i++) {
    int fd = connect_loopback(0);
    siginfo_t info = { 0 };

    /* WNOWAIT: look without reaping it, child_server_wait() does that */
    if (fd < 0 && ECONNREFUSED == errno)
      return 0 == waitid(P_PID, (id_t) pid, &info, WEXITED | WNOHANG | WNOWAIT)
             && 0 == info.si_pid; /* still draining */
    if (fd >= 0)
      close(fd);
    sleep_ms(5);
  }
  return false;
}

START_TEST(sigterm_drains_every_answer_in_flight)
{
  static struct client clients[FAST_CLIENTS + SLOW_CLIENTS + IMPORTERS];
  const size_t nclients = sizeof clients / sizeof clients[0];
  struct child_server srv;
  long long before;
  long long imported = 0;
  unsigned answered = 0;
  unsigned after_stop = 0;
  bool refused;

  child_server_start(&srv, sc.db.path,
                     (char *[]) { "--threads", "2", "--drain-timeout", "30",
                                  "--admin-token-file", sc.token_path, "--access-log", "off",
                                  NULL },
                     NULL);
  port = child_server_port(&srv);
  before = salaries_after();
  memset(clients, 0, sizeof clients);
  for (size_t i = 0; i < nclients; i++) {
    clients[i].index = (int) i;
    clients[i].kind = i < FAST_CLIENTS ? 0 : i < FAST_CLIENTS + SLOW_CLIENTS ? 1 : 2;
    ck_assert_int_eq(0, pthread_create(&clients[i].thread, NULL, client_main, &clients[i]));
  }
  /* every client is busy and each import is half uploaded */
  for (int i = 0; i < 3000 && atomic_load(&uploads_half_sent) < IMPORTERS; i++)
    sleep_ms(2);
  ck_assert_int_eq(IMPORTERS, atomic_load(&uploads_half_sent));
  ck_assert_int_eq((int) nclients, atomic_load(&clients_started));
  atomic_store(&stopping, true);
  ck_assert_int_eq(0, kill(srv.pid, SIGTERM));
  refused = refuses_new_connections(srv.pid);
  for (size_t i = 0; i < nclients; i++)
    ck_assert_int_eq(0, pthread_join(clients[i].thread, NULL));
  child_server_wait(&srv, 0);
  for (size_t i = 0; i < nclients; i++) {
    const struct client *c = &clients[i];

    ck_assert_msg(0 == c->cut_off, "client %zu (kind %d): %s", i, c->kind, c->last_error);
    ck_assert_msg(0 == c->server_errors, "client %zu: %u 5xx", i, c->server_errors);
    ck_assert_msg(c->answered > 0, "client %zu (kind %d) got no whole answer (import: %d): %s", i,
                  c->kind, c->import_status, c->last_error);
    if (2 == c->kind) {
      ck_assert_int_eq(201, c->import_status);
      ck_assert_int_eq(IMPORT_ROWS, c->import_rows);
      imported += c->import_rows;
    }
    answered += c->answered;
    after_stop += c->answered_after_stop;
  }
  ck_assert_msg(refused, "a new connection was still accepted after SIGTERM");
  ck_assert_msg(NULL == strstr(srv.err, "cut off"), "%s", srv.err);
  ck_assert_msg(NULL != strstr(srv.err, "stopped"), "%s", srv.err);
  ck_assert_int_eq(before + imported, salaries_after());
  /* the figures, for docs/security.md */
  fprintf(stderr, "drain: %zu clients, %u whole answers, %u of them begun after SIGTERM, "
          "%lld rows imported across it, 0 cut off\n", nclients, answered, after_stop, imported);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("drain");
  TCase *tc = tcase_create("drain");

  if (NULL == getenv("TECHPAYD")) {
    fprintf(stderr, "TECHPAYD must name the techpayd binary (meson test sets it)\n");
    return EXIT_FAILURE;
  }
  signal(SIGPIPE, SIG_IGN);
  tcase_set_timeout(tc, 90);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, sigterm_drains_every_answer_in_flight);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
