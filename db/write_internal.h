/**
 * @file db/write_internal.h
 * @brief What the write query files in db/ share; not for handlers.
 */
#ifndef TECHPAY_DB_WRITE_INTERNAL_H
#define TECHPAY_DB_WRITE_INTERNAL_H

#include <stdbool.h>

#include "db/stmt.h"

/**
 * Steps a bound INSERT, UPDATE or DELETE once, then always resets it.
 * @param[out] changes the rows it changed (may be NULL)
 * @return DB_ONE, or an error
 */
/* PostgreSQL's text of an INSERT that numbers its row as SQLite does
 * (the largest id plus one, which the write lock keeps unique; an
 * identity would never reuse the id of a deleted last row): the
 * driver takes the RETURNING id as the last insert id. */
#define DB_PG_INSERT(table, columns, values) \
  "INSERT INTO " table " (id, " columns ") VALUES ((SELECT coalesce(max(id), 0) + 1 FROM " \
  table "), " values ") RETURNING id"

static inline enum db_status
db_write_step(struct db *db, struct db_stmt *stmt, const char *what, int64_t *changes)
{
  enum db_status st = db_step(stmt, what);

  db_stmt_done(stmt);
  if (st < DB_NONE)
    return st;
  if (NULL != changes)
    *changes = db_changes(db);
  return DB_ONE;
}

/**
 * Steps the INSERT @a stmt when its parameters were all bound (@a bound),
 * resetting it either way.
 * @param[out] id the new row's id, when DB_ONE
 * @return DB_ONE, or an error (DB_HARD when a parameter could not be bound)
 */
static inline enum db_status
db_write_insert(struct db *db, struct db_stmt *stmt, bool bound, const char *what, int64_t *id)
{
  enum db_status st;

  if (!bound) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  st = db_write_step(db, stmt, what, NULL);
  if (DB_ONE == st)
    *id = db_last_insert_id(db);
  return st;
}

/**
 * Steps the UPDATE or DELETE @a stmt of one row when its parameters were
 * all bound (@a bound), resetting it either way.
 * @return DB_ONE, DB_NONE when there was no such row, or an error
 *         (DB_HARD when a parameter could not be bound)
 */
static inline enum db_status
db_write_change(struct db *db, struct db_stmt *stmt, bool bound, const char *what)
{
  int64_t changed = 0;
  enum db_status st;

  if (!bound) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  st = db_write_step(db, stmt, what, &changed);
  return DB_ONE == st && 0 == changed ? DB_NONE : st;
}

#endif
