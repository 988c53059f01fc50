#!/usr/bin/env python3
"""bench/slow_clients.py - what slow clients cost techpayd, measured on the
server process alone: resident memory before, at its peak while and after
CONNECTIONS slowloris and slow-body connections are held, the latency
ordinary requests see meanwhile, and how long until the first of them is
answered.

Usage: bench/slow_clients.py TECHPAYD [CONNECTIONS] [SECONDS]

  TECHPAYD     the binary, e.g. build/techpayd
  CONNECTIONS  slow connections to hold                              [1000]
  SECONDS      how long they trickle while ordinary requests run      [15]

techpayd runs with its default limits (so after --request-timeout, 20 s,
the slowloris connections are closed; authorised slow bodies stay) on a
fresh database in a temporary
directory, on 127.0.0.1 and a free port, and is stopped (SIGTERM, by its
PID) at the end. Three in four slow connections trickle headers (a request
line, then one "X-a: b" header line after another, never the blank line),
one in four sends its headers whole, then a body that never reaches its
Content-Length; every one sends a byte every 0.5 s. They come from 127.0.0.2 and up, 60 per address (under
the default --max-connections-per-ip), so only the total limit applies.
Ordinary requests (GET /roles, one connection each) come from 127.0.0.1,
one after another, with a 10 s timeout; one that times out or is not a 200
counts as failed. Only loopback traffic; the run stops by itself.

Needs python3 (meson's own dependency). Exit status: 0 when every ordinary
request was answered, 1 otherwise or on a setup error.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

TOKEN = "bench-slow-clients-token-0123456789"
PER_ADDRESS = 60


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ordinary(port):
    """One GET /roles from 127.0.0.1: its latency in ms, or None on failure."""
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"GET /roles HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
    except OSError:
        return None
    return (time.monotonic() - start) * 1e3 if data.startswith(b"HTTP/1.1 200") else None


def open_slow(port, i):
    s = socket.socket()
    s.bind((f"127.0.{2 + i // PER_ADDRESS // 250}.{2 + i // PER_ADDRESS % 250}", 0))
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", port))
    if i % 4 == 3:  # headers at once, then the body a byte at a time
        head = ("POST /roles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN +
                "\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n")
        return [s, (head + " " * 100000).encode(), 0, len(head)]
    head, tail = "GET /roles HTTP/1.1\r\nHost: 127.0.0.1\r\n", "X-a: b\r\n"
    return [s, (head + tail * 100000).encode(), 0, 1]


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) > 1 else 1
    binary = os.path.abspath(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 15
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(port), "--db", tmp + "/t.db",
             "--access-log", "off", "--log-level", "error"],
            env={"TECHPAY_ADMIN_TOKEN": TOKEN, "PATH": os.environ.get("PATH", "")})
        try:
            return run(server, port, count, seconds)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def run(server, port, count, seconds):
    for _ in range(100):
        if ordinary(port) is not None:
            break
        time.sleep(0.1)
    else:
        print("slow_clients: techpayd did not answer", file=sys.stderr)
        return 1
    before = rss_kib(server.pid)
    slow = [open_slow(port, i) for i in range(count)]
    opened = time.monotonic()
    latencies, failed, end, next_tick = [], 0, opened + seconds, 0.0
    first_answer, peak = None, before
    while time.monotonic() < end:
        if time.monotonic() >= next_tick:
            for c in slow:
                try:
                    c[2] += c[0].send(c[1][c[2]:max(c[2] + 1, c[3])])
                except OSError:
                    pass
            peak = max(peak, rss_kib(server.pid))
            next_tick = time.monotonic() + 0.5
        ms = ordinary(port)
        if ms is None:
            failed += 1
        else:
            latencies.append(ms)
            if first_answer is None:
                first_answer = time.monotonic() - opened
    held = 0
    for c in slow:
        try:
            c[0].recv(1, socket.MSG_PEEK)  # an answer or the end: not held
        except BlockingIOError:
            held += 1
        except OSError:
            pass
        c[0].close()
    time.sleep(2)
    after = rss_kib(server.pid)
    latencies.sort()
    n = len(latencies)
    pct = (lambda p: latencies[min(n - 1, int(n * p))]) if n else (lambda p: float("nan"))
    print(f"slow connections: {count} opened, {held} still held after {seconds:g} s")
    print(f"ordinary requests: {n} answered 200, {failed} failed; latency ms "
          f"p50 {pct(0.5):.2f} p99 {pct(0.99):.2f} max {latencies[-1] if n else 0:.2f}; "
          f"first answered {first_answer or float('nan'):.1f} s after the slow ones opened")
    print(f"techpayd RSS KiB: before {before}, peak {peak}, after {after}"
          f" ({(peak - before) / count:.1f} KiB per slow connection)")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
