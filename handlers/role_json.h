/**
 * @file handlers/role_json.h
 * @brief The JSON shape of a role and of its evidence, shared by the
 *        handlers that return roles.
 */
#ifndef TECHPAY_HANDLERS_ROLE_JSON_H
#define TECHPAY_HANDLERS_ROLE_JSON_H

#include <jansson.h>

#include "db/roles.h"

/** @return new reference: slug, title, category, summary, pay (null when unknown); NULL when out of memory */
json_t *role_json_summary(const struct role_row *row);

/** @return new reference: {id, slug, title, section}; NULL when out of memory */
json_t *source_json(const struct source_ref *src);

#endif
