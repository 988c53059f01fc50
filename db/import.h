/**
 * @file db/import.h
 * @brief A bulk import of salary observations as one transaction,
 *        independent of HTTP: POST /import and `techpayd import FILE` both
 *        feed parsed rows (model/import_rows.h) into a session.
 *
 * Rows are written as they arrive, inside the open transaction, so memory
 * stays bounded whatever the size of the import; a problem found later
 * (a bad row, a body cut short) still rolls everything back. While the
 * session is open the per-row pay triggers are paused (settings.pay_live
 * = 0, inside the transaction, so no other connection ever sees it); the
 * pay of every role the import touched is recomputed once at the end.
 *
 * Each import gets a sources row of its own (kind 'dataset'): rows that
 * name no source are attributed to it, and its summary states how many
 * rows the import brought. The import is recorded in the audit trail.
 *
 * A session uses its connection exclusively from begin to finish or
 * abort; the HTTP route opens a private one (import_db_open_private()) so
 * that the reads its thread serves meanwhile never see a half import.
 */
#ifndef TECHPAY_DB_IMPORT_H
#define TECHPAY_DB_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "model/import_rows.h"

/** The longest Idempotency-Key accepted. */
#define IMPORT_KEY_MAX 128

struct import_options {
  const char *token_id; /* who imports, for the audit ("cli" from the command line) */
  const char *origin;   /* where the rows come from: "POST /import" or the file name */
  const char *target;   /* the path written to, for the audit ("/import") */
  bool dry_run;         /* validate and count, write nothing */
  const char *key;      /* an idempotency key, or NULL */
};

/* The stored answer of an earlier import made with the same key. */
struct import_replay {
  bool found;
  char *request;        /* owned: the request hash stored with the key */
  unsigned status;
  char *body;           /* owned: the answer's body, JSON text */
};

/* How an import ended. */
struct import_result {
  enum db_status status;        /* DB_ONE when it committed (or a dry run passed); else an error */
  bool dry_run;
  uint64_t rows;                /* rows written, or that a dry run would write */
  int64_t source_id;            /* the import's source (0 for a dry run or a failure) */
  char source_slug[160];
  struct field_errors errors;  /* parse and database problems, merged by line */
};

struct import_session;

/**
 * Opens @a path for an import: read-write, with a page cache large
 * enough for the indexes a big import grows.
 * @param[out] out caller closes with db_close() (or hands it to a session)
 * @return 0, or -1 with one line in @a err
 */
int import_db_open(const char *path, struct db **out, char *err, size_t err_size);

/**
 * Opens a second connection to the file of @a like, for a session that
 * must not share its connection with anything else.
 * @param[out] out caller closes with db_close() (or hands it to a session)
 * @return DB_ONE, or (logged) DB_GONE when the file was deleted, DB_READONLY
 *         when it may not be written, DB_IOERR otherwise
 */
enum db_status import_db_open_private(struct db *like, struct db **out);

/**
 * Starts an import on @a db: BEGIN IMMEDIATE (a plain read transaction
 * for a dry run), pay triggers paused, the import's source created. With a
 * key that an earlier import already used, nothing is started: *out stays
 * NULL, @a replay is filled and DB_NONE is returned.
 * @param own_db the session closes @a db when it ends (also on failure here)
 * @param[out] replay caller frees with import_replay_clear()
 * @return DB_ONE with *out set, DB_NONE (replay), DB_BUSY or DB_HARD
 */
enum db_status import_session_begin(struct db *db, bool own_db, const struct import_options *o,
                                    struct import_session **out, struct import_replay *replay);

/**
 * Adds one valid parsed row. An unknown role or source makes it a row
 * error, not a write. After a database failure the session only counts.
 * @return 0, or -1 after a database failure (the import will fail)
 */
int import_session_add(struct import_session *s, const struct salary_report *row);

/** An import_row_fn feeding valid rows to the session @a cls. */
int import_session_on_row(void *cls, const struct salary_report *row,
                          const struct field_error *errors, size_t n_errors);

/** Rows added so far (valid or not for the database). */
uint64_t import_session_rows(const struct import_session *s);

/**
 * Ends the import and frees @a s. With errors (@a parse_errors or the
 * session's own), @a ok false, or a dry run: rolls back. Otherwise
 * recomputes the pay of the touched roles, resumes the pay triggers,
 * records the audit row and, with a key, the answer (@a request_hash and
 * the 201 body) for replays, then commits.
 * @param request_hash with a key: the request's hash, stored with it
 * @return result->status
 */
enum db_status import_session_finish(struct import_session *s,
                                     const struct field_errors *parse_errors, bool ok,
                                     const char *request_hash, struct import_result *result);

/** Rolls back and frees @a s; NULL is fine. */
void import_session_abort(struct import_session *s);

/**
 * The body of the success answer for @a r:
 * {"data":{"rows":N,"source":{"id":..,"slug":".."},"dry_run":false}}
 * (source null for a dry run).
 * @return 0, or -1 when @a size is too small
 */
int import_result_json(const struct import_result *r, char *out, size_t size);

void import_replay_clear(struct import_replay *r);

#endif
