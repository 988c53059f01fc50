/**
 * @file handlers/write_common.h
 * @brief How every write route runs: write_run() and the struct
 *        write_op each write handler declares with WRITE_ROUTE, and the
 *        pieces the routes share (the 422 answer, the link and rank
 *        checks, the answer after a commit).
 *
 * write_run() runs a write the same way for every route: the params and
 * the body (422 when invalid) -> write_begin() -> the op's existence and
 * conflict checks -> the audit summary before -> the op's write -> the
 * summary after -> write_commit() (which records the audit row first) ->
 * the answer. A refusal (404, 409, 422) rolls back and answers; any
 * failure after write_begin() goes through write_abort(), which rolls
 * back and answers 500 or 503.
 */
#ifndef TECHPAY_HANDLERS_WRITE_COMMON_H
#define TECHPAY_HANDLERS_WRITE_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "db/audit.h"
#include "db/db.h"
#include "db/write.h"
#include "handlers/validate.h"
#include "http/reply.h"
#include "http/request.h"

/** A GET handler that shows the written resource (h_roles_get, ...). */
typedef int (*write_show_fn)(const struct request *req, struct reply *rep);

/** What a write route reads from its request, for its steps. */
union write_input {
  struct role_input role;
  struct skill_input skill;
  struct salary_input salary;
  int cascade;             /* DELETE /roles/{slug}?cascade= */
  int64_t id;              /* a numeric id from the path */
};

/** What a write route's steps leave for write_run(). */
struct write_result {
  int64_t id;      /* the audited resource (the role of a link) */
  int64_t id2;     /* the skill of a link */
  char *before;    /* owned: the audit summary before the change, or NULL */
  char *after;     /* owned: the audit summary after it, or NULL */
  const char *arg; /* the written resource's slug or id, for the answer (borrowed) */
  char id_text[24]; /* room for arg when it is a number */
  json_t *body;    /* owned: an answer the write built itself, or NULL */
  bool unchanged;  /* nothing changed: roll back, record nothing, still answer */
  bool refused;    /* refused (404, 409, 422): roll back; the answer is in the reply */
  int refusal_rc;  /* what building that answer returned */
};

/**
 * One step of a write, inside its transaction: the check reads what must
 * exist and refuses through write_refuse(); the write changes the rows.
 * @return DB_ONE to go on; an error (a row that should exist but does not,
 *         DB_NONE, is a server fault too) to roll back and answer 500/503
 */
typedef enum db_status (*write_step_fn)(const struct request *req, struct reply *rep,
                                        const union write_input *in, struct write_result *w);

/**
 * Reads what the route takes from its params or path into @a in.
 * @return true to go on; false when it answered, with what the handler returns in @a rc
 */
typedef bool (*write_params_fn)(const struct request *req, struct reply *rep,
                                union write_input *in, int *rc);

/** An answer of its own, after the commit (or the roll back when unchanged). */
typedef int (*write_answer_fn)(const struct request *req, struct reply *rep,
                               struct write_result *w);

/**
 * One write route, as write_run() runs it: params, body, check, the audit
 * summary before, write, the one after, commit (with the audit row), answer.
 */
struct write_op {
  write_params_fn params;     /* reads them (or the path); NULL: nothing to read */
  /* the body's validation, into in->role, in->skill or in->salary; at most one */
  int (*validate_role)(const json_t *body, struct role_input *out, struct field_errors *v);
  int (*validate_skill)(const json_t *body, struct skill_input *out, struct field_errors *v);
  int (*validate_salary)(const json_t *body, struct salary_input *out, struct field_errors *v);
  write_step_fn check;        /* NULL: nothing to check */
  write_step_fn write;
  enum audit_subject audit;   /* what w->id (and w->id2) name */
  bool audit_before;          /* summarize it after the check, before the write */
  bool audit_after;           /* summarize it after the write (unless unchanged) */
  write_show_fn show;         /* answers the written resource; NULL: 204 No Content */
  unsigned status;            /* with show: 200 or 201 */
  const char *collection;     /* with show: Location is collection/arg; NULL: none */
  write_answer_fn answer;     /* instead of show, when set */
};

/**
 * Runs @a op for @a req.
 * @return what the handler returns
 */
int write_run(const struct request *req, struct reply *rep, const struct write_op *op);

/**
 * Defines the handler @a name of a write route from the members of its
 * struct write_op, e.g. WRITE_ROUTE(h_roles_post, .write = create_role, ...).
 */
#define WRITE_ROUTE(name, ...) \
  int name(const struct request *req, struct reply *rep) \
  { \
    static const struct write_op op = { __VA_ARGS__ }; \
    return write_run(req, rep, &op); \
  }

/**
 * Marks @a w refused; @a reply_rc is what building the answer returned.
 * @return DB_ONE, so that write_run() goes on to the roll back
 */
enum db_status write_refuse(struct write_result *w, int reply_rc);

/** Sets @a w's arg to the decimal @a id. */
void write_result_id(struct write_result *w, int64_t id);

/** 422 invalid-body with "errors": [{"field", "reason"}, ...] from @a v. */
int reply_invalid_body(struct reply *rep, const struct field_errors *v);

/**
 * Adds a problem that only the database can find (an unknown role, a
 * source that does not exist) to @a v, for reply_invalid_body().
 * @param field the member, e.g. "source.id" (a static name, not body text)
 */
void write_field_error(struct field_errors *v, const char *field, const char *reason_fmt, ...)
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
 * (/roles/{slug}/skills/{skill}); @a w is refused with the 404 naming the
 * missing one.
 * @return DB_ONE (found, or refused), or an error
 */
enum db_status write_link_ends(const struct request *req, struct reply *rep,
                               struct write_result *w, int64_t *role_id, int64_t *skill_id);

/**
 * Refuses with 409 when demand rank @a rank is held by a skill other than
 * @a self (0: any skill), as ranks are unique.
 * @return DB_ONE (the rank is free, or @a w is refused), or an error
 */
enum db_status write_rank_free(const struct request *req, struct reply *rep, int64_t rank,
                               int64_t self, struct write_result *w);

#endif
