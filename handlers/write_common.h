/**
 * @file handlers/write_common.h
 * @brief What the write handlers share: the 422 answer for an invalid
 *        body, and the steps of every write (begin, audit and commit, or
 *        roll back and answer), and the answer after a commit.
 *
 * A write handler runs: params check -> body validation -> write_begin()
 * -> existence and conflict checks -> the write -> write_commit() (which
 * records the audit row first) -> the answer. Any failure after
 * write_begin() goes through write_abort(), which rolls back.
 */
#ifndef TECHPAY_HANDLERS_WRITE_COMMON_H
#define TECHPAY_HANDLERS_WRITE_COMMON_H

#include <stdint.h>

#include "db/db.h"
#include "db/write.h"
#include "handlers/validate.h"
#include "http/reply.h"
#include "http/request.h"

/** A GET handler that shows the written resource (h_roles_get, ...). */
typedef int (*write_show_fn)(const struct request *req, struct reply *rep);

/** 422 invalid-body with "errors": [{"field", "reason"}, ...] from @a v. */
int reply_invalid_body(struct reply *rep, const struct validation *v);

/**
 * Adds a problem that only the database can find (an unknown role, a
 * source that does not exist) to @a v, for reply_invalid_body().
 * @param field the member, e.g. "source.id" (a static name, not body text)
 */
void write_field_error(struct validation *v, const char *field, const char *reason_fmt, ...)
  __attribute__((format(printf, 3, 4)));

/** Starts the write transaction. @return 0, or -1 with the 503/500 in @a rep */
int write_begin(const struct request *req, struct reply *rep);

/**
 * Rolls back and answers for a failed query (503 when busy, else 500).
 * @return what reply_db_error() returns
 */
int write_abort(const struct request *req, struct reply *rep, enum db_status status);

/**
 * Records the audit row (this request's token id, method, route and path,
 * with @a before and @a after, compact JSON or NULL) and commits, which
 * moves the data version every cached answer depends on.
 * @return 0, or -1 after rolling back, with the problem in @a rep
 */
int write_commit(const struct request *req, struct reply *rep, const char *before,
                 const char *after);

/**
 * The answer after a commit: what @a show answers for @a arg (the new or
 * changed resource as GET serves it), with @a status instead of 200. If
 * that read fails, the write still happened: the answer is then
 * {"data": @a summary} (the audit summary).
 * @param location the Location header value, or NULL
 */
int write_show(const struct request *req, struct reply *rep, write_show_fn show,
               const char *arg, unsigned status, const char *location, const char *summary);

/**
 * A positive decimal id in canonical form (no sign, no leading zero), so
 * that each resource has exactly one URL.
 * @return the id, or 0 when @a s is not one
 */
int64_t write_parse_id(const char *s);

/**
 * The ids of the role args[0] and the skill args[1] of a link route
 * (/roles/{slug}/skills/{skill}).
 * @return DB_ONE; DB_NONE with the 404 naming the missing one in @a rep; or an error
 */
enum db_status write_link_ends(const struct request *req, struct reply *rep, int64_t *role_id,
                               int64_t *skill_id);

#endif
