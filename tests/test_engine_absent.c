/**
 * @file tests/test_engine_absent.c
 * @brief test_engine.h for a build without libpq: PostgreSQL scratch
 *        databases cannot be made, so asking for them skips the program.
 */
#include "tests/test_engine.h"

#include <stdio.h>
#include <stdlib.h>

void
test_engine_setup(const char *program)
{
  if (!test_engine_value_known()) {
    fprintf(stderr, "%s: TECHPAY_TEST_ENGINE must be sqlite or postgresql, not '%s'\n",
            program, getenv("TECHPAY_TEST_ENGINE"));
    exit(1);
  }
  if (!test_engine_is_postgresql())
    return;
  printf("%s: skipped: built without the PostgreSQL engine (libpq not found)\n", program);
  exit(77);
}

void
test_engine_teardown(void)
{
}

/* Never reached: test_engine_setup() has exited on PostgreSQL. */
static void
unreachable(void)
{
  ck_abort_msg("built without the PostgreSQL engine");
}

void
test_engine_pg_create(char *spec, size_t spec_size)
{
  (void) spec;
  (void) spec_size;
  unreachable();
}

void
test_engine_pg_drop(const char *spec)
{
  (void) spec;
  unreachable();
}

void
test_engine_pg_exec(const char *spec, const char *sql)
{
  (void) spec;
  (void) sql;
  unreachable();
}

long long
test_engine_pg_scalar(const char *spec, const char *sql)
{
  (void) spec;
  (void) sql;
  unreachable();
  return -1;
}

char *
test_engine_pg_dump(const char *spec)
{
  (void) spec;
  unreachable();
  return NULL;
}

int64_t *
test_engine_pg_ints(const char *spec, const char *sql, size_t *n)
{
  (void) spec;
  (void) sql;
  (void) n;
  unreachable();
  return NULL;
}

char *
test_engine_pg_text(const char *spec, const char *sql)
{
  (void) spec;
  (void) sql;
  unreachable();
  return NULL;
}

int
test_engine_pg_try_exec(const char *spec, const char *sql)
{
  (void) spec;
  (void) sql;
  unreachable();
  return -1;
}

void
test_engine_pg_create_empty(char *spec, size_t spec_size)
{
  (void) spec;
  (void) spec_size;
  unreachable();
}
