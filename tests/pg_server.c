/**
 * @file tests/pg_server.c
 * @brief Starts and stops a throwaway PostgreSQL cluster for one test
 *        program (see pg_server.h).
 *
 * initdb takes about a second here, so each test program makes its own
 * cluster once and its tests create fresh databases in it (CREATE
 * DATABASE is cheap), rather than copying a template cluster around.
 * PostgreSQL refuses to run as root, so when the tests run as root the
 * binaries run as the "postgres" user, who then owns the directory.
 *
 * A test program may be killed (a timeout) and never reach its stop. So
 * the start also forks a watcher, in a session of its own so that a kill
 * of the test's process group spares it, that waits on a pipe only the
 * test holds: when the pipe closes, by pg_server_stop or by the test's
 * death, the watcher stops the server and removes the directory.
 */
#include "tests/pg_server.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Only a socket file name: the socket sits in our own directory, so no
 * other server on the machine can be reached or disturbed through it. */
#define PG_SERVER_PORT 5432

/* The newest /usr/lib/postgresql/<major>/bin that holds initdb. */
static int
find_debian_bindir(char *out, size_t out_size)
{
  glob_t g;
  int best = -1;

  if (0 != glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g))
    return -1;
  for (size_t i = 0; i < g.gl_pathc; i++) {
    int major = atoi(g.gl_pathv[i] + strlen("/usr/lib/postgresql/"));

    if (major > best && access(g.gl_pathv[i], X_OK) == 0) {
      best = major;
      snprintf(out, out_size, "/usr/lib/postgresql/%d/bin", major);
    }
  }
  globfree(&g);
  return best < 0 ? -1 : 0;
}

int
pg_server_find(struct pg_server *srv, char *why, size_t why_size)
{
  const char *env = getenv("TECHPAY_PG_BINDIR");
  char initdb[300];

  if (NULL != env && '\0' != env[0])
    snprintf(srv->bindir, sizeof srv->bindir, "%s", env);
  else if (0 != find_debian_bindir(srv->bindir, sizeof srv->bindir)) {
    snprintf(why, why_size, "no PostgreSQL server found (no /usr/lib/postgresql/*/bin/initdb; "
                            "Debian: apt-get install postgresql, or set TECHPAY_PG_BINDIR)");
    return -1;
  }
  snprintf(initdb, sizeof initdb, "%s/initdb", srv->bindir);
  if (0 != access(initdb, X_OK)) {
    snprintf(why, why_size, "no PostgreSQL server found: %s is not executable", initdb);
    return -1;
  }
  return 0;
}

/* In the child: becomes the postgres user when root, sends output to the
 * log in the directory and runs the program. Never returns. */
static void
exec_as_owner(const struct pg_server *srv, const struct passwd *pw, char *const argv[])
{
  char log[300];
  int fd;

  snprintf(log, sizeof log, "%s/setup.log", srv->dir);
  if (NULL != pw && (0 != initgroups(pw->pw_name, pw->pw_gid) || 0 != setgid(pw->pw_gid)
                     || 0 != setuid(pw->pw_uid)))
    _exit(126);
  fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd >= 0) {
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
  }
  fd = open("/dev/null", O_RDONLY);
  if (fd >= 0) {
    dup2(fd, STDIN_FILENO);
    close(fd);
  }
  execv(argv[0], argv);
  _exit(127);
}

/* The postgres account when root (PostgreSQL refuses root), else NULL. */
static const struct passwd *
server_account(void)
{
  return 0 == geteuid() ? getpwnam("postgres") : NULL;
}

/* Runs one server binary to completion; 0 when it exited with 0. */
static int
run_tool(const struct pg_server *srv, char *const argv[])
{
  const struct passwd *pw = server_account();
  int status = 0;
  pid_t pid;

  fflush(NULL);
  pid = fork();
  if (pid < 0)
    return -1;
  if (0 == pid)
    exec_as_owner(srv, pw, argv);
  while (waitpid(pid, &status, 0) < 0)
    if (EINTR != errno)
      return -1;
  return WIFEXITED(status) && 0 == WEXITSTATUS(status) ? 0 : -1;
}

/* Settings for a disposable server: no TCP at all, the socket in our
 * directory, and no durability (a crash loses nothing we keep). */
static int
write_settings(const struct pg_server *srv)
{
  char path[300];
  FILE *f;

  snprintf(path, sizeof path, "%s/data/postgresql.conf", srv->dir);
  f = fopen(path, "a");
  if (NULL == f)
    return -1;
  fprintf(f, "\n# test settings\nlisten_addresses = ''\nunix_socket_directories = '%s'\n"
             "port = %d\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
             "max_connections = 40\nshared_buffers = 16MB\n",
          srv->dir, PG_SERVER_PORT);
  return 0 == fclose(f) ? 0 : -1;
}

static int
make_directory(struct pg_server *srv, char *why, size_t why_size)
{
  const struct passwd *pw = server_account();
  const char *tmp = getenv("TMPDIR");

  /* The socket path must stay under the 107 bytes of sun_path. */
  if (NULL == tmp || strlen(tmp) > 60)
    tmp = "/tmp";
  snprintf(srv->dir, sizeof srv->dir, "%s/techpay-pg-XXXXXX", tmp);
  if (NULL == mkdtemp(srv->dir)) {
    snprintf(why, why_size, "mkdtemp %s: %s", srv->dir, strerror(errno));
    srv->dir[0] = '\0';
    return -1;
  }
  if (0 == geteuid() && NULL == pw) {
    snprintf(why, why_size, "running as root, but there is no postgres user to run the server");
    return -1;
  }
  if (NULL != pw && 0 != chown(srv->dir, pw->pw_uid, pw->pw_gid)) {
    snprintf(why, why_size, "chown %s: %s", srv->dir, strerror(errno));
    return -1;
  }
  return 0;
}

static int
init_and_start(struct pg_server *srv, char *why, size_t why_size)
{
  char initdb[300], pg_ctl[300], data[300], log[300];
  char *init_argv[] = { initdb, "-D", data, "-U", "postgres", "--auth=trust", "--locale=C",
                        "--encoding=UTF8", "-N", NULL };
  char *start_argv[] = { pg_ctl, "-D", data, "-l", log, "-w", "-t", "60", "-s", "start",
                         NULL };

  snprintf(initdb, sizeof initdb, "%s/initdb", srv->bindir);
  snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", srv->bindir);
  snprintf(data, sizeof data, "%s/data", srv->dir);
  snprintf(log, sizeof log, "%s/server.log", srv->dir);
  if (0 != run_tool(srv, init_argv)) {
    snprintf(why, why_size, "initdb failed (see %s/setup.log)", srv->dir);
    return -1;
  }
  if (0 != write_settings(srv)) {
    snprintf(why, why_size, "cannot write %s/postgresql.conf", data);
    return -1;
  }
  if (0 != run_tool(srv, start_argv)) {
    snprintf(why, why_size, "pg_ctl start failed (see %s)", log);
    return -1;
  }
  srv->running = 1;
  return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
  (void) st;
  (void) type;
  (void) ftw;
  return remove(path);
}

/* Stops the server by its data directory and removes the directory. */
static void
stop_and_remove(struct pg_server *srv)
{
  if (srv->running) {
    char pg_ctl[300], data[300];
    char *stop_argv[] = { pg_ctl, "-D", data, "-m", "fast", "-w", "-t", "60", "-s", "stop",
                          NULL };

    snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", srv->bindir);
    snprintf(data, sizeof data, "%s/data", srv->dir);
    srv->running = 0;
    if (0 != run_tool(srv, stop_argv)) {
      /* Leave the directory: the server may still be using it. */
      fprintf(stderr, "pg_server: pg_ctl stop failed; cluster left in %s\n", srv->dir);
      return;
    }
  }
  if ('\0' != srv->dir[0]) {
    nftw(srv->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    srv->dir[0] = '\0';
  }
}

/* Forks the watcher; -1 when it could not be started. */
static int
start_watcher(struct pg_server *srv)
{
  int fds[2];
  char byte;
  ssize_t got;

  if (0 != pipe(fds))
    return -1;
  fflush(NULL);
  srv->watcher = fork();
  if (srv->watcher < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (0 == srv->watcher) {
    close(fds[1]);
    setsid();
    do
      got = read(fds[0], &byte, 1);
    while (got > 0 || (got < 0 && EINTR == errno));
    stop_and_remove(srv);
    _exit(0);
  }
  close(fds[0]);
  /* Programs the tests run must not keep the server alive. */
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  srv->watch_fd = fds[1];
  return 0;
}

int
pg_server_start(struct pg_server *srv, char *why, size_t why_size)
{
  memset(srv, 0, sizeof *srv);
  srv->watch_fd = -1;
  if (0 != pg_server_find(srv, why, why_size))
    return PG_SERVER_SKIP;
  if (0 != make_directory(srv, why, why_size) || 0 != init_and_start(srv, why, why_size)) {
    /* The directory stays, with setup.log and server.log to look at. */
    return -1;
  }
  if (0 != start_watcher(srv)) {
    snprintf(why, why_size, "cannot start the watcher: %s", strerror(errno));
    stop_and_remove(srv);
    return -1;
  }
  pg_server_conninfo(srv, "postgres", srv->conninfo, sizeof srv->conninfo);
  return 0;
}

void
pg_server_conninfo(const struct pg_server *srv, const char *dbname, char *out, size_t out_size)
{
  snprintf(out, out_size, "host=%s port=%d user=postgres dbname=%s connect_timeout=10",
           srv->dir, PG_SERVER_PORT, dbname);
}

void
pg_server_stop(struct pg_server *srv)
{
  int status;

  if (srv->watch_fd < 0) {
    stop_and_remove(srv);
    return;
  }
  /* The watcher stops and removes; we only wait for it. */
  close(srv->watch_fd);
  srv->watch_fd = -1;
  while (waitpid(srv->watcher, &status, 0) < 0 && EINTR == errno)
    ;
  srv->running = 0;
  srv->dir[0] = '\0';
}

int
pg_server_ctl(const struct pg_server *srv, const char *action)
{
  char pg_ctl[300], data[300], log[300];
  char *argv[] = { pg_ctl, "-D", data, "-l", log, "-m", "fast", "-w", "-t", "60", "-s",
                   (char *) action, NULL };

  snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", srv->bindir);
  snprintf(data, sizeof data, "%s/data", srv->dir);
  snprintf(log, sizeof log, "%s/server.log", srv->dir);
  return run_tool(srv, argv);
}

void
pg_server_start_or_exit(struct pg_server *srv, const char *program)
{
  char why[512];
  int rc = pg_server_start(srv, why, sizeof why);

  if (0 == rc)
    return;
  if (PG_SERVER_SKIP == rc) {
    printf("%s: skipped: %s\n", program, why);
    exit(PG_SERVER_SKIP);
  }
  fprintf(stderr, "%s: cannot start a test PostgreSQL: %s\n", program, why);
  exit(1);
}
