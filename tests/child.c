/**
 * @file tests/child.c
 * @brief techpayd as a child process of a test.
 */
#include "tests/child.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/harness.h"
#include "tests/test_engine.h"

static uid_t run_uid;
static gid_t run_gid;

void
child_run_as(uid_t uid, gid_t gid)
{
  run_uid = uid;
  run_gid = gid;
}

pid_t
child_spawn(char *const args[], char *const env[], int *out_fd, int *err_fd)
{
  int out[2];
  int err[2];
  pid_t pid;

  ck_assert_int_eq(0, pipe(out));
  ck_assert_int_eq(0, pipe(err));
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (0 == pid) {
    char *argv[32] = { (char *) getenv("TECHPAYD") };

    for (int i = 0; NULL != args[i] && i < 30; i++)
      argv[i + 1] = args[i];
    for (int i = 0; NULL != env && NULL != env[i]; i++)
      putenv(env[i]);
    unsetenv("PORT");
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]);
    close(err[0]);
    if (0 != run_uid && (0 != setgid(run_gid) || 0 != setuid(run_uid)))
      _exit(126);
    execv(argv[0], argv);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  *out_fd = out[0];
  *err_fd = err[0];
  return pid;
}

int
child_wait(pid_t pid)
{
  int st;

  ck_assert_int_eq(pid, waitpid(pid, &st, 0));
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void
child_slurp(int fd, char *buf, size_t size)
{
  size_t len = 0;
  ssize_t n;

  char rest[512];

  while (len + 1 < size && (n = read(fd, buf + len, size - len - 1)) > 0)
    len += (size_t) n;
  buf[len] = '\0';
  /* read what does not fit to the end, so the child is not killed by
   * SIGPIPE for writing more than a test keeps */
  while (read(fd, rest, sizeof rest) > 0)
    ;
  close(fd);
}

void
child_run(struct child_run *r, char *const args[], char *const env[])
{
  int out_fd;
  int err_fd;
  pid_t pid = child_spawn(args, env, &out_fd, &err_fd);

  child_slurp(out_fd, r->out, sizeof r->out);
  child_slurp(err_fd, r->err, sizeof r->err);
  r->status = child_wait(pid);
}

uint16_t
child_free_port(int *holder)
{
  struct sockaddr_in sa = { .sin_family = AF_INET };
  socklen_t len = sizeof sa;
  int fd = socket(AF_INET, SOCK_STREAM, 0);

  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert_int_eq(0, bind(fd, (struct sockaddr *) &sa, sizeof sa));
  ck_assert_int_eq(0, getsockname(fd, (struct sockaddr *) &sa, &len));
  if (NULL != holder) {
    ck_assert_int_eq(0, listen(fd, 1));
    *holder = fd;
  } else {
    close(fd);
  }
  return ntohs(sa.sin_port);
}

void
child_refuses_to_start(const char *db_path, const char *want)
{
  struct child_run r;
  size_t before_len;
  size_t after_len;
  char *before = read_file_bytes(db_path, &before_len);
  char *after;
  const char *newline;

  child_run(&r, (char *[]) { "--bind", "127.0.0.1", "--port", "1", "--db", (char *) db_path,
                             NULL }, NULL);
  ck_assert_int_eq(1, r.status);
  ck_assert_msg(NULL != strstr(r.err, want), "%s", r.err);
  newline = strchr(r.err, '\n');
  ck_assert_msg(NULL != newline && NULL == strchr(newline + 1, '\n'), "%s", r.err);
  after = read_file_bytes(db_path, &after_len);
  ck_assert_uint_eq(before_len, after_len);
  ck_assert_int_eq(0, memcmp(before, after, before_len));
  free(before);
  free(after);
}

void
child_scratch_create(struct child_scratch *cs, const char *db_name, const char *token)
{
  FILE *f;

  if (test_engine_is_postgresql()) {
    /* an empty database, for techpayd to migrate as it would create a file;
     * the directory holds the token file */
    scratch_dir(cs->db.dir, sizeof cs->db.dir, cs->db.path, sizeof cs->db.path, db_name);
    test_engine_pg_create_empty(cs->db.path, sizeof cs->db.path);
  } else {
    scratch_db_path(&cs->db, db_name);
  }
  cs->token_path[0] = '\0';
  if (NULL == token)
    return;
  snprintf(cs->token_path, sizeof cs->token_path, "%s/tokens", cs->db.dir);
  f = fopen(cs->token_path, "w");
  ck_assert_ptr_nonnull(f);
  fprintf(f, "%s\n", token);
  fclose(f);
}

void
child_scratch_remove(const struct child_scratch *cs)
{
  struct scratch_db db = cs->db;

  chmod(db.dir, 0700);
  if ('\0' != cs->token_path[0])
    unlink(cs->token_path);
  scratch_db_remove(&db);
}

void
child_server_start(struct child_server *s, const char *db_path, char *const extra[],
                   char *const env[])
{
  char *args[24] = { "--bind", "127.0.0.1", "--port", s->port, "--db", (char *) db_path,
                     "--threads", "1" };
  int n = 8;

  snprintf(s->port, sizeof s->port, "%u", child_free_port(NULL));
  for (int i = 0; NULL != extra && NULL != extra[i] && i < 12; i++)
    args[n++] = extra[i];
  args[n] = NULL;
  s->out[0] = '\0';
  s->err[0] = '\0';
  s->pid = child_spawn(args, env, &s->out_fd, &s->err_fd);
  for (int i = 0; i < 250; i++) {
    struct http_response r;
    struct timespec ts = { 0, 20 * 1000 * 1000 };

    if (0 == http_request(child_server_port(s), "GET", "/healthz", &r)) {
      http_response_free(&r);
      return;
    }
    nanosleep(&ts, NULL);
  }
  ck_abort_msg("server did not come up");
}

uint16_t
child_server_port(const struct child_server *s)
{
  return (uint16_t) atoi(s->port);
}

void
child_server_wait(struct child_server *s, int want)
{
  ck_assert_int_eq(want, child_wait(s->pid));
  child_slurp(s->out_fd, s->out, sizeof s->out);
  child_slurp(s->err_fd, s->err, sizeof s->err);
}

void
child_server_stop(struct child_server *s)
{
  ck_assert_int_eq(0, kill(s->pid, SIGTERM));
  child_server_wait(s, 0);
}
