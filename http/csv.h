/**
 * @file http/csv.h
 * @brief A list reply's rows as RFC 4180 CSV.
 */
#ifndef TECHPAY_HTTP_CSV_H
#define TECHPAY_HTTP_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

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

/**
 * Whether the text cell @a s (@a n bytes) starts with a character that a
 * spreadsheet takes as the start of a formula or that would make the guard
 * ambiguous: = + - @ TAB CR, or a single quote.
 */
bool csv_text_needs_guard(const char *s, size_t n);

/**
 * The guard's length in a text cell read back from CSV: 1 when @a s is a
 * single quote followed by what csv_text_needs_guard() accepts, else 0.
 * Dropping that many bytes undoes the writer's guard exactly: a guarded
 * value always has the quote, an unguarded one never starts with a quote.
 */
size_t csv_text_guard_len(const char *s, size_t n);

#endif
