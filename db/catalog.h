/**
 * @file db/catalog.h
 * @brief Queries about everything around the roles: ranked industries and
 *        salary factors, raw salary observations, source documents with
 *        the figures taken from each, and the data notes.
 *
 * Rows are handed to a callback one at a time; every string in a row is
 * borrowed and valid only during that call. Callbacks return 0 to go on,
 * -1 to stop (the query then returns DB_HARD). List queries return
 * DB_ONE when there were rows, DB_NONE when none, or an error.
 */
#ifndef TECHPAY_DB_CATALOG_H
#define TECHPAY_DB_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "db/roles.h"
#include "model/salary_report.h"

/*
 * An industry or a salary factor: both are ranked lists a source publishes.
 * An industry with several roles arrives on consecutive rows, one role
 * each: @a first marks the row that starts a new item.
 */
struct ranked_row {
  bool first;
  int64_t id;
  const char *slug;
  const char *name;
  bool has_rank;
  int64_t rank;
  const char *text;      /* industries.note or factors.effect; NULL when none */
  struct source_ref source;
  const char *role_slug; /* industries only: a role tied to it, or NULL */
};

typedef int (*db_ranked_cb)(void *cls, const struct ranked_row *row);

/* The roles listed with each industry: after a bulk catalog one industry
 * can have thousands. db_industries_list() gives one row more when there
 * are more. */
#define DB_INDUSTRY_ROLES_MAX 100

/** Industries by rank (unranked last, by name), each with its first roles by slug. */
enum db_status db_industries_list(struct db *db, db_ranked_cb cb, void *cls);

/** Salary factors by rank (unranked last, by name); role_slug is always NULL. */
enum db_status db_factors_list(struct db *db, db_ranked_cb cb, void *cls);

/* A salary observation as stated, with the role or group it is about. */
struct observation_row {
  struct salary_row salary;
  const char *role_slug; /* NULL for figures about a group that is no role */
  const char *subject;   /* that group; NULL when role_slug is set */
  struct report_factors factors; /* industry: its slug */
};

typedef int (*db_observation_cb)(void *cls, const struct observation_row *row);

/** Observation @a id as GET /salaries lists it: DB_ONE after calling @a cb, or DB_NONE. */
enum db_status db_salary_get(struct db *db, int64_t id, db_observation_cb cb, void *cls);

/** The id of the industry @a slug: DB_ONE, or DB_NONE when there is none. */
enum db_status db_industry_id(struct db *db, const char *slug, int64_t *industry_id);

/** The id of the role @a slug: DB_ONE, or DB_NONE when there is none. */
enum db_status db_role_id(struct db *db, const char *slug, int64_t *role_id);

struct source_doc_row {
  int64_t id;
  const char *slug;
  const char *title;
  const char *kind;
  bool has_year;
  int64_t year;
  const char *origin;
  const char *summary;
  int64_t roles;      /* distinct roles it describes */
  int64_t salaries;   /* salary observations taken from it */
  int64_t skills;     /* distinct skills it names, ranks, shares or ties to a role */
  int64_t data_notes; /* defects recorded against it */
};

typedef int (*db_source_doc_cb)(void *cls, const struct source_doc_row *row);

enum db_status db_sources_list(struct db *db, db_source_doc_cb cb, void *cls);

/** One document by id: DB_ONE after calling @a cb, or DB_NONE. */
enum db_status db_source_get(struct db *db, int64_t id, db_source_doc_cb cb, void *cls);

/* A skill share, seen from the document that states it. */
struct source_share_row {
  int64_t id;
  const char *skill_slug;
  const char *skill_name;
  const char *metric;
  double percent;
  const char *qualifier;
  const char *scope; /* NULL when none */
  const char *section;
};

struct fact_row {
  int64_t id;
  const char *subject;
  const char *statement;
  bool has_value;
  double value;
  const char *unit; /* NULL when none */
  bool has_year;
  int64_t year;
  const char *section;
};

/* A role the document describes, once per section that does. */
struct source_role_row {
  const char *slug;
  const char *title;
  const char *section;
};

typedef int (*db_source_share_cb)(void *cls, const struct source_share_row *row);
typedef int (*db_fact_cb)(void *cls, const struct fact_row *row);
typedef int (*db_source_role_cb)(void *cls, const struct source_role_row *row);

/**
 * The figures and roles of document @a source_id, in document-independent stable order.
 * @param[out] rows how many of the first @a limit figures there were
 */
enum db_status db_source_salaries(struct db *db, int64_t source_id, int64_t limit,
                                  db_observation_cb cb, void *cls, int64_t *rows);
enum db_status db_source_shares(struct db *db, int64_t source_id, db_source_share_cb cb, void *cls);
enum db_status db_source_facts(struct db *db, int64_t source_id, db_fact_cb cb, void *cls);
/** Roles by title then slug; a role described in several sections comes on consecutive rows. */
enum db_status db_source_roles(struct db *db, int64_t source_id, db_source_role_cb cb, void *cls);

struct data_note_row {
  int64_t id;
  const char *defect;
  const char *found;
  const char *action;
  struct source_ref source; /* the document and the section the defect is in */
};

typedef int (*db_data_note_cb)(void *cls, const struct data_note_row *row);

/* The defect kinds the schema allows (data_notes.defect CHECK), NULL-terminated. */
extern const char *const db_defect_kinds[];

/**
 * Data notes by id, optionally only those of one document and of one kind.
 * @param has_source false: every document
 * @param defect NULL: every kind
 */
enum db_status db_data_notes_list(struct db *db, bool has_source, int64_t source_id,
                                  const char *defect, db_data_note_cb cb, void *cls);

#endif
