/**
 * @file server/import_cli.c
 * @brief techpayd import FILE: reads the file in chunks through the same
 *        parser and import session as POST /import.
 */
#include "server/import_cli.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/import.h"
#include "db/text_arena.h"
#include "model/import_rows.h"

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
print_errors(const struct field_errors *e)
{
  for (size_t i = 0; i < e->count; i++) {
    const struct field_error *it = &e->items[i];

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
            cfg->import_file, db_status_describe(r->status));
    return EXIT_FAILURE;
  }
}

/* The file is read and parsed on a thread of its own while this one
 * writes: the rows cross over in batches through a small bounded queue,
 * and the database connection is only ever used here. */
#define QROWS 512      /* rows per batch */
#define QBATCHES 6     /* batches in flight */

/* A row in a batch: its strings are offsets into the batch's arena
 * (TEXT_ARENA_NULL for NULL); kind, statistic, bound, education and
 * company_stage are the parser's static strings. */
struct qrow {
  struct salary_report row;   /* pointers unset until the writer takes it */
  bool bad;                   /* the parser found problems: no row */
  ptrdiff_t role;
  ptrdiff_t subject;
  ptrdiff_t scope;
  ptrdiff_t note;
  ptrdiff_t section;
  ptrdiff_t location;
  ptrdiff_t industry;
};

struct qbatch {
  struct qrow rows[QROWS];
  size_t n;
  struct text_arena arena;
};

struct feeder {
  pthread_mutex_t mu;
  pthread_cond_t changed;
  struct qbatch *full[QBATCHES];   /* ring of batches to write */
  size_t full_head;
  size_t nfull;
  struct qbatch *free[QBATCHES];   /* batches to fill */
  size_t nfree;
  bool done;                       /* the reader has queued its last batch */
  bool stop;                       /* the writer failed: read no further */
  struct import_session *direct;   /* no second thread: the reader writes */
  /* the reader's own */
  FILE *in;
  struct import_parser *p;
  struct qbatch *cur;
  struct progress *pr;
  uint64_t rows;
  bool nomem;
  int status;                      /* the reader's answer, as feed_file's */
  int read_errno;
};

static bool feeder_write(struct import_session *s, struct qbatch *b);

/* Hands the reader's batch to the writer and takes an empty one.
 * @return false when the writer has stopped */
static bool
feeder_push(struct feeder *f)
{
  bool go;

  if (NULL != f->direct) {
    f->stop = f->stop || !feeder_write(f->direct, f->cur);
    f->cur->n = 0;
    text_arena_clear(&f->cur->arena);
    return !f->stop;
  }
  pthread_mutex_lock(&f->mu);
  f->full[(f->full_head + f->nfull) % QBATCHES] = f->cur;
  f->nfull++;
  f->cur = NULL;
  pthread_cond_broadcast(&f->changed);
  while (0 == f->nfree && !f->stop)
    pthread_cond_wait(&f->changed, &f->mu);
  if (!f->stop) {
    f->cur = f->free[--f->nfree];
    f->cur->n = 0;
    text_arena_clear(&f->cur->arena);
  }
  go = !f->stop;
  pthread_mutex_unlock(&f->mu);
  return go;
}

/* The parser's callback on the reader's thread: copies the row. */
static int
feeder_on_row(void *cls, const struct salary_report *row, const struct field_error *errors,
              size_t n_errors)
{
  struct feeder *f = cls;
  struct qbatch *b = f->cur;
  struct qrow *q;

  (void) errors;
  (void) n_errors;
  if (NULL == b)
    return -1;
  q = &b->rows[b->n];
  if (NULL == row) {
    *q = (struct qrow) { .bad = true };
  } else {
    *q = (struct qrow) {
      .row = *row,
      .role = text_arena_put(&b->arena, row->role),
      .subject = text_arena_put(&b->arena, row->subject),
      .scope = text_arena_put(&b->arena, row->scope),
      .note = text_arena_put(&b->arena, row->note),
      .section = text_arena_put(&b->arena, row->section),
      .location = text_arena_put(&b->arena, row->factors.location),
      .industry = text_arena_put(&b->arena, row->factors.industry),
    };
    if (TEXT_ARENA_NOMEM == q->role || TEXT_ARENA_NOMEM == q->subject
        || TEXT_ARENA_NOMEM == q->scope || TEXT_ARENA_NOMEM == q->note
        || TEXT_ARENA_NOMEM == q->section || TEXT_ARENA_NOMEM == q->location
        || TEXT_ARENA_NOMEM == q->industry) {
      f->nomem = true;
      return -1;
    }
    f->rows++;
  }
  b->n++;
  if (QROWS == b->n && !feeder_push(f))
    return -1;
  return 0;
}

static void *
feeder_run(void *cls)
{
  struct feeder *f = cls;
  char *buf = malloc(CHUNK);
  enum import_status st = IMPORT_CONTINUE;
  size_t n;

  if (NULL == buf) {
    st = IMPORT_NOMEM;
  } else {
    while (IMPORT_CONTINUE == st && 0 < (n = fread(buf, 1, CHUNK, f->in))) {
      st = import_parser_feed(f->p, buf, n);
      progress_show(f->pr, f->rows, false);
    }
    free(buf);
  }
  if (f->nomem && IMPORT_ABORTED == st)
    st = IMPORT_NOMEM;
  if (NULL != buf && ferror(f->in)) {
    f->status = -1;
    f->read_errno = errno;
  } else {
    f->status = IMPORT_CONTINUE == st ? (int) import_parser_finish(f->p) : (int) st;
  }
  if (NULL != f->direct) {
    if (NULL != f->cur && f->cur->n > 0 && !f->stop)
      f->stop = !feeder_write(f->direct, f->cur);
    f->done = true;
    return NULL;
  }
  pthread_mutex_lock(&f->mu);
  if (NULL != f->cur && f->cur->n > 0) {
    f->full[(f->full_head + f->nfull) % QBATCHES] = f->cur;
    f->nfull++;
    f->cur = NULL;
  }
  f->done = true;
  pthread_cond_broadcast(&f->changed);
  pthread_mutex_unlock(&f->mu);
  return NULL;
}

/* Writes one batch's rows through the session. @return false to stop */
static bool
feeder_write(struct import_session *s, struct qbatch *b)
{
  for (size_t i = 0; i < b->n; i++) {
    struct qrow *q = &b->rows[i];

    if (q->bad) {
      (void) import_session_on_row(s, NULL, NULL, 0);
      continue;
    }
    q->row.role = text_arena_get(&b->arena, q->role);
    q->row.subject = text_arena_get(&b->arena, q->subject);
    q->row.scope = text_arena_get(&b->arena, q->scope);
    q->row.note = text_arena_get(&b->arena, q->note);
    q->row.section = text_arena_get(&b->arena, q->section);
    q->row.factors.location = text_arena_get(&b->arena, q->location);
    q->row.factors.industry = text_arena_get(&b->arena, q->industry);
    if (0 != import_session_add(s, &q->row))
      return false;
  }
  return true;
}

/* The writer's side: writes each batch the reader queues, until the
 * reader is done; after a failed write it only hands the batches back, so
 * that the reader, told to stop, is never left waiting.
 * @return false when a write failed */
static bool
feeder_drain(struct feeder *f, struct import_session *s)
{
  bool go = true;

  pthread_mutex_lock(&f->mu);
  for (;;) {
    struct qbatch *b;

    while (0 == f->nfull && !f->done)
      pthread_cond_wait(&f->changed, &f->mu);
    if (0 == f->nfull)
      break;
    b = f->full[f->full_head];
    pthread_mutex_unlock(&f->mu);
    if (go)
      go = feeder_write(s, b);
    pthread_mutex_lock(&f->mu);
    f->full_head = (f->full_head + 1) % QBATCHES;
    f->nfull--;
    f->free[f->nfree++] = b;
    if (!go)
      f->stop = true;
    pthread_cond_broadcast(&f->changed);
  }
  pthread_mutex_unlock(&f->mu);
  return go;
}

/* Feeds the whole file; @return the parser's last status, or -1 on a read error. */
static int
feed_file(FILE *in, struct import_parser **pp, struct import_session *s, struct progress *pr,
          enum import_format format)
{
  struct qbatch *pool = calloc(QBATCHES, sizeof *pool);
  struct feeder f = { .in = in, .pr = pr };
  pthread_t reader;
  bool go = true;
  int st;

  *pp = NULL;
  if (NULL == pool || NULL == (f.p = import_parser_new(format, feeder_on_row, &f))) {
    free(pool);
    return IMPORT_NOMEM;
  }
  *pp = f.p;
  pthread_mutex_init(&f.mu, NULL);
  pthread_cond_init(&f.changed, NULL);
  f.cur = &pool[0];
  for (size_t i = 0; i < QBATCHES; i++)
    pool[i].arena.first_cap = 65536;
  for (size_t i = 1; i < QBATCHES; i++)
    f.free[f.nfree++] = &pool[i];
  if (0 != pthread_create(&reader, NULL, feeder_run, &f)) {
    /* no second thread: read and write on this one */
    f.direct = s;
    feeder_run(&f);
    go = !f.stop;
  } else {
    go = feeder_drain(&f, s);
    pthread_join(reader, NULL);
  }
  pthread_cond_destroy(&f.changed);
  pthread_mutex_destroy(&f.mu);
  for (size_t i = 0; i < QBATCHES; i++)
    text_arena_free(&pool[i].arena);
  free(pool);
  st = f.status;
  if (st < 0)
    errno = f.read_errno;
  else if (!go && IMPORT_CONTINUE == st)
    st = IMPORT_ABORTED;
  return st;
}

static int
run_session(const struct config *cfg, FILE *in, struct import_session *s, struct progress *pr)
{
  struct import_parser *p = NULL;
  struct import_result *r = malloc(sizeof *r);
  int st = IMPORT_NOMEM;
  int rc;

  if (NULL != r)
    st = feed_file(in, &p, s, pr,
                   0 == strcmp(cfg->import_format, "csv") ? IMPORT_CSV : IMPORT_NDJSON);
  if (NULL == p || NULL == r) {
    import_parser_free(p);
    free(r);
    import_session_abort(s);
    fprintf(stderr, "techpayd: out of memory\n");
    return EXIT_FAILURE;
  }
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
