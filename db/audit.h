/**
 * @file db/audit.h
 * @brief The audit trail: one row per write (when, which token id, the
 *        route and path written, and compact JSON summaries of the
 *        resource before and after), and the summaries themselves.
 *
 * A write records its row inside its own transaction, so a write and its
 * audit row are committed, or rolled back, together.
 */
#ifndef TECHPAY_DB_AUDIT_H
#define TECHPAY_DB_AUDIT_H

#include <stdint.h>

#include "db/db.h"

struct audit_entry {
  const char *token_id; /* the token's id ("env", "file:3"), never the token */
  const char *method;
  const char *route;    /* the route pattern, "/roles/{slug}" */
  const char *target;   /* the path written to, "/roles/cloud-architect" */
  const char *before;   /* compact JSON, NULL when the write created the resource */
  const char *after;    /* compact JSON, NULL when the write deleted it */
};

/** Records @a e, stamped with the current UTC time to the millisecond. */
enum db_status db_audit_add(struct db *db, const struct audit_entry *e);

/* A recorded write; strings borrowed and valid only during the callback. */
struct audit_row {
  int64_t id;
  const char *at;       /* RFC 3339 UTC, "2026-01-31T12:00:00.123Z" */
  const char *token_id;
  const char *method;
  const char *route;
  const char *target;
  const char *before;   /* JSON text or NULL */
  const char *after;    /* JSON text or NULL */
};

/** Returns 0 to go on, -1 to stop (the query then returns DB_HARD). */
typedef int (*db_audit_cb)(void *cls, const struct audit_row *row);

enum db_status db_audit_count(struct db *db, int64_t *total);

/**
 * A page of the trail, newest first: @a limit entries older than entry
 * @a before_id (INT64_MAX: from the newest), past @a offset of them.
 * @return DB_ONE, DB_NONE when the page is empty, or an error
 */
enum db_status db_audit_list(struct db *db, int64_t before_id, int64_t limit, int64_t offset,
                             db_audit_cb cb, void *cls);

/* What a summary describes. */
enum audit_subject {
  AUDIT_ROLE,       /* id: roles.id; slug, title, category, summary, pay, counts */
  AUDIT_SALARY,     /* id: salaries.id; the observation with its role slug and source */
  AUDIT_SKILL,      /* id: skills.id; slug, name, demand_rank, source, role count */
  AUDIT_ROLE_SKILL, /* id: roles.id, id2: skills.id; the link and its source */
};

/**
 * The compact JSON summary of one resource as it is now in this
 * connection's view (inside the write transaction).
 * @param id2 the second key (AUDIT_ROLE_SKILL), else ignored
 * @param[out] json malloc'd text; caller frees with free(); NULL unless DB_ONE
 * @return DB_ONE, DB_NONE when there is no such resource, or an error
 */
enum db_status db_audit_summary(struct db *db, enum audit_subject what, int64_t id,
                                int64_t id2, char **json);

#endif
