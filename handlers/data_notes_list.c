/**
 * @file handlers/data_notes_list.c
 * @brief GET /data-notes?source=&defect=: every defect found in the source
 *        documents and what the data set does about it.
 */
#include "handlers/handlers.h"

#include "db/catalog.h"
#include "handlers/app.h"
#include "handlers/role_json.h"
#include "handlers/validate.h"
#include "http/params.h"

static int
append_note(void *cls, const struct data_note_row *row)
{
  json_t *item = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}",
                           "id", (json_int_t) row->id,
                           "defect", json_string_lossy(row->defect),
                           "found", json_string_lossy(row->found),
                           "action", json_string_lossy(row->action),
                           "section", json_string_lossy(row->source.section),
                           "source", source_json(&row->source));

  return json_array_append_new(cls, item);
}

int
h_data_notes_list(const struct request *req, struct reply *rep)
{
  int64_t source_id;
  int defect;
  enum db_status status;
  json_t *data;

  /* An unknown document id is a valid filter that matches nothing. */
  if (0 != params_uint(req, "source", 0, 1, VALIDATE_SOURCE_ID_MAX, &source_id, rep)
      || 0 != params_choice(req, "defect", db_defect_kinds, -1, &defect, rep))
    return 0;
  data = json_array();
  if (NULL == data)
    return -1;
  /* a snapshot, so that the query gets its time budget (db_read_begin) */
  status = db_read_begin(req_db(req));
  if (DB_ONE == status) {
    status = db_data_notes_list(req_db(req), source_id > 0, source_id,
                                defect < 0 ? NULL : db_defect_kinds[defect], append_note, data);
    db_read_end(req_db(req));
  }
  return reply_list(rep, status, data);
}
