/**
 * @file db/salary_write.h
 * @brief One salary observation at a time: reading it by id, adding one,
 *        deleting one. The schema's triggers keep the pay of the role it
 *        is about current.
 *
 * Call the writes inside a write transaction (db_write_begin()).
 */
#ifndef TECHPAY_DB_SALARY_WRITE_H
#define TECHPAY_DB_SALARY_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "db/catalog.h"
#include "db/db.h"
#include "model/salary_report.h"

/* A new observation; strings borrowed for the call. */
struct salary_new {
  bool has_role;
  int64_t role_id;       /* meaningful with has_role */
  const char *subject;   /* the group a figure is about, or NULL */
  int64_t amount_usd;
  const char *kind;
  const char *statistic;
  const char *bound;
  const char *scope;     /* or NULL */
  bool has_year;
  int64_t year;
  const char *note;      /* or NULL */
  int64_t source_id;     /* an existing source */
  const char *section;   /* the section of that source */
  struct report_factors factors;
  int64_t industry_id;   /* the id of factors.industry; 0 when none */
};

/** @param[out] id the new observation's id */
enum db_status db_salary_insert(struct db *db, const struct salary_new *s, int64_t *id);

/** DB_ONE, or DB_NONE when there is no observation @a id. */
enum db_status db_salary_delete(struct db *db, int64_t id);

#endif
