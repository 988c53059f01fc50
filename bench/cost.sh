#!/usr/bin/env bash
# bench/cost.sh - the server CPU time one uncached request costs, per URL.
#
# Usage: bench/cost.sh [-b TECHPAYD] [-n N] [-a 'ARG...'] DB URL...
#
#   -b TECHPAYD  the binary                          [build-release/techpayd]
#   -n N         requests per URL                                      [20]
#   -a ARGS      more techpayd flags, e.g. '--query-timeout 0'
#   DB           a database file; it is opened --read-only, never changed
#   URL          a path and query; every {i} in it becomes the request's
#                number (0..N-1), so that each request is a new cache key
#                (e.g. '/salaries?offset=1990{i}'); a URL without {i} is
#                answered from the response cache after its first request
#
# techpayd runs on 127.0.0.1 with one thread and --access-log off. For each
# URL, one curl process sends the N requests over one kept-alive connection;
# the server's utime + stime (/proc/PID/stat) before and after, divided by
# N, is the CPU per request; the statuses and the median and 99th-percentile
# wall times are printed with it. The figure includes the HTTP work (a few tens of us),
# and the tick is 1/CLK_TCK s, so small costs need a larger N.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=$REPO/build-release/techpayd
n=20
extra=""
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

while (($#)); do
  case $1 in
    -b) bin=${2:?-b needs a path}; shift 2 ;;
    -n) n=${2:?-n needs a number}; shift 2 ;;
    -a) extra=${2?-a needs flags}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) printf 'cost: unknown option %s\n' "$1" >&2; exit 2 ;;
    *) break ;;
  esac
done
(($# >= 2)) || { usage >&2; exit 2; }
[[ $n =~ ^[0-9]+$ ]] && ((n >= 1)) || { echo "cost: -n must be 1 or more" >&2; exit 2; }
db=$1
shift
[[ -x $bin ]] || { echo "cost: no techpayd at $bin" >&2; exit 1; }
[[ -f $db ]] || { echo "cost: no database $db" >&2; exit 1; }

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
CLK_TCK=$(getconf CLK_TCK)
port=$(free_port $((30000 + RANDOM % 20000)))
SRV_PID=""
trap 'stop_pid "$SRV_PID"' EXIT

# shellcheck disable=SC2086 # $extra is a list of flags
"$bin" --bind 127.0.0.1 --port "$port" --db "$db" --read-only --threads 1 \
  --access-log off --log-level warning $extra &
SRV_PID=$!
for ((i = 0; i < 100; i++)); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
  kill -0 "$SRV_PID" 2>/dev/null || die "techpayd exited at start-up"
  sleep 0.05
done

ticks() { awk '{ print $14 + $15 }' "/proc/$SRV_PID/stat"; }

printf '%-70s %10s %10s %10s  %s\n' "url" "cpu ms/req" "wall p50" "wall p99" "statuses"
for url in "$@"; do
  args=()
  for ((i = 0; i < n; i++)); do
    args+=(-o /dev/null "http://127.0.0.1:$port${url//\{i\}/$i}")
  done
  before=$(ticks)
  out=$(curl -s -w '%{http_code} %{time_total}\n' "${args[@]}")
  after=$(ticks)
  # nearest rank: the smallest time at least that share of the requests took
  pct=$(awk '{ print $2 }' <<<"$out" | sort -g |
    awk '{ w[NR] = $1 } END { i = int(NR * 0.99); if (i < NR * 0.99) i++; print w[int((NR + 1) / 2)], w[i] }')
  codes=$(awk '{ print $1 }' <<<"$out" | sort | uniq -c | awk '{ printf "%sx%s ", $2, $1 }')
  awk -v url="$url" -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$n" -v w="$pct" -v c="$codes" \
    'BEGIN { split(w, p, " "); printf "%-70s %10.2f %10.2f %10.2f  %s\n", url, t * 1000 / hz / n,
      p[1] * 1000, p[2] * 1000, c }'
done
