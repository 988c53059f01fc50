/**
 * @file db/stmt.h
 * @brief Every SQL statement the server runs, by name. The SQL text lives
 *        only in db/stmt.c; request values reach it only as bound parameters.
 */
#ifndef TECHPAY_DB_STMT_H
#define TECHPAY_DB_STMT_H

enum stmt_id {
  STMT_PING,
  STMT_DATA_VERSION,
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_ROLES_COUNT,
  /* One statement per ranking and direction: ORDER BY cannot be bound. */
  STMT_ROLES_BY_PAY_DESC,
  STMT_ROLES_BY_PAY_ASC,
  STMT_ROLES_BY_TITLE_ASC,
  STMT_ROLES_BY_TITLE_DESC,
  STMT_ROLE_BY_SLUG,
  STMT_ROLE_MENTIONS,
  STMT_ROLE_SALARIES,
  STMT_ROLE_SKILLS,
  STMT__COUNT
};

/** The SQL of @a id (static storage). */
const char *stmt_sql(enum stmt_id id);

/** A short name of @a id for log lines. */
const char *stmt_name(enum stmt_id id);

#endif
