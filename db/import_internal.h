/**
 * @file db/import_internal.h
 * @brief The state of an import session, shared by the files that each
 *        do one part of it; internal to db/.
 *
 * db/import.c opens, finishes and answers; db/import_write.c checks and
 * writes the rows; db/import_pay.c pauses the per-row pay trigger and
 * recomputes the pay of the roles touched; db/import_key.c keeps the
 * answers of imports made with an idempotency key.
 */
#ifndef TECHPAY_DB_IMPORT_INTERNAL_H
#define TECHPAY_DB_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/stmt.h"
#include "db/import.h"
#include "db/text_arena.h"
#include "model/country.h"

/* Role slugs seen, with their ids (0: no such role); a power of two. When
 * it fills up it is emptied and refilled: a lookup costs one query. */
#define SLUG_CACHE_SIZE 1024
/* Source ids seen, with whether they exist. */
#define SOURCE_CACHE_SIZE 64
/* Industry slugs seen, with their ids (0: no such industry): the catalog
 * has a few dozen; past this many, each further one costs a query. */
#define INDUSTRY_CACHE_SIZE 64
/* Rows written by one INSERT: a statement's fixed cost (cursors, record
 * buffers) is paid once for all of them. 17 parameters each. */
#define BATCH_ROWS 32
#define ROW_PARAMS 17
/* What an import's rows that name no source give as their section. */
#define IMPORT_SECTION "Imported rows that named no source"

struct slug_entry {
  uint64_t hash;      /* 0: empty */
  int64_t id;         /* 0: no role has this slug */
  char slug[84];      /* slugs are at most 80 characters (import_rows.h) */
};

struct source_entry {
  int64_t id;
  bool exists;
};

struct industry_entry {
  int64_t id;         /* 0: no industry has this slug */
  char slug[84];
};

/* A row waiting in the batch: its strings are offsets into the arena
 * (TEXT_ARENA_NULL for NULL), since the parser's own are gone after its callback. */
struct batch_row {
  uint64_t line;
  int64_t role_id;    /* 0: none */
  int64_t amount;
  const char *kind;   /* static strings */
  const char *statistic;
  const char *bound;
  bool has_year;
  int64_t year;
  int64_t source_id;
  ptrdiff_t subject;
  ptrdiff_t scope;
  ptrdiff_t section;
  ptrdiff_t note;
  struct report_factors factors; /* location points at location below */
  char location[MODEL_LOCATION_MAX + 1];
  int64_t industry_id; /* 0: none */
};

/* COPY text gathered for the server (db/import_copy.c). */
struct copy_buffer {
  char *data;
  size_t len;
  size_t cap;
};

struct import_session {
  struct db *db;
  bool own_db;
  bool dry_run;
  enum db_status failure; /* DB_ONE, or the database failure that dooms the import */
  bool doomed;        /* a bad row was seen: the rest is only checked */
  char token_id[64];
  char target[128];
  char origin[256];
  char key[IMPORT_KEY_MAX + 1];
  int64_t source_id;
  char source_slug[160];
  struct db_stmt *insert;
  struct db_stmt *insert_batch;
  struct batch_row batch[BATCH_ROWS];
  size_t nbatch;
  struct text_arena arena; /* the batch's strings */
  char *trigger_sql;   /* the per-row pay trigger, dropped while importing */
  bool copy;           /* PostgreSQL: the rows go in by COPY (db/import_copy.c) */
  char copy_sql[512];
  struct copy_buffer copy_buf;
  uint64_t *copy_lines; /* the line of each row in the open COPY */
  size_t copy_rows;
  int64_t next_id;     /* the id of the next row written by COPY */
  struct db_stmt *role_lookup;
  struct db_stmt *source_lookup;
  struct db_stmt *industry_lookup;
  uint64_t rows_added;
  uint64_t rows_good;  /* passed every check (and were written, unless a dry run) */
  struct field_errors errors;
  struct slug_entry *slugs;
  size_t nslugs;
  struct source_entry sources[SOURCE_CACHE_SIZE];
  size_t nsources;
  struct industry_entry industries[INDUSTRY_CACHE_SIZE];
  size_t nindustries;
  int64_t *touched;    /* open addressing; 0 is empty (role ids are >= 1) */
  size_t touched_cap;  /* a power of two */
  size_t ntouched;
};

/** Prepares the row statements and the caches. @return DB_ONE or an error */
enum db_status import_rows_prepare(struct import_session *s);

/**
 * Writes the rows waiting in the batch.
 * @return DB_ONE, DB_NONE when the database refused a row (recorded as a
 *         row error; the transaction is rolled back), or an error
 */
enum db_status import_rows_flush(struct import_session *s);

/** Records a problem with the row at @a line that only the database found; dooms the import. */
void import_row_error(struct import_session *s, uint64_t line, const char *field,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/** PostgreSQL: sets the session up to write its rows by COPY. @return DB_ONE or an error */
enum db_status import_copy_prepare(struct import_session *s);

/**
 * Writes one checked row (role id @a rid, industry id @a iid, 0 for none)
 * into the open COPY,
 * opening one when none is.
 * @return DB_ONE, DB_NONE when the database refused a row (recorded; the
 *         transaction is rolled back), or an error
 */
enum db_status import_copy_add(struct import_session *s, const struct salary_report *row,
                               int64_t rid, int64_t iid);

/** Ends the open COPY, if any, so that the connection can run statements. Returns as import_copy_add(). */
enum db_status import_copy_flush(struct import_session *s);

/** Discards the open COPY, if any: the transaction keeps none of its rows. */
void import_copy_abandon(struct import_session *s);

/** Discards the open COPY and frees the session's COPY state. */
void import_copy_free(struct import_session *s);

/** Takes the per-row pay trigger out for the session. @return DB_ONE or an error */
enum db_status import_pay_pause(struct import_session *s);

/** Recomputes the pay of every role touched and puts the trigger back. */
enum db_status import_pay_recompute(struct import_session *s);

/** DB_ONE with @a r filled when @a key was used before, DB_NONE when not. */
enum db_status import_key_find(struct db *db, const char *key, struct import_replay *r);

/** Keeps @a body, the answer of the session's import, for replays of its key. */
enum db_status import_key_store(struct import_session *s, const char *request_hash,
                                const char *body);

#endif
