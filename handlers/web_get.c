/**
 * @file handlers/web_get.c
 * @brief GET / and GET /assets/{name}: the web page and its scripts and
 *        style sheets, embedded from web/ at build time.
 *
 * The page is a client of the public API like any other: it holds no data,
 * so these handlers never touch the database. The daemon turns the reply
 * into a tagged, compressed, cached entity like any GET answer.
 */
#include "handlers/handlers.h"

#include <string.h>

#include "web/web_files.h"

/* The file served at "/" (and only there). */
#define WEB_PAGE_FILE "index.html"

/* Nothing but our own files runs, styles or is fetched, and no other site
 * may frame the page: the page needs no inline script or style. */
#define WEB_PAGE_CSP \
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

static const struct {
  const char *suffix;
  const char *type;
} web_types[] = {
  { ".html", "text/html; charset=utf-8" },
  { ".js", "text/javascript; charset=utf-8" },
  { ".css", "text/css; charset=utf-8" },
};

const char *
web_content_type(const char *name)
{
  size_t len = strlen(name);

  for (size_t i = 0; i < sizeof web_types / sizeof web_types[0]; i++) {
    size_t slen = strlen(web_types[i].suffix);

    if (len > slen && 0 == strcmp(name + len - slen, web_types[i].suffix))
      return web_types[i].type;
  }
  return NULL;
}

static int
reply_file(struct reply *rep, const struct embedded_file *file)
{
  return reply_static(rep, 200, web_content_type(file->name), (const char *) file->bytes,
                      file->len);
}

int
h_page_get(const struct request *req, struct reply *rep)
{
  const struct embedded_file *page = web_files_find(WEB_PAGE_FILE);

  (void) req; /* the query is the page's own state: its script reads it */
  if (NULL == page)
    return -1;
  if (0 != reply_header(rep, "Content-Security-Policy", "%s", WEB_PAGE_CSP)
      || 0 != reply_header(rep, "Referrer-Policy", "no-referrer")
      || 0 != reply_header(rep, "X-Frame-Options", "DENY"))
    return -1;
  return reply_file(rep, page);
}

int
h_asset_get(const struct request *req, struct reply *rep)
{
  const char *name = req->args[0];
  const struct embedded_file *file = web_files_find(name);

  /* a query (a cache buster) changes nothing, as for the page */
  if (NULL == file || 0 == strcmp(name, WEB_PAGE_FILE) || NULL == web_content_type(name))
    return reply_problem(rep, PROBLEM_NOT_FOUND, NULL,
                         "the page has no asset called '%.100s'", name);
  return reply_file(rep, file);
}
