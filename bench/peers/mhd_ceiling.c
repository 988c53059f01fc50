/*
 * bench/peers/mhd_ceiling.c - the ceiling of libmicrohttpd for one body: a
 * server that answers every request with one persistent response object
 * holding the bytes of a file, with only a Content-Type header, queued on
 * the second call of the access handler (the first only says the request
 * arrived), on one epoll thread. techpayd cannot be faster than this with
 * the same library, so bench/run.sh reports techpayd as a share of it.
 *
 * Usage: mhd_ceiling PORT FILE [CONTENT-TYPE]
 * Generated for benchmarks only; not part of techpayd.
 */
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum MHD_Result
answer(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
  static int first_call;

  (void) url;
  (void) method;
  (void) version;
  (void) upload_data;
  (void) upload_data_size;
  if (NULL == *req_cls) {
    *req_cls = &first_call;
    return MHD_YES;
  }
  return MHD_queue_response(connection, MHD_HTTP_OK, cls);
}

static char *
read_file(const char *path, size_t *size)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;

  if (NULL == f)
    return NULL;
  if (0 == fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && 0 == fseek(f, 0, SEEK_SET)
      && NULL != (buf = malloc((size_t) n + 1)) && (size_t) n == fread(buf, 1, (size_t) n, f))
    *size = (size_t) n;
  else {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  return buf;
}

int
main(int argc, char **argv)
{
  struct MHD_Daemon *daemon;
  struct MHD_Response *response;
  size_t size = 0;
  char *body;
  sigset_t stop_signals;
  int sig;

  if (argc < 3) {
    fprintf(stderr, "usage: mhd_ceiling PORT FILE [CONTENT-TYPE]\n");
    return 2;
  }
  body = read_file(argv[2], &size);
  if (NULL == body) {
    fprintf(stderr, "mhd_ceiling: cannot read %s\n", argv[2]);
    return 1;
  }
  response = MHD_create_response_from_buffer(size, body, MHD_RESPMEM_PERSISTENT);
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                          argc > 3 ? argv[3] : "application/json");
  /* blocked before the daemon's thread starts, so it inherits the mask and
   * only sigwait() below takes them */
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
  daemon = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, (uint16_t) atoi(argv[1]), NULL, NULL,
                            &answer, response, MHD_OPTION_END);
  if (NULL == daemon) {
    fprintf(stderr, "mhd_ceiling: cannot listen on port %s\n", argv[1]);
    return 1;
  }
  sigwait(&stop_signals, &sig);
  MHD_stop_daemon(daemon);
  MHD_destroy_response(response);
  free(body);
  return 0;
}
