/**
 * @file bench/import_parse_bench.c
 * @brief How fast the POST /import parser reads a file: CSV or NDJSON,
 *        fed in chunks as a request body would arrive, every row checked
 *        and handed to a callback that only counts it.
 *
 * Usage: import_parse_bench csv|ndjson FILE [CHUNK_BYTES]
 * Build: ninja -C BUILD bench/import_parse_bench (not built by default).
 * Prints rows, errors, seconds, rows/s, MB/s and the peak resident size.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "model/import_rows.h"

struct counts {
  uint64_t rows;
  uint64_t bad;
  int64_t amount_sum; /* so that the rows are really looked at */
};

static int
count_row(void *cls, const struct salary_report *row, const struct field_error *errors,
          size_t n_errors)
{
  struct counts *c = cls;

  (void) errors;
  (void) n_errors;
  if (NULL == row) {
    c->bad++;
    return 0;
  }
  c->rows++;
  c->amount_sum += row->amount;
  return 0;
}

static double
now(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
  enum import_format fmt;
  size_t chunk = 65536;
  struct counts c = { 0 };
  struct import_parser *p;
  struct rusage ru;
  enum import_status st = IMPORT_CONTINUE;
  uint64_t bytes = 0;
  double t0;
  double secs;
  char *buf;
  int fd;

  if (argc < 3 || argc > 4 || (0 != strcmp(argv[1], "csv") && 0 != strcmp(argv[1], "ndjson"))) {
    fprintf(stderr, "usage: %s csv|ndjson FILE [CHUNK_BYTES]\n", argv[0]);
    return 2;
  }
  fmt = 0 == strcmp(argv[1], "csv") ? IMPORT_CSV : IMPORT_NDJSON;
  if (4 == argc)
    chunk = (size_t) strtoul(argv[3], NULL, 10);
  if (0 == chunk || chunk > (64u << 20)) {
    fprintf(stderr, "CHUNK_BYTES must be 1..%u\n", 64u << 20);
    return 2;
  }
  fd = open(argv[2], O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "%s: %s\n", argv[2], strerror(errno));
    return 1;
  }
  buf = malloc(chunk);
  p = import_parser_new(fmt, count_row, &c);
  if (NULL == buf || NULL == p) {
    fprintf(stderr, "out of memory\n");
    return 1;
  }
  t0 = now();
  for (;;) {
    ssize_t n = read(fd, buf, chunk);

    if (n < 0 && EINTR == errno)
      continue;
    if (n < 0) {
      fprintf(stderr, "%s: %s\n", argv[2], strerror(errno));
      return 1;
    }
    if (0 == n || IMPORT_CONTINUE != st)
      break;
    bytes += (uint64_t) n;
    st = import_parser_feed(p, buf, (size_t) n);
  }
  st = import_parser_finish(p);
  secs = now() - t0;
  getrusage(RUSAGE_SELF, &ru);
  printf("%s: %" PRIu64 " rows (%" PRIu64 " valid, %" PRIu64 " with errors), status %d\n",
         argv[1], import_parser_rows(p), c.rows, c.bad, (int) st);
  printf("%.3f s, %.0f rows/s, %.1f MB/s, %" PRIu64 " bytes in %zu-byte chunks, peak RSS %ld KiB\n",
         secs, (double) import_parser_rows(p) / secs, (double) bytes / secs / 1e6, bytes, chunk,
         ru.ru_maxrss);
  for (size_t i = 0; i < import_parser_errors(p)->count && i < 5; i++)
    printf("  line %" PRIu64 " %s: %s\n", import_parser_errors(p)->items[i].line,
           import_parser_errors(p)->items[i].field, import_parser_errors(p)->items[i].reason);
  import_parser_free(p);
  free(buf);
  close(fd);
  return IMPORT_CONTINUE == st && 0 == c.bad ? 0 : 1;
}
