/**
 * @file util/csv_guard.h
 * @brief The guard against spreadsheet formulas in CSV text cells, in one
 *        place for the writer (the CSV export) and the reader (the
 *        import), so that an export always reads back as what was written.
 */
#ifndef TECHPAY_UTIL_CSV_GUARD_H
#define TECHPAY_UTIL_CSV_GUARD_H

#include <stdbool.h>
#include <stddef.h>

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
