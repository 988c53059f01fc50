/**
 * @file tests/check_faults.c
 * @brief The real techpayd over real HTTP while its database file
 *        misbehaves: deleted, made read-only, damaged, or full. Each fault
 *        must give the client a problem that names it (503 or 507, never a
 *        bare 500), the log one line that says what happened, and leave
 *        everything committed before intact.
 *
 * Root ignores file permissions, so when the tests run as root the server
 * under test runs as nobody (65534), from a copy of the binary that nobody
 * can reach, in a scratch directory it owns.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/child.h"
#include "tests/harness.h"

#define TOKEN "a-fault-test-token-0123456789"
#define AUTH "Authorization: Bearer " TOKEN "\r\n"
#define NOBODY 65534

static struct child_scratch sc;
static bool as_nobody;

static void
give_to_server(const char *path)
{
  if (as_nobody)
    ck_assert_int_eq(0, chown(path, NOBODY, NOBODY));
}

static void
setup(void)
{
  child_scratch_create(&sc, "faults.db", TOKEN);
  give_to_server(sc.db.dir);
  give_to_server(sc.token_path);
  child_run_as(as_nobody ? NOBODY : 0, as_nobody ? NOBODY : 0);
}

static void
teardown(void)
{
  char copy[320];

  chmod(sc.db.dir, 0700);
  snprintf(copy, sizeof copy, "%s.copy", sc.db.path);
  unlink(copy);
  child_scratch_remove(&sc);
}

/* Starts techpayd on the scratch database with writes enabled. */
static void
srv_start(struct child_server *s, char *const extra[])
{
  char *args[12] = { "--admin-token-file", sc.token_path, "--access-log", "off" };
  int n = 4;

  for (int i = 0; NULL != extra && NULL != extra[i] && n < 11; i++)
    args[n++] = extra[i];
  args[n] = NULL;
  child_server_start(s, sc.db.path, args, NULL);
}

static void
send_req(const struct child_server *s, const char *method, const char *target, const char *body,
         struct http_response *r)
{
  char *raw = NULL;
  int n;

  if (NULL == body)
    n = asprintf(&raw, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                 method, target);
  else
    n = asprintf(&raw, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n" AUTH
                 "Content-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                 method, target, 0 == strcmp(target, "/import") ? "text/csv" : "application/json",
                 strlen(body), body);
  ck_assert_int_lt(0, n);
  ck_assert_msg(0 == http_raw(child_server_port(s), raw, r), "%s %s: no answer", method,
                target);
  free(raw);
}

static void
expect_status(const struct child_server *s, const char *method, const char *target,
              const char *body, int want)
{
  struct http_response r;

  send_req(s, method, target, body, &r);
  ck_assert_msg(want == r.status, "%s %s: %d, want %d: %.400s", method, target, r.status, want,
                r.body);
  http_response_free(&r);
}

/* Asserts a problem+json answer of @a status, @a type, with @a detail in its detail. */
static void
expect_problem(const struct child_server *s, const char *method, const char *target,
               const char *body, int status, const char *type, const char *detail)
{
  struct http_response r;
  char *ct;
  json_t *j;

  send_req(s, method, target, body, &r);
  ck_assert_msg(status == r.status, "%s %s: %d, want %d: %.400s", method, target, r.status,
                status, r.body);
  ct = http_header(&r, "Content-Type");
  ck_assert_msg(NULL != ct && 0 == strncmp(ct, "application/problem+json", 24), "%s", ct);
  j = http_json(&r);
  ck_assert_str_eq(type, json_string_value(json_object_get(j, "type")));
  ck_assert_msg(NULL != strstr(json_string_value(json_object_get(j, "detail")), detail),
                "%s %s: detail %s", method, target, r.body);
  json_decref(j);
  free(ct);
  http_response_free(&r);
}

static const char salary[] =
  "{\"role\":\"cloud-architect\",\"amount\":150000,\"kind\":\"base\",\"statistic\":\"individual\"}";

/* How many times @a needle occurs in @a hay. */
static int
occurrences(const char *hay, const char *needle)
{
  int n = 0;

  for (const char *p = strstr(hay, needle); NULL != p; p = strstr(p + 1, needle))
    n++;
  return n;
}

/* Copies the (stopped server's, self-contained) database file, checks the
 * copy's integrity and returns its number of salary rows. */
static long long
salaries_in_copy(void)
{
  char copy[320];
  size_t len;
  char *bytes = read_file_bytes(sc.db.path, &len);
  FILE *f;
  sqlite3 *conn;
  sqlite3_stmt *st;
  long long n = -1;

  snprintf(copy, sizeof copy, "%s.copy", sc.db.path);
  f = fopen(copy, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(len, fwrite(bytes, 1, len, f));
  fclose(f);
  free(bytes);
  ck_assert_int_eq(SQLITE_OK, sqlite3_open_v2(copy, &conn, SQLITE_OPEN_READWRITE, NULL));
  ck_assert_int_eq(SQLITE_OK, sqlite3_prepare_v2(conn, "PRAGMA integrity_check", -1, &st, NULL));
  ck_assert_int_eq(SQLITE_ROW, sqlite3_step(st));
  ck_assert_str_eq("ok", (const char *) sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  ck_assert_int_eq(SQLITE_OK, sqlite3_prepare_v2(conn, "SELECT count(*) FROM salaries", -1, &st,
                                                 NULL));
  ck_assert_int_eq(SQLITE_ROW, sqlite3_step(st));
  n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(conn);
  unlink(copy);
  return n;
}

/* Creates and seeds the database with one run of the server, plus one
 * salary written over HTTP; returns the number of salaries. */
static long long
committed_database(void)
{
  struct child_server s;

  srv_start(&s, NULL);
  expect_status(&s, "POST", "/salaries", salary, 201);
  child_server_stop(&s);
  return salaries_in_copy();
}

/* -------------------------------------------------------------- deleted */

START_TEST(deleted_while_running_keeps_reading_refuses_writes)
{
  struct child_server s;

  (void) committed_database();
  srv_start(&s, NULL);
  expect_status(&s, "GET", "/readyz", NULL, 200);
  ck_assert_int_eq(0, unlink(sc.db.path));
  /* the open handle still reads the old file ... */
  expect_status(&s, "GET", "/roles/cloud-architect", NULL, 200);
  /* ... but nothing written to it would outlive the process */
  expect_problem(&s, "POST", "/salaries", salary, 503, "/problems/unavailable",
                 "removed while the server ran");
  expect_problem(&s, "POST", "/import",
                 "amount,kind,statistic,role\n100000,base,individual,cloud-architect\n", 503,
                 "/problems/unavailable", "removed while the server ran");
  expect_problem(&s, "GET", "/readyz", NULL, 503, "/problems/unavailable",
                 "removed while the server ran");
  child_server_stop(&s);
  ck_assert_msg(NULL != strstr(s.err, "was deleted or replaced while open; the write was refused"),
                "%s", s.err);
  ck_assert_int_ne(0, access(sc.db.path, F_OK)); /* stopping recreated nothing */
}
END_TEST

START_TEST(missing_at_start_is_created_and_says_so)
{
  struct child_server s;
  char missing[320];
  struct child_run r;

  srv_start(&s, NULL);
  expect_status(&s, "GET", "/roles/cloud-architect", NULL, 200);
  child_server_stop(&s);
  ck_assert_msg(NULL != strstr(s.err, "applied"), "%s", s.err);
  /* a directory that is not there is not made up */
  snprintf(missing, sizeof missing, "%s/no-such-dir/techpay.db", sc.db.dir);
  child_run(&r, (char *[]) { "--bind", "127.0.0.1", "--port", "1", "--db", missing, NULL }, NULL);
  ck_assert_int_eq(1, r.status);
  ck_assert_msg(NULL != strstr(r.err, "techpayd: ") && NULL != strstr(r.err, missing), "%s", r.err);
  ck_assert_msg(1 == occurrences(r.err, "\n"), "%s", r.err);
}
END_TEST

/* ------------------------------------------------------------ read-only */

START_TEST(read_only_file_while_running)
{
  struct child_server s;
  long long before = committed_database();

  srv_start(&s, NULL);
  ck_assert_int_eq(0, chmod(sc.db.path, 0444));
  expect_status(&s, "GET", "/roles/cloud-architect", NULL, 200);
  expect_problem(&s, "POST", "/salaries", salary, 503, "/problems/unavailable",
                 "cannot be written");
  expect_problem(&s, "POST", "/import",
                 "amount,kind,statistic,role\n100000,base,individual,cloud-architect\n", 503,
                 "/problems/unavailable", "cannot be written");
  /* the operator's fix takes effect at once */
  ck_assert_int_eq(0, chmod(sc.db.path, 0644));
  expect_status(&s, "POST", "/salaries", salary, 201);
  child_server_stop(&s);
  ck_assert_msg(NULL != strstr(s.err, "cannot be written: it or its directory is read-only"),
                "%s", s.err);
  ck_assert_int_eq(before + 1, salaries_in_copy());
}
END_TEST

START_TEST(read_only_directory_while_running)
{
  struct child_server s;
  long long before = committed_database();

  srv_start(&s, (char *[]) { "--threads", "2", NULL });
  ck_assert_int_eq(0, chmod(sc.db.dir, 0500));
  /* the -wal and -shm files exist from the start: nothing needs creating,
   * not even for a worker's first connection */
  expect_status(&s, "GET", "/roles/cloud-architect", NULL, 200);
  expect_status(&s, "GET", "/skills", NULL, 200);
  expect_status(&s, "POST", "/salaries", salary, 201);
  expect_status(&s, "POST", "/import",
                "amount,kind,statistic,role\n100000,base,individual,cloud-architect\n", 201);
  expect_status(&s, "GET", "/readyz", NULL, 200);
  child_server_stop(&s);
  ck_assert_int_eq(0, chmod(sc.db.dir, 0700));
  ck_assert_int_eq(before + 2, salaries_in_copy());
}
END_TEST

START_TEST(read_only_at_start)
{
  long long before = committed_database();

  ck_assert_int_eq(0, chmod(sc.db.path, 0444));
  child_refuses_to_start(sc.db.path, "is not writable: Permission denied");
  ck_assert_int_eq(0, chmod(sc.db.path, 0644));
  ck_assert_int_eq(0, chmod(sc.db.dir, 0500));
  child_refuses_to_start(sc.db.path, "the directory of database");
  ck_assert_int_eq(0, chmod(sc.db.dir, 0700));
  ck_assert_int_eq(before, salaries_in_copy());
}
END_TEST

/* ------------------------------------------------------------- damaged */

/* Overwrites @a len bytes at @a offset (negative: the page in the middle). */
static void
overwrite(off_t offset, size_t len)
{
  struct stat st;
  char junk[65536];
  int fd = open(sc.db.path, O_WRONLY);

  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(0, fstat(fd, &st));
  if (offset < 0)
    offset = st.st_size / 2 / 4096 * 4096;
  ck_assert_uint_le(len, sizeof junk);
  for (size_t i = 0; i < len; i++)
    junk[i] = (char) (0xa5 ^ i);
  ck_assert_int_eq((ssize_t) len, pwrite(fd, junk, len, offset));
  close(fd);
}

/* Only answers that work or say the file is damaged, never a bare 500.
 * Prints which were which (the figures of docs/security.md). */
static int
damaged_answers(const struct child_server *s, const char *when)
{
  static const char *const targets[] = {
    "/roles?sort=pay", "/roles/cloud-architect", "/salaries?limit=50", "/skills", "/sources",
    "/industries", "/compare?roles=cloud-architect,devops-engineer",
  };
  int damaged = 0;

  for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
    struct http_response r;

    send_req(s, "GET", targets[i], NULL, &r);
    ck_assert_msg(200 == r.status || 503 == r.status, "GET %s: %d %.300s", targets[i], r.status,
                  r.body);
    if (503 == r.status) {
      ck_assert_msg(NULL != strstr(r.body, "the database file is damaged"), "%s", r.body);
      damaged++;
    }
    fprintf(stderr, "faults: damaged %s: GET %s: %d\n", when, targets[i], r.status);
    http_response_free(&r);
  }
  return damaged;
}

START_TEST(damaged_at_start)
{
  struct child_server s;

  (void) committed_database();
  overwrite(-1, 4096);
  srv_start(&s, NULL);
  ck_assert_int_gt(damaged_answers(&s, "at start"), 0);
  expect_status(&s, "GET", "/healthz", NULL, 200); /* the process is fine: no restart loop */
  child_server_stop(&s);
  ck_assert_msg(NULL != strstr(s.err, "is damaged"), "%s", s.err);
  /* the header: not a database at all, refused before anything is touched */
  overwrite(0, 100);
  child_refuses_to_start(sc.db.path, "not a SQLite database");
}
END_TEST

START_TEST(damaged_while_running)
{
  struct child_server s;

  (void) committed_database();
  srv_start(&s, NULL);
  expect_status(&s, "GET", "/healthz", NULL, 200);
  overwrite(-1, 4096);
  ck_assert_int_gt(damaged_answers(&s, "while running"), 0);
  overwrite(0, 100);
  (void) damaged_answers(&s, "header while running");
  expect_status(&s, "GET", "/healthz", NULL, 200);
  child_server_stop(&s);
  ck_assert_msg(NULL != strstr(s.err, "is damaged"), "%s", s.err);
}
END_TEST

/* ----------------------------------------------------------- disk full */

/* An import of @a rows rows, as CSV. */
static char *
import_csv(unsigned rows)
{
  static const char header[] = "amount,kind,statistic,role,subject,note\n";
  size_t size = sizeof header + (size_t) rows * 160;
  char *csv = malloc(size);
  size_t len;

  ck_assert_ptr_nonnull(csv);
  len = (size_t) snprintf(csv, size, "%s", header);
  for (unsigned i = 0; i < rows; i++)
    len += (size_t) snprintf(csv + len, size - len,
                             "%u,base,individual,cloud-architect,Cohort %u,"
                             "imported to fill the database up to its limit: row %u\n",
                             100000 + i % 50000, i % 97, i);
  return csv;
}

START_TEST(disk_full_during_import_keeps_what_was_there)
{
  struct child_server s;
  long long before = committed_database();
  char *csv = import_csv(20000);

  srv_start(&s, (char *[]) { "--max-db-size", "1", NULL });
  expect_problem(&s, "POST", "/import", csv, 507, "/problems/storage-full", "no room left");
  expect_status(&s, "GET", "/roles/cloud-architect", NULL, 200);
  expect_status(&s, "GET", "/readyz", NULL, 200);
  child_server_stop(&s);
  free(csv);
  ck_assert_msg(NULL != strstr(s.err, "is full: no room left on the disk or under --max-db-size"),
                "%s", s.err);
  ck_assert_int_eq(before, salaries_in_copy());
  /* with room, the same server takes small writes again */
  srv_start(&s, (char *[]) { "--max-db-size", "1", NULL });
  expect_status(&s, "POST", "/salaries", salary, 201);
  child_server_stop(&s);
  ck_assert_int_eq(before + 1, salaries_in_copy());
}
END_TEST

/*
 * Copies the binary under test to a directory of its own in /tmp, readable
 * by everyone: the build tree may sit below a directory only root may
 * enter (a mktemp -d clone is 0700), and nobody must be able to run it.
 * @return 0, or -1 when it could not be copied
 */
static int
copy_binary_for_nobody(char *bin_dir, size_t bin_dir_size, char *copy, size_t copy_size)
{
  const char *tmp = getenv("TMPDIR");
  char buf[65536];
  ssize_t n = 0;
  int in;
  int out;

  snprintf(bin_dir, bin_dir_size, "%s/techpay-faults-bin-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (NULL == mkdtemp(bin_dir) || 0 != chmod(bin_dir, 0755))
    return -1;
  snprintf(copy, copy_size, "%s/techpayd", bin_dir);
  in = open(getenv("TECHPAYD"), O_RDONLY | O_CLOEXEC);
  out = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
  while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
    if (n != write(out, buf, (size_t) n))
      n = -1;
  if (in >= 0)
    close(in);
  if (out >= 0 && 0 != close(out))
    n = -1;
  return in < 0 || out < 0 || n < 0 ? -1 : 0;
}

/* Whether a child that becomes nobody can run @a bin and work in /tmp. */
static bool
nobody_can_run(const char *bin)
{
  const char *tmp = getenv("TMPDIR");
  pid_t pid = fork();
  int st = 1;

  if (0 == pid)
    _exit(0 == setgid(NOBODY) && 0 == setuid(NOBODY) && 0 == access(bin, X_OK)
          && 0 == access(tmp && *tmp ? tmp : "/tmp", W_OK | X_OK) ? 0 : 1);
  return pid > 0 && pid == waitpid(pid, &st, 0) && WIFEXITED(st) && 0 == WEXITSTATUS(st);
}

int
main(void)
{
  Suite *s = suite_create("faults");
  TCase *tc = tcase_create("faults");
  bool permissions = true;
  char bin_dir[256] = "";
  char bin_copy[300] = "";
  int rc;

  if (NULL == getenv("TECHPAYD")) {
    fprintf(stderr, "TECHPAYD must name the techpayd binary (meson test sets it)\n");
    return EXIT_FAILURE;
  }
  if (0 == geteuid()) {
    /* only the server drops privileges: this process keeps root to clean up */
    if (0 == copy_binary_for_nobody(bin_dir, sizeof bin_dir, bin_copy, sizeof bin_copy)
        && nobody_can_run(bin_copy))
      as_nobody = 0 == setenv("TECHPAYD", bin_copy, 1);
    permissions = as_nobody;
    if (!permissions)
      fprintf(stderr, "faults: SKIPPED the read-only tests: running as root, and nobody cannot "
                      "run a copy of techpayd in /tmp (root ignores file permissions)\n");
  }
  tcase_set_timeout(tc, 60);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, deleted_while_running_keeps_reading_refuses_writes);
  tcase_add_test(tc, missing_at_start_is_created_and_says_so);
  if (permissions) {
    tcase_add_test(tc, read_only_file_while_running);
    tcase_add_test(tc, read_only_directory_while_running);
    tcase_add_test(tc, read_only_at_start);
  }
  tcase_add_test(tc, damaged_at_start);
  tcase_add_test(tc, damaged_while_running);
  tcase_add_test(tc, disk_full_during_import_keeps_what_was_there);
  suite_add_tcase(s, tc);
  rc = run_suite(s);
  if ('\0' != bin_copy[0])
    unlink(bin_copy);
  if ('\0' != bin_dir[0])
    rmdir(bin_dir);
  return rc;
}
