/**
 * @file tests/check_config.c
 * @brief Flags, environment and their precedence; bad values are errors.
 */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "server/config.h"
#include "tests/harness.h"

/* The fake environment the parser sees. */
static const char *fake_env[16][2];

static const char *
env_lookup(const char *name)
{
  for (size_t i = 0; i < 16 && NULL != fake_env[i][0]; i++)
    if (0 == strcmp(fake_env[i][0], name))
      return fake_env[i][1];
  return NULL;
}

static void
env_set(const char *name, const char *value)
{
  size_t i = 0;

  while (NULL != fake_env[i][0])
    i++;
  fake_env[i][0] = name;
  fake_env[i][1] = value;
}

static void
env_clear(void)
{
  memset(fake_env, 0, sizeof fake_env);
}

static int
parse(struct config *cfg, char *err, int argc, ...)
{
  char *argv[32] = { "techpayd" };
  va_list ap;

  va_start(ap, argc);
  for (int i = 1; i < argc; i++)
    argv[i] = va_arg(ap, char *);
  va_end(ap);
  return config_parse(argc, argv, env_lookup, 4, cfg, err, 256);
}

START_TEST(defaults)
{
  struct config cfg;
  char err[256];

  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_int_eq(CMD_SERVE, cfg.command);
  ck_assert_str_eq("0.0.0.0", cfg.bind);
  ck_assert_uint_eq(8080, cfg.port);
  ck_assert_str_eq("./techpay.db", cfg.db_path);
  ck_assert_uint_eq(4, cfg.threads); /* the CPU count */
  ck_assert_uint_gt(cfg.max_connections, 0);
  /* one address never holds every connection */
  ck_assert_uint_gt(cfg.max_connections_per_ip, 0);
  ck_assert_uint_lt(cfg.max_connections_per_ip, cfg.max_connections);
  ck_assert_uint_gt(cfg.timeout_s, 0);
  /* slowloris keeps the idle timeout from firing: requests have a deadline */
  ck_assert_uint_gt(cfg.request_timeout_s, 0);
  ck_assert_str_eq("*", cfg.cors_origin);
  ck_assert_int_eq(LOG_FORMAT_JSON, cfg.log_format);
  ck_assert_int_eq(LOG_INFO, cfg.log_level);
  ck_assert(cfg.access_log);
  ck_assert_uint_eq(10, cfg.drain_timeout_s);
}
END_TEST

START_TEST(flags_both_forms)
{
  struct config cfg;
  char err[256];

  ck_assert_int_eq(0, parse(&cfg, err, 7, "--port", "9000", "--bind=127.0.0.1",
                            "--db", "/tmp/x.db", "--threads=3"));
  ck_assert_uint_eq(9000, cfg.port);
  ck_assert_str_eq("127.0.0.1", cfg.bind);
  ck_assert_str_eq("/tmp/x.db", cfg.db_path);
  ck_assert_uint_eq(3, cfg.threads);
}
END_TEST

START_TEST(environment_then_flags_win)
{
  struct config cfg;
  char err[256];

  env_clear();
  env_set("PORT", "7000");
  env_set("TECHPAY_DB", "/data/techpay.db");
  env_set("TECHPAY_THREADS", "8");
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_uint_eq(7000, cfg.port);
  ck_assert_str_eq("/data/techpay.db", cfg.db_path);
  ck_assert_uint_eq(8, cfg.threads);
  /* TECHPAY_PORT is the more specific name */
  env_set("TECHPAY_PORT", "7001");
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_uint_eq(7001, cfg.port);
  ck_assert_int_eq(0, parse(&cfg, err, 3, "--port", "7002"));
  ck_assert_uint_eq(7002, cfg.port);
  env_clear();
}
END_TEST

START_TEST(connections_per_ip_from_flag_and_environment)
{
  struct config cfg;
  char err[256] = "";

  env_clear();
  env_set("TECHPAY_MAX_CONNECTIONS_PER_IP", "16");
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_uint_eq(16, cfg.max_connections_per_ip);
  ck_assert_int_eq(0, parse(&cfg, err, 2, "--max-connections-per-ip=0"));
  ck_assert_uint_eq(0, cfg.max_connections_per_ip); /* no limit, e.g. behind a proxy */
  env_clear();
  env_set("TECHPAY_MAX_CONNECTIONS_PER_IP", "lots");
  ck_assert_int_eq(-1, parse(&cfg, err, 1));
  ck_assert_msg(NULL != strstr(err, "TECHPAY_MAX_CONNECTIONS_PER_IP"), "%s", err);
  env_clear();
}
END_TEST

static const char *const bad_values[][3] = {
  { "--port", "0", "--port" },
  { "--port", "70000", "--port" },
  { "--port", "-1", "--port" },
  { "--port", "80x", "--port" },
  { "--port", "", "--port" },
  { "--port", "99999999999999999999", "--port" },
  { "--threads", "0", "--threads" },
  { "--threads", "100000", "--threads" },
  { "--timeout", "0", "--timeout" },
  { "--bind", "", "--bind" },
  { "--db", "", "--db" },
  { "--cors-origin", "", "--cors-origin" },
  { "--cors-origin", "example.com", "--cors-origin" },
  { "--cors-origin", "https://example.com/", "--cors-origin" },
  { "--cors-origin", "https://exa mple.com", "--cors-origin" },
  { "--cors-origin", "https://example.com\r\nSet-Cookie: x=1", "--cors-origin" },
  { "--cors-origin", "https://example.com:99999", "--cors-origin" },
  { "--cors-write-origin", "*", "--cors-write-origin" },
  { "--cors-write-origin", "", "--cors-write-origin" },
  { "--cors-write-origin", "admin.example.com", "--cors-write-origin" },
  { "--cors-write-origin", "https://admin.example.com/", "--cors-write-origin" },
  { "--cors-write-origin", "https://admin.example.com\r\nX: y", "--cors-write-origin" },
  { "--log-format", "xml", "--log-format" },
  { "--log-format", "JSON", "--log-format" },
  { "--log-format", "", "--log-format" },
  { "--log-level", "verbose", "--log-level" },
  { "--log-level", "", "--log-level" },
  { "--access-log", "yes", "--access-log" },
  { "--access-log", "", "--access-log" },
  { "--drain-timeout", "-1", "--drain-timeout" },
  { "--drain-timeout", "3601", "--drain-timeout" },
  { "--drain-timeout", "10s", "--drain-timeout" },
  { "--drain-timeout", "", "--drain-timeout" },
  { "--max-connections-per-ip", "-1", "--max-connections-per-ip" },
  { "--request-timeout", "3601", "--request-timeout" },
  { "--request-timeout", "20s", "--request-timeout" },
  { "--max-connections-per-ip", "100001", "--max-connections-per-ip" },
  { "--max-connections-per-ip", "many", "--max-connections-per-ip" },
};

START_TEST(bad_flag_values)
{
  struct config cfg;
  char err[256] = "";

  ck_assert_int_eq(-1, parse(&cfg, err, 3, bad_values[_i][0], bad_values[_i][1]));
  ck_assert_msg(NULL != strstr(err, bad_values[_i][2]), "error should name the flag: %s", err);
}
END_TEST

START_TEST(cors_origin_from_flag_and_environment)
{
  struct config cfg;
  char err[256] = "";
  char *text = NULL;
  size_t len = 0;
  FILE *out;

  env_clear();
  env_set("TECHPAY_CORS_ORIGIN", "https://app.example.com");
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_str_eq("https://app.example.com", cfg.cors_origin);
  ck_assert_int_eq(0, parse(&cfg, err, 2, "--cors-origin=http://localhost:3000"));
  ck_assert_str_eq("http://localhost:3000", cfg.cors_origin);
  ck_assert_int_eq(0, parse(&cfg, err, 3, "--cors-origin", "*"));
  ck_assert_str_eq("*", cfg.cors_origin);
  env_clear();
  env_set("TECHPAY_CORS_ORIGIN", "https://example.com/path");
  ck_assert_int_eq(-1, parse(&cfg, err, 1));
  ck_assert_ptr_nonnull(strstr(err, "TECHPAY_CORS_ORIGIN"));
  env_clear();
  out = open_memstream(&text, &len);
  config_usage(out);
  fclose(out);
  ck_assert_ptr_nonnull(strstr(text, "--cors-origin ORIGIN"));
  ck_assert_ptr_nonnull(strstr(text, "TECHPAY_CORS_ORIGIN"));
  free(text);
}
END_TEST

/* No origin may send a token unless one is named, by flag or environment. */
START_TEST(cors_write_origin_from_flag_and_environment)
{
  struct config cfg;
  char err[256] = "";
  char line[1024];
  char *text = NULL;
  size_t len = 0;
  FILE *out;

  env_clear();
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_ptr_null(cfg.cors_write_origin);
  env_set("TECHPAY_CORS_WRITE_ORIGIN", "https://admin.example.com");
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_str_eq("https://admin.example.com", cfg.cors_write_origin);
  ck_assert_int_eq(0, parse(&cfg, err, 3, "--cors-write-origin", "http://localhost:3000"));
  ck_assert_str_eq("http://localhost:3000", cfg.cors_write_origin);
  config_describe(&cfg, line, sizeof line);
  ck_assert_ptr_nonnull(strstr(line, " cors_write_origin=http://localhost:3000 "));
  env_clear();
  env_set("TECHPAY_CORS_WRITE_ORIGIN", "*");
  ck_assert_int_eq(-1, parse(&cfg, err, 1));
  ck_assert_ptr_nonnull(strstr(err, "TECHPAY_CORS_WRITE_ORIGIN"));
  env_clear();
  out = open_memstream(&text, &len);
  config_usage(out);
  fclose(out);
  ck_assert_ptr_nonnull(strstr(text, "--cors-write-origin ORIGIN"));
  ck_assert_ptr_nonnull(strstr(text, "TECHPAY_CORS_WRITE_ORIGIN"));
  free(text);
}
END_TEST

START_TEST(logging_and_drain_from_flag_and_environment)
{
  struct config cfg;
  char err[256] = "";
  char *text = NULL;
  size_t len = 0;
  FILE *out;

  env_clear();
  env_set("TECHPAY_LOG_FORMAT", "text");
  env_set("TECHPAY_LOG_LEVEL", "warning");
  env_set("TECHPAY_ACCESS_LOG", "off");
  env_set("TECHPAY_DRAIN_TIMEOUT", "0");
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_int_eq(LOG_FORMAT_TEXT, cfg.log_format);
  ck_assert_int_eq(LOG_WARNING, cfg.log_level);
  ck_assert(!cfg.access_log);
  ck_assert_uint_eq(0, cfg.drain_timeout_s);
  /* flags win, in both forms */
  ck_assert_int_eq(0, parse(&cfg, err, 7, "--log-format=json", "--log-level", "debug",
                            "--access-log=on", "--drain-timeout", "3600"));
  ck_assert_int_eq(LOG_FORMAT_JSON, cfg.log_format);
  ck_assert_int_eq(LOG_DEBUG, cfg.log_level);
  ck_assert(cfg.access_log);
  ck_assert_uint_eq(3600, cfg.drain_timeout_s);
  ck_assert_int_eq(0, parse(&cfg, err, 2, "--log-level=error"));
  ck_assert_int_eq(LOG_ERROR, cfg.log_level);
  env_clear();
  env_set("TECHPAY_LOG_LEVEL", "loud");
  ck_assert_int_eq(-1, parse(&cfg, err, 1));
  ck_assert_ptr_nonnull(strstr(err, "TECHPAY_LOG_LEVEL"));
  env_clear();
  env_set("TECHPAY_DRAIN_TIMEOUT", "forever");
  ck_assert_int_eq(-1, parse(&cfg, err, 1));
  ck_assert_ptr_nonnull(strstr(err, "TECHPAY_DRAIN_TIMEOUT"));
  env_clear();
  out = open_memstream(&text, &len);
  config_usage(out);
  fclose(out);
  ck_assert_ptr_nonnull(strstr(text, "--log-format FORMAT"));
  ck_assert_ptr_nonnull(strstr(text, "TECHPAY_LOG_FORMAT; default json"));
  ck_assert_ptr_nonnull(strstr(text, "--log-level LEVEL"));
  ck_assert_ptr_nonnull(strstr(text, "TECHPAY_LOG_LEVEL; default info"));
  ck_assert_ptr_nonnull(strstr(text, "--access-log on|off"));
  ck_assert_ptr_nonnull(strstr(text, "TECHPAY_ACCESS_LOG; default on"));
  ck_assert_ptr_nonnull(strstr(text, "--drain-timeout SECONDS"));
  ck_assert_ptr_nonnull(strstr(text, "TECHPAY_DRAIN_TIMEOUT; default 10"));
  ck_assert_ptr_nonnull(strstr(text, "--max-db-size MIB"));
  ck_assert_ptr_nonnull(strstr(text, "--query-timeout MS"));
  ck_assert_ptr_nonnull(strstr(text, "TECHPAY_QUERY_TIMEOUT; default 1000"));
  free(text);
}
END_TEST

START_TEST(effective_configuration_in_one_line)
{
  struct config cfg;
  char err[256] = "";
  char line[1024];

  env_clear();
  ck_assert_int_eq(0, parse(&cfg, err, 9, "--port", "9000", "--db", "/srv/my data/t.db",
                            "--log-format", "text", "--drain-timeout", "5"));
  config_describe(&cfg, line, sizeof line);
  ck_assert_str_eq("bind=0.0.0.0 port=9000 db=\"/srv/my data/t.db\" threads=4 "
                   "max_connections=1024 max_connections_per_ip=64 timeout=30 request_timeout=20 cors_origin=* "
                   "cors_write_origin= log_format=text "
                   "log_level=info access_log=on drain_timeout=5 admin_token_file= read_only=off "
                   "max_body=8388608 min_reports=5 max_db_size=0 query_timeout=1000", line);
  ck_assert_ptr_null(strchr(line, '\n'));
  /* too small a buffer: whole pairs only */
  config_describe(&cfg, line, 30);
  ck_assert_str_eq("bind=0.0.0.0 port=9000", line);
}
END_TEST

START_TEST(secrets_are_masked)
{
  char out[256];

  config_mask("hunter2", true, out, sizeof out);
  ck_assert_str_eq("***", out);
  config_mask("", true, out, sizeof out);
  ck_assert_str_eq("", out);
  config_mask("postgres://app:hunter2@db.example:5432/pay", false, out, sizeof out);
  ck_assert_str_eq("postgres://app:***@db.example:5432/pay", out);
  config_mask("https://user@example.com/x:y@z", false, out, sizeof out);
  ck_assert_str_eq("https://user@example.com/x:y@z", out); /* no password; '@' in the path */
  config_mask("https://example.com:8443", false, out, sizeof out);
  ck_assert_str_eq("https://example.com:8443", out);
  config_mask("./techpay.db", false, out, sizeof out);
  ck_assert_str_eq("./techpay.db", out);
}
END_TEST

START_TEST(bad_environment_value_names_variable)
{
  struct config cfg;
  char err[256] = "";

  env_clear();
  env_set("PORT", "http");
  ck_assert_int_eq(-1, parse(&cfg, err, 1));
  ck_assert_ptr_nonnull(strstr(err, "PORT"));
  env_clear();
}
END_TEST

START_TEST(unknown_option_and_missing_value)
{
  struct config cfg;
  char err[256] = "";

  ck_assert_int_eq(-1, parse(&cfg, err, 2, "--frobnicate"));
  ck_assert_ptr_nonnull(strstr(err, "--frobnicate"));
  ck_assert_int_eq(-1, parse(&cfg, err, 2, "extra"));
  ck_assert_ptr_nonnull(strstr(err, "extra"));
  ck_assert_int_eq(-1, parse(&cfg, err, 2, "--port"));
  ck_assert_ptr_nonnull(strstr(err, "needs a value"));
  /* --status belongs to the migrate command only */
  ck_assert_int_eq(-1, parse(&cfg, err, 2, "--status"));
}
END_TEST

START_TEST(commands)
{
  struct config cfg;
  char err[256];

  ck_assert_int_eq(0, parse(&cfg, err, 2, "--help"));
  ck_assert_int_eq(CMD_HELP, cfg.command);
  ck_assert_int_eq(0, parse(&cfg, err, 2, "--version"));
  ck_assert_int_eq(CMD_VERSION, cfg.command);
  ck_assert_int_eq(0, parse(&cfg, err, 2, "migrate"));
  ck_assert_int_eq(CMD_MIGRATE, cfg.command);
  ck_assert_int_eq(0, parse(&cfg, err, 5, "migrate", "--status", "--db", "/x.db"));
  ck_assert_int_eq(CMD_MIGRATE_STATUS, cfg.command);
  ck_assert_str_eq("/x.db", cfg.db_path);
  ck_assert_int_eq(0, parse(&cfg, err, 4, "healthcheck", "--port", "9001"));
  ck_assert_int_eq(CMD_HEALTHCHECK, cfg.command);
  ck_assert_uint_eq(9001, cfg.port);
}
END_TEST

START_TEST(write_settings)
{
  struct config cfg;
  char err[256] = "";

  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert(!cfg.read_only);
  ck_assert_ptr_null(cfg.admin_token_file);
  ck_assert_uint_eq(8u * 1024 * 1024, cfg.max_body);
  ck_assert_uint_eq(5, cfg.min_reports);
  ck_assert_int_eq(0, parse(&cfg, err, 8, "--read-only", "--admin-token-file", "/run/tokens",
                            "--max-body=1024", "--min-reports", "3", "--port=81"));
  ck_assert(cfg.read_only);
  ck_assert_str_eq("/run/tokens", cfg.admin_token_file);
  ck_assert_uint_eq(1024, cfg.max_body);
  ck_assert_uint_eq(3, cfg.min_reports);
  env_clear();
  env_set("TECHPAY_READ_ONLY", "true");
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert(cfg.read_only);
  env_clear();
  env_set("TECHPAY_READ_ONLY", "maybe");
  ck_assert_int_eq(-1, parse(&cfg, err, 1));
  ck_assert_ptr_nonnull(strstr(err, "TECHPAY_READ_ONLY"));
  env_clear();
  ck_assert_int_eq(-1, parse(&cfg, err, 3, "--max-body", "0"));
  ck_assert_int_eq(-1, parse(&cfg, err, 3, "--min-reports", "0"));
  ck_assert_int_eq(-1, parse(&cfg, err, 3, "--admin-token-file", ""));
  /* the size cap: off by default, in MiB, from a flag or the environment */
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_uint_eq(0, cfg.max_db_mib);
  ck_assert_int_eq(0, parse(&cfg, err, 3, "--max-db-size", "512"));
  ck_assert_uint_eq(512, cfg.max_db_mib);
  env_set("TECHPAY_MAX_DB_SIZE", "64");
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_uint_eq(64, cfg.max_db_mib);
  env_clear();
  env_set("TECHPAY_MAX_DB_SIZE", "1G");
  ck_assert_int_eq(-1, parse(&cfg, err, 1));
  ck_assert_ptr_nonnull(strstr(err, "TECHPAY_MAX_DB_SIZE"));
  env_clear();
  ck_assert_int_eq(-1, parse(&cfg, err, 3, "--max-db-size", "-1"));
}
END_TEST

START_TEST(query_timeout_from_flag_and_environment)
{
  struct config cfg;
  char err[256] = "";

  env_clear();
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_uint_eq(1000, cfg.query_timeout_ms);
  ck_assert_int_eq(0, parse(&cfg, err, 3, "--query-timeout", "250"));
  ck_assert_uint_eq(250, cfg.query_timeout_ms);
  ck_assert_int_eq(0, parse(&cfg, err, 2, "--query-timeout=0"));
  ck_assert_uint_eq(0, cfg.query_timeout_ms); /* no budget */
  env_set("TECHPAY_QUERY_TIMEOUT", "40");
  ck_assert_int_eq(0, parse(&cfg, err, 1));
  ck_assert_uint_eq(40, cfg.query_timeout_ms);
  ck_assert_int_eq(0, parse(&cfg, err, 3, "--query-timeout", "60"));
  ck_assert_uint_eq(60, cfg.query_timeout_ms); /* the flag wins */
  env_clear();
  env_set("TECHPAY_QUERY_TIMEOUT", "1s");
  ck_assert_int_eq(-1, parse(&cfg, err, 1));
  ck_assert_ptr_nonnull(strstr(err, "TECHPAY_QUERY_TIMEOUT"));
  env_clear();
  ck_assert_int_eq(-1, parse(&cfg, err, 3, "--query-timeout", "3600001"));
  ck_assert_ptr_nonnull(strstr(err, "--query-timeout must be a whole number from 0 to 3600000"));
  ck_assert_int_eq(-1, parse(&cfg, err, 3, "--query-timeout", "-5"));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("config");
  TCase *tc = tcase_create("parse");

  tcase_add_test(tc, defaults);
  tcase_add_test(tc, flags_both_forms);
  tcase_add_test(tc, environment_then_flags_win);
  tcase_add_test(tc, connections_per_ip_from_flag_and_environment);
  tcase_add_loop_test(tc, bad_flag_values, 0, (int) (sizeof bad_values / sizeof bad_values[0]));
  tcase_add_test(tc, cors_origin_from_flag_and_environment);
  tcase_add_test(tc, cors_write_origin_from_flag_and_environment);
  tcase_add_test(tc, logging_and_drain_from_flag_and_environment);
  tcase_add_test(tc, effective_configuration_in_one_line);
  tcase_add_test(tc, secrets_are_masked);
  tcase_add_test(tc, bad_environment_value_names_variable);
  tcase_add_test(tc, unknown_option_and_missing_value);
  tcase_add_test(tc, commands);
  tcase_add_test(tc, write_settings);
  tcase_add_test(tc, query_timeout_from_flag_and_environment);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
