#!/usr/bin/env bash
# bench/run.sh - throughput of techpayd's GET /roles?sort=pay against nginx
# serving the byte-identical body as a static file, on the same machine, in
# the same run.
#
# Usage: bench/run.sh [--quick] [--help]
#
#   --quick   smoke run: BENCH_DURATION=2 BENCH_ROUNDS=1 BENCH_WARMUP=1
#
# Environment (defaults in brackets):
#   BENCH_DURATION       seconds per measured wrk run            [10]
#   BENCH_ROUNDS         rounds, each = one techpayd + one nginx run [3]
#   BENCH_WARMUP         seconds of warm-up against each server   [3]
#   BENCH_CONNECTIONS    wrk connections (-c)                      [32]
#   BENCH_PORT           first port tried for techpayd            [18400]
#   BENCH_NGINX_PORT     first port tried for nginx               [BENCH_PORT+1]
#   BENCH_SERVER_CPU     CPU both servers are pinned to           [0]
#   BENCH_CLIENT_CPU     CPU wrk is pinned to                     [1]
#   BENCH_BUILD_DIR      meson build dir, relative to the repo    [build-release]
#   BENCH_BUILD_RETRIES  extra ninja attempts, 60 s apart         [0]
#   BENCH_RESULTS_DIR    if set, raw wrk outputs and summary.txt are copied here
#
# Needs: wrk, nginx (nginx-light), curl, taskset, meson, ninja, a C toolchain
# and the libmicrohttpd/jansson/sqlite3 headers. As root it installs whatever
# is missing with apt-get; otherwise it prints the apt-get line and exits 1.
#
# Exit status: 0 benchmark ran (whatever the ratio), 1 setup/run failure,
# 2 usage error.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

die() {
  printf 'bench: error: %s\n' "$*" >&2
  exit 1
}

log() {
  printf 'bench: %s\n' "$*" >&2
}

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      printf 'bench: unknown argument: %s\n' "$arg" >&2
      usage >&2
      exit 2
      ;;
  esac
done

if ((QUICK)); then
  : "${BENCH_DURATION:=2}" "${BENCH_ROUNDS:=1}" "${BENCH_WARMUP:=1}"
fi
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNECTIONS:-32}
PORT1=${BENCH_PORT:-18400}
PORT2=${BENCH_NGINX_PORT:-$((PORT1 + 1))}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
BUILD_RETRIES=${BENCH_BUILD_RETRIES:-0}
RESULTS_DIR=${BENCH_RESULTS_DIR:-}

check_uint() { # NAME VALUE
  [[ $2 =~ ^[0-9]{1,6}$ ]] || die "$1 must be a non-negative integer, got '$2'"
}
check_uint BENCH_DURATION "$DURATION"
check_uint BENCH_ROUNDS "$ROUNDS"
check_uint BENCH_WARMUP "$WARMUP"
check_uint BENCH_CONNECTIONS "$CONNS"
check_uint BENCH_PORT "$PORT1"
check_uint BENCH_NGINX_PORT "$PORT2"
check_uint BENCH_SERVER_CPU "$SERVER_CPU"
check_uint BENCH_CLIENT_CPU "$CLIENT_CPU"
check_uint BENCH_BUILD_RETRIES "$BUILD_RETRIES"
((WARMUP <= 60)) || die "BENCH_WARMUP must be <= 60"
((BUILD_RETRIES <= 10)) || die "BENCH_BUILD_RETRIES must be <= 10"
((PORT1 >= 1 && PORT1 <= 65535 && PORT2 >= 1 && PORT2 <= 65535)) || die "ports must be 1..65535"
((DURATION >= 1)) || die "BENCH_DURATION must be >= 1"
((ROUNDS >= 1 && ROUNDS <= 50)) || die "BENCH_ROUNDS must be 1..50"
((DURATION <= 600)) || die "BENCH_DURATION must be <= 600"
((CONNS >= 1 && CONNS <= 1000)) || die "BENCH_CONNECTIONS must be 1..1000"

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BENCH_BUILD_DIR:-build-release}
case "$BUILD_DIR" in
  /*) ;;
  *) BUILD_DIR=$REPO/$BUILD_DIR ;;
esac
URL_PATH='/roles?sort=pay'

# ---------------------------------------------------------------- packages
ensure_packages() {
  local -a missing=()
  local pkg
  # Build dependencies and tools, checked by package status ...
  for pkg in wrk nginx-light meson ninja-build pkg-config gcc libc6-dev \
    libmicrohttpd-dev libjansson-dev libsqlite3-dev curl; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
      missing+=("$pkg")
    fi
  done
  # ... and taskset (util-linux is Essential, but minimal images vary).
  command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
  ((${#missing[@]} == 0)) && return 0

  local cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  if ((EUID != 0)); then
    printf 'bench: missing packages: %s\n' "${missing[*]}" >&2
    printf 'bench: run: sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive %s\n' "$cmd" >&2
    exit 1
  fi
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# ---------------------------------------------------------------- cleanup
TMP=""
TP_PID=""
NGX_PID=""
WRK_PID=""

stop_pid() {
  local pid=$1 i
  [[ -n $pid ]] || return 0
  kill -0 "$pid" 2>/dev/null || {
    wait "$pid" 2>/dev/null || true
    return 0
  }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored SIGTERM for 5 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$WRK_PID"
  stop_pid "$NGX_PID"
  stop_pid "$TP_PID"
  if [[ -n $TMP && -d $TMP ]]; then
    if ((rc != 0)); then
      local f
      for f in "$TMP"/techpayd.log "$TMP"/nginx/error.log; do
        if [[ -s $f ]]; then
          printf 'bench: --- last lines of %s ---\n' "${f#"$TMP"/}" >&2
          tail -n 20 "$f" >&2 || true
        fi
      done
    fi
    rm -rf -- "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- helpers
port_busy() {
  # A successful connect means something already listens there.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local p=$1 avoid=${2:-} i
  for ((i = 0; i < 50; i++, p++)); do
    ((p <= 65535)) || break
    [[ $p == "$avoid" ]] && continue
    port_busy "$p" || {
      printf '%s\n' "$p"
      return 0
    }
  done
  die "no free port found from $1"
}

# wait_http URL PID NAME: bounded wait (10 s) for URL to answer 2xx while PID lives.
wait_http() {
  local url=$1 pid=$2 name=$3 i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up"
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  die "$name did not answer $url within 10 s"
}

# cpu_ticks PID: utime+stime of PID in clock ticks.
cpu_ticks() {
  local stat
  stat=$(<"/proc/$1/stat")
  stat=${stat##*) } # fields after the command name, starting at field 3
  # shellcheck disable=SC2086 # deliberate word splitting
  set -- $stat
  printf '%s\n' "$((${12} + ${13}))"
}

# cpu_jiffies CPU: "busy total steal" jiffies of one CPU from /proc/stat.
cpu_jiffies() {
  awk -v c="cpu$1" '$1 == c {
    t = 0; for (i = 2; i <= NF; i++) t += $i
    print t - $5 - $6, t, $9 }' /proc/stat
}

# pct_delta "B0 T0 S0" "B1 T1 S1": busy% and steal% between two cpu_jiffies.
pct_delta() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    split(a, x, " "); split(b, y, " "); t = y[2] - x[2]
    if (t <= 0) { print "- -"; exit }
    printf "%.0f %.0f\n", 100 * (y[1] - x[1]) / t, 100 * (y[3] - x[3]) / t }'
}

# to_ms VALUE: wrk latency ("812.00us", "1.23ms", "1.01s", "2.00m") in ms.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

median() {
  sort -g | awk '{ a[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) printf "%.2f\n", a[(NR + 1) / 2]
    else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# run_wrk NAME URL SECONDS OUTFILE [PID-for-cpu]
# Sets W_RPS W_P50 W_P99 (ms) W_REQS W_NON2XX W_SOCKERR, W_CPU (server
# process CPU %), W_SCPU/W_CCPU (busy % of the server/client CPU, softirq
# included) and W_STEAL (steal % on the server CPU).
# Runs in the main shell (no subshell) so the EXIT trap can stop wrk.
run_wrk() {
  local name=$1 url=$2 secs=$3 out=$4 pid=${5:-} t0=0 t1=0 rc=0 s0 s1 c0 c1
  [[ -n $pid ]] && t0=$(cpu_ticks "$pid")
  s0=$(cpu_jiffies "$SERVER_CPU")
  c0=$(cpu_jiffies "$CLIENT_CPU")
  timeout --signal=INT --kill-after=5 "$((secs + 20))" \
    taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d"${secs}s" --latency --timeout 2s "$url" \
    >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  ((rc == 0)) || {
    cat "$out" >&2
    die "wrk against $name exited with status $rc"
  }
  [[ -n $pid ]] && t1=$(cpu_ticks "$pid")
  s1=$(cpu_jiffies "$SERVER_CPU")
  c1=$(cpu_jiffies "$CLIENT_CPU")
  read -r W_SCPU W_STEAL < <(pct_delta "$s0" "$s1")
  read -r W_CCPU _ < <(pct_delta "$c0" "$c1")
  kill -0 "${pid:-$$}" 2>/dev/null || die "$name died during the run"

  local p50 p99
  W_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(awk '$1 == "50%" { print $2 }' "$out")
  p99=$(awk '$1 == "99%" { print $2 }' "$out")
  [[ -n $W_RPS && -n $p50 && -n $p99 ]] || {
    cat "$out" >&2
    die "could not parse wrk output for $name"
  }
  W_P50=$(to_ms "$p50")
  W_P99=$(to_ms "$p99")
  W_REQS=$(awk '/requests in/ { print $1 }' "$out")
  W_NON2XX=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  W_SOCKERR=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$out")
  : "${W_REQS:=0}" "${W_NON2XX:=0}" "${W_SOCKERR:=0}"
  if [[ -n $pid ]]; then
    W_CPU=$(awk -v d="$((t1 - t0))" -v hz="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.0f", 100 * d / hz / s }')
  else
    W_CPU="-"
  fi
}

# ---------------------------------------------------------------- main
ensure_packages

NCPU=$(nproc)
((SERVER_CPU < NCPU && CLIENT_CPU < NCPU)) ||
  die "need CPUs $SERVER_CPU and $CLIENT_CPU, machine has $NCPU"
((SERVER_CPU != CLIENT_CPU)) || log "warning: servers and wrk share CPU $SERVER_CPU"
CLK_TCK=$(getconf CLK_TCK)

# Build: release, no tests, in its own dir so it never touches ./build.
cd "$REPO"
if [[ ! -f $BUILD_DIR/build.ninja ]]; then
  log "configuring $BUILD_DIR"
  meson setup "$BUILD_DIR" --buildtype=release -Dtests=false >/dev/null
fi
attempt=0
until timeout 600 ninja -C "$BUILD_DIR" >"${TMPDIR:-/tmp}/bench-ninja.$$.log" 2>&1; do
  if ((attempt >= BUILD_RETRIES)); then
    cat "${TMPDIR:-/tmp}/bench-ninja.$$.log" >&2
    rm -f "${TMPDIR:-/tmp}/bench-ninja.$$.log"
    die "ninja -C $BUILD_DIR failed"
  fi
  attempt=$((attempt + 1))
  log "ninja failed; retry $attempt/$BUILD_RETRIES in 60 s"
  sleep 60
done
rm -f "${TMPDIR:-/tmp}/bench-ninja.$$.log"
BIN=$BUILD_DIR/techpayd
[[ -x $BIN ]] || die "$BIN not built"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/techpay-bench.XXXXXX")
mkdir -p "$TMP/nginx/www" "$TMP/wrk"

# techpayd: fresh database, one thread, pinned.
PORT1=$(free_port "$PORT1")
log "starting techpayd on 127.0.0.1:$PORT1 (CPU $SERVER_CPU, --threads 1)"
taskset -c "$SERVER_CPU" "$BIN" --bind 127.0.0.1 --port "$PORT1" \
  --db "$TMP/techpay.db" --threads 1 >"$TMP/techpayd.log" 2>&1 &
TP_PID=$!
wait_http "http://127.0.0.1:$PORT1/healthz" "$TP_PID" techpayd
TP_URL="http://127.0.0.1:$PORT1$URL_PATH"

# The body nginx serves is exactly what techpayd returned.
curl -fsS --max-time 5 -o "$TMP/nginx/www/roles.json" "$TP_URL" ||
  die "GET $TP_URL failed"
BODY_BYTES=$(wc -c <"$TMP/nginx/www/roles.json")

PORT2=$(free_port "$PORT2" "$PORT1")
cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
error_log $TMP/nginx/error.log;
pid $TMP/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  default_type application/json;
  client_body_temp_path $TMP/nginx/client_body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  server {
    listen 127.0.0.1:$PORT2;
    location = /roles {
      root $TMP/nginx/www;
      try_files /roles.json =404;
    }
  }
}
EOF
log "starting nginx on 127.0.0.1:$PORT2 (CPU $SERVER_CPU, 1 worker, no master)"
taskset -c "$SERVER_CPU" nginx -p "$TMP/nginx/" -e "$TMP/nginx/error.log" \
  -c "$TMP/nginx/nginx.conf" >"$TMP/nginx/stdout.log" 2>&1 &
NGX_PID=$!
NGX_URL="http://127.0.0.1:$PORT2$URL_PATH"
wait_http "$NGX_URL" "$NGX_PID" nginx

curl -fsS --max-time 5 -o "$TMP/body.techpayd" "$TP_URL" || die "GET $TP_URL failed"
curl -fsS --max-time 5 -o "$TMP/body.nginx" "$NGX_URL" || die "GET $NGX_URL failed"
cmp -s "$TMP/body.techpayd" "$TMP/body.nginx" ||
  die "bodies differ: techpayd and nginx do not serve the same bytes"
cmp -s "$TMP/body.techpayd" "$TMP/nginx/www/roles.json" ||
  die "techpayd's body changed between two requests"
log "bodies identical: $BODY_BYTES bytes each"

# Keep-alive: two requests on one curl handle must share the connection.
keepalive() {
  if curl -sv --max-time 5 -o /dev/null -o /dev/null "$1" "$1" 2>&1 |
    grep -q 'Re-using existing connection'; then
    echo yes
  else
    echo NO
  fi
}
KA_TP=$(keepalive "$TP_URL")
KA_NGX=$(keepalive "$NGX_URL")

log "warm-up: ${WARMUP}s against each"
if ((WARMUP > 0)); then
  run_wrk techpayd "$TP_URL" "$WARMUP" "$TMP/wrk/warmup-techpayd.txt" "$TP_PID"
  run_wrk nginx "$NGX_URL" "$WARMUP" "$TMP/wrk/warmup-nginx.txt" "$NGX_PID"
fi

SUMMARY=$TMP/summary.txt
{
  echo "techpay benchmark: GET $URL_PATH, body $BODY_BYTES bytes"
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: nproc=$NCPU kernel=$(uname -r)"
  rev=$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)
  [[ $rev == *-dirty ]] && rev="$rev (uncommitted edits in the tree were built)"
  echo "source: $rev"
  echo "servers on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU: wrk -t1 -c$CONNS -d${DURATION}s --latency"
  echo "rounds: $ROUNDS x (techpayd, nginx), ${DURATION}s each, after ${WARMUP}s warm-up each"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "keep-alive reused (curl -v, 2 requests): techpayd=$KA_TP nginx=$KA_NGX"
  echo "columns: srv% = server process CPU time / wall time; cpu$SERVER_CPU%/cpu$CLIENT_CPU% = busy"
  echo "  share of the server/client CPU (incl. softirq); steal% = steal on the server CPU"
  echo
} >"$SUMMARY"
cat "$SUMMARY"

# say FMT ARGS...: print to stdout and append to the summary.
say() {
  # shellcheck disable=SC2059 # FMT is always a literal here
  printf "$@" | tee -a "$SUMMARY"
}

: >"$TMP/rps.techpayd"
: >"$TMP/rps.nginx"
total_errors=0
row='%-5s %-8s %10s %8s %8s %9s %6s %7s %5s %5s %5s %6s\n'
for ((r = 1; r <= ROUNDS; r++)); do
  say "$row" round server 'req/s' 'p50 ms' 'p99 ms' requests non2xx sockerr \
    'srv%' "cpu$SERVER_CPU%" "cpu$CLIENT_CPU%" 'steal%'
  for name in techpayd nginx; do
    if [[ $name == techpayd ]]; then url=$TP_URL pid=$TP_PID; else url=$NGX_URL pid=$NGX_PID; fi
    run_wrk "$name" "$url" "$DURATION" "$TMP/wrk/round$r-$name.txt" "$pid"
    echo "$W_RPS" >>"$TMP/rps.$name"
    total_errors=$((total_errors + W_NON2XX + W_SOCKERR))
    say "$row" "$r" "$name" "$W_RPS" "$W_P50" "$W_P99" "$W_REQS" "$W_NON2XX" "$W_SOCKERR" \
      "$W_CPU" "$W_SCPU" "$W_CCPU" "$W_STEAL"
  done
  say '\n'
done

MED_TP=$(median <"$TMP/rps.techpayd")
MED_NGX=$(median <"$TMP/rps.nginx")
RATIO=$(awk -v a="$MED_TP" -v b="$MED_NGX" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
say 'median req/s: techpayd %s, nginx %s\n' "$MED_TP" "$MED_NGX"
say 'ratio techpayd/nginx (of medians): %s (target >= 0.8: %s)\n' "$RATIO" \
  "$(awk -v r="$RATIO" 'BEGIN { print (r >= 0.8 ? "met" : "NOT met") }')"
say 'errors (non-2xx + socket) over all measured runs: %s\n' "$total_errors"
say 'load average at end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"

if [[ -n $RESULTS_DIR ]]; then
  mkdir -p "$RESULTS_DIR"
  cp "$SUMMARY" "$TMP"/wrk/*.txt "$RESULTS_DIR"/
  cp "$TMP/nginx/nginx.conf" "$RESULTS_DIR/nginx.conf"
  log "raw outputs copied to $RESULTS_DIR"
fi
