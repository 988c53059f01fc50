/**
 * @file server/config_import.h
 * @brief What config_parse() reads only for techpayd import.
 */
#ifndef TECHPAY_SERVER_CONFIG_IMPORT_H
#define TECHPAY_SERVER_CONFIG_IMPORT_H

#include <stddef.h>

#include "server/config.h"

/**
 * Takes argv[*i] when it is one of import's own arguments: FILE, --format
 * (with its value, which may move @a i on) or --dry-run.
 * @return 1 when it was one, 0 when not, -1 with @a err on a bad --format
 */
int config_import_arg(int argc, char *const argv[], int *i, struct config *cfg, char *err,
                      size_t err_size);

/**
 * import needs a file, and its format from --format or the file's
 * extension (.csv; .ndjson or .jsonl).
 * @return 0, or -1 with @a err
 */
int config_import_format(struct config *cfg, char *err, size_t err_size);

#endif
