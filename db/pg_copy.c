/**
 * @file db/pg_copy.c
 * @brief db/copy.h over libpq: COPY ... FROM STDIN with PQputCopyData.
 *
 * The connection stays in blocking mode: PQputCopyData queues the data
 * and sends it when libpq's buffer fills, waiting only while the socket
 * is full, so the server parses one piece while the caller makes the next.
 */
#include "db/copy.h"

#include <stdlib.h>
#include <string.h>

#include "db/engine.h"
#include "db/pg_db.h"

enum db_status
db_copy_begin(struct db *db, const char *sql)
{
  struct pg_db *pg = pg_db(db);
  PGresult *res = PQexec(pg->conn, sql);
  enum db_status st = DB_ONE;

  if (PGRES_COPY_IN == PQresultStatus(res)) {
    pg->copying = true;
  } else {
    pg_db_keep_error(pg, NULL == res ? PQerrorMessage(pg->conn) : PQresultErrorMessage(res));
    st = pg_db_report(pg, pg_status_of_sqlstate(PQresultErrorField(res, PG_DIAG_SQLSTATE)),
                      "import_copy");
  }
  PQclear(res);
  return st;
}

enum db_status
db_copy_put(struct db *db, const char *data, size_t len)
{
  struct pg_db *pg = pg_db(db);

  /* the length is an int: the caller's pieces are far smaller, but say so */
  while (len > 0) {
    int n = len > (1u << 30) ? 1 << 30 : (int) len;

    if (1 != PQputCopyData(pg->conn, data, n)) {
      pg_db_keep_error(pg, PQerrorMessage(pg->conn));
      return pg_db_report(pg, DB_IOERR, "import_copy");
    }
    data += n;
    len -= (size_t) n;
  }
  return DB_ONE;
}

/* The row the server names in its context ("COPY salaries, line 3, ..."). */
static uint64_t
refused_line(const PGresult *res)
{
  const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);
  const char *at = NULL != ctx ? strstr(ctx, ", line ") : NULL;

  return NULL != at ? strtoull(at + 7, NULL, 10) : 0;
}

/* The status of the COPY's result: refused rows apart from other failures. */
static enum db_status
copy_result(struct pg_db *pg, PGresult *res, bool abandoned, uint64_t *line)
{
  const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);

  if (PGRES_COMMAND_OK == PQresultStatus(res))
    return abandoned ? DB_HARD : DB_ONE;
  pg_db_keep_error(pg, NULL == res ? PQerrorMessage(pg->conn) : PQresultErrorMessage(res));
  if (abandoned)
    return DB_HARD; /* the caller said why */
  /* class 22: a value the column cannot hold; class 23: a constraint */
  if (NULL != sqlstate && (0 == strncmp(sqlstate, "22", 2) || 0 == strncmp(sqlstate, "23", 2))) {
    *line = refused_line(res);
    return DB_NONE;
  }
  return pg_db_report(pg, pg_status_of_sqlstate(sqlstate), "import_copy");
}

enum db_status
db_copy_end(struct db *db, const char *abandon, uint64_t *line)
{
  struct pg_db *pg = pg_db(db);
  enum db_status st;
  PGresult *res;

  *line = 0;
  if (!pg->copying)
    return DB_HARD;
  pg->copying = false;
  if (1 != PQputCopyEnd(pg->conn, abandon)) {
    pg_db_keep_error(pg, PQerrorMessage(pg->conn));
    return NULL != abandon ? DB_HARD : pg_db_report(pg, DB_IOERR, "import_copy");
  }
  res = PQgetResult(pg->conn);
  st = copy_result(pg, res, NULL != abandon, line);
  PQclear(res);
  /* the end of the COPY's results, so that the connection takes commands again */
  while (NULL != (res = PQgetResult(pg->conn)))
    PQclear(res);
  return st;
}

bool
db_copy_open(struct db *db)
{
  return db_is_postgresql(db) && pg_db(db)->copying;
}
