/**
 * @file db/skill_write.h
 * @brief Creating and changing skills, and linking skills to the roles
 *        that need them.
 *
 * Call these inside a write transaction (db_write_begin()); the caller
 * checks existence and conflicts first, which inside that transaction
 * cannot race another writer.
 */
#ifndef TECHPAY_DB_SKILL_WRITE_H
#define TECHPAY_DB_SKILL_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/** The id of the skill @a slug: DB_ONE, or DB_NONE when there is none. */
enum db_status db_skill_id(struct db *db, const char *slug, int64_t *skill_id);

/**
 * Which skill other than @a except_id holds demand rank @a rank (ranks are
 * unique).
 * @param[out] slug that skill's slug, cut to @a size - 1 bytes
 * @return DB_ONE when one does, DB_NONE when the rank is free, or an error
 */
enum db_status db_skill_rank_holder(struct db *db, int64_t rank, int64_t except_id,
                                    char *slug, size_t size);

/* A skill's fields; in a change, name NULL keeps the stored name. */
struct skill_fields {
  const char *slug;     /* creation only: the identifier never changes */
  const char *name;
  bool set_rank;        /* a change: false keeps the rank */
  bool has_rank;        /* false: no rank (NULL) */
  int64_t rank;
  int64_t source_id;    /* where the skill (creation) or its new rank comes from */
  const char *section;  /* that source's section */
};

/** @param[out] skill_id the new skill's id */
enum db_status db_skill_insert(struct db *db, const struct skill_fields *f, int64_t *skill_id);

/** DB_ONE, or DB_NONE when there is no skill @a skill_id. */
enum db_status db_skill_update(struct db *db, int64_t skill_id, const struct skill_fields *f);

/**
 * Records that role @a role_id needs skill @a skill_id, stated by
 * @a source_id / @a section. An existing link is kept as it is.
 * @param[out] created true when the link is new
 */
enum db_status db_role_skill_link(struct db *db, int64_t role_id, int64_t skill_id,
                                  int64_t source_id, const char *section, bool *created);

/** DB_ONE, or DB_NONE when the role does not need the skill. */
enum db_status db_role_skill_unlink(struct db *db, int64_t role_id, int64_t skill_id);

#endif
