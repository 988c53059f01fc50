/**
 * @file http/auth.c
 * @brief Loading and checking bearer tokens.
 */
#include "http/auth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TOKEN_MAX 256

struct token {
  char value[TOKEN_MAX + 1];
  size_t len;
  char id[AUTH_TOKEN_ID_MAX];
};

struct auth {
  struct token *tokens;
  size_t n;
  bool read_only;
};

static int
add_token(struct auth *a, const char *value, size_t len, const char *id, char *err, size_t err_size)
{
  struct token *grown;

  if (len < AUTH_TOKEN_MIN_LEN || len > TOKEN_MAX) {
    snprintf(err, err_size, "admin token %s must be %d to %d characters long", id,
             AUTH_TOKEN_MIN_LEN, TOKEN_MAX);
    return -1;
  }
  for (size_t i = 0; i < len; i++) {
    if ((unsigned char) value[i] <= ' ' || (unsigned char) value[i] >= 0x7f) {
      snprintf(err, err_size, "admin token %s holds a space or control character", id);
      return -1;
    }
  }
  grown = realloc(a->tokens, (a->n + 1) * sizeof *grown);
  if (NULL == grown) {
    snprintf(err, err_size, "out of memory");
    return -1;
  }
  a->tokens = grown;
  memcpy(grown[a->n].value, value, len);
  grown[a->n].value[len] = '\0';
  grown[a->n].len = len;
  snprintf(grown[a->n].id, sizeof grown[a->n].id, "%s", id);
  a->n++;
  return 0;
}

static int
load_file(struct auth *a, const char *path, char *err, size_t err_size)
{
  FILE *f = fopen(path, "r");
  char line[TOKEN_MAX + 4];
  unsigned lineno = 0;
  int rc = 0;

  if (NULL == f) {
    snprintf(err, err_size, "cannot read admin token file %s: %s", path, strerror(errno));
    return -1;
  }
  while (0 == rc && NULL != fgets(line, sizeof line, f)) {
    size_t len = strcspn(line, "\r\n");
    char id[AUTH_TOKEN_ID_MAX];

    lineno++;
    if ('\0' != line[len] || feof(f)) {
      line[len] = '\0';
    } else {
      snprintf(err, err_size, "admin token file %s: line %u is too long", path, lineno);
      rc = -1;
      break;
    }
    if (0 == len || '#' == line[0])
      continue;
    snprintf(id, sizeof id, "file:%u", lineno);
    rc = add_token(a, line, len, id, err, err_size);
  }
  fclose(f);
  return rc;
}

struct auth *
auth_new(const char *token_file, const char *env_token, bool read_only, char *err, size_t err_size)
{
  struct auth *a = calloc(1, sizeof *a);

  if (NULL == a) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  a->read_only = read_only;
  if ((NULL != token_file && 0 != load_file(a, token_file, err, err_size))
      || (NULL != env_token && '\0' != env_token[0]
          && 0 != add_token(a, env_token, strlen(env_token), "env", err, err_size))) {
    auth_free(a);
    return NULL;
  }
  return a;
}

void
auth_free(struct auth *a)
{
  if (NULL == a)
    return;
  /* the tokens are secrets: do not leave them in freed memory */
  if (NULL != a->tokens) {
    volatile unsigned char *p = (volatile unsigned char *) a->tokens;

    for (size_t i = 0; i < a->n * sizeof *a->tokens; i++)
      p[i] = 0;
  }
  free(a->tokens);
  free(a);
}

size_t
auth_count(const struct auth *a)
{
  return NULL == a ? 0 : a->n;
}

/* Equal or not, in a time that depends on the token's length only, never
 * on where the first difference is or on what the client sent. */
static bool
same(const struct token *t, const char *given, size_t given_len)
{
  unsigned diff = (unsigned) (t->len ^ given_len);

  for (size_t i = 0; i < t->len; i++)
    diff |= (unsigned char) t->value[i] ^ (unsigned char) (given_len ? given[i % given_len] : 0);
  return 0 == diff;
}

enum auth_result
auth_check(const struct auth *a, const char *authorization, char token_id[AUTH_TOKEN_ID_MAX])
{
  const char *given;
  size_t len;
  bool found = false;

  /* Read-only first: a replica run read-only must not tell its clients
   * that a token would enable writes there. */
  if (NULL != a && a->read_only)
    return AUTH_READ_ONLY;
  if (NULL == a || 0 == a->n)
    return AUTH_NO_TOKENS;
  if (NULL == authorization || 0 != strncasecmp(authorization, "Bearer ", 7))
    return AUTH_MISSING;
  given = authorization + 7;
  while (' ' == *given)
    given++;
  len = strlen(given);
  /* every token is compared, so the time does not tell which one matched */
  for (size_t i = 0; i < a->n; i++) {
    if (same(&a->tokens[i], given, len) && !found) {
      found = true;
      memcpy(token_id, a->tokens[i].id, AUTH_TOKEN_ID_MAX);
    }
  }
  return found ? AUTH_OK : AUTH_WRONG;
}
