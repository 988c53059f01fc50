/**
 * @file db/role_write.h
 * @brief Creating, changing and deleting roles.
 *
 * Call these inside a write transaction (db_write_begin()); the caller
 * checks existence and conflicts first (db_role_id() in db/catalog.h),
 * which inside that transaction cannot race another writer.
 */
#ifndef TECHPAY_DB_ROLE_WRITE_H
#define TECHPAY_DB_ROLE_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

/* A role's own text; in a change, NULL keeps the stored value. */
struct role_fields {
  const char *slug; /* creation only: the identifier never changes */
  const char *title;
  const char *category;
  const char *summary;
};

/**
 * Inserts a role without pay (its observations bring that).
 * @param[out] id the new role's id
 */
enum db_status db_role_insert(struct db *db, const struct role_fields *f, int64_t *id);

/** Sets the given fields of role @a id. DB_ONE, or DB_NONE when there is no such role. */
enum db_status db_role_update(struct db *db, int64_t id, const struct role_fields *f);

/** How many salary observations are about role @a id. */
enum db_status db_role_salary_count(struct db *db, int64_t id, int64_t *count);

/**
 * Deletes role @a id with its skill links, mentions and industry ties (the
 * schema cascades those). Its salary observations block the delete unless
 * @a with_salaries: then they go first.
 * @return DB_ONE, DB_NONE when there is no such role, or an error (a
 *         foreign key failure when observations remain)
 */
enum db_status db_role_delete(struct db *db, int64_t id, bool with_salaries);

#endif
