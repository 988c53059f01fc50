#!/usr/bin/env bash
# bench/import.sh - how fast a bulk import of salary observations runs,
# from the command line (techpayd import FILE) and over HTTP (POST /import).
#
# Usage: bench/import.sh [ROWS] [--help]
#
#   ROWS   observations to generate and import                  [1000000]
#
# Generates a CSV file of ROWS rows with bench/gen-salaries.sh (seed 7) in a
# temporary directory, then:
#   cli    techpayd import FILE into a fresh, migrated database
#   http   curl --data-binary @FILE -H 'Content-Type: text/csv' to POST /import
#          of a techpayd (pinned to BENCH_SERVER_CPU) on another fresh database
# and prints rows, seconds and rows/s for both. The target is 1,000,000 rows
# in under 10 s.
#
# Environment (defaults in brackets):
#   BENCH_BUILD_DIR    meson build dir, relative to the repo   [build-release]
#   BENCH_PORT         port of the HTTP run                    [18480]
#   BENCH_SERVER_CPU   CPU the server is pinned to             [0]
#
# Needs: meson, ninja, a C toolchain and the project's -dev packages, curl,
# taskset, awk. Exit status: 0 both imports succeeded, 1 otherwise, 2 usage.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

ROWS=1000000
case ${1:-} in
  -h|--help) usage; exit 0 ;;
  '') ;;
  *[!0-9]*) echo "import.sh: ROWS must be a whole number (see --help)" >&2; exit 2 ;;
  *) ROWS=$1 ;;
esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BENCH_BUILD_DIR:-build-release}
PORT=${BENCH_PORT:-18480}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
TOKEN=bench-import-token-0123456789
TMP=$(mktemp -d)
SERVER_PID=

cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in meson ninja curl taskset awk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "import.sh: $tool is missing" >&2; exit 1; }
done

cd "$ROOT"
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" --buildtype=release -Dtests=false >/dev/null
fi
ninja -C "$BUILD_DIR" techpayd >/dev/null
BIN=$ROOT/$BUILD_DIR/techpayd

now() { date +%s.%N; }
report() { # name rows start end
  awk -v n="$1" -v r="$2" -v a="$3" -v b="$4" \
    'BEGIN { s = b - a; printf "%-5s %9d rows  %6.2f s  %9.0f rows/s\n", n, r, s, r / s }'
}

echo "import.sh: generating $ROWS rows" >&2
bench/gen-salaries.sh -n "$ROWS" -s 7 > "$TMP/salaries.csv"
echo "import.sh: $(du -h "$TMP/salaries.csv" | cut -f1) of CSV" >&2

# command line
"$BIN" migrate --db "$TMP/cli.db" --log-level warning
t0=$(now)
"$BIN" import "$TMP/salaries.csv" --db "$TMP/cli.db" --log-level warning >"$TMP/cli.out"
t1=$(now)
cat "$TMP/cli.out" >&2

# HTTP, against a server on one CPU
"$BIN" migrate --db "$TMP/http.db" --log-level warning
TECHPAY_ADMIN_TOKEN=$TOKEN taskset -c "$SERVER_CPU" "$BIN" --bind 127.0.0.1 --port "$PORT" \
  --db "$TMP/http.db" --threads 1 --access-log off >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
t2=$(now)
status=$(curl -s -o "$TMP/http.out" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/import" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' \
  --data-binary @"$TMP/salaries.csv")
t3=$(now)
cat "$TMP/http.out" >&2
echo >&2
[ "$status" = 201 ] || { echo "import.sh: POST /import answered $status" >&2; exit 1; }

report cli "$ROWS" "$t0" "$t1"
report http "$ROWS" "$t2" "$t3"
