/**
 * @file tests/check_auth.c
 * @brief Admin tokens: loading, checking, refusing weak ones.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/auth.h"
#include "tests/harness.h"

static char dir[256];
static char path[300];

static void
setup(void)
{
  scratch_dir(dir, sizeof dir, path, sizeof path, "tokens");
}

static void
teardown(void)
{
  unlink(path);
  rmdir(dir);
}

static void
write_tokens(const char *text)
{
  FILE *f = fopen(path, "w");

  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

START_TEST(file_and_environment_tokens)
{
  char err[256];
  char id[AUTH_TOKEN_ID_MAX];
  struct auth *a;

  write_tokens("# admins\n\nfirst-token-0123456789\r\nsecond-token-0123456789\n");
  a = auth_new(path, "env-token-0123456789", false, err, sizeof err);
  ck_assert_msg(NULL != a, "%s", err);
  ck_assert_uint_eq(3, auth_count(a));
  ck_assert_int_eq(AUTH_OK, auth_check(a, "Bearer first-token-0123456789", id));
  ck_assert_str_eq("file:3", id);
  ck_assert_int_eq(AUTH_OK, auth_check(a, "bearer second-token-0123456789", id));
  ck_assert_str_eq("file:4", id);
  ck_assert_int_eq(AUTH_OK, auth_check(a, "Bearer env-token-0123456789", id));
  ck_assert_str_eq("env", id);
  auth_free(a);
}
END_TEST

START_TEST(wrong_and_missing_credentials)
{
  char err[256];
  char id[AUTH_TOKEN_ID_MAX];
  struct auth *a = auth_new(NULL, "env-token-0123456789", false, err, sizeof err);

  ck_assert_ptr_nonnull(a);
  ck_assert_int_eq(AUTH_MISSING, auth_check(a, NULL, id));
  ck_assert_int_eq(AUTH_MISSING, auth_check(a, "Basic ZW52", id));
  ck_assert_int_eq(AUTH_WRONG, auth_check(a, "Bearer ", id));
  ck_assert_int_eq(AUTH_WRONG, auth_check(a, "Bearer env-token-012345678", id));   /* a prefix */
  ck_assert_int_eq(AUTH_WRONG, auth_check(a, "Bearer env-token-01234567890", id)); /* longer */
  ck_assert_int_eq(AUTH_WRONG, auth_check(a, "Bearer ENV-TOKEN-0123456789", id));
  auth_free(a);
}
END_TEST

START_TEST(no_tokens_and_read_only)
{
  char err[256];
  char id[AUTH_TOKEN_ID_MAX];
  struct auth *a = auth_new(NULL, NULL, false, err, sizeof err);

  ck_assert_ptr_nonnull(a);
  ck_assert_int_eq(AUTH_NO_TOKENS, auth_check(a, "Bearer anything-at-all-here", id));
  auth_free(a);
  a = auth_new(NULL, "env-token-0123456789", true, err, sizeof err);
  ck_assert_int_eq(AUTH_READ_ONLY, auth_check(a, "Bearer env-token-0123456789", id));
  auth_free(a);
  /* read-only without tokens, as the Kubernetes replicas run */
  a = auth_new(NULL, NULL, true, err, sizeof err);
  ck_assert_int_eq(AUTH_READ_ONLY, auth_check(a, "Bearer anything-at-all-here", id));
  ck_assert_int_eq(AUTH_READ_ONLY, auth_check(a, NULL, id));
  auth_free(a);
}
END_TEST

START_TEST(weak_or_unreadable_tokens_are_refused)
{
  char err[256] = "";

  ck_assert_ptr_null(auth_new(NULL, "short", false, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "16"));
  write_tokens("has space in it 0123456789\n");
  ck_assert_ptr_null(auth_new(path, NULL, false, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "file:1"));
  ck_assert_ptr_null(auth_new("/nonexistent/tokens", NULL, false, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "/nonexistent/tokens"));
  /* the secret never appears in an error */
  write_tokens("ok-token-0123456789abc\nbad\n");
  ck_assert_ptr_null(auth_new(path, NULL, false, err, sizeof err));
  ck_assert_ptr_null(strstr(err, "ok-token"));
  ck_assert_ptr_null(strstr(err, "bad"));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("auth");
  TCase *tc = tcase_create("auth");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, file_and_environment_tokens);
  tcase_add_test(tc, wrong_and_missing_credentials);
  tcase_add_test(tc, no_tokens_and_read_only);
  tcase_add_test(tc, weak_or_unreadable_tokens_are_refused);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
