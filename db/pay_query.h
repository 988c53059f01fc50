/**
 * @file db/pay_query.h
 * @brief The individual reports behind GET /pay, /pay/standing and
 *        /factors/{slug}: every matching individual, exact, base report
 *        with its factors, handed over one by one in no particular order
 *        (the handlers sort and group them in C, so that both engines
 *        answer the same bytes whatever order they read in), and the
 *        small tables that name what a report refers to.
 */
#ifndef TECHPAY_DB_PAY_QUERY_H
#define TECHPAY_DB_PAY_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

/* Roles one request may name (role=, repeated). */
#define PAY_ROLES_MAX 50

/* Filters of the pay queries; an absent one matches every report. The
 * strings are borrowed from the request (or static) and already checked. */
struct pay_filter {
  int64_t role_ids[PAY_ROLES_MAX];
  unsigned nroles;          /* 0: any role */
  const char *category;     /* NULL: any */
  const char *location;     /* "US" (the country and its subdivisions) or "US-WA" */
  int remote;               /* -1: any; else 0 or 1 */
  int64_t exp_min;          /* -1: any; else experience_years >= exp_min */
  int64_t exp_max;          /* -1: no upper end */
  const char *education;    /* NULL: any */
  bool has_industry;
  int64_t industry_id;
  const char *company_stage; /* NULL: any */
  int64_t year;             /* 0: any */
};

/* One report; a factor the report does not state is -1 or NULL. */
struct pay_report {
  int64_t amount_usd;
  int64_t role_id;          /* 0: about a group outside the roles */
  const char *location;     /* borrowed for the callback's duration */
  int remote;
  int experience_years;
  const char *education;
  int64_t industry_id;      /* 0: none */
  const char *company_stage;
  int64_t year;             /* 0: none */
};

typedef int (*db_pay_report_cb)(void *cls, const struct pay_report *report);

/** Calls @a cb for every report matching @a f. @return DB_ONE, DB_NONE or an error */
enum db_status db_pay_reports(struct db *db, const struct pay_filter *f, db_pay_report_cb cb,
                              void *cls);

/** The --min-reports setting (settings.min_reports) into *out. */
enum db_status db_pay_min_reports(struct db *db, int64_t *out);

/** One row of a naming table: a role (id, slug, category) or an industry (id, slug). */
typedef int (*db_pay_name_cb)(void *cls, int64_t id, const char *slug, const char *category);

/** Every role, in id order. */
enum db_status db_pay_roles(struct db *db, db_pay_name_cb cb, void *cls);

/** Every industry, in id order (category is NULL). */
enum db_status db_pay_industries(struct db *db, db_pay_name_cb cb, void *cls);

/** @return DB_ONE when some role has @a category, DB_NONE when none, or an error */
enum db_status db_pay_category_exists(struct db *db, const char *category);

#endif
