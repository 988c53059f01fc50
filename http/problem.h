/**
 * @file http/problem.h
 * @brief The registry of every error an answer can carry, one row each:
 *        the single source of truth for status, type slug and title.
 *
 * The framework's own problems are the generic HTTP ones below. An
 * application registers its own at start-up (problem_register()), with
 * ids from PROBLEM_APP_FIRST on; reply_problem() takes either kind.
 */
#ifndef TECHPAY_HTTP_PROBLEM_H
#define TECHPAY_HTTP_PROBLEM_H

enum problem_id {
  PROBLEM_NOT_FOUND,
  PROBLEM_METHOD_NOT_ALLOWED,
  PROBLEM_URI_TOO_LONG,
  PROBLEM_INVALID_PARAMETER,
  PROBLEM_UNKNOWN_PARAMETER,
  PROBLEM_DUPLICATE_PARAMETER,
  PROBLEM_TOO_MANY_PARAMETERS,
  PROBLEM_UNAVAILABLE,
  PROBLEM_INTERNAL,
  PROBLEM_NOT_ACCEPTABLE,
  PROBLEM_UNAUTHORIZED,
  PROBLEM_FORBIDDEN,
  PROBLEM_BODY_TOO_LARGE,
  PROBLEM_UNSUPPORTED_MEDIA_TYPE,
  PROBLEM_MALFORMED_JSON,
  PROBLEM_INVALID_BODY,
  PROBLEM_CONFLICT,
  PROBLEM_STORAGE_FULL,
  PROBLEM_MALFORMED_REQUEST,
  PROBLEM_HEADERS_TOO_LARGE,
  PROBLEM_NOT_IMPLEMENTED,
  PROBLEM_APP_FIRST /* the first id an application may register */
};

struct problem_def {
  unsigned status;
  const char *slug;  /* the type is "/problems/<slug>" */
  const char *title; /* the same for every occurrence; detail varies */
};

/**
 * Adds the application's problems: @a defs[i] (borrowed for good) is id
 * PROBLEM_APP_FIRST + i. Called once, before any request or handler.
 */
void problem_register(const struct problem_def *defs, unsigned count);

/** @return the registry row of @a id, one of ours or a registered one (static storage) */
const struct problem_def *problem_get(unsigned id);

#endif
