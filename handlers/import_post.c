/**
 * @file handlers/import_post.c
 * @brief POST /import: salary observations in bulk, as CSV or NDJSON,
 *        parsed and written as the body arrives, all in one transaction.
 *
 * The daemon has checked the token and the Content-Type before begin().
 * With an Idempotency-Key that an earlier import used, the body is only
 * hashed: the same request gets the stored answer again, another one 409.
 */
#include "handlers/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/import.h"
#include "handlers/app.h"
#include "handlers/validate.h"
#include "model/import_rows.h"
#include "http/body.h"
#include "http/params.h"
#include "http/stream.h"
#include "util/hash.h"

struct import_ctx {
  struct import_parser *parser;    /* NULL when replaying */
  struct import_session *session;  /* NULL when replaying */
  struct import_replay replay;     /* the earlier answer for the key */
  enum import_status parse_status;
  uint64_t hash;                   /* FNV-1a 64 of the request */
  bool has_key;
};

/* What makes two requests the same: method, path, dry_run, media type
 * and body. Started here, finished by feed(). */
static uint64_t
hash_start(const struct request *req, bool dry_run, const char *media)
{
  uint64_t h = HASH_INIT;

  h = hash_bytes(h, "POST\n", 5);
  h = hash_bytes(h, req->path, strlen(req->path));
  h = hash_bytes(h, dry_run ? "\ndry_run\n" : "\nwrite\n", dry_run ? 9 : 7);
  h = hash_bytes(h, media, strlen(media));
  return hash_bytes(h, "\n", 1);
}

static bool
key_valid(const char *key)
{
  size_t len = strlen(key);

  if (0 == len || len > IMPORT_KEY_MAX)
    return false;
  for (const char *p = key; '\0' != *p; p++) {
    char c = *p;
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
              || NULL != strchr("_.:-", c);

    if (!ok)
      return false;
  }
  return true;
}

/* The query and the headers a handler checks: 0, or -1 with a 400 in @a rep. */
static int
check_request(const struct request *req, bool *dry_run, struct reply *rep)
{
  static const char *const flags[] = { "false", "true", NULL };
  int choice = 0;

  if (0 != params_choice(req, "dry_run", flags, 0, &choice, rep))
    return -1;
  *dry_run = 1 == choice;
  if (NULL != req->idempotency_key && !key_valid(req->idempotency_key)) {
    reply_problem(rep, PROBLEM_INVALID_PARAMETER, NULL,
                  "the Idempotency-Key header must be 1 to %d characters of A-Z, a-z, 0-9, "
                  "'_', '.', ':' and '-'", IMPORT_KEY_MAX);
    return -1;
  }
  return 0;
}

static void
ctx_free(struct import_ctx *c)
{
  if (NULL == c)
    return;
  import_parser_free(c->parser);
  import_session_abort(c->session);
  import_replay_clear(&c->replay);
  free(c);
}

/* Opens the session (or finds the key used before). @return 0, or -1 with @a rep filled */
static int
ctx_open(struct import_ctx *c, const struct request *req, bool dry_run, struct reply *rep)
{
  struct import_options o = {
    .token_id = req->token_id, .origin = "POST /import", .target = req->path,
    .dry_run = dry_run, .key = req->idempotency_key,
  };
  struct db *db;
  enum db_status st;

  st = import_db_open_private(req_db(req), &db);
  if (DB_ONE == st)
    st = import_session_begin(db, true, &o, &c->session, &c->replay);
  /* DB_NONE: the key was used before; replay or conflict at the end */
  if (DB_ONE == st || DB_NONE == st)
    return 0;
  reply_db_error(rep, st);
  return -1;
}

static void *
import_begin(const struct request *req, struct reply *rep)
{
  struct import_ctx *c;
  char media[64];
  bool dry_run = false;

  if (0 != check_request(req, &dry_run, rep))
    return NULL;
  body_media_type(req->content_type, media, sizeof media);
  c = calloc(1, sizeof *c);
  if (NULL == c) {
    reply_problem(rep, PROBLEM_INTERNAL, NULL, "out of memory");
    return NULL;
  }
  c->has_key = NULL != req->idempotency_key;
  c->hash = hash_start(req, dry_run, media);
  if (0 != ctx_open(c, req, dry_run, rep)) {
    ctx_free(c);
    return NULL;
  }
  if (NULL != c->session) {
    c->parser = import_parser_new(0 == strcmp(media, "text/csv") ? IMPORT_CSV : IMPORT_NDJSON,
                                  import_session_on_row, c->session);
    if (NULL == c->parser) {
      ctx_free(c);
      reply_problem(rep, PROBLEM_INTERNAL, NULL, "out of memory");
      return NULL;
    }
  }
  return c;
}

static int
import_feed(void *ctx, const char *data, size_t len)
{
  struct import_ctx *c = ctx;

  if (c->has_key)
    c->hash = hash_bytes(c->hash, data, len);
  if (NULL != c->parser && IMPORT_CONTINUE == c->parse_status)
    c->parse_status = import_parser_feed(c->parser, data, len);
  return IMPORT_NOMEM == c->parse_status ? -1 : 0;
}

static void
import_abort(void *ctx)
{
  ctx_free(ctx);
}

/* Where a committed import's source can be read. */
static int
reply_location(struct reply *rep, int64_t source_id)
{
  return reply_header(rep, "Location", "/sources/%" PRId64, source_id);
}

/* The stored answer when the request is the same, else 409. Its Location
 * is the source the stored body names, as in the first answer. */
static int
reply_replay(struct import_ctx *c, const char *hash_text, struct reply *rep)
{
  json_t *body;
  json_t *id;

  if (0 != strcmp(hash_text, c->replay.request))
    return reply_problem(rep, PROBLEM_CONFLICT, NULL,
                         "Idempotency-Key reused with a different request: the import made "
                         "with this key had another body, type or dry_run");
  body = json_loads(c->replay.body, 0, NULL);
  id = json_object_get(json_object_get(json_object_get(body, "data"), "source"), "id");
  if (0 != reply_json(rep, c->replay.status, body))
    return -1;
  if (201 == c->replay.status && json_is_integer(id)
      && 0 != reply_location(rep, (int64_t) json_integer_value(id)))
    return -1;
  return reply_header(rep, "Idempotent-Replayed", "true");
}

/* 422 with every bad row (the first IMPORT_MAX_ERRORS) and the counts. */
static int
reply_import_errors(const struct field_errors *e, struct reply *rep)
{
  if (0 != reply_problem(rep, PROBLEM_INVALID_BODY, NULL,
                         "nothing was imported: %" PRIu64 " problem%s in %" PRIu64 " row%s%s",
                         e->total, 1 == e->total ? "" : "s", e->bad_rows,
                         1 == e->bad_rows ? "" : "s",
                         e->total > e->count ? "; the first ones are listed in errors"
                                             : "; see errors"))
    return -1;
  if (0 != json_object_set_new(rep->body, "errors",
                              field_errors_json(e->items, e->count, true))
      || 0 != json_object_set_new(rep->body, "total_errors", json_integer((json_int_t) e->total))
      || 0 != json_object_set_new(rep->body, "bad_rows", json_integer((json_int_t) e->bad_rows))) {
    reply_clear(rep);
    return -1;
  }
  return 0;
}

static int
reply_result(const struct import_result *r, struct reply *rep)
{
  char body[512];

  switch (r->status) {
  case DB_ONE:
    break;
  case DB_NONE:
    return reply_import_errors(&r->errors, rep);
  default:
    return reply_db_error(rep, r->status);
  }
  if (0 != import_result_json(r, body, sizeof body)
      || 0 != reply_json(rep, r->dry_run ? 200 : 201, json_loads(body, 0, NULL)))
    return -1;
  if (!r->dry_run)
    return reply_location(rep, r->source_id);
  return 0;
}

static int
import_finish(void *ctx, const struct request *req, struct reply *rep)
{
  struct import_ctx *c = ctx;
  struct import_result *r;
  char hash_text[32];
  bool ok;
  int rc;

  (void) req;
  snprintf(hash_text, sizeof hash_text, "fnv1a64:%016" PRIx64, c->hash);
  if (NULL == c->session) {
    rc = reply_replay(c, hash_text, rep);
    ctx_free(c);
    return rc;
  }
  r = malloc(sizeof *r);
  if (NULL == r) {
    ctx_free(c);
    return -1;
  }
  if (IMPORT_CONTINUE == c->parse_status)
    c->parse_status = import_parser_finish(c->parser);
  /* MALFORMED leaves its error in the list; ABORTED is a database failure */
  ok = IMPORT_CONTINUE == c->parse_status || IMPORT_MALFORMED == c->parse_status;
  import_session_finish(c->session, import_parser_errors(c->parser), ok, hash_text, r);
  c->session = NULL;
  rc = reply_result(r, rep);
  free(r);
  ctx_free(c);
  return rc;
}

const struct stream_ops import_stream_ops = {
  .begin = import_begin,
  .feed = import_feed,
  .finish = import_finish,
  .abort = import_abort,
};

int
h_import_post(const struct request *req, struct reply *rep)
{
  (void) req;
  /* the route streams: the daemon calls import_stream_ops, never this */
  return reply_problem(rep, PROBLEM_INTERNAL, NULL, "the import was not streamed");
}
