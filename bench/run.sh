#!/usr/bin/env bash
# bench/run.sh - throughput of techpayd's read API against nginx serving the
# byte-identical response for the identical URL (path and query string) from
# a static file, on the same machine, in the same run.
#
# Usage: bench/run.sh [--quick] [--help]
#
#   --quick   smoke run: BENCH_DURATION=2 BENCH_ROUNDS=1 BENCH_WARMUP=1
#
# Cases (BENCH_CASES, comma-separated, in the order given; default all):
#   pay         GET /roles?sort=pay
#   filtered    GET /roles?skill=python&min_pay=100000&sort=pay
#   compare     GET /compare?roles=machine-learning-engineer,ai-research-scientist,data-science-manager
#   role        GET /roles/machine-learning-engineer
#   revalidate  GET /roles?sort=pay with If-None-Match: <the ETag that server
#               returned>, so both answer 304 without a body
#
# Environment (defaults in brackets):
#   BENCH_CASES          cases to run          [pay,filtered,compare,role,revalidate]
#   BENCH_DURATION       seconds per measured run                   [10]
#   BENCH_ROUNDS         rounds per case, each = one techpayd + one nginx run [3]
#   BENCH_WARMUP         seconds of warm-up per case against each server [3]
#   BENCH_CONNECTIONS    client connections (-c)                    [32]
#   BENCH_PORT           first port tried for techpayd              [18400]
#   BENCH_NGINX_PORT     first port tried for nginx                 [BENCH_PORT+1]
#   BENCH_SERVER_CPU     CPU both servers are pinned to             [0]
#   BENCH_CLIENT_CPU     CPU the load generator is pinned to        [1]
#   BENCH_BUILD_DIR      meson build dir, relative to the repo      [build-release]
#   BENCH_BUILD_RETRIES  extra ninja attempts, 60 s apart           [0]
#   BENCH_304_CLIENT     load generator of the revalidate case: wrk, h2load or
#                        auto (wrk, unless a probe shows wrk cannot complete a
#                        304 from one of the servers; then h2load for both)  [auto]
#   BENCH_RESULTS_DIR    if set, raw outputs, nginx.conf and summary.txt are
#                        copied here
#
# Every case uses wrk (-t1, keep-alive). Only the revalidate case may use
# h2load (--h1 -t1, keep-alive, no pipelining), for both servers, when wrk
# cannot read a server's 304: wrk's HTTP parser waits for a body when a 304
# carries Content-Length, which RFC 9110 (8.6) allows.
#
# Needs: wrk, h2load (nghttp2-client), nginx (nginx-light), curl, taskset,
# meson, ninja, a C toolchain and the libmicrohttpd/jansson/sqlite3 headers.
# As root it installs whatever is missing with apt-get; otherwise it prints
# the apt-get line and exits 1.
#
# Exit status: 0 benchmark ran (whatever the ratios), 1 setup/run failure,
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
CLIENT_304=${BENCH_304_CLIENT:-auto}

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
case "$CLIENT_304" in
  auto | wrk | h2load) ;;
  *) die "BENCH_304_CLIENT must be auto, wrk or h2load, got '$CLIENT_304'" ;;
esac

# ---------------------------------------------------------------- cases
ALL_CASES=(pay filtered compare role revalidate)
declare -A CASE_PATH=(
  [pay]='/roles?sort=pay'
  [filtered]='/roles?skill=python&min_pay=100000&sort=pay'
  [compare]='/compare?roles=machine-learning-engineer,ai-research-scientist,data-science-manager'
  [role]='/roles/machine-learning-engineer'
  [revalidate]='/roles?sort=pay'
)
# The static file nginx serves for each case (revalidate shares pay's URL,
# so it shares its file and nginx's ETag for it).
declare -A CASE_FILE=(
  [pay]=pay.json [filtered]=filtered.json [compare]=compare.json
  [role]=role.json [revalidate]=pay.json
)

CASES=()
IFS=',' read -r -a requested <<<"${BENCH_CASES:-$(
  IFS=,
  echo "${ALL_CASES[*]}"
)}"
for c in "${requested[@]}"; do
  c=${c//[[:space:]]/}
  [[ -n $c ]] || continue
  [[ -n ${CASE_PATH[$c]:-} ]] ||
    die "unknown case '$c' in BENCH_CASES (known: ${ALL_CASES[*]})"
  for seen in "${CASES[@]}"; do
    [[ $seen != "$c" ]] || continue 2
  done
  CASES+=("$c")
done
((${#CASES[@]} > 0)) || die "BENCH_CASES selects no case"

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BENCH_BUILD_DIR:-build-release}
case "$BUILD_DIR" in
  /*) ;;
  *) BUILD_DIR=$REPO/$BUILD_DIR ;;
esac

# ---------------------------------------------------------------- packages
ensure_packages() {
  local -a missing=()
  local pkg
  # Build dependencies and tools, checked by package status ...
  for pkg in wrk nghttp2-client nginx-light meson ninja-build pkg-config gcc libc6-dev \
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
  # Finish the job even when stdout/stderr went away (e.g. piped into head).
  set +e
  trap - EXIT INT TERM
  trap '' PIPE
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
  rm -f "${TMPDIR:-/tmp}/bench-ninja.$$.log"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE

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

# to_bytes VALUE: wrk's binary-scaled size ("15.23MB", "812B") in bytes.
to_bytes() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "KB") n *= 1024; else if (u == "MB") n *= 1048576
    else if (u == "GB") n *= 1073741824; else if (u == "TB") n *= 1099511627776
    printf "%.0f", n }'
}

median() {
  sort -g | awk '{ a[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) printf "%.2f\n", a[(NR + 1) / 2]
    else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# run_load CLIENT NAME URL SECONDS OUTFILE PID [HEADER]
# CLIENT is wrk or h2load. Sets W_RPS W_P50 W_P99 (ms) W_REQS W_NON2XX
# (wrk: status >= 400; h2load: status 4xx/5xx, and for a request that sent
# If-None-Match anything but 304) W_SOCKERR W_BPR (bytes read per response,
# headers included), W_CPU (server process CPU %), W_EFF (requests per
# second of server CPU time: W_REQS / CPU seconds), W_SCPU/W_CCPU (busy % of
# the server/client CPU, softirq included), W_STEAL (steal % on the
# server CPU) and W_OTHER (other wrk/h2load processes seen just before or
# just after the run). Runs in the main shell (no subshell) so the EXIT trap can
# stop the client.
run_load() {
  local client=$1 name=$2 url=$3 secs=$4 out=$5 pid=$6 header=${7:-}
  local t0 t1 rc=0 s0 s1 c0 c1 ticks o0 o1
  local -a hdr=()
  [[ -n $header ]] && hdr=(-H "$header")
  o0=$(foreign_clients)
  t0=$(cpu_ticks "$pid")
  s0=$(cpu_jiffies "$SERVER_CPU")
  c0=$(cpu_jiffies "$CLIENT_CPU")
  if [[ $client == wrk ]]; then
    timeout --signal=INT --kill-after=5 "$((secs + 20))" \
      taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d"${secs}s" --latency --timeout 2s \
      "${hdr[@]}" "$url" >"$out" 2>&1 &
  else
    timeout --signal=INT --kill-after=5 "$((secs + 20))" \
      taskset -c "$CLIENT_CPU" h2load --h1 -t1 -c"$CONNS" -m1 -D "$secs" \
      --log-file="$out.log" "${hdr[@]}" "$url" >"$out" 2>&1 &
  fi
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  ((rc == 0)) || {
    cat "$out" >&2
    die "$client against $name exited with status $rc"
  }
  o1=$(foreign_clients)
  W_OTHER=$((o0 > o1 ? o0 : o1))
  t1=$(cpu_ticks "$pid")
  s1=$(cpu_jiffies "$SERVER_CPU")
  c1=$(cpu_jiffies "$CLIENT_CPU")
  read -r W_SCPU W_STEAL < <(pct_delta "$s0" "$s1")
  read -r W_CCPU _ < <(pct_delta "$c0" "$c1")
  kill -0 "$pid" 2>/dev/null || die "$name died during the run"
  ticks=$((t1 - t0))
  W_CPU=$(awk -v d="$ticks" -v hz="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.0f", 100 * d / hz / s }')

  if [[ $client == wrk ]]; then
    local p50 p99 read_size
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
    read_size=$(awk '/requests in/ { print $5 }' "$out")
    W_NON2XX=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    W_SOCKERR=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$out")
    : "${W_REQS:=0}" "${W_NON2XX:=0}" "${W_SOCKERR:=0}"
    if ((W_REQS > 0)); then
      W_BPR=$(awk -v b="$(to_bytes "${read_size:-0}")" -v n="$W_REQS" 'BEGIN { printf "%.0f", b / n }')
    else
      W_BPR=0
    fi
  else
    # h2load prints no percentiles: take them from its per-request log
    # (start µs, status, µs until the end of the response).
    W_RPS=$(awk '/^finished in/ { print $4 }' "$out")
    W_REQS=$(awk '/^requests:/ { print $6 }' "$out")
    W_SOCKERR=$(awk '/^requests:/ { print $12 }' "$out") # errored: not HTTP-level
    local traffic
    traffic=$(awk '/^traffic:/ { gsub(/[()]/, "", $3); print $3 }' "$out")
    [[ -n $W_RPS && -n $W_REQS && -n $traffic && -s $out.log ]] || {
      cat "$out" >&2
      die "could not parse h2load output for $name"
    }
    read -r W_P50 W_P99 < <(cut -f3 "$out.log" | sort -n | awk '{ a[NR] = $1 } END {
      if (NR == 0) { print "nan nan"; exit }
      i50 = int(0.50 * NR); if (i50 < 0.50 * NR) i50++
      i99 = int(0.99 * NR); if (i99 < 0.99 * NR) i99++
      printf "%.3f %.3f\n", a[i50] / 1000, a[i99] / 1000 }')
    W_NON2XX=$(awk -F'\t' -v want="${header:+304}" '
      (want != "" && $2 != want) || $2 >= 400 { n++ } END { print n + 0 }' "$out.log")
    W_BPR=$(awk -v b="$traffic" -v n="$W_REQS" 'BEGIN { printf "%.0f", (n > 0 ? b / n : 0) }')
  fi
  ((W_REQS > 0)) || {
    cat "$out" >&2
    die "$client completed no request against $name in ${secs}s${header:+ (a 304 with Content-Length stalls wrk; try BENCH_304_CLIENT=h2load)}"
  }
  W_EFF=$(awk -v n="$W_REQS" -v d="$ticks" -v hz="$CLK_TCK" \
    'BEGIN { if (d > 0) printf "%.0f", n * hz / d; else print "nan" }')
}

# http_probe URL [HEADER]: "status body-bytes header-bytes" of one GET.
http_probe() {
  local -a hdr=()
  [[ -n ${2:-} ]] && hdr=(-H "$2")
  curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{size_download} %{size_header}\n' \
    "${hdr[@]}" "$1"
}

# etag_of URL: the ETag header of a GET.
etag_of() {
  curl -fsS --max-time 5 -D - -o /dev/null "$1" |
    awk 'tolower($1) == "etag:" { sub(/\r$/, ""); sub(/^[^:]*:[ \t]*/, ""); print; exit }'
}

# keepalive URL [HEADER]: yes when two requests on one curl handle share the
# connection.
keepalive() {
  local -a hdr=()
  [[ -n ${2:-} ]] && hdr=(-H "$2")
  if curl -sv --max-time 5 "${hdr[@]}" -o /dev/null -o /dev/null "$1" "$1" 2>&1 |
    grep -q 'Re-using existing connection'; then
    echo yes
  else
    echo NO
  fi
}

# wrk_completes URL HEADER: does a 2 s wrk run with HEADER complete any
# request? (wrk's parser waits for a body after a 304 with Content-Length.)
wrk_completes() {
  local out=$TMP/wrk/probe.txt n rc=0
  timeout --signal=INT --kill-after=5 20 taskset -c "$CLIENT_CPU" \
    wrk -t1 -c1 -d2s --timeout 1s -H "$2" "$1" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  ((rc == 0)) || {
    cat "$out" >&2
    die "wrk probe of $1 exited with status $rc"
  }
  n=$(awk '/requests in/ { print $1 }' "$out")
  ((${n:-0} > 0))
}

# foreign_clients: wrk/h2load processes running now that are not ours
# (called only while ours is not running): another benchmark on this machine.
foreign_clients() {
  { pgrep -x wrk || true; pgrep -x h2load || true; } | wc -l
}

# ---------------------------------------------------------------- main
ensure_packages

NCPU=$(nproc)
((SERVER_CPU < NCPU && CLIENT_CPU < NCPU)) ||
  die "need CPUs $SERVER_CPU and $CLIENT_CPU, machine has $NCPU"
((SERVER_CPU != CLIENT_CPU)) || log "warning: servers and the client share CPU $SERVER_CPU"
CLK_TCK=$(getconf CLK_TCK)

NCASES=${#CASES[@]}
LOAD_SECS=$((NCASES * 2 * (WARMUP + ROUNDS * DURATION)))
PROBE_SECS=0
[[ " ${CASES[*]} " == *" revalidate "* && $CLIENT_304 == auto ]] && PROBE_SECS=4
log "cases: ${CASES[*]}"
log "expected duration: about $((LOAD_SECS + PROBE_SECS + 5)) s" \
  "($NCASES case(s) x 2 servers x (${WARMUP}s warm-up + $ROUNDS x ${DURATION}s)," \
  "plus checks and start-up; the build comes first)"

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
mkdir -p "$TMP/nginx/www" "$TMP/wrk" "$TMP/med"
START_TS=$SECONDS

# techpayd: fresh database, one thread, pinned.
PORT1=$(free_port "$PORT1")
# nginx runs with access_log off; a techpayd that has an access log gets the same.
TP_ARGS=(--bind 127.0.0.1 --port "$PORT1" --db "$TMP/techpay.db" --threads 1)
TP_ACCESS_LOG="none (this build has no --access-log)"
if "$BIN" --help 2>&1 | grep -q -- '--access-log'; then
  TP_ARGS+=(--access-log off)
  TP_ACCESS_LOG="off (--access-log off)"
fi
log "starting techpayd on 127.0.0.1:$PORT1 (CPU $SERVER_CPU, --threads 1, access log $TP_ACCESS_LOG)"
taskset -c "$SERVER_CPU" "$BIN" "${TP_ARGS[@]}" >"$TMP/techpayd.log" 2>&1 &
TP_PID=$!
wait_http "http://127.0.0.1:$PORT1/healthz" "$TP_PID" techpayd
TP_BASE="http://127.0.0.1:$PORT1"

# Each file nginx serves is exactly what techpayd returned for that URL. A
# map from the request URI (path and query, as sent) picks the file.
declare -A FILE_DONE=()
SAFE_PATH='^/[A-Za-z0-9/?=&,._-]*$'
MAP_LINES=""
for c in "${CASES[@]}"; do
  f=${CASE_FILE[$c]} p=${CASE_PATH[$c]}
  [[ -z ${FILE_DONE[$f]:-} ]] || continue
  FILE_DONE[$f]=1
  [[ $p =~ $SAFE_PATH ]] || die "path of case $c cannot go into nginx.conf: $p"
  curl -fsS --max-time 5 -o "$TMP/nginx/www/$f" "$TP_BASE$p" || die "GET $TP_BASE$p failed"
  MAP_LINES+="    \"$p\" /$f;"$'\n'
done

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
  map_hash_bucket_size 256; # room for the longest URI as a key
  map \$request_uri \$bench_file {
    default /no-such-file;
$MAP_LINES  }
  server {
    listen 127.0.0.1:$PORT2;
    root $TMP/nginx/www;
    location / {
      try_files \$bench_file =404;
    }
  }
}
EOF
log "starting nginx on 127.0.0.1:$PORT2 (CPU $SERVER_CPU, 1 worker, no master)"
taskset -c "$SERVER_CPU" nginx -p "$TMP/nginx/" -e "$TMP/nginx/error.log" \
  -c "$TMP/nginx/nginx.conf" >"$TMP/nginx/stdout.log" 2>&1 &
NGX_PID=$!
NGX_BASE="http://127.0.0.1:$PORT2"
wait_http "$NGX_BASE${CASE_PATH[${CASES[0]}]}" "$NGX_PID" nginx
# The map must match the whole URI: the same path with another query is a 404.
read -r code _ < <(http_probe "$NGX_BASE/roles?sort=title")
[[ $code == 404 ]] || die "nginx answered $code for an unmapped URL; the map is not exact"

# Per case: byte-identical bodies (or two bodiless 304s), response sizes,
# keep-alive, and the header (if any) each server is sent.
declare -A BODY_BYTES=() HDR_TP=() HDR_NGX=() KA=() INM_TP=() INM_NGX=() CLIENT=()
for c in "${CASES[@]}"; do
  p=${CASE_PATH[$c]} f=$TMP/nginx/www/${CASE_FILE[$c]}
  curl -fsS --max-time 5 -o "$TMP/body.techpayd" "$TP_BASE$p" || die "GET $TP_BASE$p failed"
  curl -fsS --max-time 5 -o "$TMP/body.nginx" "$NGX_BASE$p" || die "GET $NGX_BASE$p failed"
  cmp -s "$TMP/body.techpayd" "$TMP/body.nginx" ||
    die "case $c: bodies differ: techpayd and nginx do not serve the same bytes for $p"
  cmp -s "$TMP/body.techpayd" "$f" ||
    die "case $c: techpayd's body for $p changed between two requests"
  BODY_BYTES[$c]=$(wc -c <"$f")
  ((BODY_BYTES[$c] > 0)) || die "case $c: empty body for $p"
  INM_TP[$c]="" INM_NGX[$c]="" CLIENT[$c]=wrk
  if [[ $c == revalidate ]]; then
    et=$(etag_of "$TP_BASE$p")
    [[ -n $et ]] || die "techpayd sent no ETag for $p"
    INM_TP[$c]="If-None-Match: $et"
    et=$(etag_of "$NGX_BASE$p")
    [[ -n $et ]] || die "nginx sent no ETag for $p"
    INM_NGX[$c]="If-None-Match: $et"
  fi
  read -r code_tp size_tp hdr_tp < <(http_probe "$TP_BASE$p" "${INM_TP[$c]}")
  read -r code_ngx size_ngx hdr_ngx < <(http_probe "$NGX_BASE$p" "${INM_NGX[$c]}")
  HDR_TP[$c]=$hdr_tp HDR_NGX[$c]=$hdr_ngx
  if [[ $c == revalidate ]]; then
    [[ $code_tp == 304 && $size_tp == 0 ]] ||
      die "case $c: techpayd answered $code_tp with $size_tp body bytes to ${INM_TP[$c]}"
    [[ $code_ngx == 304 && $size_ngx == 0 ]] ||
      die "case $c: nginx answered $code_ngx with $size_ngx body bytes to ${INM_NGX[$c]}"
    BODY_BYTES[$c]=0
  else
    [[ $code_tp == 200 && $code_ngx == 200 ]] ||
      die "case $c: status techpayd=$code_tp nginx=$code_ngx, want 200"
  fi
  KA[$c]="techpayd=$(keepalive "$TP_BASE$p" "${INM_TP[$c]}") nginx=$(keepalive "$NGX_BASE$p" "${INM_NGX[$c]}")"
  log "case $c: ok (status ${code_tp}, body ${BODY_BYTES[$c]} bytes each; headers techpayd ${HDR_TP[$c]} B, nginx ${HDR_NGX[$c]} B)"
done

# The revalidate case's load generator (see --help).
if [[ -n ${INM_TP[revalidate]:-} ]]; then
  case "$CLIENT_304" in
    wrk | h2load) CLIENT[revalidate]=$CLIENT_304 ;;
    auto)
      if wrk_completes "$TP_BASE${CASE_PATH[revalidate]}" "${INM_TP[revalidate]}" &&
        wrk_completes "$NGX_BASE${CASE_PATH[revalidate]}" "${INM_NGX[revalidate]}"; then
        CLIENT[revalidate]=wrk
      else
        CLIENT[revalidate]=h2load
        log "case revalidate: wrk completed no request against a 304 in 2 s" \
          "(it waits for a body when a 304 carries Content-Length); using h2load for both servers"
      fi
      ;;
  esac
fi

SUMMARY=$TMP/summary.txt
{
  echo "techpay benchmark: techpayd against nginx serving the same bytes for the same URL"
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: nproc=$NCPU kernel=$(uname -r)"
  rev=$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)
  [[ $rev == *-dirty ]] && rev="$rev (uncommitted edits in the tree were built)"
  echo "source: $rev"
  echo "servers on CPU $SERVER_CPU, client on CPU $CLIENT_CPU:" \
    "wrk -t1 -c$CONNS -d${DURATION}s --latency (h2load --h1 -t1 -c$CONNS -m1 -D $DURATION where noted)"
  echo "access log: techpayd $TP_ACCESS_LOG, nginx off (access_log off)"
  echo "per case: ${WARMUP}s warm-up each, then $ROUNDS rounds x (techpayd, nginx), ${DURATION}s each"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "columns: srv% = server process CPU time / wall time; cpu$SERVER_CPU%/cpu$CLIENT_CPU% = busy"
  echo "  share of the server/client CPU (incl. softirq); steal% = steal on the server CPU;"
  echo "  B/resp = bytes read per response, headers included; req/cpu-s = requests per second"
  echo "  of server CPU time (requests / server CPU seconds), which CPU contention hurts less;"
  echo "  other = wrk/h2load processes not started by this run, seen at a run's start or end"
  echo
} >"$SUMMARY"
cat "$SUMMARY"

# say FMT ARGS...: print to stdout and append to the summary.
say() {
  # shellcheck disable=SC2059 # FMT is always a literal here
  printf "$@" | tee -a "$SUMMARY"
}

declare -A MED=()
total_errors=0
contended=0
row='%-5s %-8s %10s %8s %8s %9s %6s %7s %6s %5s %9s %5s %5s %6s %5s\n'
for c in "${CASES[@]}"; do
  p=${CASE_PATH[$c]} client=${CLIENT[$c]}
  note=""
  [[ -n ${INM_TP[$c]} ]] && note=" with If-None-Match: each server's own ETag"
  say '=== case %s: GET %s%s\n' "$c" "$p" "$note"
  say 'client %s; body %s bytes; response headers techpayd %s B, nginx %s B; keep-alive reused: %s\n' \
    "$client" "${BODY_BYTES[$c]}" "${HDR_TP[$c]}" "${HDR_NGX[$c]}" "${KA[$c]}"
  if ((WARMUP > 0)); then
    run_load "$client" techpayd "$TP_BASE$p" "$WARMUP" "$TMP/wrk/$c-warmup-techpayd.txt" "$TP_PID" "${INM_TP[$c]}"
    run_load "$client" nginx "$NGX_BASE$p" "$WARMUP" "$TMP/wrk/$c-warmup-nginx.txt" "$NGX_PID" "${INM_NGX[$c]}"
  fi
  for name in techpayd nginx; do
    for col in rps p50 p99 srv eff; do : >"$TMP/med/$c.$name.$col"; done
  done
  case_errors=0
  say "$row" round server 'req/s' 'p50 ms' 'p99 ms' requests non2xx sockerr B/resp \
    'srv%' req/cpu-s "cpu$SERVER_CPU%" "cpu$CLIENT_CPU%" 'steal%' other
  for ((r = 1; r <= ROUNDS; r++)); do
    for name in techpayd nginx; do
      if [[ $name == techpayd ]]; then
        url=$TP_BASE$p pid=$TP_PID inm=${INM_TP[$c]}
      else
        url=$NGX_BASE$p pid=$NGX_PID inm=${INM_NGX[$c]}
      fi
      run_load "$client" "$name" "$url" "$DURATION" "$TMP/wrk/$c-round$r-$name.txt" "$pid" "$inm"
      echo "$W_RPS" >>"$TMP/med/$c.$name.rps"
      echo "$W_P50" >>"$TMP/med/$c.$name.p50"
      echo "$W_P99" >>"$TMP/med/$c.$name.p99"
      echo "$W_CPU" >>"$TMP/med/$c.$name.srv"
      echo "$W_EFF" >>"$TMP/med/$c.$name.eff"
      case_errors=$((case_errors + W_NON2XX + W_SOCKERR))
      say "$row" "$r" "$name" "$W_RPS" "$W_P50" "$W_P99" "$W_REQS" "$W_NON2XX" "$W_SOCKERR" \
        "$W_BPR" "$W_CPU" "$W_EFF" "$W_SCPU" "$W_CCPU" "$W_STEAL" "$W_OTHER"
      ((W_OTHER == 0)) || contended=$((contended + 1))
    done
  done
  total_errors=$((total_errors + case_errors))
  for name in techpayd nginx; do
    for col in rps p50 p99 srv eff; do
      MED[$c.$name.$col]=$(median <"$TMP/med/$c.$name.$col")
    done
  done
  MED[$c.errors]=$case_errors
  MED[$c.ratio]=$(awk -v a="${MED[$c.techpayd.rps]}" -v b="${MED[$c.nginx.rps]}" \
    'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
  MED[$c.eratio]=$(awk -v a="${MED[$c.techpayd.eff]}" -v b="${MED[$c.nginx.eff]}" \
    'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
  say 'median req/s: techpayd %s, nginx %s; ratio techpayd/nginx (of medians): %s' \
    "${MED[$c.techpayd.rps]}" "${MED[$c.nginx.rps]}" "${MED[$c.ratio]}"
  if [[ $c == pay ]]; then
    say ' (target >= 0.8: %s)' \
      "$(awk -v r="${MED[$c.ratio]}" 'BEGIN { print (r >= 0.8 ? "met" : "NOT met") }')"
  fi
  say '\nmedian req/cpu-s: techpayd %.0f, nginx %.0f; ratio techpayd/nginx: %s\n' \
    "${MED[$c.techpayd.eff]}" "${MED[$c.nginx.eff]}" "${MED[$c.eratio]}"
  say 'errors (non-2xx/non-304 + socket) in this case: %s\n\n' "$case_errors"
done

say '=== summary (medians over %s round(s); p50/p99 are medians of the per-round percentiles)\n' "$ROUNDS"
srow='%-10s %-6s %10s %10s %6s %7s %8s %7s %7s %9s %9s %6s %6s\n'
say "$srow" case client 'tp req/s' 'ngx req/s' ratio 'tp p50' 'tp p99' 'tp srv%' 'ngx srv%' \
  'tp req/cs' 'ngx req/cs' 'ratio' errors
for c in "${CASES[@]}"; do
  say "$srow" "$c" "${CLIENT[$c]}" "${MED[$c.techpayd.rps]}" "${MED[$c.nginx.rps]}" "${MED[$c.ratio]}" \
    "${MED[$c.techpayd.p50]}" "${MED[$c.techpayd.p99]}" "${MED[$c.techpayd.srv]%.*}" \
    "${MED[$c.nginx.srv]%.*}" "${MED[$c.techpayd.eff]%.*}" "${MED[$c.nginx.eff]%.*}" \
    "${MED[$c.eratio]}" "${MED[$c.errors]}"
done
say '(p50/p99 in ms; ratio = techpayd/nginx of the median req/s, target >= 0.8 for pay;\n'
say ' req/cs = requests per second of server CPU time, with its own techpayd/nginx ratio)\n'
say 'errors (non-2xx/non-304 + socket) over all measured runs: %s\n' "$total_errors"
say 'measured runs with another wrk/h2load running: %s of %s\n' "$contended" \
  "$((${#CASES[@]} * ROUNDS * 2))"
say 'load average at end: %s; measuring took %s s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$((SECONDS - START_TS))"

if [[ -n $RESULTS_DIR ]]; then
  mkdir -p "$RESULTS_DIR"
  cp "$SUMMARY" "$TMP"/wrk/*.txt "$RESULTS_DIR"/
  cp "$TMP/nginx/nginx.conf" "$RESULTS_DIR/nginx.conf"
  log "raw outputs copied to $RESULTS_DIR"
fi
