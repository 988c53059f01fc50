/**
 * @file tests/test_engine.c
 * @brief The engine choice of a test program, the part that needs no
 *        libpq (see test_engine.h).
 */
#include "tests/test_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_ENGINE_VAR "TECHPAY_TEST_ENGINE"

bool
test_engine_is_postgresql(void)
{
  const char *e = getenv(TEST_ENGINE_VAR);

  return NULL != e && 0 == strcmp(e, "postgresql");
}

/* A typo must not quietly run the suite on SQLite and look as if
 * PostgreSQL had passed. */
bool
test_engine_value_known(void)
{
  const char *e = getenv(TEST_ENGINE_VAR);

  return NULL == e || '\0' == e[0] || 0 == strcmp(e, "sqlite") || 0 == strcmp(e, "postgresql");
}

void
test_engine_add_sqlite_only(TCase *tc, const TTest *test, const char *why_sqlite_only)
{
  if (!test_engine_is_postgresql()) {
    _tcase_add_test(tc, test, 0, 0, 0, 1);
    return;
  }
  printf("%s: skipped on postgresql (SQLite only: %s)\n", test->name, why_sqlite_only);
}
