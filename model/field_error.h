/**
 * @file model/field_error.h
 * @brief One problem with one field, as both a request body's and an
 *        import row's 422 answer list it.
 */
#ifndef TECHPAY_MODEL_FIELD_ERROR_H
#define TECHPAY_MODEL_FIELD_ERROR_H

#include <stdint.h>

struct field_error {
  uint64_t line;    /* import: the line the row starts on (1-based); 0 for a body */
  char field[64];   /* "amount", "source.id"; "" for the whole; cut at a character boundary */
  char reason[160]; /* "must be a whole number from 1 to 99999999" */
};

#endif
