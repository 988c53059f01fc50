#!/usr/bin/env bash
# bench/instructions.sh - instructions per request of techpayd builds, counted
# by valgrind's callgrind: unlike requests/s, the count does not move with
# the machine's load, so two builds can be compared on a busy machine.
#
# Usage: [AB_PATH=/roles?sort=pay] bench/instructions.sh BIN...
#
# For each build: a fresh seeded database, one thread, N1 and then N2
# requests over one keep-alive connection in two runs; the difference of
# the two totals divided by N2 - N1 is the cost of one request, start-up
# and shutdown cancelled out. AB_PATH [/roles?sort=pay], AB_N1 [200],
# AB_N2 [2200]. AB_ENGINE=postgresql serves each run from a fresh database
# on a throwaway PostgreSQL (tests/pg_server.sh) instead of a SQLite file;
# only techpayd's own instructions are counted, not the PostgreSQL server's.
# A BIN named mhd_ceiling (bench/peers/mhd_ceiling.c, built by `ninja -C
# build-release bench/mhd_ceiling`) is the ceiling peer: it serves the body
# the techpayd before it in the list answered, so list a techpayd first.
# Needs valgrind, curl and python3.
set -euo pipefail

URL_PATH=${AB_PATH:-/roles?sort=pay}
[[ $# -ge 1 ]] || { sed -n '2,17p' "$0" >&2; exit 2; }
N1=${AB_N1:-200} N2=${AB_N2:-2200}
command -v valgrind >/dev/null || { echo "bench/instructions.sh: needs valgrind" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/techpay-instr.XXXXXX")
PID=""
ENGINE=${AB_ENGINE:-sqlite}
cleanup() {
  [[ -z $PID ]] || kill -TERM "$PID" 2>/dev/null || true
  [[ -z $PID ]] || wait "$PID" 2>/dev/null || true
  [[ $ENGINE != postgresql ]] || pg_server_stop
  rm -rf "$TMP"
}
trap cleanup EXIT
if [[ $ENGINE == postgresql ]]; then
  # shellcheck source=tests/pg_server.sh
  . "$(dirname "$0")/../tests/pg_server.sh"
  pg_server_start || exit $?
fi

fresh_db() { # -> a --db value for a new, empty database
  local name
  if [[ $ENGINE == postgresql ]]; then
    name=bench_$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
    pg_server_run "$PG_SERVER_BINDIR/psql" -q -d "$PG_SERVER_CONNINFO" \
      -c "CREATE DATABASE $name" >/dev/null
    pg_server_conninfo "$name"
  else
    rm -f "$TMP/t.db"*
    echo "$TMP/t.db"
  fi
}

count() { # BIN REQUESTS -> total instructions
  local bin=$1 n=$2 port out=$TMP/cg.out db
  # a free port, so that runs beside other servers do not meet each other
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  db=$(fresh_db)
  rm -f "$out"
  if [[ $(basename "$bin") == mhd_ceiling ]]; then
    [[ -s $TMP/body ]] || { echo "bench/instructions.sh: list a techpayd before $bin" >&2; exit 2; }
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" "$port" "$TMP/body" \
      "$(cat "$TMP/type")" >"$TMP/log" 2>&1 &
  else
    "$bin" migrate --db "$db" >/dev/null 2>&1 || true
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" --bind 127.0.0.1 \
      --port "$port" --db "$db" --threads 1 --access-log off >"$TMP/log" 2>&1 &
  fi
  PID=$!
  local up=0
  for _ in $(seq 300); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && { up=1; break; }
    sleep 0.1
  done
  if ((up == 0)); then
    echo "bench/instructions.sh: $bin did not start on $db; its log:" >&2
    cat "$TMP/log" >&2
    exit 1
  fi
  if [[ $(basename "$bin") != mhd_ceiling ]]; then
    curl -fsS -o "$TMP/body" -w '%{content_type}' "http://127.0.0.1:$port$URL_PATH" >"$TMP/type"
  fi
  python3 - "$port" "$URL_PATH" "$n" <<'PY'
import http.client, sys
port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
for _ in range(n):
    c.request("GET", path)
    r = c.getresponse()
    r.read()
    assert r.status == 200, r.status
PY
  kill -TERM "$PID"
  wait "$PID" || true
  PID=""
  awk '/^summary:|^totals:/ { print $2; exit }' "$out"
}

for bin in "$@"; do
  a=$(count "$bin" "$N1")
  b=$(count "$bin" "$N2")
  printf '%s (%s): GET %s: %d instructions per request (callgrind; %s at %d requests, %s at %d)\n' \
    "$bin" "$ENGINE" "$URL_PATH" "$(( (b - a) / (N2 - N1) ))" "$a" "$N1" "$b" "$N2"
done
