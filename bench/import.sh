#!/usr/bin/env bash
# bench/import.sh - how fast a bulk import of salary observations runs,
# from the command line (techpayd import FILE) and over HTTP (POST /import),
# on SQLite and on PostgreSQL in the same run.
#
# Usage: bench/import.sh [ROWS] [--help]
#
#   ROWS   observations to generate and import                  [1000000]
#
# Generates a CSV file of ROWS rows with bench/gen-salaries.sh (seed 7) in a
# temporary directory, then, BENCH_RUNS times, each into a fresh, migrated
# database:
#   cli    techpayd import FILE
#   http   curl --data-binary @FILE -H 'Content-Type: text/csv' to POST /import
#          of a techpayd (pinned to BENCH_SERVER_CPU)
# first on a SQLite file (sqlite-cli, sqlite-http), then on a throwaway
# PostgreSQL (pg-cli, pg-http; tests/pg_server.sh: its own cluster on a unix
# socket, but with fsync, synchronous_commit and full_page_writes on, as a
# real server has them, and the other settings at their defaults). Prints
# each run and the median of each case: rows, seconds and rows/s. Without
# PostgreSQL's server binaries the PostgreSQL cases are left out (said on
# stderr). Targets for 1,000,000 rows: under 10 s on SQLite, 15 s on
# PostgreSQL.
#
# Environment (defaults in brackets):
#   BENCH_BUILD_DIR    meson build dir, relative to the repo   [build-release]
#   BENCH_PORT         port of the HTTP runs                   [18480]
#   BENCH_SERVER_CPU   CPU the server is pinned to             [0]
#   BENCH_RUNS         runs of each case                       [3]
#   BENCH_ENGINES      which engines                           [sqlite postgresql]
#
# Needs: meson, ninja, a C toolchain and the project's -dev packages, curl,
# taskset, awk; for PostgreSQL its server binaries (initdb, pg_ctl, psql).
# Exit status: 0 every import succeeded, 1 otherwise, 2 usage.
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
RUNS=${BENCH_RUNS:-3}
ENGINES=${BENCH_ENGINES:-sqlite postgresql}
TOKEN=bench-import-token-0123456789
TMP=$(mktemp -d)
SERVER_PID=
PG_STARTED=

cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_STARTED" ]; then
    pg_server_stop || true
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
# seconds of each run, one "case seconds" line each, for the medians
: > "$TMP/times"
report() { # case rows start end
  awk -v n="$1" -v r="$2" -v a="$3" -v b="$4" \
    'BEGIN { s = b - a; printf "%-12s %9d rows  %6.2f s  %9.0f rows/s\n", n, r, s, r / s }'
  awk -v n="$1" -v a="$3" -v b="$4" 'BEGIN { printf "%s %.3f\n", n, b - a }' >> "$TMP/times"
}

echo "import.sh: generating $ROWS rows" >&2
bench/gen-salaries.sh -n "$ROWS" -s 7 > "$TMP/salaries.csv"
echo "import.sh: $(du -h "$TMP/salaries.csv" | cut -f1) of CSV" >&2

# import_cli CASE DB: techpayd import into the migrated database DB
import_cli() {
  "$BIN" migrate --db "$2" --log-level warning
  local t0 t1
  t0=$(now)
  "$BIN" import "$TMP/salaries.csv" --db "$2" --log-level warning >"$TMP/cli.out"
  t1=$(now)
  cat "$TMP/cli.out" >&2
  report "$1" "$ROWS" "$t0" "$t1"
}

# import_http CASE DB: POST /import to a techpayd on one CPU serving DB
import_http() {
  "$BIN" migrate --db "$2" --log-level warning
  TECHPAY_ADMIN_TOKEN=$TOKEN taskset -c "$SERVER_CPU" "$BIN" --bind 127.0.0.1 --port "$PORT" \
    --db "$2" --threads 1 --access-log off >"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  local t0 t1 status
  t0=$(now)
  status=$(curl -s -o "$TMP/http.out" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/import" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' \
    --data-binary @"$TMP/salaries.csv")
  t1=$(now)
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  cat "$TMP/http.out" >&2
  echo >&2
  [ "$status" = 201 ] || { echo "import.sh: POST /import answered $status" >&2; exit 1; }
  report "$1" "$ROWS" "$t0" "$t1"
}

pg_ready=
case " $ENGINES " in
  *" postgresql "*)
    # shellcheck source=tests/pg_server.sh
    . tests/pg_server.sh
    if pg_server_start >"$TMP/pg.out"; then
      PG_STARTED=1
      # durable, as a real server: the test cluster turns these off
      "$PG_SERVER_BINDIR/psql" -X -q -d "$PG_SERVER_CONNINFO" \
        -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
        -c "ALTER SYSTEM SET full_page_writes = on" -c "SELECT pg_reload_conf()" >/dev/null
      pg_ready=1
    else
      echo "import.sh: PostgreSQL left out: $(cat "$TMP/pg.out")" >&2
    fi ;;
esac

for run in $(seq "$RUNS"); do
  case " $ENGINES " in
    *" sqlite "*)
      rm -f "$TMP"/cli.db* "$TMP"/http.db*
      import_cli sqlite-cli "$TMP/cli.db"
      import_http sqlite-http "$TMP/http.db" ;;
  esac
  if [ -n "$pg_ready" ]; then
    for c in cli http; do
      "$PG_SERVER_BINDIR/psql" -X -q -d "$PG_SERVER_CONNINFO" -c "CREATE DATABASE ${c}_$run"
    done
    import_cli pg-cli "$(pg_server_conninfo "cli_$run")"
    import_http pg-http "$(pg_server_conninfo "http_$run")"
    for c in cli http; do
      "$PG_SERVER_BINDIR/psql" -X -q -d "$PG_SERVER_CONNINFO" -c "DROP DATABASE ${c}_$run"
    done
  fi
done

echo "median of $RUNS:"
sort -k1,1 -k2,2n "$TMP/times" | awk -v rows="$ROWS" '
  { t[$1, ++n[$1]] = $2; if (n[$1] == 1) order[++k] = $1 }
  END { for (i = 1; i <= k; i++) { c = order[i]; m = t[c, int((n[c] + 1) / 2)]
          printf "%-12s %9d rows  %6.2f s  %9.0f rows/s\n", c, rows, m, rows / m } }'
