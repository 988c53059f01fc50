/**
 * @file http/access_log.c
 * @brief Formatting and writing access log lines.
 */
#include "http/access_log.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "util/utf8.h"

/* A bounded output cursor: appends stop at the end of the buffer rather
 * than overflow it (the line is sized so that this never happens). */
struct out {
  char *p;
  char *end;
};

static void
put(struct out *o, const char *s, size_t n)
{
  if (n > (size_t) (o->end - o->p))
    n = (size_t) (o->end - o->p);
  memcpy(o->p, s, n);
  o->p += n;
}

static void
put_str(struct out *o, const char *s)
{
  put(o, s, strlen(s));
}

static void
put_u64(struct out *o, uint64_t v)
{
  char digits[20];
  size_t n = 0;

  do {
    digits[sizeof digits - 1 - n++] = (char) ('0' + v % 10);
    v /= 10;
  } while (0 != v);
  put(o, digits + sizeof digits - n, n);
}

/* @a s as the inside of a JSON string. */
static void
put_json(struct out *o, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *) s;
  size_t i = 0;

  while (i < len) {
    size_t run = i;
    size_t n;
    uint32_t cp;

    /* copy plain ASCII in one go */
    while (run < len && p[run] >= 0x20 && p[run] < 0x7f && '"' != p[run] && '\\' != p[run])
      run++;
    put(o, s + i, run - i);
    i = run;
    if (i == len)
      break;
    if ('"' == p[i] || '\\' == p[i]) {
      char esc[2] = { '\\', (char) p[i] };

      put(o, esc, 2);
      i++;
    } else if (p[i] < 0x20 || 0x7f == p[i]) {
      char esc[6] = { '\\', 'u', '0', '0', hex[p[i] >> 4], hex[p[i] & 0xf] };

      put(o, esc, 6);
      i++;
    } else if (0 != (n = utf8_decode(p + i, len - i, &cp))) {
      put(o, s + i, n);
      i += n;
    } else {
      put(o, "\\ufffd", 6);
      i++;
    }
  }
}

/* @a s for the text format: printable ASCII and UTF-8 as they are,
 * control characters, quotes, backslashes and spaces as \xHH, so the line
 * splits on spaces. */
static void
put_text(struct out *o, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";

  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char) s[i];

    if (c <= 0x20 || 0x7f == c || '"' == c || '\\' == c) {
      char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 0xf] };

      put(o, esc, 4);
    } else {
      put(o, s + i, 1);
    }
  }
}

/* "2026-01-31T12:00:00.123Z": the date and time are formatted once per
 * second and thread, the milliseconds every time. */
static void
put_time(struct out *o, const struct timespec *ts)
{
  static _Thread_local time_t cached_sec = (time_t) -1;
  static _Thread_local char cached[24];
  static _Thread_local size_t cached_len;
  long ms = ts->tv_nsec / 1000000;
  char frac[5] = { '.', (char) ('0' + ms / 100), (char) ('0' + ms / 10 % 10),
                   (char) ('0' + ms % 10), 'Z' };

  if (ts->tv_sec != cached_sec) {
    struct tm tm;

    if (NULL == gmtime_r(&ts->tv_sec, &tm))
      memset(&tm, 0, sizeof tm);
    cached_len = strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_sec = ts->tv_sec;
  }
  put(o, cached, cached_len);
  put(o, frac, sizeof frac);
}

static size_t
method_len(const char *method)
{
  size_t n = strlen(method);

  return n > ACCESS_LOG_METHOD_MAX ? ACCESS_LOG_METHOD_MAX : n;
}

static void
format_json(struct out *o, const struct access_entry *e)
{
  put_str(o, "{\"time\":\"");
  put_time(o, &e->time);
  put_str(o, "\",\"request_id\":\"");
  put_json(o, e->request_id, strlen(e->request_id));
  put_str(o, "\",\"method\":\"");
  put_json(o, e->method, method_len(e->method));
  put_str(o, "\",\"path\":\"");
  put_json(o, e->target, e->target_len);
  if (NULL != e->route) {
    put_str(o, "\",\"route\":\"");
    put_json(o, e->route, strlen(e->route));
    put_str(o, "\",\"status\":");
  } else {
    put_str(o, "\",\"route\":null,\"status\":");
  }
  put_u64(o, e->status);
  put_str(o, ",\"bytes\":");
  put_u64(o, e->bytes);
  put_str(o, ",\"duration_us\":");
  put_u64(o, e->duration_us);
  put_str(o, ",\"client\":\"");
  put_json(o, e->client, strlen(e->client));
  put_str(o, "\"}\n");
}

/* 2026-01-31T12:00:00.123Z 192.0.2.7 "GET /roles?sort=pay" 200 1234 153us
 * route=/roles id=0123456789abcdef */
static void
format_text(struct out *o, const struct access_entry *e)
{
  put_time(o, &e->time);
  put_str(o, " ");
  put_str(o, '\0' != e->client[0] ? e->client : "-");
  put_str(o, " \"");
  put_text(o, e->method, method_len(e->method));
  put_str(o, " ");
  put_text(o, e->target, e->target_len);
  put_str(o, "\" ");
  put_u64(o, e->status);
  put_str(o, " ");
  put_u64(o, e->bytes);
  put_str(o, " ");
  put_u64(o, e->duration_us);
  put_str(o, "us route=");
  if (NULL != e->route)
    put_text(o, e->route, strlen(e->route));
  else
    put_str(o, "-");
  put_str(o, " id=");
  put_text(o, e->request_id, strlen(e->request_id));
  put_str(o, "\n");
}

size_t
access_log_format_line(enum log_format format, const struct access_entry *e, char *buf)
{
  struct out o = { buf, buf + ACCESS_LOG_LINE_MAX };

  if (LOG_FORMAT_TEXT == format)
    format_text(&o, e);
  else
    format_json(&o, e);
  /* Cut short (never, given the limits above): still end the line. */
  if (o.p == o.end && '\n' != o.end[-1])
    o.end[-1] = '\n';
  return (size_t) (o.p - buf);
}

void
access_log_write(const struct access_log *log, const struct access_entry *e)
{
  char line[ACCESS_LOG_LINE_MAX];
  size_t len;
  size_t done = 0;

  if (log->fd < 0)
    return;
  len = access_log_format_line(log->format, e, line);
  /* One write: a pipe takes it whole (it is below PIPE_BUF), and a file
   * opened for appending too. The loop only finishes a write cut short
   * by a full disk or a signal. */
  while (done < len) {
    ssize_t n = write(log->fd, line + done, len - done);

    if (n < 0 && EINTR == errno)
      continue;
    if (n <= 0)
      return; /* nowhere to log that logging failed: drop the line */
    done += (size_t) n;
  }
}
