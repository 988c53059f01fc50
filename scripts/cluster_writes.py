"""scripts/cluster_writes.py - the write cases of scripts/cluster_cases.py:
the writes the parity case applies to both engines, how soon a write is
seen by every replica, concurrent reports, and one Idempotency-Key on two
replicas at once.
"""
import json
import os
import random
import threading
import time

import cluster_lib as lib
from cluster_lib import Failure

# Writes through every kind of write route, one refused; sent to one
# replica and to SQLite, they must be answered alike.
PARITY_WRITES = [
    ("POST", "/roles", {"slug": "quantum-engineer", "title": "Quantum Engineer",
                        "category": "Research", "summary": "Builds quantum control software."}),
    ("POST", "/roles", {"slug": "quantum-engineer", "title": "Again", "category": "R",
                        "summary": "S"}),
    ("PATCH", "/roles/quantum-engineer", {"title": "Quantum Engineer II"}),
    ("POST", "/skills", {"slug": "zig", "name": "Zig"}),
    ("PUT", "/roles/quantum-engineer/skills/zig", {}),
    ("PATCH", "/skills/python", {"demand_rank": 2}),
    ("DELETE", "/roles/quantum-engineer/skills/zig", None),
] + [
    ("POST", "/salaries", {"role": "quantum-engineer", "amount": a, "kind": "base",
                           "statistic": "individual", "year": 2025})
    for a in (150000, 161000, 152500, 149999, 170001, 155555)
] + [("DELETE", "/salaries/9", None)]
PARITY_IMPORT = ("amount,kind,statistic,role,note\n"
                 "123456,base,median,devops-engineer,cluster parity\n"
                 "234567,total,p75,quantum-engineer,\"a, quoted \"\"note\"\"\"\n")
WRITTEN_URLS = ["/roles/quantum-engineer", "/skills/zig", "/salaries?role=quantum-engineer",
                "/salaries/8", "/salaries/9", "/salaries?role=devops-engineer&limit=100"]


def apply_both(pg_port, sqlite_port):
    """Every parity write to both servers: the same status and body."""
    sends = [(m, p, None if b is None else json.dumps(b), lib.JSON_WRITE)
             for m, p, b in PARITY_WRITES]
    sends.append(("POST", "/import", PARITY_IMPORT,
                  dict(lib.AUTH, **{"Content-Type": "text/csv",
                                    "Idempotency-Key": "cluster-parity-1"})))
    for method, path, body, headers in sends:
        a = lib.once(pg_port, method, path, body, headers)
        b = lib.once(sqlite_port, method, path, body, headers)
        if (a.status, a.body) != (b.status, b.body):
            raise Failure(f"{method} {path}: pg1 {a.status} {a.body[:200]!r}, "
                          f"sqlite {b.status} {b.body[:200]!r}")
        if a.status >= 500:
            raise Failure(f"{method} {path}: {a.status} on both")
    return len(sends)


def _poll_until(client, url, needle, t0, out, key, deadline):
    end = t0 + deadline
    while time.monotonic() < end:
        if needle in client.get(url).body:
            out[key] = time.monotonic() - t0
            return
    out[key] = None


def case_visibility(pg, rounds=200):
    """After each 2xx, how long until the other replicas answer the change."""
    slug = "devops-engineer"
    url = f"/roles/{slug}"
    readers = {r.name: lib.Client(r.port) for r in pg}
    pollers = {r.name: lib.Client(r.port) for r in pg}
    lags = []
    rng = random.Random(2)
    for i in range(rounds):
        needle = f"Visibility round {i}.".encode()
        for c in readers.values():
            c.get(url)  # the answer before the write, now cached
        writer = rng.choice(pg)
        r = lib.once(writer.port, "PATCH", url,
                     json.dumps({"summary": needle.decode()}), lib.JSON_WRITE)
        t0 = time.monotonic()
        if r.status != 200:
            raise Failure(f"round {i}: PATCH through {writer.name} answered {r.status} {r.body!r}")
        seen = {}
        threads = [threading.Thread(target=_poll_until,
                                    args=(pollers[o.name], url, needle, t0, seen, o.name, 5.0))
                   for o in pg if o is not writer]
        for t in threads:
            t.start()
        first = readers[writer.name].get(url)
        for t in threads:
            t.join()
        if needle not in first.body:
            raise Failure(f"round {i}: {writer.name} answered its own write's old data "
                          "on the first request after the 2xx")
        for name, lag in seen.items():
            if lag is None:
                raise Failure(f"round {i}: {name} never showed the write of {writer.name} "
                              "within 5 s")
            lags.append(lag * 1000)
    for c in list(readers.values()) + list(pollers.values()):
        c.close()
    lags.sort()
    p99 = lib.percentile(lags, 99)
    return (f"{rounds} writes (PATCH {url} through a random replica), {len(lags)} lags of a "
            f"cached GET {url} on the two others: p50 {lib.percentile(lags, 50):.1f} ms, "
            f"p99 {p99:.1f} ms, max {lags[-1]:.1f} ms; the writer showed each write on its "
            f"first request; p99 <= 100 ms: {'yes' if p99 <= 100 else 'NO'} (load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


def individual_base_reports(port, role):
    """(id, amount) of every individual base report of @role."""
    amounts = []
    offset = 0
    while True:
        page = lib.once(port, "GET", f"/salaries?role={role}&kind=base&statistic=individual"
                                     f"&limit=500&offset={offset}").json()
        amounts += [(s["id"], s["amount"]) for s in page["data"]]
        offset += len(page["data"])
        if not page["data"] or offset >= page["meta"]["total"]:
            return amounts


def case_concurrent_reports(pg, n=60):
    """n individual base reports for one role at once over three replicas."""
    role = "quantum-software-developer"
    rng = random.Random(3)
    amounts = [rng.randrange(90000, 260000) for _ in range(n)]
    # an odd sum of the two middle reports: their mean ends in .5, which
    # the pay rule rounds up
    middle = sorted(range(n), key=amounts.__getitem__)[n // 2 - 1:n // 2 + 1]
    if sum(amounts[i] for i in middle) % 2 == 0:
        amounts[middle[1]] += 1
    start = threading.Barrier(n)
    answers = [None] * n

    def send(i):
        body = json.dumps({"role": role, "amount": amounts[i], "kind": "base",
                           "statistic": "individual", "year": 2025})
        start.wait()
        answers[i] = lib.once(pg[i % 3].port, "POST", "/salaries", body, lib.JSON_WRITE)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bad = [(pg[i % 3].name, a.status, a.body[:120]) for i, a in enumerate(answers)
           if a.status != 201]
    if bad:
        raise Failure(f"{len(bad)} of {n} reports not answered 201: {bad[:3]}")
    stored = dict(individual_base_reports(pg[0].port, role))
    for i, a in enumerate(answers):
        new_id = int(a.header("location").rsplit("/", 1)[1])
        if stored.get(new_id) != amounts[i]:
            raise Failure(f"report {new_id} ({amounts[i]}) answered 201 but is not listed")
    want = lib.median_half_up(list(stored.values()))
    v = sorted(stored.values())
    half = len(v) % 2 == 0 and (v[len(v) // 2 - 1] + v[len(v) // 2]) % 2 == 1
    for r in pg:
        lib.await_true(f"{r.name}: pay of {role} is the median {want} of {len(stored)} reports",
                       lambda: lib.once(r.port, "GET", f"/roles/{role}").json()["data"]["pay"]
                       == want)
    rounding = " (the mean of the two middle ones, rounded up from .5)" if half else ""
    return (f"{n} concurrent POST /salaries for {role} over 3 replicas, all 201; its pay on "
            f"every replica is {want}, the median of its {len(stored)} individual base "
            f"reports computed here{rounding}")


def case_idempotency(pg):
    """One key, one body, two replicas at the same moment."""
    role = "edge-computing-architect"
    body = "".join(f"{150000 + i},base,average,{role},cluster idempotency {i}\n"
                   for i in range(3))
    body = "amount,kind,statistic,role,note\n" + body
    headers = dict(lib.AUTH, **{"Content-Type": "text/csv",
                                "Idempotency-Key": f"cluster-idem-{time.time_ns()}"})
    before = lib.once(pg[2].port, "GET", f"/salaries?role={role}").json()["meta"]["total"]
    start = threading.Barrier(2)
    answers = [None, None]

    def send(i):
        start.wait()
        answers[i] = lib.once(pg[i].port, "POST", "/import", body, headers)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fresh = [a for a in answers if a.status == 201 and a.header("idempotent-replayed") is None]
    others = [a for a in answers if a not in fresh]
    seen = " and ".join(f"{a.status}{' (replayed)' if a.header('idempotent-replayed') else ''}"
                        for a in answers)
    if len(fresh) != 1:
        raise Failure(f"answers {seen}: not exactly one import")
    other = others[0]
    replay = other.status == 201 and other.header("idempotent-replayed") == "true" \
        and other.body == fresh[0].body
    if not replay and other.status != 409:
        raise Failure(f"answers {seen}: the second is neither the replay nor 409: "
                      f"{other.body[:200]!r}")
    for r in pg:
        lib.await_true(f"{r.name}: {role} has exactly 3 more reports",
                       lambda: lib.once(r.port, "GET", f"/salaries?role={role}")
                       .json()["meta"]["total"] == before + 3)
    return f"answers {seen}; {role} has 3 more reports on every replica (one import)"
