# shellcheck shell=bash disable=SC2034 # globals set here are read by bench/run.sh
# bench/large.sh - the large-data-set part of bench/run.sh (sourced, not
# run): bench/gen builds one database per size (10,000 roles, 500 skills,
# 20 industries, N salary observations), and each size gets a techpayd of
# its own, pinned like the seed run's, measured for:
#   start-up    exec to the first 200 from /readyz on the existing database
#               (median of 3 starts)
#   cold ms     the first request of each case after start-up: no cached
#               answer, SQLite's page cache empty (curl's time_total)
#   the cases   wrk (h2load for the 304) as in the seed run; the *-miss
#               cases give every request another min_pay (a wrk Lua
#               script), so none is answered from the response cache and
#               each runs the query: the uncached cost under load
#   peak RSS    VmHWM of that techpayd at the end
# Sizes in BENCH_PG_SIZES are then measured on PostgreSQL (bench/pg.sh).
# Uses the helpers of bench/lib.sh and the settings of bench/run.sh.

LARGE_CASES=(pay filtered compare role revalidate pay-miss filtered-miss)
declare -A LARGE_PATH=(
  [pay]='/roles?sort=pay&limit=50'
  [filtered]='/roles?skill=python&min_pay=100000&sort=pay&limit=50'
  [compare]='/compare?roles=machine-learning-engineer,cloud-architect,generated-role-0001,generated-role-0500,generated-role-2000'
  [role]='/roles/machine-learning-engineer'
  [revalidate]='/roles?sort=pay&limit=50'
  [pay-miss]='/roles?sort=pay&limit=50&min_pay=N'
  [filtered-miss]='/roles?skill=python&sort=pay&limit=50&min_pay=N'
)
# min_pay of the *-miss cases: a new value for each of 100,000 requests
declare -A LARGE_MISS_FROM=([pay-miss]=1 [filtered-miss]=50000)
declare -A LMED=()

# miss_script CASE FILE: a wrk Lua script giving each request its own min_pay.
miss_script() {
  local prefix=${LARGE_PATH[$1]%N}
  cat >"$2" <<EOF
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "$prefix" .. tostring(${LARGE_MISS_FROM[$1]} + n % 100000))
end
EOF
}

# start_large DB PORT: starts techpayd on DB (sets LARGE_PID) and sets
# START_MS to the milliseconds from exec to its first 200 from /readyz.
start_large() {
  local db=$1 port=$2 t0 t1 i
  t0=$(date +%s%N)
  taskset -c "$SERVER_CPU" "$BIN" --bind 127.0.0.1 --port "$port" --db "$db" --threads 1 \
    --access-log off >>"$TMP/large-techpayd.log" 2>&1 &
  LARGE_PID=$!
  # no sleep: curl fails at once while nothing listens, so the resolution
  # is one curl start (a few ms)
  for ((i = 0; i < 2000; i++)); do
    if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/readyz" 2>/dev/null; then
      t1=$(date +%s%N)
      START_MS=$(((t1 - t0) / 1000000))
      return 0
    fi
    kill -0 "$LARGE_PID" 2>/dev/null || die "techpayd on $db exited during start-up"
  done
  die "techpayd on $db was not ready after 2000 tries"
}

# large_case N CASE BASE: warm-up and rounds of one case; fills LMED.
large_case() {
  local n=$1 c=$2 base=$3 client=wrk url hdr="" r col
  url=$base${LARGE_PATH[$c]}
  W_SCRIPT=""
  case $c in
    revalidate)
      client=${CLIENT[revalidate]:-h2load}
      hdr="If-None-Match: $(etag_of "$url")"
      ;;
    *-miss)
      W_SCRIPT=$TMP/$c.lua
      miss_script "$c" "$W_SCRIPT"
      url=$base/
      ;;
  esac
  for col in rps p50 p99; do : >"$TMP/med/large.$n.$c.$col"; done
  local errors=0
  if ((LARGE_WARMUP > 0)); then
    run_load "$client" techpayd "$url" "$LARGE_WARMUP" "$TMP/wrk/large-$n-$c-warmup.txt" "$LARGE_PID" "$hdr"
  fi
  for ((r = 1; r <= LARGE_ROUNDS; r++)); do
    run_load "$client" techpayd "$url" "$LARGE_DURATION" "$TMP/wrk/large-$n-$c-round$r.txt" "$LARGE_PID" "$hdr"
    echo "$W_RPS" >>"$TMP/med/large.$n.$c.rps"
    echo "$W_P50" >>"$TMP/med/large.$n.$c.p50"
    echo "$W_P99" >>"$TMP/med/large.$n.$c.p99"
    errors=$((errors + W_NON2XX + W_SOCKERR))
    LARGE_MEASURED=$((LARGE_MEASURED + 1))
    ((W_OTHER == 0)) || LARGE_CONTENDED=$((LARGE_CONTENDED + 1))
    say '%-8s %-13s %-6s %5s %10s %8s %8s %8s %6s %6s %6s\n' "$n" "$c" "$client" "$r" "$W_RPS" \
      "$W_P50" "$W_P99" "$W_REQS" "$((W_NON2XX + W_SOCKERR))" "$W_CPU" "$W_SCPU"
  done
  W_SCRIPT=""
  for col in rps p50 p99; do
    LMED[$n.$c.$col]=$(median <"$TMP/med/large.$n.$c.$col")
  done
  LMED[$n.$c.errors]=$errors
  LARGE_ERRORS=$((LARGE_ERRORS + errors))
}

# run_large BIN SEED "N...": the whole large-data-set part.
run_large() {
  local bin=$1 seed=$2 sizes=$3 n port c i
  local -a starts
  PG_READY=0
  if [[ $PG_SIZES != none ]]; then
    local rc=0
    pg_bench_start || rc=$?
    case $rc in
      0) PG_READY=1 ;;
      77) log "PostgreSQL cases skipped: $(cat "$TMP/pg-start.log")" ;;
      *) die "the throwaway PostgreSQL did not start" ;;
    esac
  fi
  log "bench/gen: building the large data set for sizes $sizes (seed $seed)"
  # shellcheck disable=SC2086 # the sizes are words
  "$REPO/bench/gen" -s "$seed" -b "$bin" -o "$TMP/large" $sizes >"$TMP/gen.log" 2>&1 ||
    { cat "$TMP/gen.log" >&2; die "bench/gen failed"; }
  say '=== large data set (bench/gen -s %s): 10,000 roles, 500 skills, 20 industries\n' "$seed"
  sed -n 's/^gen: //p' "$TMP/gen.log" | tee -a "$SUMMARY"
  say 'per case: %ss warm-up, then %s round(s) x %ss; one techpayd per size (--threads 1, CPU %s)\n' \
    "$LARGE_WARMUP" "$LARGE_ROUNDS" "$LARGE_DURATION" "$SERVER_CPU"
  for n in $sizes; do
    port=$(free_port "$PORT1")
    starts=()
    for i in 1 2 3; do
      start_large "$TMP/large/obs-$n.db" "$port"
      starts+=("$START_MS")
      stop_pid "$LARGE_PID"
      LARGE_PID=""
    done
    LMED[$n.start]=$(printf '%s\n' "${starts[@]}" | median)
    start_large "$TMP/large/obs-$n.db" "$port"
    say '%s observations: start-up to the first /readyz: %s ms (3 starts: %s; then %s ms)\n' \
      "$n" "${LMED[$n.start]%.*}" "${starts[*]}" "$START_MS"
    # The first request of each case: nothing cached yet.
    for c in "${LARGE_CASES[@]}"; do
      [[ $c != revalidate && $c != *-miss ]] || continue
      LMED[$n.$c.cold]=$(curl -fsS -o "$TMP/large-body" -w '%{time_total}' \
        "http://127.0.0.1:$port${LARGE_PATH[$c]}" | awk '{ printf "%.1f", $1 * 1000 }') ||
        die "GET ${LARGE_PATH[$c]} failed on the $n database"
      LMED[$n.$c.bytes]=$(wc -c <"$TMP/large-body")
      say '  first GET %s: %s ms, %s bytes\n' "${LARGE_PATH[$c]}" "${LMED[$n.$c.cold]}" \
        "${LMED[$n.$c.bytes]}"
    done
    say '%-8s %-13s %-6s %5s %10s %8s %8s %8s %6s %6s %6s\n' obs case client round 'req/s' \
      'p50 ms' 'p99 ms' requests errors 'srv%' "cpu$SERVER_CPU%"
    for c in "${LARGE_CASES[@]}"; do
      large_case "$n" "$c" "http://127.0.0.1:$port"
    done
    LMED[$n.rss]=$(peak_rss_mib "$LARGE_PID")
    say '%s observations: peak RSS %s MiB\n\n' "$n" "${LMED[$n.rss]}"
    stop_pid "$LARGE_PID"
    LARGE_PID=""
    if ((PG_READY)) && [[ " $PG_SIZES " == *" $n "* ]]; then run_pg "$n"; fi
    rm -f "$TMP/large/obs-$n.db"*
  done
  LARGE_SIZES_DONE=$sizes
}

# large_summary: one line per case, the sizes side by side.
large_summary() {
  local n c line
  say '=== summary, large data set (medians; p50/p99 in ms; cold = first request, ms)\n'
  line=$(printf '%-14s' case)
  for n in $LARGE_SIZES_DONE; do
    line+=$(printf ' | %-8s %9s %7s %7s %7s' "$n" 'req/s' p50 p99 cold)
  done
  say '%s\n' "$line"
  for c in "${LARGE_CASES[@]}"; do
    line=$(printf '%-14s' "$c")
    for n in $LARGE_SIZES_DONE; do
      line+=$(printf ' | %-8s %9s %7s %7s %7s' '' "${LMED[$n.$c.rps]}" "${LMED[$n.$c.p50]}" \
        "${LMED[$n.$c.p99]}" "${LMED[$n.$c.cold]:--}")
    done
    say '%s\n' "$line"
  done
  line=$(printf '%-14s' 'start-up ms')
  for n in $LARGE_SIZES_DONE; do line+=$(printf ' | %-8s %35s' '' "${LMED[$n.start]%.*}"); done
  say '%s\n' "$line"
  line=$(printf '%-14s' 'peak RSS MiB')
  for n in $LARGE_SIZES_DONE; do line+=$(printf ' | %-8s %35s' '' "${LMED[$n.rss]}"); done
  say '%s\n' "$line"
  say '(targets at 1M: pay and filtered p50 < 5 ms and p99 < 20 ms, compare p50 < 5 ms,\n'
  say ' peak RSS < 64 MiB, start-up < 200 ms; *-miss = every request a cache miss)\n'
}
