/**
 * @file model/import_rows.h
 * @brief Streaming parser for POST /import bodies: CSV or NDJSON salary
 *        observations in the shape GET /salaries serves, read chunk by
 *        chunk as they arrive. Pure: no database, no HTTP.
 *
 * Feed the body in chunks of any size, cut anywhere (mid-line, mid-quote,
 * mid-UTF-8 sequence), then finish. Each complete row is checked field by
 * field and handed to a callback, either as a valid struct salary_report or
 * as the list of its problems. Memory stays bounded whatever the size of
 * the body: one row (at most IMPORT_MAX_LINE bytes) is held at a time.
 *
 * Both formats:
 * - A UTF-8 byte order mark at the very start is skipped. CRLF and LF line
 *   ends are both accepted.
 * - Members and columns are the member names of GET /salaries items: id,
 *   amount, currency, kind, statistic, bound, scope, year, note, source,
 *   role, subject. Server-owned ones are ignored: id, source.slug,
 *   source.title; currency may be given but must be "USD".
 * - The fields follow the rules of POST /salaries (model/rules.h), with
 *   the same messages; a refused value is quoted after the message.
 * - amount: a whole number from 1 to MODEL_AMOUNT_MAX (no sign, no
 *   separators, no exponent, no fraction); kind: base | total; statistic:
 *   average | median | minimum | maximum | individual | p25 | p75; bound:
 *   exact | at_least | below (exact when absent); year: 1900..2100 or
 *   absent; role: a slug ([a-z0-9]+ joined by single hyphens, at most 80
 *   characters) or absent, and then subject is required; subject and scope
 *   1..200 characters, note 1..1000, source.section 1..200; source.id a
 *   whole number >= 1. A source is optional, but when given needs both its
 *   id and its section.
 * - Text must be valid UTF-8 without control characters (a note may hold
 *   newlines and tabs) and must not start or end with whitespace.
 *
 * CSV (RFC 4180, as GET /salaries?format=csv writes it): the first row is
 * the header. The nested source object is either one "source" column
 * holding its compact JSON text (what the CSV export writes), or flattened
 * into "source.id", "source.slug", "source.title", "source.section"
 * columns; not both. An empty cell is an absent (null) value. Fields are
 * taken exactly as written: no whitespace is trimmed. A text cell (and a
 * header name) that starts with a single quote followed by = + - @ TAB CR
 * or another quote loses that one quote: the export's guard against
 * spreadsheet formulas (util/csv_guard.h), so an export reads back as the text
 * it was written from. Number cells never have one. Blank lines are
 * skipped. A row with more or fewer fields than the header is an error of
 * that row. These end the parse (IMPORT_MALFORMED), as the rest of the body
 * cannot be read reliably: a bad header (unknown columns, all named in one
 * error; a repeated column; both source forms; no amount, kind or
 * statistic column; neither a role nor a subject column), broken quoting,
 * and a row longer than IMPORT_MAX_LINE bytes.
 *
 * NDJSON: one JSON object per line; blank lines are skipped. Unknown
 * members are errors of that row (one per member), as are a line that is
 * not a JSON object and a line longer than IMPORT_MAX_LINE bytes; parsing
 * goes on with the next line. null is accepted where GET /salaries serves
 * null (scope, year, note, role, subject; role "" too) and for the ignored
 * members; elsewhere it is a bad value.
 *
 * Line numbers count from 1, header included; a CSV row that spans lines
 * (a quoted newline) is reported at the line it starts on.
 */
#ifndef TECHPAY_MODEL_IMPORT_ROWS_H
#define TECHPAY_MODEL_IMPORT_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/field_error.h"
#include "model/salary_report.h"
#include "model/vocab.h"

/** The longest line (NDJSON) or row (CSV), in bytes, line end excluded. */
#define IMPORT_MAX_LINE 65536
/** How many errors an import keeps; the rest are only counted. */
#define IMPORT_MAX_ERRORS FIELD_ERRORS_MAX
/** How many errors one row can report (one per field at most). */
#define IMPORT_ROW_MAX_ERRORS 16
/** The import's name for the amount limit of model/vocab.h. */
#define IMPORT_AMOUNT_MAX MODEL_AMOUNT_MAX

enum import_format {
  IMPORT_CSV,    /**< text/csv with a header row */
  IMPORT_NDJSON, /**< application/x-ndjson: one JSON object per line */
};

/**
 * Called once per row, in order: with @a row for a valid one (its
 * strings borrowed, valid only during the call; and no
 * errors), or with @a row NULL and its @a n_errors (>= 1) problems, which
 * the parser also records in its struct field_errors.
 * @return 0 to go on, anything else to stop (the feed then answers IMPORT_ABORTED)
 */
typedef int (*import_row_fn)(void *cls, const struct salary_report *row,
                             const struct field_error *errors, size_t n_errors);

enum import_status {
  IMPORT_CONTINUE = 0, /**< all is well: feed more, or finish */
  IMPORT_ABORTED,      /**< the callback asked to stop */
  IMPORT_MALFORMED,    /**< the body cannot be read on (bad CSV header or quoting, overlong CSV row); see the errors */
  IMPORT_NOMEM,        /**< out of memory */
};

struct import_parser;

/** @return a new parser, or NULL when out of memory */
struct import_parser *import_parser_new(enum import_format format, import_row_fn cb, void *cls);

/**
 * Parses the next @a len bytes of the body. Rows completed by them are
 * passed to the callback before this returns.
 * @return IMPORT_CONTINUE, or the reason to stop; once not IMPORT_CONTINUE
 *         the parser ignores further input and keeps answering the same
 */
enum import_status import_parser_feed(struct import_parser *p, const char *data, size_t len);

/** The body has ended: parses the last row if it lacks a line end. Call once. */
enum import_status import_parser_finish(struct import_parser *p);

/** The errors found so far (those passed to the callback, and those that ended the parse). */
const struct field_errors *import_parser_errors(const struct import_parser *p);

/** Rows read so far, valid or not (not counting the CSV header and blank lines). */
uint64_t import_parser_rows(const struct import_parser *p);

void import_parser_free(struct import_parser *p);

#endif
