#!/usr/bin/env bash
# bench/ab.sh - two techpayd builds against each other on the same request,
# in the same run: the way to show that a change kept the hot path's speed.
# Each build serves its own freshly seeded database (same migrations, same
# bytes: checked), one thread, pinned to one CPU, wrk on the other; the
# builds take turns, round by round, so drifting machine load hits both.
#
# Usage: bench/ab.sh BEFORE_BIN AFTER_BIN [PATH_AND_QUERY]
#        (default path: /roles?sort=pay)
#
# Environment (defaults in brackets): AB_ROUNDS [5], AB_DURATION seconds [5],
# AB_WARMUP seconds [2], AB_CONNECTIONS [32], AB_PORT [18600],
# AB_SERVER_CPU [0], AB_CLIENT_CPU [1].
#
# Prints each round's requests/s and the ratio after/before of the medians.
# Needs wrk, curl and taskset.
set -euo pipefail

[[ $# -ge 2 ]] || { sed -n '2,16p' "$0" >&2; exit 2; }
BEFORE=$1 AFTER=$2 URL_PATH=${3:-/roles?sort=pay}
ROUNDS=${AB_ROUNDS:-5} DURATION=${AB_DURATION:-5} WARMUP=${AB_WARMUP:-2}
CONNS=${AB_CONNECTIONS:-32} PORT=${AB_PORT:-18600}
SERVER_CPU=${AB_SERVER_CPU:-0} CLIENT_CPU=${AB_CLIENT_CPU:-1}
for tool in wrk curl taskset; do
  command -v "$tool" >/dev/null || { echo "bench/ab.sh: needs $tool" >&2; exit 1; }
done
for bin in "$BEFORE" "$AFTER"; do
  [[ -x $bin ]] || { echo "bench/ab.sh: $bin is not an executable" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/techpay-ab.XXXXXX")
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

start() { # NAME BIN PORT
  taskset -c "$SERVER_CPU" "$2" --bind 127.0.0.1 --port "$3" --db "$TMP/$1.db" \
    --threads 1 --access-log off >"$TMP/$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$3/healthz" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench/ab.sh: $1 did not start; its log:" >&2
  cat "$TMP/$1.log" >&2
  exit 1
}

rps() { # URL SECONDS
  taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d"$2s" --timeout 2s "$1" \
    | awk '/^Requests\/sec/ { print $2 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

start before "$BEFORE" "$PORT"
start after "$AFTER" "$((PORT + 1))"
A="http://127.0.0.1:$PORT$URL_PATH" B="http://127.0.0.1:$((PORT + 1))$URL_PATH"
cmp -s <(curl -fsS "$A") <(curl -fsS "$B") \
  || { echo "bench/ab.sh: the two builds answer $URL_PATH with different bytes" >&2; exit 1; }
rps "$A" "$WARMUP" >/dev/null
rps "$B" "$WARMUP" >/dev/null
for ((r = 1; r <= ROUNDS; r++)); do
  a=$(rps "$A" "$DURATION")
  b=$(rps "$B" "$DURATION")
  echo "$a" >>"$TMP/a"
  echo "$b" >>"$TMP/b"
  printf 'round %d: before %s req/s, after %s req/s\n' "$r" "$a" "$b"
done
ma=$(median <"$TMP/a") mb=$(median <"$TMP/b")
printf 'GET %s, %d rounds of %d s, %d connections: median before %s, after %s req/s; after/before %.3f\n' \
  "$URL_PATH" "$ROUNDS" "$DURATION" "$CONNS" "$ma" "$mb" "$(echo "$mb / $ma" | bc -l)"
