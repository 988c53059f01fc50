/**
 * @file handlers/readyz_get.c
 * @brief GET /readyz: whether this instance should be sent traffic.
 *
 * /healthz says the process is alive and its database answers; /readyz
 * also requires the schema this binary was built for, so a load balancer
 * never routes to an instance whose database is behind.
 */
#include "handlers/handlers.h"

#include <inttypes.h>

#include "db/migrations.h"
#include "db/ops.h"
#include "handlers/app.h"

int
h_readyz_get(const struct request *req, struct reply *rep)
{
  enum db_status status;
  int64_t version = 0;

  if (DB_ONE != db_ping(req_db(req)))
    return reply_problem(rep, PROBLEM_UNAVAILABLE, NULL, "the database does not answer");
  /* Reads still work from the open handle, but what they show vanishes
   * with the process and every write is refused: send traffic elsewhere. */
  if (DB_GONE == db_file_check(req_db(req)))
    return reply_problem(rep, PROBLEM_UNAVAILABLE, NULL,
                         "the database file was removed while the server ran; restart it on "
                         "a database file");
  status = db_schema_version(req_db(req), &version);
  if (DB_ONE != status)
    return reply_problem(rep, PROBLEM_UNAVAILABLE, NULL, "the schema version cannot be read");
  if (version != (int64_t) migrations_count)
    return reply_problem(rep, PROBLEM_UNAVAILABLE, NULL,
                         "the database is at migration %" PRId64 ", this server needs %zu",
                         version, migrations_count);
  return reply_json(rep, 200, json_pack("{s:s}", "status", "ready"));
}
