/**
 * @file http/params.c
 * @brief Query parameter validation.
 */
#include "http/params.h"

#include <stdint.h>
#include <string.h>

#include "util/number.h"

int
params_only(const struct request *req, const char *const allowed[], struct reply *rep)
{
  for (unsigned i = 0; i < req->nparams; i++) {
    const char *key = req->params[i].key;
    size_t j = 0;

    while (NULL != allowed[j] && 0 != strcmp(allowed[j], key))
      j++;
    if (NULL == allowed[j]) {
      char list[256] = "";

      for (j = 0; NULL != allowed[j]; j++) {
        if (j > 0)
          strncat(list, ", ", sizeof list - strlen(list) - 1);
        strncat(list, allowed[j], sizeof list - strlen(list) - 1);
      }
      reply_problem(rep, PROBLEM_UNKNOWN_PARAMETER, key,
                    "'%.64s' is not a parameter of this resource; it takes: %s",
                    key, j ? list : "none");
      return -1;
    }
  }
  return 0;
}

int
params_single(const struct request *req, const char *name, const char **value,
              struct reply *rep)
{
  *value = NULL;
  for (unsigned i = 0; i < req->nparams; i++) {
    if (0 != strcmp(req->params[i].key, name))
      continue;
    if (NULL != *value) {
      reply_problem(rep, PROBLEM_DUPLICATE_PARAMETER, name,
                    "'%s' may be given only once", name);
      return -1;
    }
    *value = req->params[i].value;
  }
  return 0;
}

int
params_uint(const struct request *req, const char *name, int64_t fallback,
            int64_t min, int64_t max, int64_t *out, struct reply *rep)
{
  const char *value;
  uint64_t n;

  if (0 != params_single(req, name, &value, rep))
    return -1;
  if (NULL == value) {
    *out = fallback;
    return 0;
  }
  /* One spelling per number: "0199000" and "199000" would otherwise be
   * two cache entries for one answer. */
  if (0 != number_parse_canonical(value, (uint64_t) max, &n) || n < (uint64_t) min)
    goto bad;
  *out = (int64_t) n;
  return 0;
bad:
  reply_problem(rep, PROBLEM_INVALID_PARAMETER, name,
                "'%s' must be a whole number from %lld to %lld, in plain digits without a sign "
                "or leading zeros", name,
                (long long) min, (long long) max);
  return -1;
}

int
params_choice(const struct request *req, const char *name,
              const char *const choices[], int fallback, int *out,
              struct reply *rep)
{
  const char *value;
  char list[256] = "";

  if (0 != params_single(req, name, &value, rep))
    return -1;
  if (NULL == value) {
    *out = fallback;
    return 0;
  }
  for (int i = 0; NULL != choices[i]; i++) {
    if (0 == strcmp(choices[i], value)) {
      *out = i;
      return 0;
    }
    if (i > 0)
      strncat(list, ", ", sizeof list - strlen(list) - 1);
    strncat(list, choices[i], sizeof list - strlen(list) - 1);
  }
  reply_problem(rep, PROBLEM_INVALID_PARAMETER, name,
                "'%s' must be one of: %s", name, list);
  return -1;
}
