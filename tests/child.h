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

struct child_run {
  int status; /* exit code, or 128 + signal */
  char out[4096];
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
 * Starts techpayd on @a db_path and a free port (written to @a port) with
 * one thread and @a extra flags (NULL-terminated, at most 12), and waits
 * until /healthz answers.
 */
pid_t child_start_server(const char *db_path, char *port, size_t port_size, char *const extra[],
                         int *out_fd, int *err_fd);

/** A socket connected to 127.0.0.1:@a port. */
int child_connect(uint16_t port);

#endif
