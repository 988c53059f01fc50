/**
 * @file handlers/pay_set.h
 * @brief The matching reports of one pay request, loaded in one read
 *        snapshot with what names them, and the dimensions they can be
 *        grouped and counted by. Not an endpoint.
 */
#ifndef TECHPAY_HANDLERS_PAY_SET_H
#define TECHPAY_HANDLERS_PAY_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "handlers/pay_filters.h"

/* What reports can be grouped by (group_by=) and counted by (facets). */
enum pay_dim {
  DIM_ROLE, DIM_CATEGORY, DIM_LOCATION, DIM_COUNTRY, DIM_REMOTE, DIM_EXPERIENCE,
  DIM_EDUCATION, DIM_INDUSTRY, DIM_COMPANY_STAGE, DIM_YEAR, DIM__COUNT,
};

/* The names of the dimensions, by enum pay_dim, NULL-ended. */
extern const char *const pay_dim_names[];

/* One report, packed: a million of them fit in 24 MB. The store's
 * checks bound every field (amounts to MODEL_AMOUNT_MAX, locations to six
 * characters); a report that would not fit is refused, never cut. */
struct pay_entry {
  uint32_t amount;
  int32_t role_id;     /* 0: none */
  int32_t industry_id; /* 0: none */
  int16_t year;        /* 0: none */
  int8_t experience;   /* -1: not stated */
  int8_t remote;       /* -1: not stated */
  int8_t education;    /* index in report_educations, -1: not stated */
  int8_t stage;        /* index in report_company_stages, -1: not stated */
  char location[6];    /* "US-WA", NUL-padded, no NUL when six long; "" when not stated */
};

struct pay_snapshots;
struct pay_snapshot;

struct pay_name {
  int64_t id;
  char *slug;
  char *category;
};

struct pay_set {
  struct pay_entry *rows;
  size_t n, cap;
  int64_t min_reports;
  struct pay_name *roles, *industries; /* by id, for names; loaded only when asked */
  size_t nroles, nindustries, roles_cap, industries_cap;
  uint32_t *pick;                     /* the positions in rows of the set's reports (owned),
                                       * with a snapshot; NULL: rows[0 .. n) */
  bool rows_borrowed, names_borrowed; /* they belong to a snapshot: not freed with the set */
  struct pay_snapshots *holder;       /* with snapshot: what the borrowed parts belong to */
  const struct pay_snapshot *snapshot;
};

/**
 * Reads the filters of @a req, then loads in one snapshot the setting,
 * the matching reports and (with @a names) the role and industry names.
 * @return 0 with @a set filled (free with pay_set_free()), or -1 with
 *         @a rep holding the answer (a 400, 404 or store problem)
 */
int pay_set_load(const struct request *req, bool names, struct pay_set *set, struct reply *rep);

void pay_set_free(struct pay_set *set);

/** The @a i th report of @a set (i < set->n). */
static inline const struct pay_entry *
pay_set_entry(const struct pay_set *set, size_t i)
{
  return &set->rows[NULL != set->pick ? set->pick[i] : i];
}

/**
 * Reads every individual exact base report, the role and industry names
 * and the setting into @a set (zeroed by the caller), inside the caller's
 * read snapshot. @return DB_ONE or DB_NONE, or a failure status
 */
enum db_status pay_set_read_all(struct db *db, struct pay_set *set);

/**
 * The value of @a dim for @a e as the filter would spell it ("US-WA",
 * "2-4", "true"), written into @a buf when made; NULL when not stated.
 * @param[out] rank an order before the text's (the experience bands)
 */
const char *pay_entry_key(const struct pay_set *set, const struct pay_entry *e,
                          enum pay_dim dim, char *buf, size_t size, int *rank);

#endif
