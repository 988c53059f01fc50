"""scripts/cluster_lib.py - what scripts/cluster_cases.py is built from: an
HTTP client for 127.0.0.1, techpayd processes on free ports, the PostgreSQL
tools of the cluster, and percentiles. Python 3 standard library only.
"""
import http.client
import json
import os
import signal
import socket
import subprocess
import time

TOKEN = "cluster-test-token-0123456789abcdef"
AUTH = {"Authorization": "Bearer " + TOKEN}
JSON_WRITE = dict(AUTH, **{"Content-Type": "application/json"})


class Failure(Exception):
    """A case did not hold; the message says what was seen."""


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _exchange(conn, method, path, body, headers):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)


def once(port, method, path, body=None, headers=None, timeout=15):
    """One request on a connection of its own: a write is never sent twice."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        return _exchange(conn, method, path, body, headers)
    finally:
        conn.close()


class Client:
    """A keep-alive connection for reads; a GET is resent once on a new
    connection when the server had closed the old one."""

    def __init__(self, port, timeout=10):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def get(self, path, headers=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=self.timeout)
            try:
                r = _exchange(self.conn, "GET", path, None, headers)
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt:
                    raise
                continue
            if (r.header("connection") or "").lower() == "close":
                self.close()
            return r
        raise AssertionError("unreachable")


class Replica:
    """One techpayd on 127.0.0.1 and a free port; its PID is kept in
    WORK_DIR/pids while it runs, so that the shell's EXIT trap can stop it
    should this process die first."""

    live = {}

    def __init__(self, name, binary, db, work_dir):
        self.name = name
        self.binary = binary
        self.db = db
        self.work_dir = work_dir
        self.port = free_port()
        self.proc = None

    def start(self, deadline=30):
        log = open(os.path.join(self.work_dir, self.name + ".log"), "ab")
        env = dict(os.environ, TECHPAY_ADMIN_TOKEN=TOKEN)
        self.proc = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--db", self.db,
             "--access-log", "off"], env=env, stdout=log, stderr=log,
            stdin=subprocess.DEVNULL)
        log.close()
        Replica.live[self.proc.pid] = self
        self._save_pids()
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise Failure(f"{self.name} exited with {self.proc.returncode}: "
                              f"{self.log_tail()}")
            try:
                if once(self.port, "GET", "/healthz", timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise Failure(f"{self.name} did not answer /healthz within {deadline} s")

    def log_tail(self):
        with open(os.path.join(self.work_dir, self.name + ".log"), "rb") as f:
            return f.read()[-600:].decode(errors="replace")

    def _forget(self):
        Replica.live.pop(self.proc.pid, None)
        self._save_pids()

    def _save_pids(self):
        with open(os.path.join(self.work_dir, "pids"), "w") as f:
            f.write("".join(f"{pid}\n" for pid in Replica.live))

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self._forget()

    def terminate(self):
        """Asks it to stop (SIGTERM), without waiting; stop() waits."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._forget()


class Cluster:
    """The PostgreSQL side, as scripts/cluster-test.sh set it up."""

    def __init__(self):
        self.bindir = os.environ["CLUSTER_PG_BINDIR"]
        self.primary = os.environ["CLUSTER_PRIMARY_DIR"]
        self.standby = os.environ["CLUSTER_STANDBY_DIR"]
        self.port = int(os.environ["CLUSTER_PG_PORT"])
        self.work_dir = os.environ["CLUSTER_WORK_DIR"]

    def conninfo(self):
        """Both servers, the one that takes writes first."""
        return (f"host={self.primary},{self.standby} port={self.port},{self.port} "
                "user=postgres dbname=techpay target_session_attrs=read-write "
                "connect_timeout=2")

    def _as_owner(self, argv):
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--"] + argv
        return argv

    def pg_ctl(self, *args):
        argv = self._as_owner([os.path.join(self.bindir, "pg_ctl")] + list(args))
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)

    def stop_primary_now(self):
        self.pg_ctl("-D", os.path.join(self.primary, "data"), "-m", "immediate", "-w", "-s",
                    "stop")

    def promote_standby(self):
        self.pg_ctl("-D", os.path.join(self.standby, "data"), "-w", "-t", "60", "-s",
                    "promote")

    def query(self, host_dir, sql):
        """Rows of @sql on the server whose socket is in @host_dir, as lists of text."""
        out = subprocess.run(
            [os.path.join(self.bindir, "psql"), "-X", "-A", "-t", "-F", "\t",
             "-v", "ON_ERROR_STOP=1", "-d",
             f"host={host_dir} port={self.port} user=postgres dbname=techpay", "-c", sql],
            check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]


def percentile(sorted_values, p):
    """Nearest rank: the smallest value with at least p% of them at or below it."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def median_half_up(values):
    """The pay rule of the README: the middle report, or the mean of the two
    middle ones rounded half up."""
    v = sorted(values)
    n = len(v)
    if n % 2:
        return v[n // 2]
    return (v[n // 2 - 1] + v[n // 2] + 1) // 2


def await_true(what, check, deadline=5.0, pause=0.02):
    """Calls @check until it returns true; Failure naming @what after @deadline s."""
    end = time.monotonic() + deadline
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > end:
            raise Failure(f"{what}: not so after {deadline} s")
        time.sleep(pause)
