/**
 * @file tests/fuzz/fuzz_cursor.c
 * @brief libFuzzer target: keyset cursors of GET /roles (cursor.c). A
 *        random cursor almost never carries the right fingerprint, so the
 *        request target stops at "not one this server issued"; here the
 *        target signs the fuzzer's values itself. The first byte chooses a
 *        sort and filters; the rest is the JSON text of the cursor's value
 *        list, sent as {"f": <the fingerprint of that query>, "a": <text>}
 *        through the whole handler, where the values reach SQLite. The raw
 *        bytes are also decoded as a cursor of their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/cursor.h"
#include "handlers/handlers.h"
#include "handlers/roles_params.h"
#include "tests/fuzz/fuzz_support.h"

/* The longest cursor the server reads; longer ones are refused unread. */
#define FUZZ_CURSOR_MAX 2048

static const char *const queries[] = {
  "sort=pay",
  "sort=title&order=desc",
  "sort=total_pay,title&limit=3",
  "sort=relevance&q=engineer",
  "sort=pay,title&category=Infrastructure&has_pay=true",
  "sort=title,pay&min_pay=100000&fields=slug,pay",
};
#define NQUERIES (sizeof queries / sizeof queries[0])

static char *
base64url(const char *in, size_t len)
{
  static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  char *out = malloc(len / 3 * 4 + 5);
  size_t o = 0;
  uint32_t acc = 0;
  int bits = 0;

  if (NULL == out)
    fuzz_fail("out of memory encoding a cursor");
  for (size_t i = 0; i < len; i++) {
    acc = (acc << 8) | (unsigned char) in[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out[o++] = b64[(acc >> bits) & 63];
    }
  }
  if (bits > 0)
    out[o++] = b64[(acc << (6 - bits)) & 63];
  out[o] = '\0';
  return out;
}

/* The fingerprint GET /roles gives @a params: what its cursors are signed with. */
static uint64_t
fingerprint(const struct request *req)
{
  struct roles_request rr;
  struct reply rep = { 0 };

  if (0 != roles_params_read(req, &rr, &rep))
    fuzz_fail("a seed query of this target is refused");
  reply_clear(&rep);
  return roles_params_fingerprint(&rr);
}

static void
run_roles(const char *query, const char *values, size_t len)
{
  struct param params[REQUEST_MAX_PARAMS];
  char *qcopy = strdup(query);
  struct request req = { .method = "GET", .path = "/roles", .params = params,
                         .app = fuzz_db(), .route_pattern = "/roles" };
  struct reply rep = { .instance = "/roles" };
  char *doc;
  char *cursor;
  int n;

  if (NULL == qcopy)
    fuzz_fail("out of memory copying a query");
  req.nparams = fuzz_split_query(qcopy, params, REQUEST_MAX_PARAMS - 1);
  n = asprintf(&doc, "{\"f\":\"%016llx\",\"a\":%.*s}",
               (unsigned long long) fingerprint(&req), (int) len, values);
  if (n < 0)
    fuzz_fail("out of memory making a cursor");
  cursor = base64url(doc, (size_t) n);
  free(doc);
  if (strlen(cursor) <= FUZZ_CURSOR_MAX) {
    params[req.nparams++] = (struct param) { .key = "cursor", .value = cursor };
    fuzz_check_reply(h_roles_list(&req, &rep), &rep);
  }
  free(cursor);
  free(qcopy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct sort_value values[4];
  json_t *holder = NULL;
  char *raw;

  if (size < 1)
    return 0;
  run_roles(queries[data[0] % NQUERIES], (const char *) data + 1, size - 1);
  raw = fuzz_strndup(data + 1, size - 1);
  for (size_t n = 1; n <= 4; n++) {
    if (0 == cursor_decode(raw, 0, values, n, &holder))
      json_decref(holder);
  }
  free(raw);
  return 0;
}
