/**
 * @file db/pg_conn.h
 * @brief Opening a PostgreSQL connection from what a user passes as --db,
 *        and saying which server it is without ever showing a password.
 *
 * A connection is named by a URL (postgresql://, postgres://) or a libpq
 * key=value string; the password comes from it, from PGPASSWORD or from a
 * PGPASSFILE, exactly as libpq takes them.
 */
#ifndef TECHPAY_DB_PG_CONN_H
#define TECHPAY_DB_PG_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

/**
 * True when @a spec names a PostgreSQL database: a postgresql:// or
 * postgres:// URL, or a libpq key=value string (its first word is a
 * keyword libpq knows, followed by '='). Anything else is a SQLite path.
 */
bool pg_conn_is_postgresql(const char *spec);

/**
 * Writes @a spec with its password removed, for logs and messages: the
 * user info of a URL keeps the user, a password= parameter or keyword is
 * left out. A string libpq cannot parse is shown as "(unparsable
 * PostgreSQL connection string)" rather than risk echoing a secret.
 */
void pg_conn_redact(const char *spec, char *out, size_t out_size);

/**
 * Connects, with client_encoding UTF8 and notices kept off stderr.
 * @return the open connection (the caller owns it: PQfinish), or NULL
 *         with one line in @a err that names the server without its
 *         password
 */
PGconn *pg_conn_open(const char *spec, char *err, size_t err_size);

/** Seconds a connection attempt waits per host unless @a spec says otherwise. */
#define PG_CONN_TIMEOUT_S "5"

/**
 * pg_conn_open() with its application_name set to @a application_name
 * (NULL: "techpayd" unless @a spec names one), so that the server's
 * pg_stat_activity tells the connection apart.
 */
PGconn *pg_conn_open_as(const char *spec, const char *application_name, char *err,
                        size_t err_size);

/**
 * Copies libpq's message @a msg into @a out as one line: line breaks
 * become "; ", the trailing one goes, and any occurrence of the
 * connection's password (from @a spec or PGPASSWORD) becomes "***".
 */
void pg_conn_one_line(const char *msg, const char *spec, char *out, size_t out_size);

#endif
