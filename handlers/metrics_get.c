/**
 * @file handlers/metrics_get.c
 * @brief GET /metrics: the Prometheus text exposition.
 *
 * The text travels as a JSON string body with a non-JSON content type,
 * which the server sends as the bare text (see server/daemon.c).
 */
#include "handlers/handlers.h"

#include <stdlib.h>

#include "http/metrics.h"

int
h_metrics_get(const struct request *req, struct reply *rep)
{
  size_t len = 0;
  char *text;
  json_t *body;

  (void) req; /* it takes no query: the route table says so */
  text = metrics_render(&len);
  body = NULL != text ? json_stringn_nocheck(text, len) : NULL;
  free(text);
  if (0 != reply_json(rep, 200, body))
    return reply_problem(rep, PROBLEM_INTERNAL, NULL, "the metrics could not be rendered");
  rep->content_type = METRICS_CONTENT_TYPE;
  /* every scrape must see the counters as they are now */
  return reply_header(rep, "Cache-Control", "no-store");
}
