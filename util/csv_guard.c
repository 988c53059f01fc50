/**
 * @file util/csv_guard.c
 * @brief The formula guard of CSV text cells (OWASP, "CSV Injection").
 */
#include "util/csv_guard.h"

#include <string.h>

/* A spreadsheet reads a cell that starts with one of these as a formula;
 * the quote is there so that a value that itself starts with a quote also
 * gets one, which keeps the guard reversible. */
static const char formula_starts[] = "=+-@\t\r'";

bool
csv_text_needs_guard(const char *s, size_t n)
{
  return n > 0 && NULL != memchr(formula_starts, s[0], sizeof formula_starts - 1);
}

size_t
csv_text_guard_len(const char *s, size_t n)
{
  return n > 1 && '\'' == s[0] && csv_text_needs_guard(s + 1, n - 1) ? 1 : 0;
}
