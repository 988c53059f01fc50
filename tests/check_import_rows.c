/**
 * @file tests/check_import_rows.c
 * @brief The streaming import parser: CSV and NDJSON rows, chunks cut
 *        anywhere, what GET /salaries exports, and every kind of bad row.
 */
#include <check.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/import_rows.h"
#include "tests/harness.h"

/* ---- collecting what the parser reports ------------------------------ */

/* Every row and every row error, as text, in the order reported. */
struct collected {
  char *text;
  size_t len;
  size_t cap;
  size_t rows;     /* valid rows */
  size_t bad;      /* callbacks with errors */
  size_t stop_at;  /* return non-zero on this callback (1-based); 0 never */
  size_t calls;
};

static void
add(struct collected *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(struct collected *c, const char *fmt, ...)
{
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  ck_assert_int_ge(n, 0);
  while (c->len + (size_t) n + 1 > c->cap) {
    c->cap = c->cap ? c->cap * 2 : 4096;
    c->text = realloc(c->text, c->cap);
    ck_assert_ptr_nonnull(c->text);
  }
  va_start(ap, fmt);
  vsnprintf(c->text + c->len, (size_t) n + 1, fmt, ap);
  va_end(ap);
  c->len += (size_t) n;
}

static const char *
or_null(const char *s)
{
  return NULL == s ? "<null>" : s;
}

static void
add_row(struct collected *c, const struct salary_report *r, bool with_line)
{
  if (with_line)
    add(c, "%" PRIu64 ": ", r->line);
  add(c, "role=%s subject=%s amount=%" PRId64 " kind=%s statistic=%s bound=%s scope=%s",
      or_null(r->role), or_null(r->subject), r->amount, r->kind, r->statistic, r->bound,
      or_null(r->scope));
  if (r->has_year)
    add(c, " year=%" PRId64, r->year);
  else
    add(c, " year=<null>");
  add(c, " note=%s", or_null(r->note));
  if (r->has_source)
    add(c, " source=%" PRId64 "/%s\n", r->source_id, r->section);
  else
    add(c, " source=<none>%s\n", NULL == r->section ? "" : " SECTION WITHOUT ID");
}

/* Whether collected rows start with their line number. */
static bool collect_lines = true;

static int
collect(void *cls, const struct salary_report *row, const struct field_error *errors,
        size_t n_errors)
{
  struct collected *c = cls;

  c->calls++;
  if (NULL != row) {
    ck_assert_uint_eq(0, n_errors);
    ck_assert_ptr_null(errors);
    c->rows++;
    add_row(c, row, collect_lines);
  } else {
    ck_assert_uint_gt(n_errors, 0);
    c->bad++;
    for (size_t i = 0; i < n_errors; i++)
      add(c, "%" PRIu64 ": ERROR %s: %s\n", errors[i].line, errors[i].field, errors[i].reason);
  }
  return c->stop_at == c->calls ? 1 : 0;
}

struct result {
  struct collected got;
  enum import_status status;
  struct field_errors errors;
  uint64_t rows;
};

static void
result_free(struct result *r)
{
  free(r->got.text);
  memset(r, 0, sizeof *r);
}

/*
 * Parses @a data (@a len bytes) in chunks: first @a first bytes, then
 * pieces of @a chunk bytes (0: the rest at once).
 */
static void
parse_split(enum import_format fmt, const char *data, size_t len, size_t first, size_t chunk,
            struct result *out)
{
  struct import_parser *p;
  size_t at = 0;
  enum import_status st = IMPORT_CONTINUE;

  memset(out, 0, sizeof *out);
  p = import_parser_new(fmt, collect, &out->got);
  ck_assert_ptr_nonnull(p);
  if (first > 0) {
    st = import_parser_feed(p, data, first);
    at = first;
  }
  while (at < len && IMPORT_CONTINUE == st) {
    size_t n = 0 == chunk || len - at < chunk ? len - at : chunk;

    st = import_parser_feed(p, data + at, n);
    at += n;
  }
  st = import_parser_finish(p);
  out->status = st;
  out->errors = *import_parser_errors(p);
  out->rows = import_parser_rows(p);
  import_parser_free(p);
  add(&out->got, "status=%d", (int) st); /* so that an empty result is text too */
}

static void
parse(enum import_format fmt, const char *data, struct result *out)
{
  parse_split(fmt, data, strlen(data), 0, 0, out);
}

/* The same rows and errors for every way of cutting @a data into two
 * chunks, and for one byte at a time. */
static void
assert_split_invariant(enum import_format fmt, const char *data)
{
  size_t len = strlen(data);
  struct result whole;
  struct result part;

  parse_split(fmt, data, len, 0, 0, &whole);
  for (size_t k = 1; k < len; k++) {
    parse_split(fmt, data, len, k, 0, &part);
    ck_assert_msg(0 == strcmp(whole.got.text, part.got.text),
                  "cut at %zu:\n%s\n--- whole:\n%s", k, part.got.text, whole.got.text);
    ck_assert_uint_eq(whole.errors.total, part.errors.total);
    result_free(&part);
  }
  parse_split(fmt, data, len, 0, 1, &part);
  ck_assert_msg(0 == strcmp(whole.got.text, part.got.text), "byte by byte:\n%s\n--- whole:\n%s",
                part.got.text, whole.got.text);
  result_free(&part);
  result_free(&whole);
}

static void
assert_error(const struct result *r, size_t i, uint64_t line, const char *field,
             const char *reason_part)
{
  const struct field_error *e;

  ck_assert_msg(i < r->errors.count, "error %zu of %zu; got:\n%s", i, r->errors.count,
                r->got.text);
  e = &r->errors.items[i];
  ck_assert_msg(e->line == line, "error %zu: line %" PRIu64 ", want %" PRIu64 "\n%s", i,
                e->line, line, r->got.text);
  ck_assert_str_eq(field, e->field);
  ck_assert_msg(NULL != strstr(e->reason, reason_part), "error %zu: \"%s\" lacks \"%s\"", i,
                e->reason, reason_part);
}

/* ---- happy paths ------------------------------------------------------ */

#define CSV_HEADER \
  "id,amount,currency,kind,statistic,bound,scope,year,note,source,role,subject\r\n"

static const char csv_rows[] =
  CSV_HEADER
  "1,146085,USD,base,average,exact,,2024,Rank 1,\"{\"\"id\"\":2,\"\"slug\"\":\"\"s\"\","
  "\"\"title\"\":\"\"T\"\",\"\"section\"\":\"\"Highest Paying\"\"}\",machine-learning-engineer,\r\n"
  "2,250000,USD,total,minimum,at_least,\"Senior, elite\",,\"Stated as \"\"$250,000+\"\"\nsecond"
  " line\",\"{\"\"id\"\":1,\"\"slug\"\":\"\"o\"\",\"\"title\"\":\"\"O\"\",\"\"section\"\":\"\"Caf\xc3\xa9\"\"}\","
  "cloud-architect,\r\n"
  "3,100000,,base,individual,,,,,,,Experienced doctors and lawyers\r\n";

static const char csv_rows_want[] =
  "2: role=machine-learning-engineer subject=<null> amount=146085 kind=base statistic=average"
  " bound=exact scope=<null> year=2024 note=Rank 1 source=2/Highest Paying\n"
  "3: role=cloud-architect subject=<null> amount=250000 kind=total statistic=minimum"
  " bound=at_least scope=Senior, elite year=<null> note=Stated as \"$250,000+\"\nsecond line"
  " source=1/Caf\xc3\xa9\n"
  "5: role=<null> subject=Experienced doctors and lawyers amount=100000 kind=base"
  " statistic=individual bound=exact scope=<null> year=<null> note=<null> source=<none>\n"
  "status=0";

START_TEST(csv_rows_in_the_export_shape)
{
  struct result r;

  parse(IMPORT_CSV, csv_rows, &r);
  ck_assert_int_eq(IMPORT_CONTINUE, r.status);
  ck_assert_str_eq(csv_rows_want, r.got.text);
  ck_assert_uint_eq(3, r.rows);
  ck_assert_uint_eq(0, r.errors.total);
  result_free(&r);
}
END_TEST

START_TEST(csv_flattened_source_columns)
{
  struct result r;

  parse(IMPORT_CSV,
        "role,amount,kind,statistic,source.id,source.slug,source.title,source.section\n"
        "ai-research-scientist,136245,base,p25,2,ignored,Ignored,\"A, B\"\n"
        "ai-research-scientist,136246,base,p75,,,,\n",
        &r);
  ck_assert_str_eq("2: role=ai-research-scientist subject=<null> amount=136245 kind=base"
                   " statistic=p25 bound=exact scope=<null> year=<null> note=<null> source=2/A, B\n"
                   "3: role=ai-research-scientist subject=<null> amount=136246 kind=base"
                   " statistic=p75 bound=exact scope=<null> year=<null> note=<null> source=<none>\n"
                   "status=0",
                   r.got.text);
  result_free(&r);
}
END_TEST

/* The export's guard against spreadsheet formulas (server/csv.h) is
 * dropped from text cells, once; number cells never had one. */
START_TEST(csv_formula_guard_is_dropped_from_text)
{
  struct result r;

  parse(IMPORT_CSV,
        "role,amount,kind,statistic,scope,note,subject\n"
        "cloud-architect,1,base,average,'=HYPERLINK(1),'@x,\n"
        ",2,base,average,'-5% in Europe,''=kept once,'+1 555\n"
        "cloud-architect,3,base,average,'plain,'',\n"
        "cloud-architect,'4,base,average,,,\n",
        &r);
  ck_assert_str_eq("2: role=cloud-architect subject=<null> amount=1 kind=base statistic=average"
                   " bound=exact scope==HYPERLINK(1) year=<null> note=@x source=<none>\n"
                   "3: role=<null> subject=+1 555 amount=2 kind=base statistic=average"
                   " bound=exact scope=-5% in Europe year=<null> note='=kept once source=<none>\n"
                   "4: role=cloud-architect subject=<null> amount=3 kind=base statistic=average"
                   " bound=exact scope='plain year=<null> note=' source=<none>\n"
                   "5: ERROR amount: must be a whole number from 1 to 99999999, not \"'4\"\n"
                   "status=0",
                   r.got.text);
  result_free(&r);
}
END_TEST

static const char ndjson_rows[] =
  "{\"id\":1,\"amount\":146085,\"currency\":\"USD\",\"kind\":\"base\",\"statistic\":\"average\","
  "\"bound\":\"exact\",\"scope\":null,\"year\":2024,\"note\":\"Rank 1\",\"source\":{\"id\":2,"
  "\"slug\":\"s\",\"title\":\"T\",\"section\":\"Highest Paying\"},\"role\":"
  "\"machine-learning-engineer\",\"subject\":null}\n"
  "\n"
  "  \r\n"
  "{\"amount\":250000,\"kind\":\"total\",\"statistic\":\"minimum\",\"bound\":\"at_least\","
  "\"scope\":\"Senior, elite\",\"note\":\"Stated as \\\"$250,000+\\\"\\nsecond line\","
  "\"source\":{\"id\":1,\"section\":\"Caf\\u00e9\"},\"role\":\"cloud-architect\"}\r\n"
  "{\"amount\":100000,\"kind\":\"base\",\"statistic\":\"individual\",\"role\":\"\","
  "\"subject\":\"Experienced doctors and lawyers\"}";

START_TEST(ndjson_rows_in_the_export_shape)
{
  struct result r;

  parse(IMPORT_NDJSON, ndjson_rows, &r);
  ck_assert_int_eq(IMPORT_CONTINUE, r.status);
  /* the same observations as the CSV, on lines 1, 4 and 5 */
  ck_assert_str_eq("1: role=machine-learning-engineer subject=<null> amount=146085 kind=base"
                   " statistic=average bound=exact scope=<null> year=2024 note=Rank 1"
                   " source=2/Highest Paying\n"
                   "4: role=cloud-architect subject=<null> amount=250000 kind=total"
                   " statistic=minimum bound=at_least scope=Senior, elite year=<null>"
                   " note=Stated as \"$250,000+\"\nsecond line source=1/Caf\xc3\xa9\n"
                   "5: role=<null> subject=Experienced doctors and lawyers amount=100000"
                   " kind=base statistic=individual bound=exact scope=<null> year=<null>"
                   " note=<null> source=<none>\n"
                   "status=0",
                   r.got.text);
  ck_assert_uint_eq(3, r.rows);
  result_free(&r);
}
END_TEST

START_TEST(empty_bodies_have_no_rows)
{
  struct result r;

  parse(IMPORT_CSV, "", &r);
  ck_assert_str_eq("status=0", r.got.text);
  result_free(&r);
  parse(IMPORT_CSV, CSV_HEADER, &r);
  ck_assert_str_eq("status=0", r.got.text);
  result_free(&r);
  parse(IMPORT_NDJSON, "\n\r\n \n", &r);
  ck_assert_str_eq("status=0", r.got.text);
  ck_assert_uint_eq(0, r.rows);
  result_free(&r);
}
END_TEST

/* ---- chunks cut anywhere ---------------------------------------------- */

/* A byte order mark, CRLF, quotes, an embedded CRLF, multi-byte UTF-8, a
 * bad row and a last row without a line end. */
static const char csv_tricky[] =
  "\xef\xbb\xbf" CSV_HEADER
  "\r\n"
  "7,133537,USD,base,median,below,\"a \"\"quoted\"\", scope\",2023,\"line one\nline \xe2\x82\xac"
  " two\",\"{\"\"id\"\":2,\"\"section\"\":\"\"S \xf0\x9f\x92\xb0\"\"}\",data-science-manager,\r\n"
  "8,1,,base,p25,,,,\"x\r\ny\",,b,\r\n"
  "8,146,085,USD,base,average,exact,,,,,a,\r\n"
  "9,99999999,,total,maximum,,,1900,,,quantum-software-developer,";

START_TEST(csv_every_split_point)
{
  assert_split_invariant(IMPORT_CSV, csv_tricky);
  assert_split_invariant(IMPORT_CSV, csv_rows);
}
END_TEST

START_TEST(csv_tricky_rows)
{
  struct result r;

  parse(IMPORT_CSV, csv_tricky, &r);
  ck_assert_str_eq("3: role=data-science-manager subject=<null> amount=133537 kind=base"
                   " statistic=median bound=below scope=a \"quoted\", scope year=2023"
                   " note=line one\nline \xe2\x82\xac two source=2/S \xf0\x9f\x92\xb0\n"
                   "5: ERROR note: must not contain control characters other than newline and tab\n"
                   "7: ERROR : has 13 fields; the header has 12\n"
                   "8: role=quantum-software-developer subject=<null> amount=99999999 kind=total"
                   " statistic=maximum bound=exact scope=<null> year=1900 note=<null>"
                   " source=<none>\n"
                   "status=0",
                   r.got.text);
  result_free(&r);
}
END_TEST

static const char ndjson_tricky[] =
  "\xef\xbb\xbf{\"amount\":1,\"kind\":\"base\",\"statistic\":\"p25\",\"role\":\"a-b\","
  "\"note\":\"\xe2\x82\xac \\\"x\\\"\"}\r\n"
  "\n"
  "{\"amount\":\"146085\",\"kind\":\"base\",\"statistic\":\"p25\",\"role\":\"a\",\"colour\":1}\n"
  "not json\n"
  "[1,2]\n"
  "{\"amount\":2,\"kind\":\"total\",\"statistic\":\"p75\",\"subject\":\"\xf0\x9f\x92\xb0\"}";

START_TEST(ndjson_every_split_point)
{
  struct result r;

  assert_split_invariant(IMPORT_NDJSON, ndjson_tricky);
  assert_split_invariant(IMPORT_NDJSON, ndjson_rows);
  parse(IMPORT_NDJSON, ndjson_tricky, &r);
  ck_assert_uint_eq(5, r.rows);
  ck_assert_uint_eq(2, r.got.rows);
  ck_assert_uint_eq(3, r.got.bad);
  assert_error(&r, 0, 3, "amount", "must be a whole number from 1 to 99999999, not \"146085\"");
  assert_error(&r, 1, 3, "colour", "unknown field");
  assert_error(&r, 2, 4, "", "is not valid JSON");
  assert_error(&r, 3, 5, "", "must be a JSON object");
  ck_assert_uint_eq(4, r.errors.total);
  ck_assert_uint_eq(3, r.errors.bad_rows);
  result_free(&r);
}
END_TEST

/*
 * Compact lines take a shortcut past jansson; any line it is not sure of
 * goes to jansson. Each line here is read both ways: as written, and with
 * an ignored member jansson must read ("id" as a string with an escape)
 * put first, which sends the line to jansson. The rows and errors must be
 * the same.
 */
static const char *const shortcut_lines[] = {
  "{\"amount\":146085,\"currency\":\"USD\",\"kind\":\"base\",\"statistic\":\"average\","
  "\"bound\":\"exact\",\"scope\":null,\"year\":2024,\"note\":\"n\",\"source\":{\"id\":2,"
  "\"slug\":\"s\",\"title\":\"T\",\"section\":\"Sec \xc3\xa9\"},\"role\":\"a-b\",\"subject\":null}",
  "{ \"amount\" : 5 ,\t\"kind\":\"total\" , \"statistic\":\"p25\",\"role\":\"r\" ,"
  "\"source\" : { \"section\" : \"s\" , \"id\" : 7 } }  ",
  "{}",
  "{\"amount\":-5,\"kind\":5,\"statistic\":null,\"role\":null,\"subject\":null}",
  "{\"amount\":0,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"\"}",
  "{\"amount\":100000000,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"Big\"}",
  "{\"amount\":-0,\"kind\":\"base\",\"statistic\":\"median\",\"subject\":\" padded\"}",
  "{\"amount\":123456789012345678,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\"}",
  "{\"amount\":1234567890123456789,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\"}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\",\"source\":{}}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\",\"source\":{\"id\":2}}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\","
  "\"source\":{\"id\":\"2\",\"section\":\"s\"}}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\","
  "\"source\":{\"id\":2,\"section\":\"s \"}}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\",\"source\":null}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\",\"source\":\"x\"}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\",\"year\":null,"
  "\"scope\":\"del\x7f\",\"currency\":\"EUR\"}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\",\"year\":1899}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\",\"year\":\"2024\"}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\",\"note\":\"caf\\u00e9\"}",
  "{\"amount\":1.0,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\",\"note\":true}",
  "{\"amount\":1e3,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\",\"note\":[1]}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\",\"extra\":1}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\","
  "\"source\":{\"id\":1,\"section\":\"s\",\"page\":2}}",
  "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"subject\":\"\xf0\x9f\x92\xb0 \xe2\x82\xac\"}",
};

START_TEST(ndjson_shortcut_reads_as_jansson_does)
{
  for (size_t i = 0; i < sizeof shortcut_lines / sizeof shortcut_lines[0]; i++) {
    const char *line = shortcut_lines[i];
    size_t size = strlen(line) + 32;
    char *forced = malloc(size);
    struct result a;
    struct result b;

    ck_assert_ptr_nonnull(forced);
    /* "{...}" becomes "{"id":"\u0031",...}" (or "{"id":"\u0031"}") */
    snprintf(forced, size, "{\"id\":\"\\u0031\"%s%s", '}' == line[1] ? "" : ",", line + 1);
    parse(IMPORT_NDJSON, line, &a);
    parse(IMPORT_NDJSON, forced, &b);
    ck_assert_msg(0 == strcmp(a.got.text, b.got.text), "line %zu:\n%s\n--- through jansson:\n%s",
                  i, a.got.text, b.got.text);
    ck_assert_uint_eq(1, a.rows);
    result_free(&a);
    result_free(&b);
    free(forced);
  }
}
END_TEST

START_TEST(ndjson_lines_jansson_refuses)
{
  static const char *const lines[] = {
    "{\"amount\":01,\"kind\":\"base\"}",
    "{\"amount\":1,\"amount\":2}",
    "{\"source\":{\"id\":1,\"id\":2}}",
    "{\"amount\":1,}",
    "{\"amount\":1 \"kind\":\"base\"}",
    "{\"note\":\"raw\ttab\"}",
    "{\"note\":\"bad \xc3\x28 utf-8\"}",
    "{\"amount\":1}x",
    "{\"amount\":nul}",
    "{\"amount\":-}",
    "{\"amount\":1",
    "{\"kind\":\"base",
    /* too long for the shortcut's int64_t, then too big for jansson: the
     * shortcut once overflowed (undefined behaviour) on these, found by fuzzing */
    "{\"amount\":9999999999999999999,\"kind\":\"base\",\"statistic\":\"median\"}",
    "{\"amount\":-30000000000000000000000000,\"kind\":\"base\"}",
    "{\"amount\":1,\"year\":123456789012345678901}",
  };

  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
    struct result r;

    parse(IMPORT_NDJSON, lines[i], &r);
    ck_assert_msg(1 == r.errors.total && 0 == r.got.rows, "line %zu:\n%s", i, r.got.text);
    assert_error(&r, 0, 1, "", "is not valid JSON");
    result_free(&r);
  }
}
END_TEST

/* ---- what GET /salaries exports imports unchanged ---------------------- */

static void
add_json_row(struct collected *c, const json_t *item)
{
  struct salary_report r = { 0 };
  const json_t *src = json_object_get(item, "source");
  const json_t *year = json_object_get(item, "year");

  r.role = json_string_value(json_object_get(item, "role"));
  r.subject = json_string_value(json_object_get(item, "subject"));
  r.amount = json_integer_value(json_object_get(item, "amount"));
  r.kind = json_string_value(json_object_get(item, "kind"));
  r.statistic = json_string_value(json_object_get(item, "statistic"));
  r.bound = json_string_value(json_object_get(item, "bound"));
  r.scope = json_string_value(json_object_get(item, "scope"));
  r.has_year = json_is_integer(year);
  r.year = json_integer_value(year);
  r.note = json_string_value(json_object_get(item, "note"));
  r.has_source = json_is_object(src);
  r.source_id = json_integer_value(json_object_get(src, "id"));
  r.section = json_string_value(json_object_get(src, "section"));
  add_row(c, &r, false);
}

START_TEST(the_salaries_export_imports_unchanged)
{
  struct test_server ts;
  struct http_response csv;
  struct http_response js;
  struct collected want = { 0 };
  struct collected nd = { 0 };
  struct result from_csv;
  struct result from_ndjson;
  json_t *body;
  json_t *data;
  const json_t *item;
  size_t i;

  test_server_start(&ts, 1);
  ck_assert_int_eq(0, http_request(ts.port, "GET", "/salaries?limit=500&format=csv", &csv));
  ck_assert_int_eq(0, http_request(ts.port, "GET", "/salaries?limit=500", &js));
  test_server_stop(&ts);
  ck_assert_int_eq(200, csv.status);
  ck_assert_int_eq(200, js.status);
  body = http_json(&js);
  data = json_object_get(body, "data");
  ck_assert_uint_gt(json_array_size(data), 5);
  ck_assert_uint_lt(json_array_size(data), 500); /* one page holds them all */

  json_array_foreach(data, i, item) {
    char *line = json_dumps(item, JSON_COMPACT);

    add_json_row(&want, item);
    add(&nd, "%s\n", line);
    free(line);
  }
  add(&want, "status=0");
  collect_lines = false; /* line numbers differ between the formats */

  /* the CSV export, in every chunking a client might send */
  parse_split(IMPORT_CSV, csv.body, csv.body_len, 0, 0, &from_csv);
  ck_assert_uint_eq(0, from_csv.errors.total);
  ck_assert_uint_eq(json_array_size(data), from_csv.got.rows);
  ck_assert_str_eq(want.text, from_csv.got.text);
  result_free(&from_csv);
  for (size_t chunk = 1; chunk < 64; chunk += 7) {
    parse_split(IMPORT_CSV, csv.body, csv.body_len, 0, chunk, &from_csv);
    ck_assert_str_eq(want.text, from_csv.got.text);
    result_free(&from_csv);
  }

  /* the JSON items, one per line */
  parse(IMPORT_NDJSON, nd.text, &from_ndjson);
  ck_assert_uint_eq(0, from_ndjson.errors.total);
  ck_assert_str_eq(want.text, from_ndjson.got.text);
  result_free(&from_ndjson);
  collect_lines = true;

  free(want.text);
  free(nd.text);
  json_decref(body);
  http_response_free(&csv);
  http_response_free(&js);
}
END_TEST

/* ---- the header ------------------------------------------------------- */

START_TEST(unknown_columns_are_one_error_that_ends_the_parse)
{
  struct result r;

  parse(IMPORT_CSV,
        "role,amount,kind,statistic,colour,Amount,\n"
        "a,1,base,average,red,2,\n",
        &r);
  ck_assert_int_eq(IMPORT_MALFORMED, r.status);
  ck_assert_uint_eq(0, r.got.calls);
  ck_assert_uint_eq(0, r.rows);
  ck_assert_uint_eq(1, r.errors.total);
  ck_assert_uint_eq(1, r.errors.bad_rows);
  assert_error(&r, 0, 1, "colour, Amount, (empty)", "unknown columns");
  result_free(&r);

  /* and NDJSON members that are only CSV column names */
  parse(IMPORT_NDJSON,
        "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\","
        "\"source.id\":1,\"source\":{\"id\":1,\"section\":\"s\",\"page\":3}}\n",
        &r);
  ck_assert_int_eq(IMPORT_CONTINUE, r.status);
  assert_error(&r, 0, 1, "source.id", "unknown field");
  assert_error(&r, 1, 1, "source.page", "unknown field");
  ck_assert_uint_eq(2, r.errors.total);
  result_free(&r);
}
END_TEST

START_TEST(header_problems)
{
  struct result r;

  parse(IMPORT_CSV, "\n\nrole,kind,kind,source,source.id,note\r\na,base,base,,,\r\n", &r);
  ck_assert_int_eq(IMPORT_MALFORMED, r.status);
  assert_error(&r, 0, 3, "kind", "more than once");
  assert_error(&r, 1, 3, "source", "not both");
  assert_error(&r, 2, 3, "amount", "the column is required");
  assert_error(&r, 3, 3, "statistic", "the column is required");
  ck_assert_uint_eq(4, r.errors.total);
  ck_assert_uint_eq(1, r.errors.bad_rows);
  result_free(&r);

  parse(IMPORT_CSV, "amount,kind,statistic,note\n1,base,median,x\n", &r);
  assert_error(&r, 0, 1, "role", "a role or a subject column is required");
  result_free(&r);
}
END_TEST

/* ---- bad rows --------------------------------------------------------- */

START_TEST(csv_bad_values_name_line_and_field)
{
  struct result r;

  parse(IMPORT_CSV,
        "amount,kind,statistic,bound,year,role,subject,currency,scope,note,source.id,source.section\n"
        "\"146,085\",base,average,,,a,,,,,,\n"      /* 2 */
        "1e5,base,average,,,a,,,,,,\n"             /* 3 */
        "-1,base,average,,,a,,,,,,\n"              /* 4 */
        ",base,average,,,a,,,,,,\n"                /* 5 */
        "\"133,alpha\",base,average,,,a,,,,,,\n"   /* 6 */
        "0,salary,mean,about,1899,A_b,,EUR,,,,\n"  /* 7 */
        "100000000,base,median,,2101,,,,,,,\n"     /* 8 */
        "1,base,median,,twenty,a-,,,\" x\",\"a\x01" "b\",x,s\n" /* 9 */
        "1,base,median,,,a--b,,usd,,,3,\n"          /* 10 */
        "1,base,median,,,,,,,,,section only\n"      /* 11 */
        " 1,base,median,,,r,,,,,0,s\n",            /* 12 */
        &r);
  ck_assert_int_eq(IMPORT_CONTINUE, r.status);
  ck_assert_uint_eq(11, r.rows);
  ck_assert_uint_eq(0, r.got.rows);
  ck_assert_uint_eq(11, r.got.bad);
  assert_error(&r, 0, 2, "amount", "must be a whole number from 1 to 99999999, not \"146,085\"");
  assert_error(&r, 1, 3, "amount", "not \"1e5\"");
  assert_error(&r, 2, 4, "amount", "not \"-1\"");
  assert_error(&r, 3, 5, "amount", "is required");
  assert_error(&r, 4, 6, "amount", "not \"133,alpha\"");
  assert_error(&r, 5, 7, "amount", "not \"0\"");
  assert_error(&r, 6, 7, "kind", "must be one of: base, total, not \"salary\"");
  assert_error(&r, 7, 7, "statistic", "not \"mean\"");
  assert_error(&r, 8, 7, "bound", "must be one of: exact, at_least, below");
  assert_error(&r, 9, 7, "year", "from 1900 to 2100, not \"1899\"");
  assert_error(&r, 10, 7, "role", "joined by single hyphens, e.g. cloud-architect, not \"A_b\"");
  assert_error(&r, 11, 7, "currency", "must be \"USD\", not \"EUR\"");
  assert_error(&r, 12, 8, "amount", "not \"100000000\"");
  assert_error(&r, 13, 8, "year", "not \"2101\"");
  assert_error(&r, 14, 8, "subject", "is required when role is null or absent");
  assert_error(&r, 15, 9, "year", "not \"twenty\"");
  assert_error(&r, 16, 9, "role", "not \"a-\"");
  assert_error(&r, 17, 9, "scope", "must not start or end with whitespace");
  assert_error(&r, 18, 9, "note", "control characters other than newline and tab");
  assert_error(&r, 19, 9, "source.id", "must be a whole number of at least 1, not \"x\"");
  assert_error(&r, 20, 10, "role", "not \"a--b\"");
  assert_error(&r, 21, 10, "currency", "not \"usd\"");
  assert_error(&r, 22, 10, "source.section", "is required");
  assert_error(&r, 23, 11, "subject", "is required");
  assert_error(&r, 24, 11, "source.id", "is required");
  assert_error(&r, 25, 12, "amount", "not \" 1\"");
  assert_error(&r, 26, 12, "source.id", "not \"0\"");
  ck_assert_uint_eq(27, r.errors.total);
  ck_assert_uint_eq(27, r.errors.count);
  ck_assert_uint_eq(11, r.errors.bad_rows);
  result_free(&r);
}
END_TEST

START_TEST(csv_bad_source_cells)
{
  struct result r;

  parse(IMPORT_CSV,
        "amount,kind,statistic,role,source\n"
        "1,base,median,a,not json\n"
        "1,base,median,a,\"{\"\"id\"\":\"\"2\"\",\"\"section\"\":\"\"s\"\"}\"\n"
        "1,base,median,a,\"{\"\"id\"\":2,\"\"page\"\":1}\"\n"
        "1,base,median,a,\"{\"\"id\"\":2,\"\"section\"\":\"\"s\"\"}\"\n"
        "1,base,median,a,\"{\"\"id\"\":2,\"\"section\"\":\"\"s\"\"}\"\n",
        &r);
  assert_error(&r, 0, 2, "source", "must be the JSON text of an object, not \"not json\"");
  assert_error(&r, 1, 3, "source.id", "must be a whole number of at least 1, not \"2\"");
  assert_error(&r, 2, 4, "source.page", "unknown field");
  assert_error(&r, 3, 4, "source.section", "is required");
  ck_assert_uint_eq(4, r.errors.total);
  ck_assert_uint_eq(2, r.got.rows); /* the same cell twice: once parsed, once remembered */
  ck_assert_ptr_nonnull(strstr(r.got.text, "5: role=a subject=<null> amount=1 kind=base"
                                           " statistic=median bound=exact scope=<null>"
                                           " year=<null> note=<null> source=2/s\n"
                                           "6: role=a"));
  result_free(&r);
}
END_TEST

START_TEST(ndjson_bad_values)
{
  struct result r;

  parse(IMPORT_NDJSON,
        "{\"amount\":1.5,\"kind\":null,\"statistic\":\"median\",\"role\":7}\n"
        "{\"amount\":100000000,\"kind\":\"base\",\"statistic\":\"median\",\"subject\":\"\","
        "\"year\":\"2024\",\"currency\":null,\"bound\":null}\n"
        "{\"amount\":5,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\","
        "\"source\":null,\"note\":\"tab\\tand\\nnewline ok\",\"scope\":\"bell\\u0007\"}\n"
        "{\"amount\":5,\"kind\":\"base\",\"statistic\":\"median\",\"role\":\"a\","
        "\"source\":{\"id\":0,\"slug\":1}}\n"
        "{\"amount\":5,\"amount\":6}\n",
        &r);
  ck_assert_uint_eq(5, r.rows);
  ck_assert_uint_eq(0, r.got.rows);
  assert_error(&r, 0, 1, "amount", "not 1.5");
  assert_error(&r, 1, 1, "kind", "must be one of: base, total, not null");
  assert_error(&r, 2, 1, "role", "must be a string or null, not 7");
  assert_error(&r, 3, 2, "amount", "not 100000000");
  assert_error(&r, 4, 2, "subject", "must be 1 to 200 characters long, not 0");
  assert_error(&r, 5, 2, "year", "or null, not \"2024\"");
  assert_error(&r, 6, 2, "currency", "must be \"USD\", not null");
  assert_error(&r, 7, 2, "bound", "not null");
  assert_error(&r, 8, 3, "source", "must be an object, not null");
  assert_error(&r, 9, 3, "scope", "must not contain control characters");
  assert_error(&r, 10, 4, "source.id", "not 0");
  assert_error(&r, 11, 5, "", "is not valid JSON");
  ck_assert_uint_eq(12, r.errors.total);
  result_free(&r);
}
END_TEST

START_TEST(errors_keep_the_first_100_and_count_all)
{
  struct collected body = { 0 };
  struct result r;

  add(&body, "amount,kind,statistic,role\n");
  for (int i = 0; i < 250; i++)
    add(&body, "%s,base,median,a\n", 0 == i % 2 ? "x" : "-5");
  add(&body, "7,base,median,a\n");
  parse(IMPORT_CSV, body.text, &r);
  ck_assert_int_eq(IMPORT_CONTINUE, r.status);
  ck_assert_uint_eq(IMPORT_MAX_ERRORS, r.errors.count);
  ck_assert_uint_eq(250, r.errors.total);
  ck_assert_uint_eq(250, r.errors.bad_rows);
  ck_assert_uint_eq(250, r.got.bad); /* the callback still hears of every bad row */
  ck_assert_uint_eq(1, r.got.rows);
  assert_error(&r, 0, 2, "amount", "not \"x\"");
  assert_error(&r, 99, 101, "amount", "not \"-5\"");
  result_free(&r);
  free(body.text);
}
END_TEST

/* ---- framing: BOM, CRLF, quoting, long lines, stopping ---------------- */

START_TEST(bom_and_crlf)
{
  struct result a;
  struct result b;

  parse(IMPORT_CSV, "\xef\xbb\xbf" "amount,kind,statistic,role\r\n1,base,p75,a\r\n", &a);
  parse(IMPORT_CSV, "amount,kind,statistic,role\n1,base,p75,a\n", &b);
  ck_assert_str_eq(b.got.text, a.got.text);
  ck_assert_uint_eq(1, a.got.rows);
  result_free(&a);
  result_free(&b);

  parse(IMPORT_NDJSON, "\xef\xbb\xbf{\"amount\":1,\"kind\":\"base\",\"statistic\":\"p75\","
                       "\"role\":\"a\"}\r\n", &a);
  ck_assert_uint_eq(1, a.got.rows);
  ck_assert_uint_eq(0, a.errors.total);
  result_free(&a);

  /* a mark anywhere but at the start is data; two bytes of one are not a mark */
  parse(IMPORT_NDJSON, "\n\xef\xbb\xbf{}\n", &a);
  assert_error(&a, 0, 2, "", "is not valid JSON");
  result_free(&a);
  parse(IMPORT_NDJSON, "\xef\xbb{}\n", &a);
  assert_error(&a, 0, 1, "", "is not valid JSON");
  result_free(&a);
}
END_TEST

START_TEST(malformed_quoting_ends_the_parse)
{
  struct result r;

  parse(IMPORT_CSV, "amount,kind,statistic,role\n1,base,p75,a\n1,ba\"se,p75,a\n1,base,p75,a\n",
        &r);
  ck_assert_int_eq(IMPORT_MALFORMED, r.status);
  ck_assert_uint_eq(1, r.got.rows);
  assert_error(&r, 0, 3, "", "malformed CSV");
  result_free(&r);

  parse(IMPORT_CSV, "amount,kind,statistic,role,note\n1,base,p75,a,\"a\nb\" c\n", &r);
  ck_assert_int_eq(IMPORT_MALFORMED, r.status);
  assert_error(&r, 0, 3, "", "nothing after its closing quote");
  result_free(&r);

  parse(IMPORT_CSV, "amount,kind,statistic,role\n1,base,p75,a\n1,base,p75,\"a\n\n", &r);
  ck_assert_int_eq(IMPORT_MALFORMED, r.status);
  ck_assert_uint_eq(1, r.got.rows);
  assert_error(&r, 0, 3, "", "not closed");
  result_free(&r);
}
END_TEST

START_TEST(overlong_rows_and_lines)
{
  size_t big = IMPORT_MAX_LINE + 10;
  struct collected body = { 0 };
  struct result r;
  char *note = malloc(big + 1);

  ck_assert_ptr_nonnull(note);
  memset(note, 'n', big);
  note[big] = '\0';

  add(&body, "amount,kind,statistic,role,note\n1,base,p75,a,x\n1,base,p75,a,\"%s\"\n"
             "1,base,p75,a,y\n", note);
  for (size_t chunk = 0; chunk <= 4096; chunk += 4096) {
    parse_split(IMPORT_CSV, body.text, body.len, 0, chunk, &r);
    ck_assert_int_eq(IMPORT_MALFORMED, r.status);
    ck_assert_uint_eq(1, r.got.rows);
    assert_error(&r, 0, 3, "", "the row is longer than 65536 bytes");
    result_free(&r);
  }

  body.len = 0;
  add(&body, "{\"amount\":1,\"kind\":\"base\",\"statistic\":\"p75\",\"role\":\"a\"}\n"
             "{\"note\":\"%s\"}\n"
             "{\"amount\":2,\"kind\":\"base\",\"statistic\":\"p75\",\"role\":\"a\"}", note);
  for (size_t chunk = 0; chunk <= 4096; chunk += 4096) {
    parse_split(IMPORT_NDJSON, body.text, body.len, 0, chunk, &r);
    ck_assert_int_eq(IMPORT_CONTINUE, r.status);
    ck_assert_uint_eq(2, r.got.rows); /* the lines after it are still read */
    ck_assert_uint_eq(1, r.errors.total);
    assert_error(&r, 0, 2, "", "the line is longer than 65536 bytes");
    result_free(&r);
  }

  /* a note within the line limit but over its own */
  body.len = 0;
  note[1001] = '\0';
  add(&body, "amount,kind,statistic,role,note\n1,base,p75,a,%s\n", note);
  parse(IMPORT_CSV, body.text, &r);
  assert_error(&r, 0, 2, "note", "must be 1 to 1000 characters long, not 1001");
  result_free(&r);
  free(body.text);
  free(note);
}
END_TEST

START_TEST(the_callback_can_stop_the_parse)
{
  struct import_parser *p;
  struct collected c = { .stop_at = 2 };
  const char *body = "amount,kind,statistic,role\n1,base,p75,a\n2,base,p75,a\n3,base,p75,a\n";

  p = import_parser_new(IMPORT_CSV, collect, &c);
  ck_assert_int_eq(IMPORT_ABORTED, import_parser_feed(p, body, strlen(body)));
  ck_assert_int_eq(IMPORT_ABORTED, import_parser_feed(p, body, strlen(body)));
  ck_assert_int_eq(IMPORT_ABORTED, import_parser_finish(p));
  ck_assert_uint_eq(2, c.calls);
  import_parser_free(p);
  free(c.text);
}
END_TEST

/* Many rows through small chunks: every row arrives, in order. */
START_TEST(a_long_stream)
{
  struct collected body = { 0 };
  struct result r;
  int n = 20000;

  add(&body, "amount,kind,statistic,role,note\r\n");
  for (int i = 1; i <= n; i++)
    add(&body, "%d,base,individual,r%d,\"n, %d\"\r\n", i, i % 50, i);
  parse_split(IMPORT_CSV, body.text, body.len, 0, 1000, &r);
  ck_assert_uint_eq((size_t) n, r.got.rows);
  ck_assert_ptr_nonnull(strstr(r.got.text, "20001: role=r0 subject=<null> amount=20000 kind=base"
                                           " statistic=individual bound=exact scope=<null>"
                                           " year=<null> note=n, 20000 source=<none>\n"));
  result_free(&r);
  free(body.text);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("import_rows");
  TCase *tc = tcase_create("import_rows");

  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, csv_rows_in_the_export_shape);
  tcase_add_test(tc, csv_flattened_source_columns);
  tcase_add_test(tc, csv_formula_guard_is_dropped_from_text);
  tcase_add_test(tc, ndjson_rows_in_the_export_shape);
  tcase_add_test(tc, empty_bodies_have_no_rows);
  tcase_add_test(tc, csv_every_split_point);
  tcase_add_test(tc, csv_tricky_rows);
  tcase_add_test(tc, ndjson_every_split_point);
  tcase_add_test(tc, ndjson_shortcut_reads_as_jansson_does);
  tcase_add_test(tc, ndjson_lines_jansson_refuses);
  tcase_add_test(tc, the_salaries_export_imports_unchanged);
  tcase_add_test(tc, unknown_columns_are_one_error_that_ends_the_parse);
  tcase_add_test(tc, header_problems);
  tcase_add_test(tc, csv_bad_values_name_line_and_field);
  tcase_add_test(tc, csv_bad_source_cells);
  tcase_add_test(tc, ndjson_bad_values);
  tcase_add_test(tc, errors_keep_the_first_100_and_count_all);
  tcase_add_test(tc, bom_and_crlf);
  tcase_add_test(tc, malformed_quoting_ends_the_parse);
  tcase_add_test(tc, overlong_rows_and_lines);
  tcase_add_test(tc, the_callback_can_stop_the_parse);
  tcase_add_test(tc, a_long_stream);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
