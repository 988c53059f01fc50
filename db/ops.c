/**
 * @file db/ops.c
 * @brief Schema version for readiness (the WAL checkpoint at shutdown is
 *        the SQLite engine's, in db/db.c).
 */
#include "db/ops.h"

#include "db/stmt.h"

enum db_status
db_schema_version(struct db *db, int64_t *version)
{
  static const char sql[] = "SELECT max(version) FROM schema_migrations";
  struct db_stmt *stmt;
  enum db_status st;

  *version = 0;
  /* Before the first migration the table is missing: that is version 0,
   * not an error (and preparing would log one). */
  if (!db_table_exists(db, "schema_migrations"))
    return DB_ONE;
  stmt = db_stmt(db, sql);
  if (NULL == stmt)
    return DB_HARD;
  st = db_step(stmt, "reading the schema version");
  if (DB_ONE == st)
    *version = db_column_int64(stmt, 0);
  db_stmt_done(stmt);
  return DB_NONE == st ? DB_HARD : st;
}
