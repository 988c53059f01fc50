/**
 * @file db/source_write.h
 * @brief The source documents as the write routes need them: does one
 *        exist, and the source that stands for entries made through the
 *        write API (created on first use).
 *
 * Call these inside a write transaction (db_write_begin()).
 */
#ifndef TECHPAY_DB_SOURCE_WRITE_H
#define TECHPAY_DB_SOURCE_WRITE_H

#include <stdint.h>

#include "db/db.h"

/** The slug of the source that stands for entries made through the API. */
#define DB_API_SOURCE_SLUG "api-entries"
/** The section named by figures and skills entered through the API. */
#define DB_API_SECTION_ENTERED "Entered through the API"
/** The section named by role-skill links made through the API. */
#define DB_API_SECTION_LINKED "Linked through the API"

/** DB_ONE when source @a id exists, DB_NONE when not, or an error. */
enum db_status db_source_exists(struct db *db, int64_t id);

/**
 * The id of the API source, inserting it when this database has none yet
 * (so it is part of the caller's transaction, and rolled back with it).
 * @return DB_ONE with *id set, or an error
 */
enum db_status db_api_source(struct db *db, int64_t *id);

#endif
