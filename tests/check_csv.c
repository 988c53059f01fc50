/**
 * @file tests/check_csv.c
 * @brief CSV writing (RFC 4180 quoting, every JSON type, the guard against
 *        spreadsheet formulas) and gzip.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "http/csv.h"
#include "http/gzip.h"
#include "tests/harness.h"

/* The CSV of the JSON text @a rows_json, or NULL. */
static char *
csv_of(const char *rows_json, size_t *len)
{
  json_error_t err;
  json_t *rows = json_loads(rows_json, JSON_DECODE_ANY, &err);
  char *text;

  ck_assert_msg(NULL != rows, "%s", err.text);
  text = csv_from_rows(rows, len);
  json_decref(rows);
  return text;
}

static void
assert_csv(const char *rows_json, const char *want)
{
  size_t len = 0;
  char *text = csv_of(rows_json, &len);

  ck_assert_ptr_nonnull(text);
  ck_assert_str_eq(want, text);
  ck_assert_uint_eq(strlen(want), len);
  free(text);
}

START_TEST(header_row_follows_the_first_object)
{
  assert_csv("[{\"slug\":\"a\",\"pay\":1},{\"pay\":2,\"slug\":\"b\"}]",
             "slug,pay\r\na,1\r\nb,2\r\n");
}
END_TEST

START_TEST(fields_are_quoted_when_needed)
{
  assert_csv("[{\"t\":\"plain\"},{\"t\":\"a, b\"},{\"t\":\"say \\\"hi\\\"\"},"
             "{\"t\":\"two\\nlines\"},{\"t\":\"cr\\rhere\"},{\"t\":\"\"}]",
             "t\r\nplain\r\n\"a, b\"\r\n\"say \"\"hi\"\"\"\r\n\"two\nlines\"\r\n\"cr\rhere\"\r\n\r\n");
}
END_TEST

START_TEST(header_names_are_quoted_too)
{
  assert_csv("[{\"a,b\":1,\"q\\\"\":2}]", "\"a,b\",\"q\"\"\"\r\n1,2\r\n");
}
END_TEST

START_TEST(every_json_type)
{
  assert_csv("[{\"i\":-42,\"r\":1.5,\"t\":true,\"f\":false,\"n\":null,"
             "\"a\":[1,\"x\"],\"o\":{\"k\":\"v\"},\"u\":\"caf\\u00e9\"}]",
             "i,r,t,f,n,a,o,u\r\n"
             "-42,1.5,true,false,,\"[1,\"\"x\"\"]\",\"{\"\"k\"\":\"\"v\"\"}\",caf\xc3\xa9\r\n");
}
END_TEST

START_TEST(missing_and_extra_keys)
{
  /* b lacks "y"; its extra "z" has no column */
  assert_csv("[{\"x\":1,\"y\":2},{\"x\":3,\"z\":4}]", "x,y\r\n1,2\r\n3,\r\n");
}
END_TEST

START_TEST(empty_list_is_empty_text)
{
  assert_csv("[]", "");
}
END_TEST

START_TEST(not_rows_is_refused)
{
  size_t len = 99;

  ck_assert_ptr_null(csv_of("{\"data\":[]}", &len));
  ck_assert_uint_eq(0, len);
  ck_assert_ptr_null(csv_of("[{\"a\":1}, 2]", &len));
  ck_assert_ptr_null(csv_of("[[1,2]]", &len));
  ck_assert_ptr_null(csv_from_rows(NULL, &len));
}
END_TEST

START_TEST(formula_cells_get_a_leading_quote)
{
  /* OWASP's list, and a value that starts with a quote itself */
  assert_csv("[{\"t\":\"=HYPERLINK(\\\"https://evil.example/\\\",\\\"x\\\")\"},{\"t\":\"+1\"},"
             "{\"t\":\"-1\"},{\"t\":\"@SUM(A1)\"},{\"t\":\"\\tx\"},{\"t\":\"\\rx\"},"
             "{\"t\":\"'=x\"},{\"t\":\"'\"},{\"t\":\"'plain\"},{\"t\":\"a=b\"}]",
             "t\r\n\"'=HYPERLINK(\"\"https://evil.example/\"\",\"\"x\"\")\"\r\n\"'+1\"\r\n"
             "\"'-1\"\r\n\"'@SUM(A1)\"\r\n\"'\tx\"\r\n\"'\rx\"\r\n\"''=x\"\r\n\"''\"\r\n"
             "\"''plain\"\r\na=b\r\n");
  /* a header name is a text cell too */
  assert_csv("[{\"=k\":1}]", "\"'=k\"\r\n1\r\n");
}
END_TEST

START_TEST(numbers_and_json_text_are_never_guarded)
{
  /* a negative amount stays a number a spreadsheet can add up */
  assert_csv("[{\"i\":-1996,\"r\":-1.5,\"a\":[\"=x\"],\"o\":{\"k\":\"-\"}}]",
             "i,r,a,o\r\n-1996,-1.5,\"[\"\"=x\"\"]\",\"{\"\"k\"\":\"\"-\"\"}\"\r\n");
}
END_TEST

/* The single cell of the one-column CSV @a text, unquoted into @a out. */
static size_t
only_cell(const char *text, char *out)
{
  const char *p = strstr(text, "\r\n") + 2;
  const char *end = text + strlen(text) - 2;
  size_t n = 0;

  if ('"' != *p) {
    memcpy(out, p, (size_t) (end - p));
    return (size_t) (end - p);
  }
  for (p++; p < end - 1; p++) {
    out[n++] = *p;
    if ('"' == *p)
      p++; /* the doubled quote */
  }
  return n;
}

/* Every value of up to 4 characters from an alphabet of the formula
 * starts, the quote and two harmless characters: the written cell never
 * starts a formula, and dropping csv_text_guard_len() gives the value back. */
START_TEST(the_guard_is_undone_exactly)
{
  static const char alphabet[] = "=+-@\t\r'a,";
  const size_t k = sizeof alphabet - 1;
  size_t checked = 0;

  for (size_t len = 0; len <= 4; len++) {
    size_t combos = 1;

    for (size_t i = 0; i < len; i++)
      combos *= k;
    for (size_t c = 0; c < combos; c++) {
      char value[8];
      char cell[16];
      size_t x = c;
      size_t n;
      size_t guard;
      json_t *rows;
      char *text;
      size_t text_len;

      for (size_t i = 0; i < len; i++, x /= k)
        value[i] = alphabet[x % k];
      value[len] = '\0';
      rows = json_pack("[{s:s#}]", "t", value, (int) len);
      text = csv_from_rows(rows, &text_len);
      ck_assert_ptr_nonnull(text);
      n = only_cell(text, cell);
      ck_assert_msg(0 == n || NULL == memchr("=+-@\t\r", cell[0], 6), "'%s' starts a formula",
                    value);
      guard = csv_text_guard_len(cell, n);
      ck_assert_msg(n - guard == len && 0 == memcmp(cell + guard, value, len),
                    "'%s' came back as '%.*s'", value, (int) (n - guard), cell + guard);
      free(text);
      json_decref(rows);
      checked++;
    }
  }
  ck_assert_uint_eq(1 + 9 + 81 + 729 + 6561, checked);
}
END_TEST

/* Inflates a gzip member; @return the bytes (malloc'd) */
static char *
gunzip(const void *in, size_t in_len, size_t *out_len)
{
  size_t cap = 1 << 20;
  char *out = malloc(cap);
  z_stream zs = { 0 };

  ck_assert_int_eq(Z_OK, inflateInit2(&zs, 15 + 16));
  zs.next_in = (Bytef *) (uintptr_t) in;
  zs.avail_in = (uInt) in_len;
  zs.next_out = (Bytef *) out;
  zs.avail_out = (uInt) cap;
  ck_assert_int_eq(Z_STREAM_END, inflate(&zs, Z_FINISH));
  *out_len = (size_t) zs.total_out;
  inflateEnd(&zs);
  return out;
}

START_TEST(gzip_round_trip)
{
  size_t n = 100000;
  char *text = malloc(n);
  void *gz;
  size_t gz_len;
  char *back;
  size_t back_len;

  for (size_t i = 0; i < n; i++)
    text[i] = "techpay, salaries\r\n"[i % 19];
  ck_assert_int_eq(0, gzip_compress(text, n, &gz, &gz_len));
  ck_assert_uint_lt(gz_len, n / 10);
  ck_assert_int_eq(0x1f, ((unsigned char *) gz)[0]); /* the gzip magic */
  ck_assert_int_eq(0x8b, ((unsigned char *) gz)[1]);
  back = gunzip(gz, gz_len, &back_len);
  ck_assert_uint_eq(n, back_len);
  ck_assert_int_eq(0, memcmp(text, back, n));
  free(back);
  free(gz);
  ck_assert_int_eq(0, gzip_compress("", 0, &gz, &gz_len));
  back = gunzip(gz, gz_len, &back_len);
  ck_assert_uint_eq(0, back_len);
  free(back);
  free(gz);
  free(text);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("csv");
  TCase *tc = tcase_create("csv");

  tcase_add_test(tc, header_row_follows_the_first_object);
  tcase_add_test(tc, fields_are_quoted_when_needed);
  tcase_add_test(tc, header_names_are_quoted_too);
  tcase_add_test(tc, every_json_type);
  tcase_add_test(tc, missing_and_extra_keys);
  tcase_add_test(tc, empty_list_is_empty_text);
  tcase_add_test(tc, not_rows_is_refused);
  tcase_add_test(tc, formula_cells_get_a_leading_quote);
  tcase_add_test(tc, numbers_and_json_text_are_never_guarded);
  tcase_add_test(tc, the_guard_is_undone_exactly);
  tcase_add_test(tc, gzip_round_trip);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
