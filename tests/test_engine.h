/**
 * @file tests/test_engine.h
 * @brief Which engine the scratch databases of a test program live on:
 *        SQLite files (the default), or, with
 *        TECHPAY_TEST_ENGINE=postgresql, databases on one throwaway
 *        PostgreSQL that the program starts once (tests/pg_server.c).
 *
 * On PostgreSQL each scratch database is a copy of a template that was
 * migrated once (CREATE DATABASE ... TEMPLATE), which costs a fraction of
 * migrating every database. The functions taking a spec work on the
 * database it names, whichever engine that is, so a test can read and
 * change its database without knowing the engine.
 */
#ifndef TECHPAY_TESTS_TEST_ENGINE_H
#define TECHPAY_TESTS_TEST_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <check.h>

/** Whether this program's scratch databases are PostgreSQL databases. */
bool test_engine_is_postgresql(void);
/** Whether TECHPAY_TEST_ENGINE is unset, empty, "sqlite" or "postgresql". */
bool test_engine_value_known(void);

/**
 * For run_suite(): checks TECHPAY_TEST_ENGINE and, for PostgreSQL,
 * starts the server and migrates the template. Exits with 77 and the
 * reason on stdout when PostgreSQL is not available here, with 1 and one
 * line on stderr when the value is unknown or the server fails.
 */
void test_engine_setup(const char *program);
/** Stops what test_engine_setup() started. */
void test_engine_teardown(void);

/** A fresh, migrated PostgreSQL database: its connection string in @a spec. */
void test_engine_pg_create(char *spec, size_t spec_size);
/** A fresh, empty PostgreSQL database (no migrations): @a spec as above. */
void test_engine_pg_create_empty(char *spec, size_t spec_size);
/** Drops the PostgreSQL database named by @a spec. */
void test_engine_pg_drop(const char *spec);
/** Runs @a sql (one or more statements) on the PostgreSQL database @a spec. */
void test_engine_pg_exec(const char *spec, const char *sql);
/** Runs @a sql on @a spec; @return 0, or -1 when the server refused it. */
int test_engine_pg_try_exec(const char *spec, const char *sql);
/** The first column of the first row of @a sql as a number; -1 when no row. */
long long test_engine_pg_scalar(const char *spec, const char *sql);
/** The first value of @a sql as a malloc'd string; NULL: no row, or NULL. */
char *test_engine_pg_text(const char *spec, const char *sql);
/** The first column of every row of @a sql, in a malloc'd array of *@a n. */
int64_t *test_engine_pg_ints(const char *spec, const char *sql, size_t *n);
/** Every row of every table of @a spec as text, in a malloc'd string. */
char *test_engine_pg_dump(const char *spec);

/**
 * Adds @a test to @a tc on SQLite only; on PostgreSQL prints that it is
 * skipped and @a why_sqlite_only, so it is neither run nor counted as
 * passed.
 */
void test_engine_add_sqlite_only(TCase *tc, const TTest *test, const char *why_sqlite_only);

#endif
