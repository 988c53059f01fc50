/**
 * @file http/entity.c
 * @brief Serialising, tagging and compressing a GET answer once.
 */
#include "http/entity.h"

#include "http/reply.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/csv.h"
#include "http/gzip.h"
#include "util/log.h"

/* [csv_offered][one_origin]: one Vary header naming every request header
 * the answer depends on. */
static const char *const vary_values[2][2] = {
  { "Accept-Encoding", "Accept-Encoding, Origin" },
  { "Accept, Accept-Encoding", "Accept, Accept-Encoding, Origin" },
};

/* The 200's body, shared by the cached response and every request's own
 * (entity_response); freed by whichever is destroyed last. */
struct entity_body {
  atomic_uint refs;
  size_t len;
  char *bytes;
};

/* libmicrohttpd's free callback of each response holding the body. */
static void
body_release(void *cls)
{
  struct entity_body *b = cls;

  if (1 == atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel)) {
    free(b->bytes);
    free(b);
  }
}

static uint64_t
rotl64(uint64_t x, unsigned r)
{
  return (x << r) | (x >> (64 - r));
}

/* One lane of MurmurHash3's x64 mixing over 8-byte words, then its final
 * avalanche: fast enough to run over every body we build. */
uint64_t
entity_hash(const void *data, size_t len)
{
  const uint64_t k1 = UINT64_C(0x87c37b91114253d5);
  const uint64_t k2 = UINT64_C(0x4cf5ad432745937f);
  const unsigned char *p = data;
  uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ len;
  size_t i = 0;

  for (;;) {
    uint64_t w = 0;
    size_t n = len - i < 8 ? len - i : 8;

    if (0 == n)
      break;
    memcpy(&w, p + i, n);
    i += n;
    w *= k1;
    h ^= rotl64(w, 31) * k2;
    h = rotl64(h, 27) * 5 + 0x52dce729;
  }
  h ^= h >> 33;
  h *= UINT64_C(0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= UINT64_C(0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return h;
}

/* The uncompressed body text in the asked representation (malloc'd). */
static char *
body_text(const struct reply *rep, enum representation repr, size_t *len)
{
  char *text;

  if (NULL != rep->text) {
    /* a copy: the entity's body is freed with the last response using it */
    text = malloc(rep->text_len + 1);
    if (NULL != text) {
      memcpy(text, rep->text, rep->text_len);
      text[rep->text_len] = '\0';
      *len = rep->text_len;
    }
    return text;
  }
  if (REPR_CSV == repr) {
    json_t *data = json_object_get(rep->body, "data");

    /* a list route that answers one object (GET /pay) gives one record */
    if (json_is_object(data)) {
      json_t *one = json_pack("[O]", data);

      text = NULL != one ? csv_from_rows(one, len) : NULL;
      json_decref(one);
    } else {
      text = csv_from_rows(data, len);
    }
    if (NULL == text)
      log_msg(LOG_ERROR, "%s: a list reply without an array of objects in \"data\"",
              rep->instance ? rep->instance : "?");
    return text;
  }
  text = json_dumps(rep->body, REPLY_JSON_FLAGS);
  *len = NULL != text ? strlen(text) : 0;
  return text;
}

/* Replaces *body by its gzip form when that is worth it; true if it did. */
static bool
compress_body(char **body, size_t *len)
{
  void *gz;
  size_t gz_len;

  if (*len < ENTITY_GZIP_MIN || 0 != gzip_compress(*body, *len, &gz, &gz_len))
    return false;
  if (gz_len >= *len) {
    free(gz);
    return false;
  }
  free(*body);
  *body = gz;
  *len = gz_len;
  return true;
}

/* The headers the 200 and the 304 share (RFC 9110 15.4.5). */
static void
add_validators(struct MHD_Response *resp, const struct entity *e, const struct entity_spec *spec)
{
  MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, e->etag);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                          spec->shared ? CACHE_CONTROL_SHARED : CACHE_CONTROL_REVALIDATE);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY,
                          vary_values[spec->csv_offered][cors_varies(spec->cors,
                                                                     spec->token_route)]);
  cors_add_headers(resp, spec->cors, spec->token_route);
}

/* The 304's body reader: never called, since a 304 has no body. */
static ssize_t
no_body(void *cls, uint64_t pos, char *buf, size_t max)
{
  (void) cls;
  (void) pos;
  (void) buf;
  (void) max;
  return MHD_CONTENT_READER_END_OF_STREAM;
}

static int
make_responses(const struct reply *rep, const struct entity_spec *spec, bool gzipped,
               char *body, size_t len, struct entity *e)
{
  e->body = malloc(sizeof *e->body);
  if (NULL == e->body) {
    free(body);
    return -1;
  }
  atomic_init(&e->body->refs, 1);
  e->body->len = len;
  e->body->bytes = body;
  e->ok = MHD_create_response_from_buffer_with_free_callback_cls(len, body, &body_release,
                                                                 e->body);
  if (NULL == e->ok) {
    free(body);
    free(e->body);
    e->body = NULL;
    return -1;
  }
  /* libmicrohttpd sends a 304 with the Content-Length of its response:
   * "0" would contradict the 200 (RFC 9110 8.6), so it gets the 200's
   * length and a reader that is never asked for bytes. */
  e->not_modified = MHD_create_response_from_callback(len, 1024, &no_body, NULL, NULL);
  if (NULL == e->not_modified)
    return -1;
  MHD_add_response_header(e->ok, MHD_HTTP_HEADER_CONTENT_TYPE,
                          REPR_CSV == spec->repr ? CONTENT_TYPE_CSV : rep->content_type);
  if (gzipped)
    MHD_add_response_header(e->ok, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
  for (unsigned i = 0; i < rep->nheaders; i++)
    MHD_add_response_header(e->ok, rep->headers[i].name, rep->headers[i].value);
  add_validators(e->ok, e, spec);
  add_validators(e->not_modified, e, spec);
  return 0;
}

int
entity_build(const struct reply *rep, const struct entity_spec *spec, struct entity *e)
{
  size_t len = 0;
  char *body = body_text(rep, spec->repr, &len);
  bool gzipped;

  memset(e, 0, sizeof *e);
  if (NULL == body)
    return -1;
  snprintf(e->etag, sizeof e->etag, "\"%016" PRIx64 "%s", entity_hash(body, len),
           REPR_CSV == spec->repr ? "-csv" : "");
  gzipped = spec->gzip && compress_body(&body, &len);
  strcat(e->etag, gzipped ? "-gz\"" : "\"");
  if (0 != make_responses(rep, spec, gzipped, body, len, e)) {
    entity_clear(e);
    return -1;
  }
  return 0;
}

void
entity_add_header(struct entity *e, const char *name, const char *value)
{
  MHD_add_response_header(e->ok, name, value);
  MHD_add_response_header(e->not_modified, name, value);
}

enum MHD_Result
entity_queue(struct MHD_Connection *conn, const struct entity *e, const char *if_none_match)
{
  if (negotiate_etag_matches(if_none_match, e->etag))
    return MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, e->not_modified);
  return MHD_queue_response(conn, MHD_HTTP_OK, e->ok);
}

struct header_copy {
  struct MHD_Response *to;
  bool failed;
};

static enum MHD_Result
copy_header(void *cls, enum MHD_ValueKind kind, const char *name, const char *value)
{
  struct header_copy *hc = cls;

  (void) kind;
  if (MHD_YES == MHD_add_response_header(hc->to, name, value))
    return MHD_YES;
  hc->failed = true;
  return MHD_NO;
}

struct MHD_Response *
entity_response(const struct entity *e, const char *if_none_match, unsigned *status,
                size_t *body_len)
{
  struct header_copy hc = { NULL, false };
  struct MHD_Response *from;

  if (negotiate_etag_matches(if_none_match, e->etag)) {
    *status = MHD_HTTP_NOT_MODIFIED;
    *body_len = 0;
    from = e->not_modified;
    /* the 200's length, as in make_responses() */
    hc.to = MHD_create_response_from_callback(e->body->len, 1024, &no_body, NULL, NULL);
  } else {
    *status = MHD_HTTP_OK;
    *body_len = e->body->len;
    from = e->ok;
    atomic_fetch_add_explicit(&e->body->refs, 1, memory_order_relaxed);
    hc.to = MHD_create_response_from_buffer_with_free_callback_cls(e->body->len, e->body->bytes,
                                                                   &body_release, e->body);
    if (NULL == hc.to)
      body_release(e->body);
  }
  if (NULL == hc.to)
    return NULL;
  /* the cached responses are never queued: they are the templates */
  MHD_get_response_headers(from, &copy_header, &hc);
  if (hc.failed) {
    MHD_destroy_response(hc.to);
    return NULL;
  }
  return hc.to;
}

void
entity_clear(struct entity *e)
{
  if (NULL != e->ok)
    MHD_destroy_response(e->ok);
  if (NULL != e->not_modified)
    MHD_destroy_response(e->not_modified);
  memset(e, 0, sizeof *e);
}
