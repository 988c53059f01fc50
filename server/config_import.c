/**
 * @file server/config_import.c
 * @brief The arguments of techpayd import: the file, its format, --dry-run.
 */
#include "server/config_import.h"

#include <string.h>
#include <strings.h>

int
config_import_arg(int argc, char *const argv[], int *i, struct config *cfg, char *err,
                  size_t err_size)
{
  const char *arg = argv[*i];
  const char *value = NULL;

  if (0 == strcmp(arg, "--dry-run")) {
    cfg->import_dry_run = true;
    return 1;
  }
  if (0 == strncmp(arg, "--format=", 9))
    value = arg + 9;
  else if (0 == strcmp(arg, "--format") && *i + 1 < argc)
    value = argv[++*i];
  else if (0 == strcmp(arg, "--format"))
    value = "";
  if (NULL != value) {
    if (0 != strcmp(value, "csv") && 0 != strcmp(value, "ndjson")) {
      snprintf(err, err_size, "--format must be csv or ndjson, not '%.40s'", value);
      return -1;
    }
    cfg->import_format = value;
    return 1;
  }
  if ('-' == arg[0] || NULL != cfg->import_file)
    return 0; /* another flag, or an unknown argument */
  cfg->import_file = arg;
  return 1;
}

static bool
ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s);
  size_t m = strlen(suffix);

  return n > m && 0 == strcasecmp(s + n - m, suffix);
}

int
config_import_format(struct config *cfg, char *err, size_t err_size)
{
  if (NULL == cfg->import_file) {
    snprintf(err, err_size, "import needs a FILE");
    return -1;
  }
  if (NULL != cfg->import_format)
    return 0;
  if (ends_with(cfg->import_file, ".csv"))
    cfg->import_format = "csv";
  else if (ends_with(cfg->import_file, ".ndjson") || ends_with(cfg->import_file, ".jsonl"))
    cfg->import_format = "ndjson";
  if (NULL != cfg->import_format)
    return 0;
  snprintf(err, err_size, "cannot tell the format of '%.60s' from its name: give --format csv "
           "or --format ndjson", cfg->import_file);
  return -1;
}
