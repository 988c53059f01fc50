/**
 * @file server/import_cli.h
 * @brief techpayd import FILE: the import of POST /import, from a file.
 */
#ifndef TECHPAY_SERVER_IMPORT_CLI_H
#define TECHPAY_SERVER_IMPORT_CLI_H

#include "server/config.h"

/**
 * Imports cfg->import_file into cfg->db_path (migrated already), with a
 * progress line on stderr when it is a terminal. Prints the outcome: the
 * rows and the source on stdout, or the bad rows on stderr.
 * @return the exit status: 0 imported (or a dry run passed), 1 otherwise
 */
int import_cli_run(const struct config *cfg);

#endif
