/**
 * @file handlers/handlers.h
 * @brief One handler per endpoint; the routes live in handlers/routes.c.
 *
 * Each handler validates its parameters, asks db/ for rows, and fills the
 * reply; it never sees SQL or libmicrohttpd.
 */
#ifndef TECHPAY_HANDLERS_HANDLERS_H
#define TECHPAY_HANDLERS_HANDLERS_H

#include "db/db.h"
#include "handlers/problems.h"
#include "http/reply.h"
#include "http/request.h"

/** GET /healthz: 200 {"status":"ok"} when the database answers, else 503. */
int h_healthz_get(const struct request *req, struct reply *rep);

/**
 * GET /readyz: 200 {"status":"ready"} when the database answers and has
 * every migration this binary carries, else 503.
 */
int h_readyz_get(const struct request *req, struct reply *rep);

/** GET /metrics: the Prometheus text exposition of the server's metrics. */
int h_metrics_get(const struct request *req, struct reply *rep);

/** GET /roles?sort=&order=&limit=&offset=: the ranking. */
int h_roles_list(const struct request *req, struct reply *rep);

/** GET /roles/{slug}: one role with its salaries, skills and sources. args[0] = slug. */
int h_roles_get(const struct request *req, struct reply *rep);

/** GET /api: a JSON index of the endpoints with example URLs. */
int h_index_get(const struct request *req, struct reply *rep);

/** GET /: the web page (web/index.html); its query is the page's state, read by its script. */
int h_page_get(const struct request *req, struct reply *rep);

/** GET /assets/{name}: a script or style sheet of the page (web/). args[0] = name. */
int h_asset_get(const struct request *req, struct reply *rep);

/** The Content-Type of the page's file @a name by its suffix, or NULL when none fits. */
const char *web_content_type(const char *name);

/** GET /skills?sort=demand|pay|name: skills with demand rank, shares, role counts and pay premium. */
int h_skills_list(const struct request *req, struct reply *rep);

/** GET /skills/{slug}: one skill and the roles that need it, ranked by pay. args[0] = slug. */
int h_skills_get(const struct request *req, struct reply *rep);

/** GET /industries: the ranked industries with provenance. */
int h_industries_list(const struct request *req, struct reply *rep);

/** GET /factors: the ranked salary factors with provenance. */
int h_factors_list(const struct request *req, struct reply *rep);

/** GET /factors/{slug}: one factor's median by value against the overall median. */
int h_factor_get(const struct request *req, struct reply *rep);

/** GET /pay: the distribution of the matching individual reports, or one per group. */
int h_pay_get(const struct request *req, struct reply *rep);

/** GET /pay/standing: the percentile rank of an amount among the matching reports. */
int h_pay_standing_get(const struct request *req, struct reply *rep);

/** GET /salaries?role=&kind=&statistic=&min=&max=&sort=: raw observations with provenance. */
int h_salaries_list(const struct request *req, struct reply *rep);

/** GET /sources: the source documents. */
int h_sources_list(const struct request *req, struct reply *rep);

/** GET /sources/{id}: one document and the figures taken from it. args[0] = id. */
int h_sources_get(const struct request *req, struct reply *rep);

/** GET /data-notes: every defect found in the sources and what was done. */
int h_data_notes_list(const struct request *req, struct reply *rep);

/** GET /compare?roles=a,b[,c...]: side-by-side comparison, the first role is the baseline. */
int h_compare_get(const struct request *req, struct reply *rep);

/** GET /transitions?from=a&to=b: what moving from role a to role b means. */
int h_transitions_get(const struct request *req, struct reply *rep);

/** GET /openapi.json: the OpenAPI 3.1 description of the API (docs/openapi.json). */
int h_openapi_get(const struct request *req, struct reply *rep);

/*
 * Writes. Each needs a token (the daemon answers 401/403 before they run),
 * runs in one write transaction with its audit row, and answers 422 with
 * an "errors" array for an invalid body, 404 for an unknown resource in
 * the path, 409 for a conflict.
 */

/** POST /roles: creates a role; 201, Location /roles/{slug}, the role as GET serves it. */
int h_roles_post(const struct request *req, struct reply *rep);

/** PATCH /roles/{slug}: changes title, category or summary; 200 with the role. args[0] = slug. */
int h_roles_patch(const struct request *req, struct reply *rep);

/**
 * DELETE /roles/{slug}?cascade=true: deletes a role; its salary
 * observations block it (409) unless cascade=true. 204. args[0] = slug.
 */
int h_roles_delete(const struct request *req, struct reply *rep);

/** PUT /roles/{slug}/skills/{skill}: links a skill to a role; 201 when new, 200 when linked already. */
int h_role_skill_put(const struct request *req, struct reply *rep);

/** DELETE /roles/{slug}/skills/{skill}: unlinks them; 204, 404 when not linked. */
int h_role_skill_delete(const struct request *req, struct reply *rep);

/** POST /salaries: adds an observation; 201, Location /salaries/{id}. */
int h_salaries_post(const struct request *req, struct reply *rep);

/** GET /salaries/{id}: one observation as GET /salaries lists it. args[0] = id. */
int h_salaries_get(const struct request *req, struct reply *rep);

/** DELETE /salaries/{id}: deletes an observation; 204. args[0] = id. */
int h_salaries_delete(const struct request *req, struct reply *rep);

/** POST /skills: creates a skill; 201, Location /skills/{slug}, the skill as GET serves it. */
int h_skills_post(const struct request *req, struct reply *rep);

/** PATCH /skills/{slug}: changes name or demand_rank; 200 with the skill. args[0] = slug. */
int h_skills_patch(const struct request *req, struct reply *rep);

/** GET /audit?limit=&offset=: every write, newest first; needs a token. */
int h_audit_list(const struct request *req, struct reply *rep);

struct stream_ops;

/**
 * POST /import?dry_run=: salary observations in bulk (text/csv or
 * application/x-ndjson), read as they arrive through import_stream_ops;
 * 201 (200 for a dry run), 422 listing the bad rows, 409 for a reused
 * Idempotency-Key. This handler only answers 500: the body is streamed.
 */
int h_import_post(const struct request *req, struct reply *rep);
extern const struct stream_ops import_stream_ops;

/**
 * The reply for a failed query: 503 when the database was busy, 500
 * otherwise (the cause is already logged; nothing of it reaches the client).
 */
int reply_db_error(struct reply *rep, enum db_status status);

/**
 * The reply for a whole, unpaged list: {"data": data, "meta": {"total": n}},
 * or the problem for a failed query. Steals @a data.
 */
int reply_list(struct reply *rep, enum db_status status, json_t *data);

#endif
