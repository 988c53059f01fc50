#!/usr/bin/env bash
# bench/run.sh - throughput of techpayd's read API against nginx serving the
# byte-identical response for the identical URL (path and query string) from
# a static file, and against a conventional implementation of the ranking
# (bench/peers/ranking_fastapi.py: FastAPI + uvicorn over the same SQLite
# file, its JSON checked equal to ours), on the same machine, in the same
# run; then the same kinds of request on the large data set of bench/gen at
# several sizes (bench/large.sh). Ends with one table of ratios.
#
# Usage: bench/run.sh [--quick] [--help]
#
#   --quick   smoke run: BENCH_DURATION=2 BENCH_ROUNDS=1 BENCH_WARMUP=1,
#             large data set at 10000 observations only (and PostgreSQL)
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
#   BENCH_PEER_PORT      first port tried for the FastAPI peer      [BENCH_PORT+2]
#   BENCH_LARGE_SIZES    observations of each large database, or "none"
#                                                 [10000 100000 1000000]
#   BENCH_LARGE_DURATION, BENCH_LARGE_ROUNDS, BENCH_LARGE_WARMUP
#                        as above, for the large data set [BENCH_DURATION, ...]
#   BENCH_SEED           seed of bench/gen                          [1]
#   BENCH_PG_SIZES       large sizes also measured on a throwaway PostgreSQL
#                        (bench/pg.sh; skipped, with a line, when no server
#                        is installed), or "none"                   [10000]
#
# The peer answers the pay and filtered cases only (the ranking); the other
# cases are compared with nginx alone.
#
# Every case uses wrk (-t1, keep-alive). Only the revalidate case may use
# h2load (--h1 -t1, keep-alive, no pipelining), for both servers, when wrk
# cannot read a server's 304: wrk's HTTP parser waits for a body when a 304
# carries Content-Length, which RFC 9110 (8.6) allows.
#
# Needs: wrk, h2load (nghttp2-client), nginx (nginx-light), curl, taskset,
# python3-fastapi and python3-uvicorn (Debian's python3), the sqlite3 shell,
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

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
# shellcheck source=bench/large.sh
. "$REPO/bench/large.sh"
# shellcheck source=bench/pg.sh
. "$REPO/bench/pg.sh"

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
  : "${BENCH_LARGE_SIZES:=10000}"
fi
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNECTIONS:-32}
PORT1=${BENCH_PORT:-18400}
PORT2=${BENCH_NGINX_PORT:-$((PORT1 + 1))}
PORT3=${BENCH_PEER_PORT:-$((PORT1 + 2))}
LARGE_SIZES=${BENCH_LARGE_SIZES:-10000 100000 1000000}
LARGE_DURATION=${BENCH_LARGE_DURATION:-$DURATION}
LARGE_ROUNDS=${BENCH_LARGE_ROUNDS:-$ROUNDS}
LARGE_WARMUP=${BENCH_LARGE_WARMUP:-$WARMUP}
SEED=${BENCH_SEED:-1}
PG_SIZES=${BENCH_PG_SIZES:-10000}
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
check_uint BENCH_PEER_PORT "$PORT3"
check_uint BENCH_LARGE_DURATION "$LARGE_DURATION"
check_uint BENCH_LARGE_ROUNDS "$LARGE_ROUNDS"
check_uint BENCH_LARGE_WARMUP "$LARGE_WARMUP"
check_uint BENCH_SEED "$SEED"
[[ $PG_SIZES == none || $PG_SIZES =~ ^[0-9\ ]+$ ]] ||
  die "BENCH_PG_SIZES must be numbers separated by spaces, or none"
[[ $LARGE_SIZES == none || $LARGE_SIZES =~ ^[0-9\ ]+$ ]] ||
  die "BENCH_LARGE_SIZES must be numbers separated by spaces, or none"
((LARGE_DURATION >= 1 && LARGE_DURATION <= 600)) || die "BENCH_LARGE_DURATION must be 1..600"
((LARGE_ROUNDS >= 1 && LARGE_ROUNDS <= 50)) || die "BENCH_LARGE_ROUNDS must be 1..50"
((LARGE_WARMUP <= 60)) || die "BENCH_LARGE_WARMUP must be <= 60"
((SEED >= 1 && SEED <= 2147483646)) || die "BENCH_SEED must be 1..2147483646"
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
# The cases the FastAPI peer answers: the ranking.
declare -A CASE_PEER=([pay]=1 [filtered]=1)

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
    libmicrohttpd-dev libjansson-dev libsqlite3-dev libcsv-dev zlib1g-dev curl sqlite3 \
    python3 python3-fastapi python3-uvicorn; do
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
PEER_PID=""
LARGE_PID=""
WRK_PID=""

cleanup() {
  local rc=$?
  # Finish the job even when stdout/stderr went away (e.g. piped into head).
  set +e
  trap - EXIT INT TERM
  trap '' PIPE
  stop_pid "$WRK_PID"
  stop_pid "$NGX_PID"
  stop_pid "$PEER_PID"
  stop_pid "$LARGE_PID"
  stop_pid "$TP_PID"
  if declare -F pg_server_stop >/dev/null; then pg_server_stop; fi
  if [[ -n $TMP && -d $TMP ]]; then
    if ((rc != 0)); then
      local f
      for f in "$TMP"/techpayd.log "$TMP"/nginx/error.log "$TMP"/peer.log "$TMP"/large-techpayd.log \
        "$TMP"/pg-load.log; do
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

# ---------------------------------------------------------------- main
ensure_packages

NCPU=$(nproc)
((SERVER_CPU < NCPU && CLIENT_CPU < NCPU)) ||
  die "need CPUs $SERVER_CPU and $CLIENT_CPU, machine has $NCPU"
((SERVER_CPU != CLIENT_CPU)) || log "warning: servers and the client share CPU $SERVER_CPU"
CLK_TCK=$(getconf CLK_TCK)

NCASES=${#CASES[@]}
NPEER=0
for c in "${CASES[@]}"; do [[ -z ${CASE_PEER[$c]:-} ]] || NPEER=$((NPEER + 1)); done
NSIZES=0
[[ $LARGE_SIZES == none ]] || NSIZES=$(wc -w <<<"$LARGE_SIZES")
LOAD_SECS=$(((NCASES * 2 + NPEER) * (WARMUP + ROUNDS * DURATION)
  + NSIZES * ${#LARGE_CASES[@]} * (LARGE_WARMUP + LARGE_ROUNDS * LARGE_DURATION)))
PROBE_SECS=0
[[ " ${CASES[*]} " == *" revalidate "* && $CLIENT_304 == auto ]] && PROBE_SECS=4
log "cases: ${CASES[*]}"
log "expected duration: about $((LOAD_SECS + PROBE_SECS + 5)) s of load" \
  "($NCASES case(s) x 2 servers + $NPEER peer run(s), x (${WARMUP}s warm-up + $ROUNDS x ${DURATION}s);" \
  "$NSIZES large size(s) x ${#LARGE_CASES[@]} cases x (${LARGE_WARMUP}s + $LARGE_ROUNDS x ${LARGE_DURATION}s)," \
  "plus the build, bench/gen (about a minute for 1M observations) and checks)"

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

# The conventional peer: FastAPI + uvicorn (Debian's python3 and packages,
# whatever python3 is first on PATH), one process, over the same file.
PEER_BASE=""
if ((NPEER > 0)); then
  PORT3=$(free_port "$PORT3" "$PORT2")
  log "starting the FastAPI peer on 127.0.0.1:$PORT3 (CPU $SERVER_CPU, uvicorn, 1 process)"
  taskset -c "$SERVER_CPU" /usr/bin/python3 "$REPO/bench/peers/ranking_fastapi.py" \
    --db "$TMP/techpay.db" --port "$PORT3" >"$TMP/peer.log" 2>&1 &
  PEER_PID=$!
  PEER_BASE="http://127.0.0.1:$PORT3"
  wait_http "$PEER_BASE/healthz" "$PEER_PID" "the FastAPI peer"
fi

# Per case: byte-identical bodies (or two bodiless 304s), response sizes,
# keep-alive, and the header (if any) each server is sent; the peer's JSON
# parsed and compared with ours (its bytes differ: key spacing, escapes).
declare -A BODY_BYTES=() HDR_TP=() HDR_NGX=() KA=() INM_TP=() INM_NGX=() CLIENT=()
for c in "${CASES[@]}"; do
  p=${CASE_PATH[$c]} f=$TMP/nginx/www/${CASE_FILE[$c]}
  if [[ -n ${CASE_PEER[$c]:-} ]]; then
    curl -fsS --max-time 5 -o "$TMP/body.peer" "$PEER_BASE$p" || die "GET $PEER_BASE$p failed"
    curl -fsS --max-time 5 -o "$TMP/body.techpayd" "$TP_BASE$p" || die "GET $TP_BASE$p failed"
    same_json "$TMP/body.techpayd" "$TMP/body.peer" ||
      die "case $c: the FastAPI peer's JSON for $p is not techpayd's"
    log "case $c: the peer's JSON equals techpayd's ($(wc -c <"$TMP/body.peer") bytes from the peer)"
  fi
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
  echo "techpay benchmark: techpayd against nginx serving the same bytes for the same URL,"
  echo "the FastAPI peer (same JSON) for the ranking, and the large data set of bench/gen"
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
measured=0
LARGE_ERRORS=0 LARGE_CONTENDED=0 LARGE_MEASURED=0
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
  servers=(techpayd nginx)
  [[ -z ${CASE_PEER[$c]:-} ]] || servers+=(peer)
  if [[ -n ${CASE_PEER[$c]:-} ]] && ((WARMUP > 0)); then
    run_load "$client" peer "$PEER_BASE$p" "$WARMUP" "$TMP/wrk/$c-warmup-peer.txt" "$PEER_PID"
  fi
  for name in "${servers[@]}"; do
    for col in rps p50 p99 srv eff; do : >"$TMP/med/$c.$name.$col"; done
  done
  case_errors=0
  say "$row" round server 'req/s' 'p50 ms' 'p99 ms' requests non2xx sockerr B/resp \
    'srv%' req/cpu-s "cpu$SERVER_CPU%" "cpu$CLIENT_CPU%" 'steal%' other
  for ((r = 1; r <= ROUNDS; r++)); do
    for name in "${servers[@]}"; do
      case $name in
        techpayd) url=$TP_BASE$p pid=$TP_PID inm=${INM_TP[$c]} ;;
        nginx) url=$NGX_BASE$p pid=$NGX_PID inm=${INM_NGX[$c]} ;;
        peer) url=$PEER_BASE$p pid=$PEER_PID inm="" ;;
      esac
      run_load "$client" "$name" "$url" "$DURATION" "$TMP/wrk/$c-round$r-$name.txt" "$pid" "$inm"
      echo "$W_RPS" >>"$TMP/med/$c.$name.rps"
      echo "$W_P50" >>"$TMP/med/$c.$name.p50"
      echo "$W_P99" >>"$TMP/med/$c.$name.p99"
      echo "$W_CPU" >>"$TMP/med/$c.$name.srv"
      echo "$W_EFF" >>"$TMP/med/$c.$name.eff"
      case_errors=$((case_errors + W_NON2XX + W_SOCKERR))
      say "$row" "$r" "$name" "$W_RPS" "$W_P50" "$W_P99" "$W_REQS" "$W_NON2XX" "$W_SOCKERR" \
        "$W_BPR" "$W_CPU" "$W_EFF" "$W_SCPU" "$W_CCPU" "$W_STEAL" "$W_OTHER"
      measured=$((measured + 1))
      ((W_OTHER == 0)) || contended=$((contended + 1))
    done
  done
  total_errors=$((total_errors + case_errors))
  for name in "${servers[@]}"; do
    for col in rps p50 p99 srv eff; do
      MED[$c.$name.$col]=$(median <"$TMP/med/$c.$name.$col")
    done
  done
  MED[$c.errors]=$case_errors
  MED[$c.ratio]=$(awk -v a="${MED[$c.techpayd.rps]}" -v b="${MED[$c.nginx.rps]}" \
    'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
  MED[$c.eratio]=$(awk -v a="${MED[$c.techpayd.eff]}" -v b="${MED[$c.nginx.eff]}" \
    'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
  if [[ -z ${CASE_PEER[$c]:-} ]]; then
    MED[$c.pratio]=- MED[$c.peer.rps]=- MED[$c.peratio]=-
  else
    MED[$c.pratio]=$(awk -v a="${MED[$c.techpayd.rps]}" -v b="${MED[$c.peer.rps]}" \
      'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
    MED[$c.peratio]=$(awk -v a="${MED[$c.techpayd.eff]}" -v b="${MED[$c.peer.eff]}" \
      'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
    say 'median req/s: FastAPI peer %s; ratio techpayd/peer: %s (target >= 15: %s); per CPU-second: %s\n' \
      "${MED[$c.peer.rps]}" "${MED[$c.pratio]}" \
      "$(awk -v r="${MED[$c.pratio]}" 'BEGIN { print (r >= 15 ? "met" : "NOT met") }')" \
      "${MED[$c.peratio]}"
  fi
  say 'median req/s: techpayd %s, nginx %s; ratio techpayd/nginx (of medians): %s' \
    "${MED[$c.techpayd.rps]}" "${MED[$c.nginx.rps]}" "${MED[$c.ratio]}"
  if [[ $c == pay ]]; then
    say ' (target >= 1.2: %s)' \
      "$(awk -v r="${MED[$c.ratio]}" 'BEGIN { print (r >= 1.2 ? "met" : "NOT met") }')"
  fi
  say '\nmedian req/cpu-s: techpayd %.0f, nginx %.0f; ratio techpayd/nginx: %s\n' \
    "${MED[$c.techpayd.eff]}" "${MED[$c.nginx.eff]}" "${MED[$c.eratio]}"
  say 'errors (non-2xx/non-304 + socket) in this case: %s\n\n' "$case_errors"
done

SEED_RSS=$(peak_rss_mib "$TP_PID")
NGX_RSS=$(peak_rss_mib "$NGX_PID")
PEER_RSS=-
[[ -z $PEER_PID ]] || PEER_RSS=$(peak_rss_mib "$PEER_PID")
# The seed servers are done: the large data set gets the CPU to itself.
stop_pid "$NGX_PID" && NGX_PID=""
stop_pid "$PEER_PID" && PEER_PID=""
stop_pid "$TP_PID" && TP_PID=""

if [[ $LARGE_SIZES != none ]]; then
  run_large "$BIN" "$SEED" "$LARGE_SIZES"
fi

say '=== summary, seed data (medians over %s round(s); p50/p99 are medians of the per-round percentiles)\n' "$ROUNDS"
srow='%-10s %-6s %10s %10s %6s %9s %6s %7s %8s %9s %9s %6s %6s %6s\n'
say "$srow" case client 'tp req/s' 'ngx req/s' ratio 'peer req/s' 'x peer' 'tp p50' 'tp p99' \
  'tp req/cs' 'ngx req/cs' 'ratio' 'x peer' errors
for c in "${CASES[@]}"; do
  say "$srow" "$c" "${CLIENT[$c]}" "${MED[$c.techpayd.rps]}" "${MED[$c.nginx.rps]}" "${MED[$c.ratio]}" \
    "${MED[$c.peer.rps]}" "${MED[$c.pratio]}" \
    "${MED[$c.techpayd.p50]}" "${MED[$c.techpayd.p99]}" \
    "${MED[$c.techpayd.eff]%.*}" "${MED[$c.nginx.eff]%.*}" \
    "${MED[$c.eratio]}" "${MED[$c.peratio]}" "${MED[$c.errors]}"
done
say '(p50/p99 in ms; ratio = techpayd/nginx of the median req/s, target >= 1.2 for pay;\n'
say ' x peer = techpayd/FastAPI peer of the median req/s, target >= 15;\n'
say ' req/cs = requests per second of server CPU time, with its own ratios to nginx and the peer)\n'
say 'peak RSS after the seed cases: techpayd %s MiB (target < 16), nginx %s MiB, peer %s MiB\n' \
  "$SEED_RSS" "$NGX_RSS" "$PEER_RSS"
if [[ $LARGE_SIZES != none ]]; then
  large_summary
  [[ -z $PG_SIZES_DONE ]] || pg_summary
fi
say 'errors (non-2xx/non-304 + socket) over all measured runs: %s\n' "$((total_errors + LARGE_ERRORS))"
say 'measured runs with another wrk/h2load running: %s of %s\n' "$((contended + LARGE_CONTENDED))" \
  "$((measured + LARGE_MEASURED))"
say 'load average at end: %s; measuring took %s s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$((SECONDS - START_TS))"

if [[ -n $RESULTS_DIR ]]; then
  mkdir -p "$RESULTS_DIR"
  cp "$SUMMARY" "$TMP"/wrk/*.txt "$RESULTS_DIR"/
  cp "$TMP/nginx/nginx.conf" "$RESULTS_DIR/nginx.conf"
  log "raw outputs copied to $RESULTS_DIR"
fi
