/**
 * @file handlers/roles_params.h
 * @brief Reading the query of GET /roles into a role_query: filters, the
 *        sort convention and the field selection. Every function either
 *        succeeds or fills the reply with a 400 naming the parameter.
 *
 * Sort convention: `sort` is a comma-separated list of keys (pay, title,
 * total_pay, relevance), each in its natural direction (pay, total_pay and
 * relevance highest first, title A to Z); `order=asc|desc` sets the
 * direction of the first key. Signed forms (`-pay`, `+pay`) and
 * `key:dir` forms are refused with a 400 that says so.
 */
#ifndef TECHPAY_HANDLERS_ROLES_PARAMS_H
#define TECHPAY_HANDLERS_ROLES_PARAMS_H

#include <stdbool.h>

#include "db/role_query.h"
#include "http/reply.h"
#include "http/request.h"

#define ROLE_FTS_MAX 1024

enum role_field {
  FIELD_SLUG = 1 << 0,
  FIELD_TITLE = 1 << 1,
  FIELD_CATEGORY = 1 << 2,
  FIELD_SUMMARY = 1 << 3,
  FIELD_PAY = 1 << 4,
  FIELD_TOTAL_PAY = 1 << 5,
  FIELD_RANK = 1 << 6,
  FIELD_PAY_BASIS = 1 << 7,
  FIELD_ALL = (1 << 8) - 1,
};

struct roles_request {
  struct role_query q;
  char fts[ROLE_FTS_MAX];   /* storage for q.filter.fts_query */
  char skill_store[2048];   /* storage for q.filter.skills */
  unsigned fields;          /* enum role_field bits */
  char sort_text[64];       /* canonical, e.g. "pay,title" */
  const char *order_text;   /* "asc" | "desc": the first key's direction */
  const char *cursor;       /* borrowed from the request, NULL when absent */
};

/** Reads every parameter of GET /roles. @return 0, or -1 with @a rep filled */
int roles_params_read(const struct request *req, struct roles_request *rr, struct reply *rep);

/** A hash of the canonical sort and filters: what a cursor is bound to. */
uint64_t roles_params_fingerprint(const struct roles_request *rr);

#endif
