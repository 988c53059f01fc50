#!/usr/bin/env python3
"""scripts/cluster_cases.py - the cases of scripts/cluster-test.sh, which
sets up the PostgreSQL primary and its synchronous standby and passes them
in CLUSTER_* variables. Run it through that script.

Usage: scripts/cluster_cases.py TECHPAYD

Three techpayd (pg1, pg2, pg3) on one multi-host conninfo, one on a SQLite
file (sqlite), each on 127.0.0.1 and a free port. The cases, in order (the
first needs the seed data untouched, the last ends the primary):

1. parity: every GET of tests/check_pg_parity.c's list and every GET
   example of GET /api (the OpenAPI document's examples), as JSON, CSV
   and gzip, gives the same status, bytes and ETag from every replica and
   from SQLite, on the seed data and after the same writes were made
   through pg1 and through SQLite.
2. visibility: writes through a random replica; the writer answers the new
   data at once, the two others (a cached URL) within how long: p50, p99,
   max. Fails only when one has not caught up after 5 s.
3. 60 concurrent individual reports for one role over the three replicas:
   its pay is the median of all its individual base reports.
4. One Idempotency-Key on two replicas at once: one import, the other
   answer is its replay or a 409.
5. kill -9 of a replica while it imports 200,000 rows: none of them stay;
   the replica starts again and serves.
6. failover: writes in a loop through every replica, the primary stopped
   (immediate), the standby promoted: writes resume without restarting
   techpayd, no 500, and every write answered 2xx is on the new primary.

Prints each case's result and figures. Exit status 0 when all pass, 1 otherwise.
"""
import os
import random
import re
import sys
import time

import cluster_faults
import cluster_lib as lib
from cluster_lib import Failure
import cluster_writes

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = ({}, {"Accept": "text/csv"}, {"Accept-Encoding": "gzip"})
# not data: counters and build facts that differ per process by design
NOT_COMPARED = ("/metrics", "/audit")


def documented_gets(api_index):
    """tests/check_pg_parity.c's URL list, then every GET example of /api."""
    with open(os.path.join(ROOT, "tests", "check_pg_parity.c")) as f:
        text = f.read()
    block = re.search(r"static const char \*const urls\[\] = \{(.*?)\};", text, re.S).group(1)
    urls = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    for entry in api_index["endpoints"]:
        example = entry.get("example")
        if entry["method"] == "GET" and example and not example.startswith(NOT_COMPARED):
            if example not in urls:
                urls.append(example)
    return urls


def same_everywhere(clients, reference, url, headers):
    """None when every client answers @url as @reference does, else what differs."""
    want = reference.get(url, headers)
    for name, c in clients.items():
        got = c.get(url, headers)
        if (got.status, got.body, got.header("etag")) != (want.status, want.body,
                                                          want.header("etag")):
            return (f"{name} {got.status} {got.header('etag')} {got.body[:160]!r} / sqlite "
                    f"{want.status} {want.header('etag')} {want.body[:160]!r}")
    return None


def compare_all(clients, reference, urls):
    """Every URL and variant the same on every replica as on SQLite; a
    replica still behind the last write gets up to 5 s to catch up."""
    compared = 0
    for url in urls:
        for headers in VARIANTS:
            end = time.monotonic() + 5
            diff = same_everywhere(clients, reference, url, headers)
            while diff and time.monotonic() < end:
                time.sleep(0.05)
                diff = same_everywhere(clients, reference, url, headers)
            if diff:
                raise Failure(f"GET {url} {headers}: {diff}")
            compared += 1
    return compared


def case_parity(pg, sqlite):
    clients = {r.name: lib.Client(r.port) for r in pg}
    reference = lib.Client(sqlite.port)
    urls = documented_gets(reference.get("/api").json())
    n = compare_all(clients, reference, urls)
    writes = cluster_writes.apply_both(pg[0].port, sqlite.port)
    n += compare_all(clients, reference, urls + cluster_writes.WRITTEN_URLS)
    for c in list(clients.values()) + [reference]:
        c.close()  # an idle keep-alive connection would hold up the stop
    return (f"{len(urls)} documented GETs (tests/check_pg_parity.c's list and GET /api's "
            f"examples) x {len(VARIANTS)} variants: {n} answers with the same status, bytes "
            f"and ETag on pg1, pg2, pg3 and sqlite, on the seed data and after {writes} "
            f"writes through pg1 and sqlite")


def main():
    binary = sys.argv[1]
    cluster = lib.Cluster()
    work = cluster.work_dir
    pg = [lib.Replica(f"pg{i}", binary, cluster.conninfo(), work) for i in (1, 2, 3)]
    sqlite = lib.Replica("sqlite", binary, os.path.join(work, "techpay.db"), work)
    cases = [
        ("1 parity", lambda: case_parity(pg, sqlite)),
        ("2 visibility", lambda: cluster_writes.case_visibility(pg)),
        ("3 concurrent reports", lambda: cluster_writes.case_concurrent_reports(pg)),
        ("4 idempotency", lambda: cluster_writes.case_idempotency(pg)),
        ("5 kill -9 mid-import", lambda: cluster_faults.case_kill_mid_import(pg, cluster)),
        ("6 failover", lambda: cluster_faults.case_failover(pg, cluster)),
    ]
    only = os.environ.get("CLUSTER_CASES")  # e.g. "1,6" while working on a case
    if only:
        cases = [c for c in cases if c[0].split()[0] in only.split(",")]
    failed = 0
    t_start = time.monotonic()
    try:
        for r in pg + [sqlite]:
            r.start()
        print(f"cluster: pg1, pg2, pg3 and sqlite answer /healthz after "
              f"{time.monotonic() - t_start:.1f} s", flush=True)
        for name, run in cases:
            t0 = time.monotonic()
            try:
                figures = run()
                print(f"{name}: PASS ({time.monotonic() - t0:.1f} s): {figures}", flush=True)
            except Exception as e:  # a case that breaks fails; the next ones still run
                why = e if isinstance(e, Failure) else f"{type(e).__name__}: {e}"
                failed += 1
                print(f"{name}: FAIL ({time.monotonic() - t0:.1f} s): {why}", flush=True)
    finally:
        t_stop = time.monotonic()
        for r in pg + [sqlite]:
            r.terminate()
        for r in pg + [sqlite]:
            r.stop()
        print(f"cluster: stopped in {time.monotonic() - t_stop:.1f} s")
    print(f"cluster: {len(cases) - failed} of {len(cases)} cases passed")
    return 1 if failed else 0


if __name__ == "__main__":
    random.seed(int(os.environ.get("CLUSTER_SEED", "1")))
    sys.exit(main())
