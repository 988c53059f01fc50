/**
 * @file handlers/openapi_get.c
 * @brief GET /openapi.json: the OpenAPI 3.1 description of every route,
 *        parameter, response and error (docs/openapi.json), compiled into
 *        the binary at build time.
 *
 * The document is parsed from the embedded bytes on each call, so no JSON
 * value is ever shared between worker threads; the server's response cache
 * keeps the answer, so parsing happens about once per worker.
 */
#include "handlers/handlers.h"

#include "docs/openapi_data.h"

int
h_openapi_get(const struct request *req, struct reply *rep)
{
  /* the build embeds exactly this one file */
  const struct embedded_file *file = &openapi_files[0];
  json_error_t err;
  json_t *doc;

  (void) req; /* it takes no query: the route table says so */
  doc = json_loadb((const char *) file->bytes, file->len, JSON_REJECT_DUPLICATES, &err);
  if (NULL == doc)
    return reply_problem(rep, PROBLEM_INTERNAL, NULL,
                         "the API description could not be read: line %d: %.100s",
                         err.line, err.text);
  return reply_json(rep, 200, doc);
}
