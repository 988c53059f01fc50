/**
 * @file http/auth.h
 * @brief Bearer tokens for the write routes. Tokens are compared in
 *        constant time and never logged; a write is attributed to the
 *        token's id ("file:3" for line 3 of the token file, "env").
 */
#ifndef TECHPAY_HTTP_AUTH_H
#define TECHPAY_HTTP_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#define AUTH_TOKEN_ID_MAX 24
/* Shorter tokens are refused at start-up: they could be guessed. */
#define AUTH_TOKEN_MIN_LEN 16

struct auth;

enum auth_result {
  AUTH_OK,
  AUTH_NO_TOKENS, /* writes are not enabled: 403 */
  AUTH_READ_ONLY, /* the server runs --read-only: 403 */
  AUTH_MISSING,   /* no Bearer credentials: 401 */
  AUTH_WRONG,     /* credentials that match no token: 401 */
};

/**
 * Loads the tokens of @a token_file (one per line; blank lines and lines
 * starting with '#' are skipped) and @a env_token (either may be NULL).
 * @return the token set, or NULL with one line in @a err
 */
struct auth *auth_new(const char *token_file, const char *env_token, bool read_only,
                      char *err, size_t err_size);

void auth_free(struct auth *a);

/** How many tokens are configured. */
size_t auth_count(const struct auth *a);

/**
 * Checks an Authorization header value (may be NULL).
 * @param[out] token_id the matching token's id on AUTH_OK
 */
enum auth_result auth_check(const struct auth *a, const char *authorization,
                            char token_id[AUTH_TOKEN_ID_MAX]);

#endif
