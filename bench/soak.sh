#!/usr/bin/env bash
# bench/soak.sh - techpayd under a long mixed read load while a writer keeps
# importing, and the checks that nothing was lost, failed or leaked.
#
# Usage: bench/soak.sh [SECONDS] [--help]
#
#   SECONDS   how long the load runs, warm-up included            [300]
#
# For SECONDS, SOAK_CONNECTIONS keep-alive connections read from a fresh,
# seeded database: wrk cycles through bench/soak.lua (rankings with
# filters, comparisons, roles, salaries, skills, CSV, gzip) on all but 16
# of them, and h2load sends conditional requests that answer 304 on the
# other 16. Meanwhile a writer POSTs /import batches of SOAK_BATCH rows
# (to a role of its own, created first) one after the other and adds up
# the rows each 201 accepted. VmRSS of the server is sampled every SOAK_SAMPLE seconds.
#
# Passes (exit 0) when all of these hold:
#   - no failed read: no socket error in wrk or h2load, no read left
#     unanswered for 30 s, and every answer 2xx or 304 (so zero 5xx)
#   - every import answered 201
#   - RSS at the end within 10% of RSS after the warm-up (SOAK_WARMUP s):
#     read just after each import (its connection closed, since an import
#     holds up to 64 MiB of page cache while it runs), the median of the
#     first quarter after the warm-up against that of the last quarter
#   - the salaries in the database afterwards are exactly the seed's plus
#     the rows the imports accepted
#   - techpayd stops on SIGTERM with exit status 0
#
# Environment (defaults in brackets):
#   SOAK_CONNECTIONS   connections in all, 32-1000          [256]
#   SOAK_WARMUP        seconds before the RSS baseline      [max(5, SECONDS/10)]
#   SOAK_SAMPLE        seconds between RSS samples          [max(1, SECONDS/30)]
#   SOAK_BATCH         rows per import                      [2000]
#   SOAK_PORT          port on 127.0.0.1                    [18490]
#   SOAK_BUILD_DIR     meson build dir, relative to the repo [build-release]
#   SOAK_RESULTS_DIR   if set, the server log, wrk and h2load outputs and
#                      summary.txt are copied here
#
# Needs wrk, h2load (nghttp2-client), sqlite3 and curl; as root it installs
# whatever is missing. Exit status: 0 pass, 1 a check failed or the run
# could not be set up, 2 usage error.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

die() {
  printf 'soak: error: %s\n' "$*" >&2
  exit 1
}

log() {
  printf 'soak: %s\n' "$*" >&2
}

SECONDS_TOTAL=300
case ${1:-} in
  -h | --help) usage; exit 0 ;;
  '') ;;
  *[!0-9]*) printf 'soak: SECONDS must be a whole number (see --help)\n' >&2; exit 2 ;;
  *) SECONDS_TOTAL=$1 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }

CONNS=${SOAK_CONNECTIONS:-256}
WARMUP=${SOAK_WARMUP:-$((SECONDS_TOTAL / 10 > 5 ? SECONDS_TOTAL / 10 : 5))}
SAMPLE=${SOAK_SAMPLE:-$((SECONDS_TOTAL / 30 > 1 ? SECONDS_TOTAL / 30 : 1))}
BATCH=${SOAK_BATCH:-2000}
PORT=${SOAK_PORT:-18490}
BUILD_DIR=${SOAK_BUILD_DIR:-build-release}
RESULTS_DIR=${SOAK_RESULTS_DIR:-}
COND_CONNS=16
TOKEN=soak-import-token-0123456789

for v in SECONDS_TOTAL CONNS WARMUP SAMPLE BATCH PORT; do
  [[ ${!v} =~ ^[0-9]{1,6}$ ]] || die "$v must be a whole number, got '${!v}'"
done
((SECONDS_TOTAL >= 10 && SECONDS_TOTAL <= 3600)) || die "SECONDS must be 10..3600"
((WARMUP >= 1 && WARMUP < SECONDS_TOTAL)) || die "SOAK_WARMUP must be 1..SECONDS-1"
((SAMPLE >= 1 && SAMPLE <= WARMUP)) || die "SOAK_SAMPLE must be 1..SOAK_WARMUP"
((CONNS >= 32 && CONNS <= 1000)) || die "SOAK_CONNECTIONS must be 32..1000"
((BATCH >= 1 && BATCH <= 1000000)) || die "SOAK_BATCH must be 1..1000000"
((PORT >= 1 && PORT <= 65535)) || die "SOAK_PORT must be 1..65535"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}" wrk nghttp2-client sqlite3 curl

TMP=$(mktemp -d)
SERVER_PID=
LOAD_PIDS=()
WRITER_PID=
SAMPLER_PID=

cleanup() {
  local pid
  for pid in "${LOAD_PIDS[@]}" $WRITER_PID $SAMPLER_PID $SERVER_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" --buildtype=release -Dtests=false >/dev/null
fi
ninja -C "$BUILD_DIR" techpayd >/dev/null
BIN=$ROOT/$BUILD_DIR/techpayd
DB=$TMP/soak.db
URL=http://127.0.0.1:$PORT

"$BIN" migrate --db "$DB" --log-level warning
SEED_ROWS=$(sqlite3 "$DB" 'SELECT count(*) FROM salaries')
# The imported rows go to a role of their own that no read asks for in
# full: GET /roles/{slug} carries every observation of a role, and answers
# that grow with each import would measure the data, not the server.
awk -v n="$BATCH" 'BEGIN {
  print "amount,kind,statistic,role,subject,year,note"
  for (i = 0; i < n; i++)
    printf "%d,%s,individual,soak-writer,,%d,soak row %d\n", 60000 + (i * 7919) % 240000,
           (i % 3 ? "base" : "total"), 2019 + i % 7, i
}' > "$TMP/batch.csv"

# Another server on the port would answer our probes and take our load.
if curl -s -o /dev/null --max-time 2 "$URL/healthz"; then
  die "something already answers on 127.0.0.1:$PORT; choose another with SOAK_PORT"
fi

# Enough connections for the load, the writer and a probe or two; every
# client comes from 127.0.0.1, so the per-address limit is lifted.
TECHPAY_ADMIN_TOKEN=$TOKEN "$BIN" --bind 127.0.0.1 --port "$PORT" --db "$DB" \
  --max-connections $((CONNS + 64)) --max-connections-per-ip 0 --access-log off >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -sf "$URL/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$URL/healthz" >/dev/null || die "techpayd did not come up: $(cat "$TMP/server.log")"
kill -0 "$SERVER_PID" 2>/dev/null || die "techpayd exited: $(cat "$TMP/server.log")"

code=$(curl -s -o "$TMP/role.json" -w '%{http_code}' -X POST "$URL/roles" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data '{"slug":"soak-writer","title":"Soak Writer","category":"Soak test","summary":"Where bench/soak.sh imports to."}')
[ "$code" = 201 ] || die "POST /roles answered $code: $(cat "$TMP/role.json")"

etag() { # PATH: the ETag the server gives PATH now
  curl -s -D - -o /dev/null "$URL$1" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p'
}

log "$SECONDS_TOTAL s at $CONNS connections (warm-up $WARMUP s), imports of $BATCH rows," \
    "seed $SEED_ROWS salaries"

rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SERVER_PID/status"; }

# RSS series: "seconds kB" lines, until killed
(
  t=0
  while :; do
    echo "$t $(rss_kb)"
    sleep "$SAMPLE"
    t=$((t + SAMPLE))
  done
) >"$TMP/rss.txt" &
SAMPLER_PID=$!

# The writer: one import after the other until told to stop (the stop
# file), so that no import is cut off mid-way. Per import: "status rows
# seconds-into-the-load RSS-kB", the RSS read once the import is over and
# its connection closed: the comparable moments of a server that imports.
LOAD_START=$(date +%s)
(
  while [ ! -e "$TMP/stop" ]; do
    code=$(curl -s -o "$TMP/import.json" -w '%{http_code}' -X POST "$URL/import" \
      -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' \
      --data-binary @"$TMP/batch.csv" || echo 000)
    rows=$(sed -n 's/^{"data":{"rows":\([0-9]*\),.*/\1/p' "$TMP/import.json")
    echo "$code ${rows:-0} $(($(date +%s) - LOAD_START)) $(rss_kb)"
  done
) >"$TMP/imports.txt" &
WRITER_PID=$!

wrk -t2 -c $((CONNS - COND_CONNS)) -d "${SECONDS_TOTAL}s" --timeout 30s \
  -s bench/soak.lua "$URL/" >"$TMP/wrk.txt" 2>&1 &
LOAD_PIDS+=($!)
# 304s: the ETags of lists imports never change
for path in /industries /factors; do
  h2load --h1 -t1 -c $((COND_CONNS / 2)) -D "$SECONDS_TOTAL" -T 30 \
    -H "If-None-Match: $(etag "$path")" "$URL$path" >"$TMP/h2load${path//\//-}.txt" 2>&1 &
  LOAD_PIDS+=($!)
done

load_failed=0
for pid in "${LOAD_PIDS[@]}"; do
  wait "$pid" || load_failed=1
done
LOAD_PIDS=()
kill "$SAMPLER_PID"
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
touch "$TMP/stop"
wait "$WRITER_PID" || true
WRITER_PID=

kill -TERM "$SERVER_PID"
server_status=0
wait "$SERVER_PID" || server_status=$?
SERVER_PID=
DB_ROWS=$(sqlite3 "$DB" 'SELECT count(*) FROM salaries')

# ------------------------------------------------------------ checks
failures=()
fail() { failures+=("$*"); }

((load_failed == 0)) || fail "a load generator exited with an error"
wrk_line=$(grep '^soak-reads:' "$TMP/wrk.txt" || true)
[ -n "$wrk_line" ] || fail "wrk printed no summary: $(tail -5 "$TMP/wrk.txt")"
field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$wrk_line"; }
wrk_requests=$(field requests)
for f in 4xx 5xx connect read write timeout; do
  [ "$(field "$f")" = 0 ] || fail "wrk: $f=$(field "$f")"
done
cond_requests=0
for out in "$TMP"/h2load-*.txt; do
  name=$(basename "$out" .txt)
  req=$(sed -n 's/^requests: \([0-9]*\) total, [0-9]* started, \([0-9]*\) done, \([0-9]*\) succeeded, \([0-9]*\) failed, \([0-9]*\) errored, \([0-9]*\) timeout.*/\2 \3 \4 \5 \6/p' "$out")
  codes=$(sed -n 's/^status codes: \([0-9]*\) 2xx, \([0-9]*\) 3xx, \([0-9]*\) 4xx, \([0-9]*\) 5xx.*/\1 \2 \3 \4/p' "$out")
  read -r done_n ok_n failed_n errored_n timeout_n <<<"${req:-0 0 1 1 1}"
  read -r c2 c3 c4 c5 <<<"${codes:-0 0 1 1}"
  cond_requests=$((cond_requests + done_n))
  ((failed_n == 0 && errored_n == 0 && timeout_n == 0)) \
    || fail "$name: $failed_n failed, $errored_n errored, $timeout_n timed out"
  ((c4 == 0 && c5 == 0)) || fail "$name: $c4 4xx, $c5 5xx"
  ((c3 > 0)) || fail "$name: no 304 at all"
  echo "$name: $done_n requests, $ok_n succeeded: $c2 2xx, $c3 3xx" >>"$TMP/summary.txt"
done

imports=$(wc -l <"$TMP/imports.txt")
imports_ok=$(awk '$1 == 201' "$TMP/imports.txt" | wc -l)
rows_imported=$(awk '$1 == 201 { n += $2 } END { print n + 0 }' "$TMP/imports.txt")
((imports > 0)) || fail "the writer made no import"
((imports_ok == imports)) \
  || fail "imports: $((imports - imports_ok)) of $imports did not answer 201: $(awk '$1 != 201' "$TMP/imports.txt" | sort | uniq -c | tr '\n' ';')"
((DB_ROWS == SEED_ROWS + rows_imported)) \
  || fail "salaries: $DB_ROWS in the database, expected $SEED_ROWS + $rows_imported"
((server_status == 0)) || fail "techpayd exited with status $server_status on SIGTERM"

# RSS between imports during the load: the median of the first quarter
# after the warm-up against the median of the last quarter, so that one
# sample taken while many responses were in flight decides nothing
window_median() { # FROM TO: median RSS of the imports that ended in [FROM, TO]
  awk -v a="$1" -v b="$2" '$1 == 201 && $3 >= a && $3 <= b { print $4 }' "$TMP/imports.txt" \
    | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
QUARTER=$(((SECONDS_TOTAL - WARMUP + 3) / 4))
RSS_BASE=$(window_median "$WARMUP" $((WARMUP + QUARTER)))
RSS_END=$(window_median $((SECONDS_TOTAL - QUARTER)) $((SECONDS_TOTAL - 1)))
if [ -z "$RSS_BASE" ] || [ -z "$RSS_END" ]; then
  fail "no import ended in the first or the last quarter after the warm-up to compare RSS" \
       "(run longer, or lower SOAK_BATCH)"
  RSS_BASE=${RSS_BASE:-1}
fi
rss_change=$(awk -v a="$RSS_BASE" -v b="${RSS_END:-0}" 'BEGIN { printf "%+.1f", (b - a) * 100 / a }')
awk -v c="$rss_change" 'BEGIN { exit !(c <= 10 && c >= -10) }' \
  || fail "RSS moved $rss_change% between the warm-up ($RSS_BASE kB) and the end ($RSS_END kB)"

{
  echo "soak: $SECONDS_TOTAL s, $CONNS connections ($((CONNS - COND_CONNS)) wrk, $COND_CONNS h2load 304s)"
  echo "$wrk_line"
  echo "conditional requests: $cond_requests"
  echo "reads in all: $((${wrk_requests:-0} + cond_requests))" \
       "($(awk -v n="$((${wrk_requests:-0} + cond_requests))" -v s="$SECONDS_TOTAL" 'BEGIN { printf "%.0f", n / s }') req/s)"
  echo "imports: $imports ($imports_ok answered 201), rows accepted $rows_imported;" \
       "salaries $SEED_ROWS seed + $rows_imported = $DB_ROWS in the database"
  echo "RSS (kB) every $SAMPLE s: $(awk '{ printf "%s%s", (NR > 1 ? " " : ""), $2 }' "$TMP/rss.txt")"
  echo "RSS (kB) after each import (s: kB): $(awk '{ printf "%s%s:%s", (NR > 1 ? " " : ""), $3, $4 }' "$TMP/imports.txt")"
  echo "RSS between imports, median of $WARMUP-$((WARMUP + QUARTER)) s: $RSS_BASE kB;" \
       "of $((SECONDS_TOTAL - QUARTER))-$((SECONDS_TOTAL - 1)) s: $RSS_END kB ($rss_change%)"
  echo "techpayd exit status on SIGTERM: $server_status"
} >>"$TMP/summary.txt"
cat "$TMP/summary.txt"
if [ -n "$RESULTS_DIR" ]; then
  mkdir -p "$RESULTS_DIR"
  cp "$TMP"/summary.txt "$TMP"/wrk.txt "$TMP"/h2load-*.txt "$TMP"/rss.txt "$TMP"/imports.txt \
     "$TMP"/server.log "$RESULTS_DIR"/
fi
if ((${#failures[@]} > 0)); then
  printf 'soak: FAILED: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "soak: passed"
