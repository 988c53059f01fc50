"""The ranking a team would otherwise write: FastAPI + uvicorn over the same
SQLite file, answering GET /roles (sort=pay, skill=, min_pay=, limit=,
offset=) with the same JSON content as techpayd. bench/run.sh checks the
content equal before timing it.

Deliberately conventional: one query per request, no response cache, the
JSON built from rows by the framework. Run with Debian's python3:
    python3 bench/peers/ranking_fastapi.py --db FILE --port N
"""
import argparse
import sqlite3
import threading

from fastapi import FastAPI, HTTPException, Query
import uvicorn

app = FastAPI()
DB_PATH = None
_local = threading.local()

# The same rules as techpayd's ranking (db/role_query.c): every filter as a
# bound parameter, rank by pay among the matching roles, missing pay last
# and ordered by title, the slug breaking ties; total_pay is the highest
# total-compensation figure stated for the role.
RANKING = """
WITH m AS (
  SELECT r.id, r.slug, r.title, r.category, r.summary, r.pay_usd, r.pay_basis,
         t.amount_usd AS total_pay, t.bound AS total_bound, t.scope AS total_scope
  FROM roles r
  LEFT JOIN salaries t ON t.id = (SELECT id FROM salaries WHERE role_id = r.id
      AND kind = 'total' ORDER BY amount_usd DESC, id LIMIT 1)
  WHERE (:skill IS NULL OR EXISTS (SELECT 1 FROM role_skills rs JOIN skills k
      ON k.id = rs.skill_id WHERE rs.role_id = r.id AND k.slug = :skill))
    AND (:min_pay IS NULL OR r.pay_usd >= :min_pay)
)
SELECT slug, title, category, summary, pay_usd, pay_basis, total_pay, total_bound,
       total_scope,
       CASE WHEN pay_usd IS NULL THEN NULL
            ELSE RANK() OVER (ORDER BY pay_usd IS NULL, pay_usd DESC) END AS pay_rank,
       count(*) OVER () AS total
FROM m
ORDER BY pay_usd IS NULL, coalesce(pay_usd, 0) DESC,
         (CASE WHEN pay_usd IS NULL THEN title ELSE '' END) COLLATE NOCASE, slug
LIMIT :limit OFFSET :offset
"""


def db():
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(f"file:{DB_PATH}?mode=ro", uri=True, check_same_thread=False)
        _local.conn = conn
    return conn


@app.get("/roles")
def roles(sort: str = "pay", skill: str | None = None, min_pay: int | None = None,
          limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)):
    if sort != "pay":
        raise HTTPException(400, "only sort=pay")
    rows = db().execute(RANKING, {"skill": skill, "min_pay": min_pay,
                                  "limit": limit, "offset": offset}).fetchall()
    total = rows[0][10] if rows else 0
    data = [{
        "rank": r[9], "slug": r[0], "title": r[1], "category": r[2], "summary": r[3],
        "pay": r[4], "pay_basis": r[5],
        "total_pay": None if r[6] is None else
        {"amount": r[6], "bound": r[7], "scope": r[8]},
    } for r in rows]
    return {"data": data, "meta": {"total": total, "limit": limit, "offset": offset,
                                   "sort": "pay", "order": "desc", "next_cursor": None}}


@app.get("/healthz")
def healthz():
    db().execute("SELECT 1").fetchone()
    return {"status": "ok"}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args()
    DB_PATH = args.db
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
