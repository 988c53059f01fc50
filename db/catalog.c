/**
 * @file db/catalog.c
 * @brief Queries for industries, salary factors, salary observations,
 *        source documents and data notes.
 */
#include "db/catalog.h"

#include "db/stmt.h"
#include "db/rows.h"

const char *const db_defect_kinds[] = {
  "malformed_figure", "missing_rank", "missing_text", "inconsistent_name",
  "ambiguous_figure", "other", NULL,
};

/* ------------------------------------------------------------------------
 * Ranked lists
 * ---------------------------------------------------------------------- */

/* A row of the industries or the factors query below. */
static void
read_ranked(struct db_stmt *stmt, struct ranked_row *row, struct db_rows_group *group)
{
  *row = (struct ranked_row) {
    .id = db_column_int64(stmt, 0),
    .slug = db_column_text(stmt, 1),
    .name = db_column_text(stmt, 2),
    .text = db_column_text_or_null(stmt, 4),
    .role_slug = db_column_text_or_null(stmt, 9),
  };
  row->first = db_rows_group_starts(group, row->id);
  row->has_rank = db_rows_opt_int(stmt, 3, &row->rank);
  db_rows_source(stmt, 5, &row->source);
}

DB_ROWS_GROUP_ADAPTER(each_ranked, ranked_ctx, struct ranked_row, db_ranked_cb, read_ranked)

/* Roles are joined in, so an industry takes one row per role; ordering by
 * the unique slug right after the rank keeps each industry's rows together.
 * Only the first DB_INDUSTRY_ROLES_MAX + 1 roles of each (by slug) are
 * joined: the one more says there are more. */
#define STR(x) #x
#define XSTR(x) STR(x)
#define INDUSTRIES(name) \
  "SELECT i.id, i.slug, i.name, i.rank, i.note, s.id, s.slug, s.title, i.section, r.slug" \
  " FROM industries i JOIN sources s ON s.id = i.source_id" \
  " LEFT JOIN roles r ON r.id IN (SELECT ri.role_id FROM role_industries ri" \
  "   JOIN roles x ON x.id = ri.role_id WHERE ri.industry_id = i.id" \
  "   ORDER BY x.slug LIMIT " XSTR(DB_INDUSTRY_ROLES_MAX) " + 1)" \
  " ORDER BY i.rank IS NULL, i.rank, " name ", i.slug, r.slug"

DB_NOCASE_TEXTS(industries, INDUSTRIES, "i.name");

#define FACTORS(name) \
  "SELECT f.id, f.slug, f.name, f.rank, f.effect, s.id, s.slug, s.title, f.section, NULL" \
  " FROM factors f JOIN sources s ON s.id = f.source_id" \
  " ORDER BY f.rank IS NULL, f.rank, " name ", f.slug"

DB_NOCASE_TEXTS(factors, FACTORS, "f.name");

static enum db_status
ranked_list(struct db *db, const char *sql, const char *what, db_ranked_cb cb, void *cls)
{
  struct db_stmt *stmt = db_stmt(db, sql);
  struct ranked_ctx ctx = { .cb = cb, .cls = cls };

  if (NULL == stmt)
    return DB_HARD;
  return db_rows_each(stmt, what, each_ranked, &ctx, NULL);
}

enum db_status
db_industries_list(struct db *db, db_ranked_cb cb, void *cls)
{
  return ranked_list(db, db_sql(db, industries_sql, industries_pg), "industries_list", cb, cls);
}

enum db_status
db_factors_list(struct db *db, db_ranked_cb cb, void *cls)
{
  return ranked_list(db, db_sql(db, factors_sql, factors_pg), "factors_list", cb, cls);
}

/* ------------------------------------------------------------------------
 * Salary observations
 * ---------------------------------------------------------------------- */

static const char source_salaries_sql[] =
  OBSERVATION_SELECT " WHERE sa.source_id = ?1 ORDER BY sa.id LIMIT ?2";

static const char salary_by_id_sql[] = OBSERVATION_SELECT " WHERE sa.id = ?1";

static const char role_id_sql[] = "SELECT id FROM roles WHERE slug = ?1";
static const char industry_id_sql[] = "SELECT id FROM industries WHERE slug = ?1";

DB_ROWS_ADAPTER(each_observation, observation_ctx, struct observation_row, db_observation_cb,
                db_rows_observation)

enum db_status
db_salary_get(struct db *db, int64_t id, db_observation_cb cb, void *cls)
{
  struct db_stmt *stmt = db_stmt(db, salary_by_id_sql);
  struct observation_ctx ctx = { cb, cls };

  if (NULL == stmt)
    return DB_HARD;
  db_bind_int64(stmt, 1, id);
  return db_rows_each(stmt, "salary_get", each_observation, &ctx, NULL);
}

enum db_status
db_role_id(struct db *db, const char *slug, int64_t *role_id)
{
  return db_rows_int_by_text(db, role_id_sql, "role_id", slug, role_id);
}

enum db_status
db_industry_id(struct db *db, const char *slug, int64_t *industry_id)
{
  return db_rows_int_by_text(db, industry_id_sql, "industry_id", slug, industry_id);
}

/* ------------------------------------------------------------------------
 * Source documents
 * ---------------------------------------------------------------------- */

/* A skill counts once however many ways the document names it: ranked or
 * described (skills), tied to a role (role_skills) or given a share. The
 * alias of the union is PostgreSQL's requirement; SQLite ignores it. */
#define SOURCE_SELECT \
  "SELECT d.id, d.slug, d.title, d.kind, d.year, d.origin, d.summary," \
  " (SELECT count(DISTINCT m.role_id) FROM role_mentions m WHERE m.source_id = d.id)," \
  " (SELECT count(*) FROM salaries sa WHERE sa.source_id = d.id)," \
  " (SELECT count(*) FROM (SELECT k.id FROM skills k WHERE k.source_id = d.id" \
  "   UNION SELECT rs.skill_id FROM role_skills rs WHERE rs.source_id = d.id" \
  "   UNION SELECT sh.skill_id FROM skill_shares sh WHERE sh.source_id = d.id) AS named)," \
  " (SELECT count(*) FROM data_notes n WHERE n.source_id = d.id)" \
  " FROM sources d"

static const char sources_sql[] = SOURCE_SELECT " ORDER BY d.id";

static const char source_by_id_sql[] = SOURCE_SELECT " WHERE d.id = ?1";

static const char source_shares_sql[] =
  "SELECT sh.id, k.slug, k.name, sh.metric, sh.percent, sh.qualifier, sh.scope, sh.section"
  " FROM skill_shares sh JOIN skills k ON k.id = sh.skill_id"
  " WHERE sh.source_id = ?1 ORDER BY sh.id";

static const char source_facts_sql[] =
  "SELECT id, subject, statement, value, unit, year, section"
  " FROM facts WHERE source_id = ?1 ORDER BY id";

#define SOURCE_ROLES(title) \
  "SELECT r.slug, r.title, m.section" \
  " FROM role_mentions m JOIN roles r ON r.id = m.role_id" \
  " WHERE m.source_id = ?1 ORDER BY " title ", r.slug, m.section"
DB_NOCASE_TEXTS(source_roles, SOURCE_ROLES, "r.title");

#define SOURCE_DOC_COLUMNS(C) \
  C(int64, id) C(text, slug) C(text, title) C(text, kind) C(opt_int, year) C(text, origin) \
  C(text, summary) C(int64, roles) C(int64, salaries) C(int64, skills) C(int64, data_notes)
DB_ROWS_READER(read_source_doc, struct source_doc_row, SOURCE_DOC_COLUMNS)
DB_ROWS_ADAPTER(each_source_doc, source_doc_ctx, struct source_doc_row, db_source_doc_cb,
                read_source_doc)

#define SOURCE_SHARE_COLUMNS(C) \
  C(int64, id) C(text, skill_slug) C(text, skill_name) C(text, metric) C(double, percent) \
  C(text, qualifier) C(text_or_null, scope) C(text, section)
DB_ROWS_READER(read_source_share, struct source_share_row, SOURCE_SHARE_COLUMNS)
DB_ROWS_ADAPTER(each_source_share, source_share_ctx, struct source_share_row,
                db_source_share_cb, read_source_share)

#define FACT_COLUMNS(C) \
  C(int64, id) C(text, subject) C(text, statement) C(opt_double, value) C(text_or_null, unit) \
  C(opt_int, year) C(text, section)
DB_ROWS_READER(read_fact, struct fact_row, FACT_COLUMNS)
DB_ROWS_ADAPTER(each_fact, fact_ctx, struct fact_row, db_fact_cb, read_fact)

#define SOURCE_ROLE_COLUMNS(C) C(text, slug) C(text, title) C(text, section)
DB_ROWS_READER(read_source_role, struct source_role_row, SOURCE_ROLE_COLUMNS)
DB_ROWS_ADAPTER(each_source_role, source_role_ctx, struct source_role_row, db_source_role_cb,
                read_source_role)

/* Runs @a sql with ?1 bound to @a id (when @a id > 0). */
static enum db_status
for_source(struct db *db, const char *sql, const char *what, int64_t id,
           db_row_fn each, void *ctx)
{
  struct db_stmt *stmt = db_stmt(db, sql);

  if (NULL == stmt)
    return DB_HARD;
  if (id > 0 && 0 != db_bind_int64(stmt, 1, id)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  return db_rows_each(stmt, what, each, ctx, NULL);
}

enum db_status
db_sources_list(struct db *db, db_source_doc_cb cb, void *cls)
{
  struct source_doc_ctx ctx = { cb, cls };

  return for_source(db, sources_sql, "sources_list", 0, each_source_doc, &ctx);
}

enum db_status
db_source_get(struct db *db, int64_t id, db_source_doc_cb cb, void *cls)
{
  struct source_doc_ctx ctx = { cb, cls };
  enum db_status status;

  status = for_source(db, source_by_id_sql, "source_by_id", id, each_source_doc, &ctx);
  return status;
}

enum db_status
db_source_salaries(struct db *db, int64_t source_id, int64_t limit, db_observation_cb cb,
                   void *cls, int64_t *rows)
{
  struct db_stmt *stmt = db_stmt(db, source_salaries_sql);
  struct observation_ctx ctx = { cb, cls };

  if (NULL == stmt)
    return DB_HARD;
  if (0 != db_bind_int64(stmt, 1, source_id)
      || 0 != db_bind_int64(stmt, 2, limit)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  return db_rows_each(stmt, "source_salaries", each_observation, &ctx, rows);
}

enum db_status
db_source_shares(struct db *db, int64_t source_id, db_source_share_cb cb, void *cls)
{
  struct source_share_ctx ctx = { cb, cls };

  return for_source(db, source_shares_sql, "source_shares", source_id, each_source_share, &ctx);
}

enum db_status
db_source_facts(struct db *db, int64_t source_id, db_fact_cb cb, void *cls)
{
  struct fact_ctx ctx = { cb, cls };

  return for_source(db, source_facts_sql, "source_facts", source_id, each_fact, &ctx);
}

enum db_status
db_source_roles(struct db *db, int64_t source_id, db_source_role_cb cb, void *cls)
{
  struct source_role_ctx ctx = { cb, cls };

  return for_source(db, db_sql(db, source_roles_sql, source_roles_pg), "source_roles", source_id, each_source_role, &ctx);
}

/* ------------------------------------------------------------------------
 * Data notes
 * ---------------------------------------------------------------------- */

static const char data_notes_sql[] =
  "SELECT n.id, n.defect, n.found, n.action, s.id, s.slug, s.title, n.section"
  " FROM data_notes n JOIN sources s ON s.id = n.source_id"
  " WHERE (?1 IS NULL OR n.source_id = ?1) AND (?2 IS NULL OR n.defect = ?2)"
  " ORDER BY n.id";
/* PostgreSQL cannot tell the type of a parameter first seen in IS NULL */
static const char data_notes_pg[] =
  "SELECT n.id, n.defect, n.found, n.action, s.id, s.slug, s.title, n.section"
  " FROM data_notes n JOIN sources s ON s.id = n.source_id"
  " WHERE (?1::bigint IS NULL OR n.source_id = ?1) AND (?2::text IS NULL OR n.defect = ?2)"
  " ORDER BY n.id";

static void
read_data_note(struct db_stmt *stmt, struct data_note_row *row)
{
  *row = (struct data_note_row) {
    .id = db_column_int64(stmt, 0),
    .defect = db_column_text(stmt, 1),
    .found = db_column_text(stmt, 2),
    .action = db_column_text(stmt, 3),
  };
  db_rows_source(stmt, 4, &row->source);
}

DB_ROWS_ADAPTER(each_data_note, data_note_ctx, struct data_note_row, db_data_note_cb,
                read_data_note)

enum db_status
db_data_notes_list(struct db *db, bool has_source, int64_t source_id, const char *defect,
                   db_data_note_cb cb, void *cls)
{
  struct db_stmt *stmt = db_stmt(db, db_sql(db, data_notes_sql, data_notes_pg));
  struct data_note_ctx ctx = { cb, cls };

  if (NULL == stmt)
    return DB_HARD;
  if (0 != db_rows_bind_opt_int(stmt, 1, has_source, source_id)
      || 0 != db_rows_bind_opt_text(stmt, 2, defect)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  return db_rows_each(stmt, "data_notes_list", each_data_note, &ctx, NULL);
}
