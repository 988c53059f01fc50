# shellcheck shell=bash disable=SC2034 # globals set here are read by bench/run.sh
# bench/lib.sh - helpers shared by bench/run.sh and bench/large.sh (sourced,
# not run). Expects CLIENT_CPU, SERVER_CPU, CONNS, CLK_TCK and TMP to be set
# by the script that sources it, and WRK_PID to be stopped by its EXIT trap.

die() {
  printf 'bench: error: %s\n' "$*" >&2
  exit 1
}

log() {
  printf 'bench: %s\n' "$*" >&2
}

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

# peak_rss_mib PID: the process's peak resident set (VmHWM) in MiB.
peak_rss_mib() {
  awk '/^VmHWM:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"
}

# same_json FILE FILE: both hold the same JSON value (parsed, not bytes).
same_json() {
  /usr/bin/python3 -c 'import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(0 if a == b else 1)' "$1" "$2"
}

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
# CLIENT is wrk or h2load; with W_SCRIPT set, wrk runs that Lua script (a
# different URL per request). Sets W_RPS W_P50 W_P99 (ms) W_REQS W_NON2XX
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
    local -a script=()
    [[ -n ${W_SCRIPT:-} ]] && script=(-s "$W_SCRIPT")
    timeout --signal=INT --kill-after=5 "$((secs + 20))" \
      taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d"${secs}s" --latency --timeout 2s \
      "${hdr[@]}" "${script[@]}" "$url" >"$out" 2>&1 &
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
# Read from /proc, not pgrep: a minimal Debian has no procps.
foreign_clients() {
  cat /proc/[0-9]*/comm 2>/dev/null | grep -cxE 'wrk|h2load' || true
}

