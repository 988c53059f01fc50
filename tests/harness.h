/**
 * @file tests/harness.h
 * @brief What the test programs share: migrated scratch databases, an
 *        in-process server on a free port, and a minimal HTTP client that
 *        speaks raw bytes (so tests can send what curl would refuse to).
 */
#ifndef TECHPAY_TESTS_HARNESS_H
#define TECHPAY_TESTS_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <check.h>
#include <jansson.h>

#include "db/db.h"
#include "handlers/problems.h"
#include "handlers/routes.h"
#include "server/app_server.h"

/** A fresh, fully migrated database file in a scratch directory. */
struct scratch_db {
  char dir[256];
  char path[300];
};

/** Creates and migrates; aborts the test on failure. */
void scratch_db_create(struct scratch_db *sd);
/** Removes the database and its WAL files. */
void scratch_db_remove(struct scratch_db *sd);

/** Creates a scratch database and opens one read-write connection to it. */
void scratch_db_connect(struct scratch_db *sd, struct db **db);
/** Closes the connection and removes the database. */
void scratch_db_disconnect(struct scratch_db *sd, struct db *db);
/** @a sqlite_sql or @a pg_sql, whichever speaks the engine of @a sd: for
 *  the few statements a test needs that the two dialects spell apart. */
const char *scratch_db_sql(const struct scratch_db *sd, const char *sqlite_sql,
                           const char *pg_sql);
/** Runs @a sql on its own connection, as another writer would. */
void scratch_db_exec(const struct scratch_db *sd, const char *sql);
/** Runs @a sql as scratch_db_exec() does. @return 0, or -1 when the
 *  database refused it (a constraint), which does not fail the test */
int scratch_db_try_exec(const struct scratch_db *sd, const char *sql);
/** The first column of the first row of @a sql as a whole number, read
 *  on a read-only connection of its own; -1 when there is no row. */
long long scratch_db_scalar(const struct scratch_db *sd, const char *sql);
/** The first column of the first row of @a sql as text, in a malloc'd
 *  string; NULL when there is no row or the value is NULL. */
char *scratch_db_text(const struct scratch_db *sd, const char *sql);
/** The first column of every row of @a sql as whole numbers, in a
 *  malloc'd array of *@a n (the caller frees it). */
int64_t *scratch_db_ints(const struct scratch_db *sd, const char *sql, size_t *n);
/** Every row of every table as text, in a malloc'd string: equal dumps,
 *  equal contents. Fails the test when a table cannot be read. */
char *scratch_db_dump(const struct scratch_db *sd);

/** An empty scratch directory; @a path receives dir + "/" + name. */
void scratch_dir(char *dir, size_t dir_size, char *path, size_t path_size, const char *name);
/** An empty scratch directory, and in @a sd->path a database not created
 *  yet (for the code under test to create); scratch_db_remove() cleans up. */
void scratch_db_path(struct scratch_db *sd, const char *name);

struct test_server {
  struct scratch_db db;
  struct server *srv;
  uint16_t port;
  struct auth *auth; /* its write token, owned (test_server_start_with_token); or NULL */
};

/** CK_TIMEOUT_MULTIPLIER (10 under valgrind), 1 when unset: socket
 *  timeouts of tests scale with it, as the server is that much slower. */
long timeout_multiplier(void);

/** Starts a server with @a threads threads on 127.0.0.1 and a fresh database. */
void test_server_start(struct test_server *ts, unsigned threads);
struct server_options;
/** Starts a server with @a opts on a fresh database (app_server_start()). */
void test_server_start_opts(struct test_server *ts, struct server_options *opts);
void test_server_stop(struct test_server *ts);
/**
 * test_server_start_opts() with one write token, @a token; opts->auth is
 * set here, test_server_stop() frees it.
 */
void test_server_start_with_token(struct test_server *ts, struct server_options *opts,
                                  const char *token);
/** Stops the server and starts it with @a opts again, on the same database
 *  and with the same token (opts->auth is set here). */
void test_server_restart(struct test_server *ts, struct server_options *opts);

struct http_response {
  int status;
  char *headers;   /* raw header block, "\r\n"-separated, NUL-terminated */
  char *body;      /* NUL-terminated */
  size_t body_len;
};

/**
 * Sends @a raw (a whole request) to 127.0.0.1:@a port and reads the one
 * response. @return 0, or -1 on a transport error.
 */
int http_raw(uint16_t port, const char *raw, struct http_response *out);
/** http_raw() for bytes that may hold NULs; a send cut short by an early answer still reads it. */
int http_raw_bytes(uint16_t port, const char *raw, size_t raw_len, struct http_response *out);

/**
 * How long a test client waits for an answer: 10 s times Check's
 * CK_TIMEOUT_MULTIPLIER, since under valgrind a server parsing a large
 * body is slow, not hung.
 */
time_t http_client_timeout_s(void);

/** A connected socket to 127.0.0.1:@a port with the client timeout, or -1. */
int connect_local(uint16_t port);
/** connect_local(), failing the test when the connection is not made. */
int connect_local_or_fail(uint16_t port);
/** Sends all @a len bytes of @a p, or as many as the peer takes before
 *  it closes; no SIGPIPE. */
void send_all(int fd, const void *p, size_t len);
/** Sleeps @a ms milliseconds. */
void sleep_ms(long ms);

/** GET (or @a method) @a target with "Connection: close". */
int http_request(uint16_t port, const char *method, const char *target, struct http_response *out);

/**
 * @a method @a target with extra header lines @a headers ("" or
 * "Name: value\r\n..."), "Connection: close"; asserts the status.
 */
void http_fetch(uint16_t port, const char *method, const char *target, const char *headers,
                int want_status, struct http_response *r);
/** http_fetch() with @a body (or NULL: none) and its Content-Length. */
void http_fetch_body(uint16_t port, const char *method, const char *target, const char *headers,
                     const char *body, int want_status, struct http_response *r);
/** The request of http_fetch_body(), its status not asserted.
 *  @return 0, or -1 on a transport error */
int http_send(uint16_t port, const char *method, const char *target, const char *headers,
              const char *body, struct http_response *r);

/**
 * Waits until GET @a target answers a body containing @a text: a commit by
 * another process shows in cached answers within the server's data
 * version poll (DATA_VERSION_POLL_MS), not at once. Fails the test when it
 * has not shown after 200 times that.
 */
void http_await_body(uint16_t port, const char *target, const char *text);

/** The value of header @a name (case-insensitive) in a malloc'd string, or NULL. */
char *http_header(const struct http_response *r, const char *name);

/** Asserts that header @a name equals @a want (NULL: that it is absent). */
void http_assert_header(const struct http_response *r, const char *name, const char *want);

/** Parses the body as JSON; aborts the test when it is not JSON. */
json_t *http_json(const struct http_response *r);

void http_response_free(struct http_response *r);

struct reply;
struct request;
typedef int (*harness_handler_fn)(const struct request *req, struct reply *rep);

/**
 * Calls handler @a h on @a db directly (no HTTP), with @a arg as the path
 * placeholder (or NULL) and @a query as "key=value" strings (NULL-ended,
 * or NULL), after the query check of h's route, as the server makes it.
 * Asserts that a reply was produced; the caller frees it with reply_clear().
 */
void handler_call(struct db *db, harness_handler_fn h, const char *arg,
                  const char *const query[], struct reply *out);

/** The whole file in a malloc'd buffer (NUL-terminated); aborts the test when unreadable. */
char *read_file_bytes(const char *path, size_t *len);

/** Runs @a s (taking ownership); @return the process exit status. */
int run_suite(Suite *s);

#endif
