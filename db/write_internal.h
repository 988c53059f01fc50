/**
 * @file db/write_internal.h
 * @brief What the write query files in db/ share; not for handlers.
 */
#ifndef TECHPAY_DB_WRITE_INTERNAL_H
#define TECHPAY_DB_WRITE_INTERNAL_H

#include "db/db_internal.h"

/**
 * Steps a bound INSERT, UPDATE or DELETE once, then always resets it.
 * @param[out] changes the rows it changed (may be NULL)
 * @return DB_ONE, or an error
 */
static inline enum db_status
db_write_step(struct db *db, sqlite3_stmt *stmt, const char *what, int64_t *changes)
{
  int rc = sqlite3_step(stmt);

  db_stmt_done(stmt);
  if (SQLITE_DONE != rc && SQLITE_ROW != rc)
    return db_status_from_rc(db, rc, what);
  if (NULL != changes)
    *changes = sqlite3_changes64(db->conn);
  return DB_ONE;
}

#endif
