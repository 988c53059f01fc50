/**
 * @file http/params.h
 * @brief Validating query parameters. Each function either succeeds or
 *        fills @a rep with a 400 problem naming the parameter, and returns -1.
 */
#ifndef TECHPAY_HTTP_PARAMS_H
#define TECHPAY_HTTP_PARAMS_H

#include <stdint.h>

#include "http/reply.h"
#include "http/request.h"

/** Rejects any parameter not in the NULL-terminated @a allowed list. */
int params_only(const struct request *req, const char *const allowed[], struct reply *rep);

/**
 * The single value of @a name, or NULL when absent (*value).
 * A parameter given twice is an error: which one would win is a guess.
 */
int params_single(const struct request *req, const char *name, const char **value,
                  struct reply *rep);

/**
 * A decimal integer in [@a min, @a max], @a fallback when absent. Signs,
 * spaces, hex, leading zeros ("007") and empty values are errors, so that
 * every number has one spelling.
 */
int params_uint(const struct request *req, const char *name, int64_t fallback,
                int64_t min, int64_t max, int64_t *out, struct reply *rep);

/**
 * The index of the value of @a name in the NULL-terminated @a choices,
 * @a fallback when absent.
 */
int params_choice(const struct request *req, const char *name,
                  const char *const choices[], int fallback, int *out,
                  struct reply *rep);

#endif
