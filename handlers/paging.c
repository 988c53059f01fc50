/**
 * @file handlers/paging.c
 * @brief Link headers for paged lists.
 */
#include "handlers/paging.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/params.h"
#include "util/number.h"

#define URL_MAX 4096

struct url {
  char text[URL_MAX];
  size_t len;
  bool overflow;
};

enum put_mode { RAW, COMPONENT, PATH };

static void
put(struct url *u, const char *s, enum put_mode mode)
{
  static const char hex[] = "0123456789ABCDEF";

  for (; '\0' != *s && !u->overflow; s++) {
    unsigned char c = (unsigned char) *s;
    bool plain = RAW == mode || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                 || (c >= '0' && c <= '9') || ('\0' != c && NULL != strchr("-._~,", c))
                 || (PATH == mode && '/' == c);

    if (u->len + 4 >= sizeof u->text) {
      u->overflow = true;
    } else if (plain) {
      u->text[u->len++] = (char) c;
    } else {
      u->text[u->len++] = '%';
      u->text[u->len++] = hex[c >> 4];
      u->text[u->len++] = hex[c & 15];
    }
  }
  u->text[u->len] = '\0';
}

/* path?params-without-paging&limit=L& */
static void
base_url(const struct request *req, int64_t limit, struct url *u)
{
  char num[32];

  put(u, req->path, PATH);
  put(u, "?", RAW);
  for (unsigned i = 0; i < req->nparams; i++) {
    const char *k = req->params[i].key;

    if (0 == strcmp(k, "offset") || 0 == strcmp(k, "cursor") || 0 == strcmp(k, "limit"))
      continue;
    put(u, k, COMPONENT);
    put(u, "=", RAW);
    put(u, req->params[i].value, COMPONENT);
    put(u, "&", RAW);
  }
  snprintf(num, sizeof num, "limit=%" PRId64 "&", limit);
  put(u, num, RAW);
}

int
paging_link(const struct request *req, const struct page_links *pl, struct reply *rep)
{
  struct url next = { .len = 0 };
  struct url prev = { .len = 0 };
  bool has_prev = !pl->cursor_mode && pl->offset > 0;
  char num[48];

  if (!pl->has_next && !has_prev)
    return 0;
  if (pl->has_next) {
    base_url(req, pl->limit, &next);
    if (pl->cursor_mode || pl->next_by_cursor) {
      put(&next, "cursor=", RAW);
      put(&next, pl->next_cursor ? pl->next_cursor : "", COMPONENT);
    } else {
      snprintf(num, sizeof num, "offset=%" PRId64, pl->offset + pl->limit);
      put(&next, num, RAW);
    }
  }
  if (has_prev) {
    base_url(req, pl->limit, &prev);
    snprintf(num, sizeof num, "offset=%" PRId64, pl->offset > pl->limit ? pl->offset - pl->limit : 0);
    put(&prev, num, RAW);
  }
  if (next.overflow || prev.overflow)
    return 0; /* a page without links beats a failed request */
  if (pl->has_next && has_prev)
    return reply_header(rep, "Link", "<%s>; rel=\"next\", <%s>; rel=\"prev\"", next.text, prev.text);
  if (pl->has_next)
    return reply_header(rep, "Link", "<%s>; rel=\"next\"", next.text);
  return reply_header(rep, "Link", "<%s>; rel=\"prev\"", prev.text);
}

int
paging_offset(const struct request *req, bool has_cursor, int64_t *offset, struct reply *rep)
{
  const char *value;

  if (0 != params_single(req, "offset", &value, rep))
    return -1;
  if (NULL == value || !number_is_canonical(value)
      || (strlen(value) <= 5 && atol(value) <= PAGING_MAX_OFFSET))
    return params_uint(req, "offset", 0, 0, PAGING_MAX_OFFSET, offset, rep);
  if (has_cursor)
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, "offset",
                  "'offset' may be at most %d: to go further, follow meta.next_cursor (or the "
                  "Link rel=\"next\" URL), which reaches any depth at the cost of one page",
                  PAGING_MAX_OFFSET);
  else
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, "offset",
                  "'offset' may be at most %d", PAGING_MAX_OFFSET);
  return -1;
}
