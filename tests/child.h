/**
 * @file tests/child.h
 * @brief The techpayd binary (named by $TECHPAYD) as a child process:
 *        started with arguments and environment, its output on pipes,
 *        waited for, and reached on a free loopback port.
 */
#ifndef TECHPAY_TESTS_CHILD_H
#define TECHPAY_TESTS_CHILD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tests/harness.h"

struct child_run {
  int status; /* exit code, or 128 + signal */
  char out[16384];
  char err[4096];
};

/**
 * Makes every later child drop to @a uid / @a gid before it runs techpayd
 * (root ignores file permissions, so permission faults need another user).
 */
void child_run_as(uid_t uid, gid_t gid);

/** Starts techpayd with @a args (NULL-terminated) and extra "NAME=value"
 *  environment entries (or NULL); stdout and stderr come back on pipes. */
pid_t child_spawn(char *const args[], char *const env[], int *out_fd, int *err_fd);

/** Waits for @a pid: its exit code, or 128 + the signal that ended it. */
int child_wait(pid_t pid);

/** Reads @a fd to its end (or until @a buf is full), NUL-terminates, closes it. */
void child_slurp(int fd, char *buf, size_t size);

/** Runs techpayd to its end, collecting its output and exit status. */
void child_run(struct child_run *r, char *const args[], char *const env[]);

/** A loopback port nobody listens on; with @a holder, kept bound and listening. */
uint16_t child_free_port(int *holder);

/**
 * Asserts that techpayd refuses to serve @a db_path: exit status 1, one
 * line on stderr that contains @a want, and the file left as it was.
 */
void child_refuses_to_start(const char *db_path, const char *want);

/**
 * A scratch directory for techpayd: the path of a database it is to
 * create, and a file of write tokens when one was asked for.
 */
struct child_scratch {
  struct scratch_db db;
  char token_path[300]; /* "" without a token file */
};

/** Makes an empty scratch directory with @a db_name in it (not created)
 *  and, unless @a token is NULL, a token file holding @a token. */
void child_scratch_create(struct child_scratch *cs, const char *db_name, const char *token);
/** Removes the database files, the token file and the directory, which
 *  is made writable first (tests make it read-only). */
void child_scratch_remove(const struct child_scratch *cs);

/** techpayd serving on a free loopback port, and what it printed. */
struct child_server {
  pid_t pid;
  char port[8]; /* as given to --port */
  int out_fd;
  int err_fd;
  char out[8192];  /* its stdout, once it has exited */
  char err[16384]; /* its stderr, likewise */
};

/**
 * Starts techpayd on @a db_path and a free port with one thread, @a extra
 * flags (NULL-terminated, at most 12, or NULL; a later flag wins over an
 * earlier one) and @a env entries ("NAME=value", or NULL), and waits until
 * /healthz answers.
 */
void child_server_start(struct child_server *s, const char *db_path, char *const extra[],
                        char *const env[]);

/** The port it listens on. */
uint16_t child_server_port(const struct child_server *s);

/** Waits for it to exit with status @a want (asserted); keeps its output. */
void child_server_wait(struct child_server *s, int want);

/** SIGTERM, then child_server_wait() for a clean stop (0). */
void child_server_stop(struct child_server *s);

#endif
