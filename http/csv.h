/**
 * @file http/csv.h
 * @brief A list reply's rows as RFC 4180 CSV.
 */
#ifndef TECHPAY_HTTP_CSV_H
#define TECHPAY_HTTP_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* The formula guard of text cells is shared with the import. */
#include "util/csv_guard.h"

/**
 * Writes @a rows, an array of objects, as CSV: a header row of the first
 * object's keys in their order, then one record per object, every line
 * ended by CRLF. A field is quoted when it holds a comma, a quote, CR or LF
 * (quotes doubled). null and missing keys are empty fields, strings their
 * text, numbers and true/false as JSON writes them, arrays and objects
 * their compact JSON text, always quoted. Keys that the first object lacks
 * are left out. An empty array gives an empty text.
 * @param[out] len the length of the text, without its terminating NUL
 * @return the text, which the caller frees with free(); NULL when @a rows
 *         is not an array of objects, or when out of memory
 */
char *csv_from_rows(const json_t *rows, size_t *len);

#endif
