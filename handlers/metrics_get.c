/**
 * @file handlers/metrics_get.c
 * @brief GET /metrics: the Prometheus text exposition.
 *
 * The text travels as a JSON string body with a non-JSON content type,
 * which the server sends as the bare text (see server/daemon.c).
 */
#include "handlers/handlers.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/db_metrics.h"
#include "http/metrics.h"

/* The server's series and then the store's, as one text; NULL when out of memory. */
static char *
render_all(size_t *len)
{
  size_t http_len = 0;
  char *http_text = metrics_render(&http_len);
  char *text = NULL;
  FILE *out;

  if (NULL == http_text)
    return NULL;
  out = open_memstream(&text, len);
  if (NULL == out) {
    free(http_text);
    return NULL;
  }
  fwrite(http_text, 1, http_len, out);
  free(http_text);
  db_metrics_render(out);
  if (0 != ferror(out)) {
    fclose(out);
    free(text);
    return NULL;
  }
  if (0 != fclose(out)) {
    free(text);
    return NULL;
  }
  return text;
}

int
h_metrics_get(const struct request *req, struct reply *rep)
{
  size_t len = 0;
  char *text;
  json_t *body;

  (void) req; /* it takes no query: the route table says so */
  text = render_all(&len);
  body = NULL != text ? json_stringn_nocheck(text, len) : NULL;
  free(text);
  if (0 != reply_json(rep, 200, body))
    return reply_problem(rep, PROBLEM_INTERNAL, NULL, "the metrics could not be rendered");
  rep->content_type = METRICS_CONTENT_TYPE;
  /* every scrape must see the counters as they are now */
  return reply_header(rep, "Cache-Control", "no-store");
}
