"""scripts/cluster_faults.py - the fault cases of scripts/cluster_cases.py:
kill -9 of a replica in the middle of an import, and failover from the
primary to its synchronous standby while writes go on.
"""
import json
import os
import socket
import subprocess
import threading
import time

import cluster_lib as lib
from cluster_lib import Failure

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _totals(port):
    salaries = lib.once(port, "GET", "/salaries?limit=1").json()["meta"]["total"]
    sources = lib.once(port, "GET", "/sources").json()
    return salaries, len(sources["data"])


def _stored_counts(cluster):
    """(salaries, sources) as the primary holds them."""
    row = cluster.query(cluster.primary, "SELECT (SELECT count(*) FROM salaries),"
                                         " (SELECT count(*) FROM sources)")[0]
    return tuple(int(v) for v in row)


def _upload_part(port, path, fraction):
    """Sends the head and @fraction of @path as POST /import; the socket stays open."""
    size = os.path.getsize(path)
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall((f"POST /import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Authorization: Bearer {lib.TOKEN}\r\nContent-Type: text/csv\r\n"
               f"Content-Length: {size}\r\n\r\n").encode())
    sent = 0
    with open(path, "rb") as f:
        while sent < size * fraction:
            chunk = f.read(1 << 16)
            s.sendall(chunk)
            sent += len(chunk)
    return s, sent, size


def case_kill_mid_import(pg, cluster, rows=200000):
    """kill -9 of the importing replica: nothing of the import stays."""
    victim = pg[2]
    path = os.path.join(cluster.work_dir, "import.csv")
    t0 = time.monotonic()
    with open(path, "wb") as f:
        subprocess.run([os.path.join(ROOT, "bench", "gen-salaries.sh"), "-n", str(rows),
                        "-s", "5"], check=True, stdout=f)
    before_http = _totals(pg[0].port)
    before_db = _stored_counts(cluster)
    t_gen = time.monotonic() - t0
    s, sent, size = _upload_part(victim.port, path, 0.3)
    t_upload = time.monotonic() - t0 - t_gen
    time.sleep(0.3)
    s.setblocking(False)
    try:
        early = s.recv(200)
    except BlockingIOError:
        early = b""
    if early:
        raise Failure(f"the import was answered before the kill: {early[:120]!r}")
    open_tx = cluster.query(cluster.primary,
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = 'techpay'"
                            " AND backend_xid IS NOT NULL")[0][0]
    victim.kill9()
    t_kill = time.monotonic()
    s.close()
    # a write waits for the write lock the import held: it succeeds once
    # the server has rolled the dead connection's transaction back
    lib.await_true("a write through pg1 after the kill",
                   lambda: lib.once(pg[0].port, "PATCH", "/roles/devops-engineer",
                                    json.dumps({"summary": "After the kill."}),
                                    lib.JSON_WRITE).status == 200, deadline=30, pause=0.2)
    t_released = time.monotonic() - t_kill
    after_db = _stored_counts(cluster)
    if after_db != before_db:
        raise Failure(f"(salaries, sources) stored {before_db} before, {after_db} after the kill")
    for r in pg[:2]:
        lib.await_true(f"{r.name} answers the totals of before", lambda: _totals(r.port)
                       == before_http)
    victim.start()
    if _totals(victim.port) != before_http:
        raise Failure(f"{victim.name} restarted answers {_totals(victim.port)}, "
                      f"not {before_http}")
    return (f"killed {victim.name} after {sent >> 20} of {size >> 20} MiB of a {rows}-row CSV "
            f"import ({open_tx} writing transaction(s) open at the kill; generated in "
            f"{t_gen:.1f} s, {sent >> 20} MiB sent in {t_upload:.1f} s; the next write went "
            f"through {t_released:.2f} s after the kill); "
            f"(salaries, sources) {after_db} as before; {victim.name} restarted and serves")


class Writers:
    """One thread per replica sending POST /salaries in a loop, each report
    with a note of its own; every answer is kept."""

    def __init__(self, pg, role):
        self.pg = pg
        self.role = role
        self.stop = threading.Event()
        self.results = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(r,)) for r in pg]

    def _run(self, replica):
        seq = 0
        while not self.stop.is_set():
            seq += 1
            note = f"failover {replica.name} {seq}"
            body = json.dumps({"role": self.role, "amount": 100000 + seq, "kind": "base",
                               "statistic": "average", "note": note})
            t = time.monotonic()
            try:
                r = lib.once(replica.port, "POST", "/salaries", body, lib.JSON_WRITE)
                outcome = (r.status, r.header("location"), r.body[:160])
            except OSError as e:
                outcome = ("no answer", None, str(e).encode())
            with self.lock:
                self.results.append((t, replica.name, note) + outcome)
            if outcome[0] != 201:
                time.sleep(0.05)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()

    def resumed_since(self, t0):
        with self.lock:
            return {name for t, name, _, status, *_ in self.results if t >= t0 and status == 201}


def _check_answers(results):
    bad = [r for r in results if r[3] not in (201, 503)]
    if bad:
        t, name, note, status, _, body = bad[0]
        raise Failure(f"{len(bad)} write(s) answered neither 201 nor 503, first {name}: "
                      f"{status} {body!r}")
    return {note: int(loc.rsplit("/", 1)[1]) for _, _, note, status, loc, _ in results
            if status == 201}


def _await_listed(replica, url, total):
    """Waits until @replica answers @url with meta.total @total; a 503 on
    the way is counted (a connection found lost), any other error fails.
    @return the number of 503 answers"""
    last = []
    unavailable = []

    def listed():
        r = lib.once(replica.port, "GET", url)
        last[:] = [r.status, r.body[:200]]
        if r.status == 503:
            unavailable.append(r)
            return False
        if r.status != 200:
            raise Failure(f"{replica.name}: GET {url} answered {r.status} {r.body[:200]!r}")
        return r.json()["meta"]["total"] == total

    try:
        lib.await_true(f"{replica.name} lists {total} for {url}", listed)
    except Failure as e:
        raise Failure(f"{e}; last answer {last[0]} {last[1]!r}") from None
    return len(unavailable)


def case_failover(pg, cluster):
    role = "ai-safety-researcher"
    with Writers(pg, role) as w:
        time.sleep(1.5)
        t_stop = time.monotonic()
        cluster.stop_primary_now()
        time.sleep(0.5)
        cluster.promote_standby()
        t_promoted = time.monotonic()
        lib.await_true("writes answered 201 by every replica after the promotion",
                       lambda: len(w.resumed_since(t_promoted)) == len(pg), deadline=30,
                       pause=0.1)
        time.sleep(1)
    acked = _check_answers(w.results)
    stored = dict(cluster.query(cluster.standby,
                                "SELECT note, id FROM salaries WHERE note LIKE 'failover %'"))
    lost = [n for n, i in acked.items() if stored.get(n) != str(i)]
    if lost:
        raise Failure(f"{len(lost)} of {len(acked)} writes answered 201 are not on the new "
                      f"primary with their id, e.g. {lost[:3]}")
    total = int(cluster.query(cluster.standby, "SELECT count(*) FROM salaries s JOIN roles r"
                              f" ON r.id = s.role_id WHERE r.slug = '{role}'")[0][0])
    read_503 = sum(_await_listed(r, f"/salaries?role={role}&limit=1", total) for r in pg)
    n503 = sum(1 for x in w.results if x[3] == 503)
    resumed = [min(t for t, name, _, status, *_ in w.results
                   if name == r.name and t >= t_stop and status == 201) - t_stop for r in pg]
    return (f"{len(w.results)} writes, {len(acked)} answered 201, {n503} 503 and no other "
            f"status while the primary was stopped and the standby promoted "
            f"({t_promoted - t_stop:.2f} s); first 201 after the stop: "
            + ", ".join(f"{r.name} {s:.2f} s" for r, s in zip(pg, resumed))
            + f"; all {len(acked)} on the new primary, which holds {len(stored)} of them "
            f"({len(stored) - len(acked)} committed as the primary stopped, answered 503); every "
            f"replica lists the {total} reports of {role} ({read_503} read(s) answered 503 on "
            "the way)")
