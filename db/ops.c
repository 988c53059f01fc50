/**
 * @file db/ops.c
 * @brief Schema version for readiness, WAL checkpoint at shutdown.
 */
#include "db/ops.h"

#include <stdio.h>

#include "db/db_internal.h"

enum db_status
db_schema_version(struct db *db, int64_t *version)
{
  static const char sql[] = "SELECT max(version) FROM schema_migrations";
  sqlite3_stmt *stmt;
  int rc;

  *version = 0;
  /* Before the first migration the table is missing: that is version 0,
   * not an error (and preparing would log one). */
  if (SQLITE_OK != sqlite3_table_column_metadata(db->conn, "main", "schema_migrations", "version",
                                                NULL, NULL, NULL, NULL, NULL))
    return DB_ONE;
  stmt = db_stmt(db, sql);
  if (NULL == stmt)
    return DB_HARD;
  rc = sqlite3_step(stmt);
  if (SQLITE_ROW == rc)
    *version = sqlite3_column_int64(stmt, 0);
  db_stmt_done(stmt);
  if (SQLITE_ROW == rc)
    return DB_ONE;
  return db_status_from_rc(db, rc, "reading the schema version");
}

int
db_checkpoint(struct db *db, int *wal_frames, int *copied, char *err, size_t err_size)
{
  int rc = sqlite3_wal_checkpoint_v2(db->conn, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                     wal_frames, copied);

  if (SQLITE_OK == rc)
    return 0;
  snprintf(err, err_size, "checkpointing the WAL: %s", sqlite3_errmsg(db->conn));
  return -1;
}
