/**
 * @file http/problem.h
 * @brief The registry of every error the API can answer, one row each:
 *        the single source of truth for status, type slug and title.
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
  PROBLEM_ROLE_NOT_FOUND,
  PROBLEM_SKILL_NOT_FOUND,
  PROBLEM_SOURCE_NOT_FOUND,
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
  PROBLEM_QUERY_TIMEOUT,
  PROBLEM__COUNT
};

struct problem_def {
  unsigned status;
  const char *slug;  /* the type is "/problems/<slug>" */
  const char *title; /* the same for every occurrence; detail varies */
};

/** @return the registry row of @a id (static storage) */
const struct problem_def *problem_get(enum problem_id id);

#endif
