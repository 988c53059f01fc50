#!/usr/bin/env python3
"""bench/stall.py - whether expensive requests or a long import can stall
the others: the latency an honest client sees while clients loop the most
expensive reads the API allows, and while a long import runs.

Usage: bench/stall.py TECHPAYD [SECONDS] [ROWS]

  TECHPAYD  the binary, e.g. build-test/techpayd
  SECONDS   how long each phase runs                                  [10]
  ROWS      generated salary reports in the database (bench/gen-salaries.sh,
            generated data for this test only)                    [200000]

A fresh database in a temporary directory gets the seed data and ROWS
generated reports (techpayd import), then techpayd serves it on 127.0.0.1
and a free port with its default threads and --access-log off, and is
stopped (SIGTERM, by its PID) at the end.

Phase 1, expensive reads: 8 processes, each with a keep-alive connection,
loop the most expensive reads the API allows, every one with a value that
varies so that no two are answered from the cache (deep offsets, filters
on every column, searches, rankings by total pay, comparisons). An honest
client (this process, its own connection) loops GET /roles/{slug} over the
seed roles one after another. Target: its p50 under 5 ms, p99 under 50 ms.

Phase 2, a long import: one POST /import of ROWS more reports over HTTP,
and a writer that keeps sending POST /salaries, each of which waits for
SQLite's write lock while the import holds it, while the honest client
reads, on a connection of its own, a role (cached) and a filtered ranking
never asked before (uncached), in turns. Target: every read answered in
under 50 ms; the import answers 201.

Only loopback traffic, bounded by SECONDS; it stops by itself. Prints each
figure with its target and "met" or "missed". Exit status: 0 when every
target is met, 1 when one is missed or the run could not be set up.
"""
import http.client
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

TOKEN = "bench-stall-token-0123456789abcdef"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ATTACKERS = 8


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def expensive_target(rng, slugs):
    """One of the most expensive reads the API allows, never the same twice."""
    n = rng.randrange(1, 100000)
    shapes = [
        f"/salaries?offset={rng.randrange(9000, 10001)}&limit=500",
        f"/salaries?order=asc&offset={rng.randrange(5000, 10001)}&limit=500&min={n}",
        f"/salaries?kind=base&statistic=individual&min={n}&max={n + 50000}&limit=500",
        f"/salaries?role={rng.choice(slugs)}&order=asc&min={n}&limit=500",
        f"/salaries?source=1&kind=total&min={n}&limit=500",
        f"/roles?sort=total_pay&min_pay={n}&limit=500",
        f"/roles?q={rng.choice('abcdefghilmnoprstu')}&sort=pay&order=asc&min_pay={n}",
        f"/roles?sort=title&order=desc&max_pay={n + 100000}&offset=1",
        f"/compare?roles={','.join(rng.sample(slugs, 5))}",
        f"/skills?limit={rng.randrange(1, 100)}",
        f"/skills?sort=premium&offset={rng.randrange(0, 40)}",
        f"/transitions?from={rng.choice(slugs)}&to={rng.choice(slugs)}",
    ]
    return rng.choice(shapes)


def attacker(port, slugs, seconds, seed, counts):
    # Reading 500-row answers in Python costs this machine's CPU too: the
    # load generators yield it to the server and to the honest client.
    os.nice(19)
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    end = time.monotonic() + seconds
    done = 0
    while time.monotonic() < end:
        try:
            conn.request("GET", expensive_target(rng, slugs))
            resp = conn.getresponse()
            resp.read()
            if resp.status >= 500:
                counts["5xx"] += 1
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done += 1
    counts["requests"] += done


def timed_get(conn, target):
    start = time.perf_counter()
    conn.request("GET", target)
    resp = conn.getresponse()
    resp.read()
    return (time.perf_counter() - start) * 1000, resp.status


def percentile(values, p):
    values = sorted(values)
    return values[max(0, min(len(values) - 1, int(round(p / 100 * len(values))) - 1))]


def report(name, value, target, unit="ms"):
    met = value < target
    print(f"stall: {name}: {value:.2f} {unit} (target under {target} {unit}): "
          f"{'met' if met else 'missed'}")
    return met


def phase_expensive(port, slugs, seconds):
    manager = multiprocessing.Manager()
    counts = manager.dict({"requests": 0, "5xx": 0})
    procs = [multiprocessing.Process(target=attacker, args=(port, slugs, seconds, i, counts))
             for i in range(ATTACKERS)]
    for p in procs:
        p.start()
    time.sleep(0.5)  # the expensive load is on before the first measurement
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    lat = []
    end = time.monotonic() + seconds - 1
    i = 0
    while time.monotonic() < end:
        ms, status = timed_get(conn, f"/roles/{slugs[i % len(slugs)]}")
        if status != 200:
            print(f"stall: honest GET /roles/{slugs[i % len(slugs)]} answered {status}")
            return False
        lat.append(ms)
        i += 1
    for p in procs:
        p.join()
    print(f"stall: {ATTACKERS} clients sent {counts['requests']} expensive reads "
          f"({counts['5xx']} answered 5xx); the honest client {len(lat)} reads, "
          f"max {max(lat):.1f} ms")
    ok = report("honest client p50 under expensive reads", statistics.median(lat), 5)
    ok = report("honest client p99 under expensive reads", percentile(lat, 99), 50) and ok
    return ok and counts["5xx"] == 0


def phase_import(port, csv_path, seconds):
    result = {}

    def run_import():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        with open(csv_path, "rb") as body:
            conn.request("POST", "/import", body=body, headers={
                "Authorization": f"Bearer {TOKEN}", "Content-Type": "text/csv",
                "Content-Length": str(os.path.getsize(csv_path))})
            resp = conn.getresponse()
            resp.read()
        result["status"] = resp.status

    def run_writes():
        # single writes queue for the lock behind the import (201, or 503 after the busy timeout)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = ('{"role":"cloud-architect","amount":180000,"currency":"USD","kind":"base",'
                '"statistic":"individual","year":2025,"source":{"id":1,"section":"Cloud Architect"}}')
        while t.is_alive():
            conn.request("POST", "/salaries", body=body, headers={
                "Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
            conn.getresponse().read()

    t = threading.Thread(target=run_import)
    t.start()
    w = threading.Thread(target=run_writes)
    time.sleep(0.1)
    w.start()
    time.sleep(0.3)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    lat = []
    end = time.monotonic() + seconds
    n = 0
    while t.is_alive() and time.monotonic() < end:
        target = "/roles/cloud-architect" if n % 2 else f"/roles?min_pay={1000 + n}&sort=pay"
        ms, status = timed_get(conn, target)
        if status != 200:
            print(f"stall: GET {target} during the import answered {status}")
            return False
        lat.append(ms)
        n += 1
        time.sleep(0.005)
    running = t.is_alive()
    t.join()
    w.join()
    print(f"stall: {len(lat)} reads during the import (still running at the end: {running}), "
          f"p50 {statistics.median(lat):.2f} ms; the import answered {result.get('status')}")
    ok = report("slowest read during a long import", max(lat), 50)
    return ok and result.get("status") == 201 and len(lat) > 20


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 200000
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "stall.db")
        csv_path = os.path.join(tmp, "salaries.csv")
        with open(csv_path, "wb") as out:
            subprocess.run([os.path.join(ROOT, "bench/gen-salaries.sh"), "-n", str(rows),
                            "-s", "11"], stdout=out, check=True)
        subprocess.run([binary, "import", csv_path, "--db", db, "--log-level", "warning"],
                       check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        env = dict(os.environ, TECHPAY_ADMIN_TOKEN=TOKEN)
        srv = subprocess.Popen([binary, "--db", db, "--bind", "127.0.0.1", "--port", str(port),
                                "--access-log", "off", "--log-level", "warning"], env=env)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/roles?limit=100&fields=slug")
            import json
            slugs = [r["slug"] for r in json.loads(conn.getresponse().read())["data"]]
            ok = phase_expensive(port, slugs, seconds)
            ok = phase_import(port, csv_path, seconds) and ok
        finally:
            srv.send_signal(signal.SIGTERM)
            srv.wait(timeout=60)
    print(f"stall: {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
