/**
 * @file server/import_cli.c
 * @brief techpayd import FILE: reads the file in chunks through the same
 *        parser and import session as POST /import.
 */
#include "server/import_cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/import.h"
#include "handlers/import_rows.h"

#define CHUNK (64 * 1024)
/* at most this many progress lines a second */
#define PROGRESS_HZ 4

struct progress {
  bool on;             /* stderr is a terminal */
  bool shown;          /* a line was drawn: end it before other output */
  double start;
  double last;
};

static double
now_s(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void
progress_show(struct progress *p, uint64_t rows, bool force)
{
  double t = now_s();

  if (!p->on || (!force && t - p->last < 1.0 / PROGRESS_HZ))
    return;
  p->last = t;
  p->shown = true;
  fprintf(stderr, "\r%llu rows, %.0f rows/s", (unsigned long long) rows,
          t > p->start ? (double) rows / (t - p->start) : 0.0);
  fflush(stderr);
}

static void
print_errors(const struct import_errors *e)
{
  for (size_t i = 0; i < e->count; i++) {
    const struct import_error *it = &e->items[i];

    fprintf(stderr, "line %" PRIu64 ": %s%s%s\n", it->line, it->field,
            '\0' != it->field[0] ? ": " : "", it->reason);
  }
  fprintf(stderr, "techpayd: nothing was imported: %" PRIu64 " problem%s in %" PRIu64
          " row%s%s\n", e->total, 1 == e->total ? "" : "s", e->bad_rows,
          1 == e->bad_rows ? "" : "s",
          e->total > e->count ? " (the first ones are listed above)" : "");
}

static int
report(const struct config *cfg, const struct import_result *r, double seconds)
{
  switch (r->status) {
  case DB_ONE:
    if (r->dry_run)
      printf("dry run: %" PRIu64 " rows would be imported; nothing was written (%.1f s)\n",
             r->rows, seconds);
    else
      printf("imported %" PRIu64 " rows into source %s in %.1f s\n", r->rows, r->source_slug,
             seconds);
    return EXIT_SUCCESS;
  case DB_NONE:
    print_errors(&r->errors);
    return EXIT_FAILURE;
  default:
    fprintf(stderr, "techpayd: importing %s failed: the database %s; nothing was imported\n",
            cfg->import_file, DB_BUSY == r->status ? "stayed locked by another writer"
                                                   : "reported an error (see above)");
    return EXIT_FAILURE;
  }
}

/* Feeds the whole file; @return the parser's last status, or -1 on a read error. */
static int
feed_file(FILE *in, struct import_parser *p, struct import_session *s, struct progress *pr)
{
  char *buf = malloc(CHUNK);
  enum import_status st = IMPORT_CONTINUE;
  size_t n;

  if (NULL == buf)
    return IMPORT_NOMEM;
  while (IMPORT_CONTINUE == st && 0 < (n = fread(buf, 1, CHUNK, in))) {
    st = import_parser_feed(p, buf, n);
    progress_show(pr, import_session_rows(s), false);
  }
  free(buf);
  if (ferror(in))
    return -1;
  return IMPORT_CONTINUE == st ? (int) import_parser_finish(p) : (int) st;
}

static int
run_session(const struct config *cfg, FILE *in, struct import_session *s, struct progress *pr)
{
  struct import_parser *p = import_parser_new(0 == strcmp(cfg->import_format, "csv")
                                                ? IMPORT_CSV : IMPORT_NDJSON,
                                              import_session_on_row, s);
  struct import_result *r = malloc(sizeof *r);
  int st;
  int rc;

  if (NULL == p || NULL == r) {
    import_parser_free(p);
    free(r);
    import_session_abort(s);
    fprintf(stderr, "techpayd: out of memory\n");
    return EXIT_FAILURE;
  }
  st = feed_file(in, p, s, pr);
  if (st < 0)
    fprintf(stderr, "techpayd: reading %s: %s\n", cfg->import_file, strerror(errno));
  import_session_finish(s, import_parser_errors(p),
                        IMPORT_CONTINUE == st || IMPORT_MALFORMED == st, NULL, r);
  progress_show(pr, r->rows, true);
  if (pr->shown)
    fputc('\n', stderr);
  rc = report(cfg, r, now_s() - pr->start);
  free(r);
  import_parser_free(p);
  return rc;
}

int
import_cli_run(const struct config *cfg)
{
  struct import_options o = {
    .token_id = "cli", .origin = cfg->import_file, .target = "/import",
    .dry_run = cfg->import_dry_run,
  };
  struct progress pr = { .on = isatty(STDERR_FILENO), .start = now_s() };
  struct import_session *s = NULL;
  struct import_replay replay;
  struct db *db;
  char err[512];
  FILE *in = fopen(cfg->import_file, "rb");
  int rc;

  if (NULL == in) {
    fprintf(stderr, "techpayd: cannot read %s: %s\n", cfg->import_file, strerror(errno));
    return EXIT_FAILURE;
  }
  if (0 != import_db_open(cfg->db_path, &db, err, sizeof err)) {
    fprintf(stderr, "techpayd: %s\n", err);
    fclose(in);
    return EXIT_FAILURE;
  }
  if (DB_ONE != import_session_begin(db, true, &o, &s, &replay)) {
    fprintf(stderr, "techpayd: cannot start the import: the database is locked or failing\n");
    import_replay_clear(&replay);
    fclose(in);
    return EXIT_FAILURE;
  }
  rc = run_session(cfg, in, s, &pr);
  fclose(in);
  return rc;
}
