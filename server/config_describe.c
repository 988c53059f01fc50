/**
 * @file server/config_describe.c
 * @brief The effective configuration as one log line, with what must not
 *        be logged masked.
 */
#include "server/config.h"

#include <stdio.h>
#include <string.h>

void
config_mask(const char *value, bool secret, char *out, size_t size)
{
  const char *scheme_end = strstr(value, "://");
  const char *at;
  const char *colon;

  if (secret) {
    snprintf(out, size, "%s", '\0' != value[0] ? "***" : "");
    return;
  }
  if (NULL != scheme_end) {
    size_t authority = strcspn(scheme_end + 3, "/?#");

    at = memchr(scheme_end + 3, '@', authority);
    colon = NULL != at ? memchr(scheme_end + 3, ':', (size_t) (at - scheme_end - 3)) : NULL;
    if (NULL != colon) {
      snprintf(out, size, "%.*s:***%s", (int) (colon - value), value, at);
      return;
    }
  }
  snprintf(out, size, "%s", value);
}

/* Appends " name=value" to @a out, quoting a value with spaces, quotes
 * or control characters. Appends nothing when the pair would not fit. */
static void
describe_pair(char *out, size_t size, const char *name, const char *value, bool secret)
{
  char masked[512];
  char pair[2200]; /* the longest masked value, every byte escaped */
  size_t len = strlen(out);
  size_t n;
  bool quote = false;

  config_mask(value, secret, masked, sizeof masked);
  for (const char *p = masked; '\0' != *p && !quote; p++)
    quote = (unsigned char) *p <= ' ' || '"' == *p || '\\' == *p || 0x7f == *p;
  n = (size_t) snprintf(pair, sizeof pair, "%s%s=", 0 == len ? "" : " ", name);
  if (quote)
    pair[n++] = '"';
  for (const char *p = masked; '\0' != *p && n + 6 < sizeof pair; p++) {
    unsigned char c = (unsigned char) *p;

    if ('"' == c || '\\' == c)
      n += (size_t) snprintf(pair + n, sizeof pair - n, "\\%c", c);
    else if (c < ' ' || 0x7f == c)
      n += (size_t) snprintf(pair + n, sizeof pair - n, "\\x%02x", c);
    else
      pair[n++] = (char) c;
  }
  if (quote)
    pair[n++] = '"';
  pair[n] = '\0';
  if (len + n < size)
    memcpy(out + len, pair, n + 1);
}

void
config_describe(const struct config *cfg, char *out, size_t size)
{
  char port[8];
  char threads[16];
  char max_conn[16];
  char max_conn_ip[16];
  char timeout[16];
  char request_timeout[16];
  char drain[16];
  char max_body[16];
  char min_reports[16];
  char max_db_size[16];
  char query_timeout[16];
  /* The secret flag is the masking hook: a setting holding a credential
   * (none yet) is listed with true and never appears in a log. */
  const struct {
    const char *name;
    const char *value;
    bool secret;
  } pairs[] = {
    { "bind", cfg->bind, false },
    { "port", port, false },
    { "db", cfg->db_path, false },
    { "threads", threads, false },
    { "max_connections", max_conn, false },
    { "max_connections_per_ip", max_conn_ip, false },
    { "timeout", timeout, false },
    { "request_timeout", request_timeout, false },
    { "cors_origin", cfg->cors_origin, false },
    { "cors_write_origin", cfg->cors_write_origin ? cfg->cors_write_origin : "", false },
    { "log_format", log_format_name(cfg->log_format), false },
    { "log_level", log_level_name(cfg->log_level), false },
    { "access_log", cfg->access_log ? "on" : "off", false },
    { "drain_timeout", drain, false },
    { "admin_token_file", cfg->admin_token_file ? cfg->admin_token_file : "", false },
    { "read_only", cfg->read_only ? "on" : "off", false },
    { "max_body", max_body, false },
    { "min_reports", min_reports, false },
    { "max_db_size", max_db_size, false },
    { "query_timeout", query_timeout, false },
  };

  snprintf(port, sizeof port, "%u", cfg->port);
  snprintf(threads, sizeof threads, "%u", cfg->threads);
  snprintf(max_conn, sizeof max_conn, "%u", cfg->max_connections);
  snprintf(max_conn_ip, sizeof max_conn_ip, "%u", cfg->max_connections_per_ip);
  snprintf(timeout, sizeof timeout, "%u", cfg->timeout_s);
  snprintf(request_timeout, sizeof request_timeout, "%u", cfg->request_timeout_s);
  snprintf(drain, sizeof drain, "%u", cfg->drain_timeout_s);
  snprintf(max_body, sizeof max_body, "%u", cfg->max_body);
  snprintf(min_reports, sizeof min_reports, "%u", cfg->min_reports);
  snprintf(max_db_size, sizeof max_db_size, "%u", cfg->max_db_mib);
  snprintf(query_timeout, sizeof query_timeout, "%u", cfg->query_timeout_ms);
  if (0 == size)
    return;
  out[0] = '\0';
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
    describe_pair(out, size, pairs[i].name, pairs[i].value, pairs[i].secret);
}
