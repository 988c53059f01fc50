/**
 * @file handlers/roles_params.c
 * @brief Parsing and validating the GET /roles query.
 */
#include "handlers/roles_params.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "handlers/cursor.h"
#include "handlers/paging.h"
#include "http/params.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500
#define MAX_PAY 100000000
#define MAX_TEXT 200
#define MAX_FTS_TOKENS 16

static const char *const key_names[] = {
  [ROLE_KEY_PAY] = "pay", [ROLE_KEY_TITLE] = "title",
  [ROLE_KEY_TOTAL_PAY] = "total_pay", [ROLE_KEY_RELEVANCE] = "relevance",
};

static const struct {
  const char *name;
  enum role_field bit;
} field_names[] = {
  { "slug", FIELD_SLUG }, { "title", FIELD_TITLE }, { "category", FIELD_CATEGORY },
  { "summary", FIELD_SUMMARY }, { "pay", FIELD_PAY }, { "total_pay", FIELD_TOTAL_PAY },
  { "rank", FIELD_RANK }, { "pay_basis", FIELD_PAY_BASIS },
};

static bool
natural_desc(enum role_key k)
{
  return ROLE_KEY_TITLE != k;
}

static int
bad(struct reply *rep, const char *param, const char *detail)
{
  reply_problem(rep, PROBLEM_INVALID_PARAMETER, param, "%s", detail);
  return -1;
}

/* Splits @a list at commas into @a out (pointing into @a buf). */
static int
split_commas(const char *list, char *buf, size_t size, const char **out, size_t max, size_t *n)
{
  char *save = NULL;
  size_t len = strlen(list);

  if (len == 0 || len >= size || ',' == list[0] || ',' == list[len - 1] || strstr(list, ",,"))
    return -1;
  memcpy(buf, list, len + 1);
  *n = 0;
  for (char *t = strtok_r(buf, ",", &save); NULL != t; t = strtok_r(NULL, ",", &save)) {
    if (*n == max)
      return -2;
    out[(*n)++] = t;
  }
  return 0;
}

static int
read_sort(const struct request *req, struct roles_request *rr, struct reply *rep)
{
  const char *value;
  const char *keys[ROLE_QUERY_MAX_KEYS + 1];
  char copy[128];
  size_t n = 0;

  if (0 != params_single(req, "sort", &value, rep))
    return -1;
  if (NULL == value)
    value = NULL != rr->q.filter.fts_query ? "relevance" : "title";
  if (NULL != strpbrk(value, "-+: "))
    return bad(rep, "sort", "sort takes comma-separated keys (pay, title, total_pay, relevance), "
                            "each in its natural direction; set the first key's direction with "
                            "order=asc|desc. Signed (-pay) and key:direction forms are not accepted");
  switch (split_commas(value, copy, sizeof copy, keys, ROLE_QUERY_MAX_KEYS, &n)) {
  case -1:
    return bad(rep, "sort", "sort must be a comma-separated list of keys without empty entries");
  case -2:
    return bad(rep, "sort", "sort takes at most 3 keys");
  default:
    break;
  }
  rr->sort_text[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    size_t k = 0;

    while (k < 4 && 0 != strcmp(keys[i], key_names[k]))
      k++;
    if (4 == k)
      return bad(rep, "sort", "sort keys are: pay, title, total_pay, relevance");
    for (size_t j = 0; j < i; j++)
      if (rr->q.keys[j].key == (enum role_key) k)
        return bad(rep, "sort", "a sort key may appear only once");
    if (ROLE_KEY_RELEVANCE == k && NULL == rr->q.filter.fts_query)
      return bad(rep, "sort", "sort=relevance needs a search: add q=...");
    rr->q.keys[i] = (struct role_sort_key) { (enum role_key) k, natural_desc((enum role_key) k) };
    snprintf(rr->sort_text + strlen(rr->sort_text), sizeof rr->sort_text - strlen(rr->sort_text),
             "%s%s", i ? "," : "", key_names[k]);
  }
  rr->q.nkeys = n;
  return 0;
}

static int
read_order(const struct request *req, struct roles_request *rr, struct reply *rep)
{
  static const char *const orders[] = { "asc", "desc", NULL };
  int order;

  if (0 != params_choice(req, "order", orders, rr->q.keys[0].desc ? 1 : 0, &order, rep))
    return -1;
  rr->q.keys[0].desc = 1 == order;
  rr->order_text = orders[order];
  return 0;
}

/* Words of @a text as a prefix-matching FTS5 query: "machine"* "learn"*.
 * Only letters, digits and non-ASCII bytes survive, so no input can be an
 * FTS5 syntax error or operator. */
static int
fts_query(const char *text, char *out, size_t size)
{
  size_t o = 0;
  int tokens = 0;

  for (const unsigned char *p = (const unsigned char *) text; '\0' != *p;) {
    const unsigned char *start;

    while ('\0' != *p && !(*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
      p++;
    start = p;
    while (*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
      p++;
    if (p == start)
      break;
    if (++tokens > MAX_FTS_TOKENS || o + (size_t) (p - start) + 5 >= size)
      return -1;
    o += (size_t) snprintf(out + o, size - o, "%s\"%.*s\"*", o ? " " : "", (int) (p - start),
                           (const char *) start);
  }
  return tokens > 0 ? 0 : -1;
}

static int
read_text(const struct request *req, const char *name, const char **out, struct reply *rep)
{
  if (0 != params_single(req, name, out, rep))
    return -1;
  if (NULL != *out && ('\0' == (*out)[0] || strlen(*out) > MAX_TEXT)) {
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, name,
                  "'%s' must be 1 to %d bytes long", name, MAX_TEXT);
    return -1;
  }
  return 0;
}

/* skill=a&skill=b and skill=a,b both mean "needs a and b". */
static int
read_skills(const struct request *req, struct role_filter *f, char *store, size_t size,
            struct reply *rep)
{
  size_t used = 0;

  f->nskills = 0;
  for (unsigned i = 0; i < req->nparams; i++) {
    const char *parts[ROLE_QUERY_MAX_SKILLS];
    size_t n = 0;
    int rc;

    if (0 != strcmp(req->params[i].key, "skill"))
      continue;
    rc = split_commas(req->params[i].value, store + used, size - used, parts,
                      ROLE_QUERY_MAX_SKILLS, &n);
    if (0 != rc)
      return bad(rep, "skill", -2 == rc ? "at most 16 skills can be required"
                                        : "skill must be one or more skill slugs, comma-separated");
    used += strlen(req->params[i].value) + 1;
    for (size_t j = 0; j < n; j++) {
      bool dup = false;

      for (size_t k = 0; k < f->nskills; k++)
        dup = dup || 0 == strcmp(f->skills[k], parts[j]);
      if (dup)
        continue;
      if (f->nskills == ROLE_QUERY_MAX_SKILLS)
        return bad(rep, "skill", "at most 16 skills can be required");
      f->skills[f->nskills++] = parts[j];
    }
  }
  /* a set: skill=a,b and skill=b,a rank the same roles, so they share
   * cursors (the fingerprint) and name the same unknown skill first */
  for (size_t i = 1; i < f->nskills; i++) {
    const char *s = f->skills[i];
    size_t j = i;

    for (; j > 0 && strcmp(f->skills[j - 1], s) > 0; j--)
      f->skills[j] = f->skills[j - 1];
    f->skills[j] = s;
  }
  return 0;
}

static int
read_pay_range(const struct request *req, struct role_filter *f, struct reply *rep)
{
  int64_t v;

  if (0 != params_uint(req, "min_pay", -1, 0, MAX_PAY, &v, rep))
    return -1;
  f->has_min_pay = v >= 0;
  f->min_pay = v;
  if (0 != params_uint(req, "max_pay", -1, 0, MAX_PAY, &v, rep))
    return -1;
  f->has_max_pay = v >= 0;
  f->max_pay = v;
  if (f->has_min_pay && f->has_max_pay && f->min_pay > f->max_pay)
    return bad(rep, "min_pay", "min_pay must not be greater than max_pay");
  return 0;
}

static int
read_filter(const struct request *req, struct roles_request *rr, char *store, size_t size,
            struct reply *rep)
{
  static const char *const booleans[] = { "false", "true", NULL };
  struct role_filter *f = &rr->q.filter;
  const char *q;

  if (0 != read_text(req, "category", &f->category, rep)
      || 0 != read_text(req, "industry", &f->industry, rep)
      || 0 != read_text(req, "q", &q, rep)
      || 0 != read_skills(req, f, store, size, rep)
      || 0 != read_pay_range(req, f, rep)
      || 0 != params_choice(req, "has_pay", booleans, -1, &f->has_pay, rep))
    return -1;
  if (NULL != q) {
    if (0 != fts_query(q, rr->fts, sizeof rr->fts))
      return bad(rep, "q", "q must contain 1 to 16 words (letters or digits)");
    f->fts_query = rr->fts;
  }
  return 0;
}

static int
read_fields(const struct request *req, struct roles_request *rr, struct reply *rep)
{
  const char *value;
  const char *names[16];
  char copy[256];
  size_t n = 0;

  rr->fields = FIELD_ALL;
  if (0 != params_single(req, "fields", &value, rep))
    return -1;
  if (NULL == value)
    return 0;
  if (0 != split_commas(value, copy, sizeof copy, names, 16, &n))
    return bad(rep, "fields", "fields must be a comma-separated list of field names");
  rr->fields = 0;
  for (size_t i = 0; i < n; i++) {
    size_t k = 0;

    while (k < sizeof field_names / sizeof field_names[0] && 0 != strcmp(names[i], field_names[k].name))
      k++;
    if (k == sizeof field_names / sizeof field_names[0])
      return bad(rep, "fields", "fields are: slug, title, category, summary, pay, pay_basis, total_pay, rank");
    rr->fields |= field_names[k].bit;
  }
  return 0;
}

static int
read_paging(const struct request *req, struct roles_request *rr, struct reply *rep)
{
  const char *offset;

  if (0 != params_uint(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, &rr->q.limit, rep)
      || 0 != paging_offset(req, true, &rr->q.offset, rep)
      || 0 != params_single(req, "cursor", &rr->cursor, rep)
      || 0 != params_single(req, "offset", &offset, rep))
    return -1;
  if (NULL != rr->cursor && NULL != offset)
    return bad(rep, "cursor", "use either cursor or offset, not both");
  return 0;
}

int
roles_params_read(const struct request *req, struct roles_request *rr, struct reply *rep)
{
  memset(rr, 0, sizeof *rr);
  rr->q.filter.has_pay = -1;
  if (0 != read_filter(req, rr, rr->skill_store, sizeof rr->skill_store, rep)
      || 0 != read_sort(req, rr, rep)
      || 0 != read_order(req, rr, rep)
      || 0 != read_fields(req, rr, rep)
      || 0 != read_paging(req, rr, rep))
    return -1;
  return 0;
}

uint64_t
roles_params_fingerprint(const struct roles_request *rr)
{
  const struct role_filter *f = &rr->q.filter;
  uint64_t h = CURSOR_HASH_INIT;
  char num[64];

  h = cursor_hash(h, rr->sort_text);
  h = cursor_hash(h, rr->order_text);
  h = cursor_hash(h, f->category ? f->category : "");
  for (size_t i = 0; i < f->nskills; i++)
    h = cursor_hash(h, f->skills[i]);
  h = cursor_hash(h, "|");
  h = cursor_hash(h, f->industry ? f->industry : "");
  snprintf(num, sizeof num, "%d:%" PRId64 ":%d:%" PRId64 ":%d", f->has_min_pay, f->min_pay,
           f->has_max_pay, f->max_pay, f->has_pay);
  h = cursor_hash(h, num);
  return cursor_hash(h, f->fts_query ? f->fts_query : "");
}
