/**
 * @file db/role_query.c
 * @brief Builds and runs the ranking query from fixed SQL fragments; every
 *        value from a request is a bound parameter.
 *
 * Parameters: ?1 category, ?2 skills (JSON array), ?3 number of skills,
 * ?4 industry, ?5 min pay, ?6 FTS query, ?7 max pay, ?8 has pay,
 * ?9 limit, ?10 offset, ?11... the keyset position.
 */
#include "db/role_query.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "db/engine.h"
#include "db/stmt.h"

#define SQL_MAX 8192
#define FIRST_AFTER_PARAM 11

/*
 * The matching roles, as narrow rows: only what the sort reads. The page
 * sort copies every column of every matching role (10,000 of them), so
 * the wide text of a role (summary, category, basis) is joined for the
 * rows of the page only (build_page_sql). Every filter is a set computed
 * once (a skill or industry filter is one pass over its link index, not a
 * subquery per role), and the highest total-pay figure, a lookup in the
 * partial index salaries_total_by_role, is joined here only when the sort
 * needs it for every role; otherwise only for the rows of the page.
 */
static const char filtered_head[] =
  "(SELECT r.id, r.slug, r.title, r.pay_usd,"
  " %s AS score%s"
  " FROM roles r %s%s"
  " WHERE (?1 IS NULL OR r.category = ?1 COLLATE NOCASE)"
  " AND (?2 IS NULL OR r.id IN (SELECT rs.role_id FROM role_skills rs"
  "   JOIN skills k ON k.id = rs.skill_id WHERE k.slug IN (SELECT value FROM json_each(?2))"
  "   GROUP BY rs.role_id HAVING count(DISTINCT rs.skill_id) = ?3))"
  " AND (?4 IS NULL OR r.id IN (SELECT ri.role_id FROM role_industries ri"
  "   JOIN industries i ON i.id = ri.industry_id WHERE i.slug = ?4))"
  " AND (?5 IS NULL OR r.pay_usd >= ?5)"
  " AND (?7 IS NULL OR r.pay_usd <= ?7)"
  " AND (?8 IS NULL OR (r.pay_usd IS NOT NULL) = ?8)"
  " AND (?6 IS NULL OR %s))";

/* The same on PostgreSQL: each optional parameter is typed where it is
 * first seen (IS NULL alone cannot tell), NOCASE is lower() under the C
 * collation, the skill list is a JSON array too, booleans compare as 0/1. */
static const char filtered_head_pg[] =
  "(SELECT r.id, r.slug, r.title, r.pay_usd,"
  " %s AS score%s"
  " FROM roles r %s%s"
  " WHERE (?1::text IS NULL OR lower(r.category) = lower(?1))"
  " AND (?2::text IS NULL OR r.id IN (SELECT rs.role_id FROM role_skills rs"
  "   JOIN skills k ON k.id = rs.skill_id"
  "   WHERE k.slug IN (SELECT jsonb_array_elements_text(?2::jsonb))"
  "   GROUP BY rs.role_id HAVING count(DISTINCT rs.skill_id) = ?3))"
  " AND (?4::text IS NULL OR r.id IN (SELECT ri.role_id FROM role_industries ri"
  "   JOIN industries i ON i.id = ri.industry_id WHERE i.slug = ?4))"
  " AND (?5::bigint IS NULL OR r.pay_usd >= ?5)"
  " AND (?7::bigint IS NULL OR r.pay_usd <= ?7)"
  " AND (?8::bigint IS NULL OR (r.pay_usd IS NOT NULL)::int = ?8)"
  " AND (?6::text IS NULL OR %s))";

#define TOTAL_PAY_LOOKUP(role_id) \
  "(SELECT id FROM salaries WHERE role_id = " role_id \
  " AND kind = 'total' ORDER BY amount_usd DESC, id LIMIT 1)"

static const char total_columns[] =
  ", t.amount_usd AS total_pay, t.bound AS total_bound, t.scope AS total_scope";
static const char total_join[] = " LEFT JOIN salaries t ON t.id = " TOTAL_PAY_LOOKUP("r.id");
/* PostgreSQL plans the join above as a hash of the whole salaries table
 * (2.4 of 3.8 ms of an uncached ranking at 10,000 reports, and growing
 * with them); LATERAL looks the one figure up per row in its index. */
#define TOTAL_PAY_LATERAL(role_id) \
  " LEFT JOIN LATERAL (SELECT amount_usd, bound, scope FROM salaries WHERE role_id = " role_id \
  " AND kind = 'total' ORDER BY amount_usd DESC, id LIMIT 1) t ON true"
static const char total_join_pg[] = TOTAL_PAY_LATERAL("r.id");

/* The FTS join exists only when there is a query: MATCH needs one. */
static const char fts_join[] =
  "JOIN (SELECT rowid AS fts_id, bm25(roles_fts) AS fts_score FROM roles_fts"
  " WHERE roles_fts MATCH ?6) f ON f.fts_id = r.id";

/* On PostgreSQL, the same search words ("machine"* "learn"*) as a tsquery
 * (machine:* & learn:*) over the search document, both split, folded and
 * stemmed as FTS5 does (migration 0011): the index finds the same roles.
 * The score ranks the plain words instead, about 50 times cheaper than
 * making each match's document again; ts_rank is higher for better
 * matches, bm25 lower, so it is negated. ts_rank is a 4-byte real: read
 * back as a double for a cursor, it no longer equals the real the next
 * page compares it with, and the page repeats; as double precision it
 * round-trips. */
#define PG_TSQUERY "techpay_search_query(?6::text)"
static const char fts_join_pg[] =
  "JOIN (SELECT id AS fts_id, -ts_rank(setweight(to_tsvector('pg_catalog.simple', title), 'A')"
  " || setweight(to_tsvector('pg_catalog.simple', summary), 'B'), " PG_TSQUERY ")::double precision"
  " AS fts_score"
  " FROM roles WHERE roles_search_document(title, summary) @@ " PG_TSQUERY ") f"
  " ON f.fts_id = r.id";

struct atom {
  const char *expr; /* over the columns of the ranked CTE */
  bool desc;
  bool nocase;      /* compared as SQLite's NOCASE: ASCII letters folded */
};

struct sql_buf {
  char text[SQL_MAX];
  size_t len;
  bool overflow;
  bool pg;              /* PostgreSQL's spelling of the fragments */
};

__attribute__((format(printf, 2, 3)))
static void
append(struct sql_buf *b, const char *fmt, ...)
{
  va_list ap;
  int n;

  if (b->overflow)
    return;
  va_start(ap, fmt);
  n = vsnprintf(b->text + b->len, sizeof b->text - b->len, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t) n >= sizeof b->text - b->len)
    b->overflow = true;
  else
    b->len += (size_t) n;
}

/* A boolean is read as 0/1 on either engine. */
static const char *const pay_missing[2] = { "(pay_usd IS NULL)", "(pay_usd IS NULL)::int" };
static const char *const total_missing[2] = { "(total_pay IS NULL)", "(total_pay IS NULL)::int" };

/* Expands the sort keys into never-NULL atoms, the slug last. */
static size_t
atoms_of(const struct role_query *q, struct atom *atoms, bool pg)
{
  size_t n = 0;

  for (size_t i = 0; i < q->nkeys; i++) {
    bool desc = q->keys[i].desc;

    switch (q->keys[i].key) {
    case ROLE_KEY_PAY:
      /* missing pay last in either direction, those ordered by title */
      atoms[n++] = (struct atom) { pay_missing[pg], false, false };
      atoms[n++] = (struct atom) { "coalesce(pay_usd, 0)", desc, false };
      atoms[n++] = (struct atom) { "(CASE WHEN pay_usd IS NULL THEN title ELSE '' END)", false, true };
      break;
    case ROLE_KEY_TOTAL_PAY:
      atoms[n++] = (struct atom) { total_missing[pg], false, false };
      atoms[n++] = (struct atom) { "coalesce(total_pay, 0)", desc, false };
      atoms[n++] = (struct atom) { "(CASE WHEN total_pay IS NULL THEN title ELSE '' END)", false, true };
      break;
    case ROLE_KEY_TITLE:
      atoms[n++] = (struct atom) { "title", desc, true };
      break;
    case ROLE_KEY_RELEVANCE:
      /* bm25 is lower for better matches: "most relevant first" is ascending */
      atoms[n++] = (struct atom) { "coalesce(score, 0)", !desc, false };
      break;
    }
  }
  atoms[n++] = (struct atom) { "slug", false, false };
  return n;
}

size_t
role_query_natoms(const struct role_query *q)
{
  struct atom atoms[ROLE_QUERY_MAX_ATOMS];

  return atoms_of(q, atoms, false); /* as many on either engine */
}

/* Whether the sort reads total pay, so every matching role needs it. */
static bool
sorts_by_total(const struct role_query *q)
{
  for (size_t i = 0; i < q->nkeys; i++)
    if (ROLE_KEY_TOTAL_PAY == q->keys[i].key)
      return true;
  return false;
}

/* The matching roles as the CTE @a name ("name AS @a how (...)"), with
 * total pay when @a with_total. */
static void
append_filtered(struct sql_buf *b, const struct role_query *q, const char *name, const char *how,
                bool with_total)
{
  bool fts = NULL != q->filter.fts_query;

  append(b, "%s AS %s", name, how);
  if (b->pg) /* a typed NULL: coalesce(score, 0) must not meet an unknown type */
    append(b, filtered_head_pg, fts ? "f.fts_score" : "NULL::double precision",
           with_total ? total_columns : "", fts ? fts_join_pg : "", with_total ? total_join_pg : "",
           fts ? "f.fts_id IS NOT NULL" : "false");
  else
    append(b, filtered_head, fts ? "f.fts_score" : "NULL", with_total ? total_columns : "",
           fts ? fts_join : "", with_total ? total_join : "", fts ? "f.fts_id IS NOT NULL" : "0");
}

/* An atom as a sort key: SQLite's NOCASE is lower() under PostgreSQL's C
 * collation (docs/postgresql.md). The selected value stays the text itself. */
static void
append_key(struct sql_buf *b, const struct atom *a)
{
  if (!a->nocase)
    append(b, "%s", a->expr);
  else if (b->pg)
    append(b, "lower(%s)", a->expr);
  else
    append(b, "%s COLLATE NOCASE", a->expr);
}

/* The cursor's value @a p compared with atom @a a ("<", ">" or "="). */
static void
append_compare(struct sql_buf *b, const struct atom *a, const char *op, int p)
{
  append_key(b, a);
  append(b, b->pg && a->nocase ? " %s lower(?%d)" : " %s ?%d", op, p);
}

/* rows strictly after the cursor: a1 beyond x1, or a1 = x1 and the rest after */
static void
append_keyset(struct sql_buf *b, const struct atom *atoms, size_t natoms)
{
  for (size_t i = 0; i < natoms; i++) {
    int p = FIRST_AFTER_PARAM + (int) i;

    if (i + 1 < natoms)
      append(b, "(");
    append_compare(b, &atoms[i], atoms[i].desc ? "<" : ">", p);
    if (i + 1 < natoms) {
      append(b, " OR (");
      append_compare(b, &atoms[i], "=", p);
      append(b, " AND ");
    }
  }
  for (size_t i = 0; i + 1 < natoms; i++)
    append(b, "))");
}

static void
append_order(struct sql_buf *b, const struct atom *atoms, size_t natoms)
{
  append(b, " ORDER BY ");
  for (size_t i = 0; i < natoms; i++) {
    append(b, "%s", i ? ", " : "");
    append_key(b, &atoms[i]);
    append(b, " %s", atoms[i].desc ? "DESC" : "ASC");
  }
}

/* The text of a role, named apart from the page's columns. The title is
 * read here rather than carried by the page, so that a sort by pay reads
 * the row of a matching role only where a sort key needs its title. */
static const char page_text[] =
  "(SELECT id AS d_id, title, category AS d_category, summary AS d_summary, pay_basis AS d_basis"
  " FROM roles)";

/*
 * The rank of each pay on the page among the matching roles: one more than
 * the number paid more. A window over every matching role cost more than
 * the rest of the query (it sorts and copies them all); instead the page's
 * distinct pays, highest first, cut the pay scale into bands, each band is
 * counted once (a range of roles_by_pay_usd bounded on both sides: the
 * highest band's upper bound is the largest integer), and a running sum
 * over the bands gives the ranks. What is counted is the roles
 * paid more than the page's lowest pay, never the roles below it.
 */
static const char page_ranks[] = /* %s: the matching roles counted */
  ", pays AS (SELECT DISTINCT pay_usd AS v FROM page WHERE pay_usd IS NOT NULL),"
  " bands AS (SELECT v, lag(v, 1, 9223372036854775807) OVER (ORDER BY v DESC) AS above FROM pays),"
  " counted AS (SELECT v, (SELECT count(*) FROM %s h WHERE h.pay_usd > b.v"
  "   AND h.pay_usd <= b.above) AS n FROM bands b),"
  " ranks AS (SELECT v, CAST(1 + sum(n) OVER (ORDER BY v DESC) AS bigint) AS pay_rank"
  "   FROM counted)";

/*
 * Sorts the matching roles, cuts the page, ranks its pays, and only then
 * (unless the sort needed it earlier) looks up the total pay of the page's
 * rows: 50 lookups instead of one per matching role. Both sets of matching
 * roles are inlined where they are read (NOT MATERIALIZED), so that a band's
 * count is a range scan of an index rather than a scan of all matches; a
 * search is the exception: its matches are few, and are found once.
 */
static int
build_page_sql(const struct role_query *q, struct sql_buf *b, size_t *natoms)
{
  struct atom atoms[ROLE_QUERY_MAX_ATOMS];
  bool with_total = sorts_by_total(q);
  bool fts = NULL != q->filter.fts_query;
  /* a search's matches, found once, serve the page and the counts alike */
  bool shared = fts && !with_total;

  *natoms = atoms_of(q, atoms, b->pg);
  append(b, "WITH ");
  append_filtered(b, q, "m", shared ? "MATERIALIZED " : "", with_total);
  if (!shared) {
    append(b, ", ");
    append_filtered(b, q, "matching", fts ? "MATERIALIZED " : "NOT MATERIALIZED ", false);
  }
  append(b, ", page AS (SELECT id, slug, pay_usd, score%s FROM m WHERE ",
         with_total ? ", total_pay, total_bound, total_scope" : "");
  if (NULL != q->after)
    append_keyset(b, atoms, *natoms);
  else
    append(b, b->pg ? "true" : "1");
  append_order(b, atoms, *natoms);
  append(b, " LIMIT ?9 OFFSET ?10)");
  append(b, page_ranks, shared ? "m" : "matching");
  append(b, " SELECT p.slug, d.title, d.d_category, d.d_summary, p.pay_usd, k.pay_rank, d.d_basis,");
  append(b, with_total ? " total_pay, total_bound, total_scope" : " t.amount_usd, t.bound, t.scope");
  for (size_t i = 0; i < *natoms; i++) {
    append(b, ", ");
    if (b->pg) /* the value itself; on SQLite the collation does not change it */
      append(b, "%s", atoms[i].expr);
    else
      append_key(b, &atoms[i]);
  }
  append(b, " FROM page p JOIN %s d ON d.d_id = p.id LEFT JOIN ranks k ON k.v = p.pay_usd", page_text);
  if (!with_total && b->pg)
    append(b, TOTAL_PAY_LATERAL("p.id"));
  else if (!with_total)
    append(b, " LEFT JOIN salaries t ON t.id = " TOTAL_PAY_LOOKUP("p.id"));
  append_order(b, atoms, *natoms);
  return b->overflow ? -1 : 0;
}

static int
bind_filter(struct db_stmt *stmt, const struct role_filter *f)
{
  if (NULL != f->category)
    db_bind_text(stmt, 1, f->category);
  if (f->nskills > 0) {
    json_t *list = json_array();
    char *text;

    for (size_t i = 0; NULL != list && i < f->nskills; i++)
      json_array_append_new(list, json_string(f->skills[i]));
    text = list ? json_dumps(list, JSON_COMPACT) : NULL;
    json_decref(list);
    if (NULL == text)
      return -1;
    /* distinct slugs: a repeated skill must not raise the count required */
    db_bind_text(stmt, 2, text);
    free(text);
    db_bind_int64(stmt, 3, (int64_t) f->nskills);
  }
  if (NULL != f->industry)
    db_bind_text(stmt, 4, f->industry);
  if (f->has_min_pay)
    db_bind_int64(stmt, 5, f->min_pay);
  if (NULL != f->fts_query)
    db_bind_text(stmt, 6, f->fts_query);
  if (f->has_max_pay)
    db_bind_int64(stmt, 7, f->max_pay);
  if (f->has_pay >= 0)
    db_bind_int64(stmt, 8, f->has_pay);
  return 0;
}

enum db_status
db_role_query_count(struct db *db, const struct role_query *q, int64_t *total)
{
  struct sql_buf b = { .len = 0, .pg = db_is_postgresql(db) };
  struct db_stmt *stmt;
  enum db_status st;

  append(&b, "WITH ");
  append_filtered(&b, q, "m", "", false);
  append(&b, " SELECT count(*) FROM m");
  if (b.overflow || NULL == (stmt = db_stmt(db, b.text)))
    return DB_HARD;
  if (0 != bind_filter(stmt, &q->filter)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  st = db_step(stmt, "role query count");
  if (DB_ONE == st)
    *total = db_column_int64(stmt, 0);
  db_stmt_done(stmt);
  return DB_NONE == st ? DB_HARD : st;
}

static void
read_atom(struct db_stmt *stmt, int col, struct sort_value *v)
{
  switch (db_column_type(stmt, col)) {
  case DB_TYPE_INT:
    *v = (struct sort_value) { .type = SV_INT, .i = db_column_int64(stmt, col) };
    break;
  case DB_TYPE_REAL:
    *v = (struct sort_value) { .type = SV_REAL, .r = db_column_double(stmt, col) };
    break;
  default:
    *v = (struct sort_value) { .type = SV_TEXT, .s = db_column_text(stmt, col) };
    break;
  }
}

static void
read_ranked(struct db_stmt *stmt, size_t natoms, struct ranked_role *row)
{
  row->role.slug = db_column_text(stmt, 0);
  row->role.title = db_column_text(stmt, 1);
  row->role.category = db_column_text(stmt, 2);
  row->role.summary = db_column_text(stmt, 3);
  row->role.has_pay = !db_column_is_null(stmt, 4);
  row->role.pay_usd = db_column_int64(stmt, 4);
  row->has_rank = !db_column_is_null(stmt, 5);
  row->rank = db_column_int64(stmt, 5);
  row->role.spread = (struct pay_spread) { .basis = db_column_text_or_null(stmt, 6) };
  row->has_total_pay = !db_column_is_null(stmt, 7);
  row->total_pay_usd = db_column_int64(stmt, 7);
  row->total_pay_bound = db_column_text(stmt, 8);
  row->total_pay_scope = db_column_text_or_null(stmt, 9);
  row->natoms = natoms;
  for (size_t i = 0; i < natoms; i++)
    read_atom(stmt, 10 + (int) i, &row->atoms[i]);
}

static void
bind_after(struct db_stmt *stmt, const struct sort_value *after, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    int p = FIRST_AFTER_PARAM + (int) i;

    switch (after[i].type) {
    case SV_INT:
      db_bind_int64(stmt, p, after[i].i);
      break;
    case SV_REAL:
      db_bind_double(stmt, p, after[i].r);
      break;
    case SV_TEXT:
      db_bind_text(stmt, p, after[i].s);
      break;
    }
  }
}

enum db_status
db_role_query_page(struct db *db, const struct role_query *q, db_ranked_role_cb cb, void *cls)
{
  struct sql_buf b = { .len = 0, .pg = db_is_postgresql(db) };
  struct db_stmt *stmt;
  size_t natoms;
  int64_t n = 0;
  enum db_status st;

  if (0 != build_page_sql(q, &b, &natoms) || (NULL != q->after && q->nafter != natoms))
    return DB_HARD;
  stmt = db_stmt(db, b.text);
  if (NULL == stmt)
    return DB_HARD;
  if (0 != bind_filter(stmt, &q->filter)) {
    db_stmt_done(stmt);
    return DB_HARD;
  }
  db_bind_int64(stmt, 9, q->limit);
  db_bind_int64(stmt, 10, q->offset);
  if (NULL != q->after)
    bind_after(stmt, q->after, natoms);
  while (DB_ONE == (st = db_step(stmt, "role query page"))) {
    struct ranked_role row;

    read_ranked(stmt, natoms, &row);
    if (0 != cb(cls, &row)) {
      db_stmt_done(stmt);
      return DB_HARD;
    }
    n++;
  }
  db_stmt_done(stmt);
  if (st < DB_NONE)
    return st;
  return n > 0 ? DB_ONE : DB_NONE;
}
