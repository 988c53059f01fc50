/**
 * @file db/source_write.c
 * @brief Source lookups for the write routes.
 */
#include "db/source_write.h"

#include "db/rows.h"
#include "db/write_internal.h"

static const char source_exists_sql[] = "SELECT 1 FROM sources WHERE id = ?1";

static const char api_source_sql[] =
  "SELECT id FROM sources WHERE slug = '" DB_API_SOURCE_SLUG "'";

/* Every fact carries its provenance: what the API enters names this row,
 * and the audit trail says who entered it and when. */
#define API_SOURCE_VALUES \
  " '" DB_API_SOURCE_SLUG "', 'Entries made through the API', 'dataset', NULL," \
  " 'the techpay write API'," \
  " 'Salary observations, skills and role-skill links entered through the" \
  " write API. Who entered each one, and when, is in the audit trail (GET /audit).'"
static const char api_source_insert_sql[] =
  "INSERT INTO sources (slug, title, kind, year, origin, summary) VALUES (" API_SOURCE_VALUES ")";
static const char api_source_insert_pg[] =
  DB_PG_INSERT("sources", "slug, title, kind, year, origin, summary", API_SOURCE_VALUES);

enum db_status
db_source_exists(struct db *db, int64_t id)
{
  struct db_stmt *stmt = db_stmt(db, source_exists_sql);
  int64_t one = 0;

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, id);
  return db_rows_int(stmt, "source_exists", &one);
}

enum db_status
db_api_source(struct db *db, int64_t *id)
{
  struct db_stmt *stmt = db_stmt(db, api_source_sql);
  enum db_status st;

  if (NULL == stmt)
    return DB_HARD;
  st = db_rows_int(stmt, "api_source", id);
  if (DB_NONE != st)
    return st;
  stmt = db_stmt(db, db_sql(db, api_source_insert_sql, api_source_insert_pg));
  if (NULL == stmt)
    return DB_HARD;
  st = db_write_step(db, stmt, "api_source_insert", NULL);
  if (DB_ONE == st)
    *id = db_last_insert_id(db);
  return st;
}
