/**
 * @file model/field_error.h
 * @brief The problems found in a request body or an import, as both 422
 *        answers list them: one problem with one field, and one list of
 *        them that keeps the first and counts them all.
 */
#ifndef TECHPAY_MODEL_FIELD_ERROR_H
#define TECHPAY_MODEL_FIELD_ERROR_H

#include <stddef.h>
#include <stdint.h>

struct field_error {
  uint64_t line;    /* import: the line the row starts on (1-based); 0 for a body */
  char field[64];   /* "amount", "source.id"; "" for the whole; cut at a character boundary */
  char reason[160]; /* "must be a whole number from 1 to 99999999" */
};

/** The most problems a list can keep; the rest are only counted. */
#define FIELD_ERRORS_MAX 100

/**
 * The first problems, in the order found, and the count of all. A list
 * that is all zeros is empty and keeps up to FIELD_ERRORS_MAX; a request
 * body's list keeps fewer (field_errors_clear()), so that its answer
 * stays short.
 */
struct field_errors {
  struct field_error items[FIELD_ERRORS_MAX];
  size_t count;      /* kept in items */
  size_t keep;       /* at most this many are kept; 0: FIELD_ERRORS_MAX */
  uint64_t total;    /* found, kept or not */
  uint64_t bad_rows; /* imports: rows (or lines, or headers) with at least one problem */
};

/** Empties @a e; from now on it keeps at most @a keep problems (0: FIELD_ERRORS_MAX). */
void field_errors_clear(struct field_errors *e, size_t keep);

/**
 * Counts one more problem in @a e.
 * @return the slot to describe it in (its line set to 0), or NULL when
 *         @a e keeps no more
 */
struct field_error *field_errors_next(struct field_errors *e);

#endif
