/**
 * @file model/field_error.c
 * @brief The list of problems shared by the write routes and the import.
 */
#include "model/field_error.h"

#include <string.h>

void
field_errors_clear(struct field_errors *e, size_t keep)
{
  e->count = 0;
  e->keep = keep < FIELD_ERRORS_MAX ? keep : FIELD_ERRORS_MAX;
  e->total = 0;
  e->bad_rows = 0;
}

struct field_error *
field_errors_next(struct field_errors *e)
{
  size_t keep = 0 != e->keep ? e->keep : FIELD_ERRORS_MAX;
  struct field_error *slot;

  e->total++;
  if (e->count >= keep)
    return NULL;
  slot = &e->items[e->count++];
  memset(slot, 0, sizeof *slot);
  return slot;
}
