#!/usr/bin/env bash
# bench/pay.sh - latency of GET /pay at a large number of individual
# reports with factors: uncached (each URL asked once, so every answer is
# computed), cached (the same URL again), against today's cached ranking
# (GET /roles?sort=pay) measured the same way in the same run; then the
# server's CPU time and peak RSS (VmHWM) over the whole run.
#
# Usage: bench/pay.sh [-n REPORTS] [TECHPAYD]     (default 1000000, build-test/techpayd)
#
# The reports are written by SQL into a fresh SQLite database, the same
# bytes for the same -n: 21 roles, unevenly (the largest has about a fifth
# of the reports), with every factor stated in most reports. Each timing is
# curl's time_total over one keep-alive connection, the median of the runs
# (BENCH_PAY_RUNS, default 15), in milliseconds. BENCH_PAY_DB=FILE keeps
# the database there and uses it again when it exists. Needs sqlite3 and curl.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh disable=SC1091
. "$root/bench/lib.sh"
reports=1000000
if [ "${1:-}" = "-n" ]; then
  reports=${2:?-n needs a number}
  shift 2
fi
binary=${1:-$root/build-test/techpayd}
runs=${BENCH_PAY_RUNS:-15}
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

db=${BENCH_PAY_DB:-$work/pay.db}
if [ ! -s "$db" ]; then
"$binary" migrate --db "$db" >/dev/null
# The triggers would recompute a role's pay after every row: off while
# writing, so role pay stays that of the seed (the ranking's cost is the same).
sqlite3 "$db" <<SQL
UPDATE settings SET value = 0 WHERE key = 'pay_live';
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $reports),
h AS (SELECT i, (i * 2654435761) % 4294967296 AS a, (i * 40503 + 7) % 65521 AS b,
             (i * 69069 + 1) % 1000003 AS d FROM c)
INSERT INTO salaries (role_id, amount_usd, kind, statistic, bound, source_id, section, location,
                      remote, experience_years, education, industry_id, company_stage, year)
SELECT (a % 1000) * (a % 1000) / 47620 + 1,
       40000 + (d % 200) * 1000 + (b % 23) * 2000 + (a / 1000 % 31) * 1500,
       'base', 'individual', 'exact', 1, 'bench',
       CASE b % 12 WHEN 0 THEN 'US' WHEN 1 THEN 'US-WA' WHEN 2 THEN 'US-CA' WHEN 3 THEN 'US-NY'
         WHEN 4 THEN 'GB' WHEN 5 THEN 'DE' WHEN 6 THEN 'DE-BE' WHEN 7 THEN 'IN' WHEN 8 THEN 'CA-ON'
         WHEN 9 THEN 'FR' WHEN 10 THEN 'NL' END,
       CASE d % 3 WHEN 0 THEN 0 WHEN 1 THEN 1 END,
       CASE WHEN a % 13 = 0 THEN NULL ELSE a / 1000 % 31 END,
       CASE d % 6 WHEN 0 THEN 'high_school' WHEN 1 THEN 'associate' WHEN 2 THEN 'bachelor'
         WHEN 3 THEN 'master' WHEN 4 THEN 'phd' END,
       CASE WHEN b % 7 < 5 THEN b % 7 + 1 END,
       CASE a % 4 WHEN 0 THEN 'startup' WHEN 1 THEN 'growth' WHEN 2 THEN 'established' END,
       2023 + d % 3
FROM h;
UPDATE settings SET value = 1 WHERE key = 'pay_live';
SQL
fi

port=$(free_port "${BENCH_PORT:-18470}")
"$binary" --db "$db" --bind 127.0.0.1 --port "$port" --access-log off --threads 2 \
  --query-timeout 0 >"$work/server.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
wait_http "$base/healthz" "$pid" techpayd

# median_ms URL...: each URL once over one connection, the median time in ms.
median_ms() {
  local u args=()
  for u in "$@"; do args+=(-o /dev/null "$u"); done
  curl -s -w '%{time_total}\n' "${args[@]}" | sort -n |
    awk '{ v[NR] = $1 } END { printf "%.2f", 1000 * (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
# distinct URLs of the same shape: each one computed, none from the cache
urls() {
  local i
  for ((i = 0; i < runs; i++)); do printf '%s\n' "$base$1$((i % 20))-$((i / 20 + 25))"; done
}
same() {
  local i
  for ((i = 0; i < runs; i++)); do printf '%s\n' "$base$1"; done
}

role=$(sqlite3 "$db" "SELECT slug FROM roles WHERE id = 1")
n_role=$(sqlite3 "$db" "SELECT count(*) FROM salaries WHERE role_id = 1")
curl -s -o /dev/null "$base/roles?sort=pay"
mapfile -t one < <(urls "/pay?role=$role&location=US&experience=")
mapfile -t grouped < <(urls "/pay?group_by=role&experience=")
mapfile -t ranking < <(same "/roles?sort=pay")
mapfile -t cached < <(same "/pay?role=$role&location=US&education=master")
printf 'reports %s, of role %s: %s\n' "$reports" "$role" "$n_role"
# the first /pay of a data version reads every report into memory
printf 'first /pay after start: %s ms\n' "$(median_ms "${cached[0]}")"
printf 'uncached /pay, one role, two filters (location=US, experience=A-B): %s ms\n' \
  "$(median_ms "${one[@]}")"
printf 'uncached /pay?group_by=role (experience=A-B): %s ms\n' "$(median_ms "${grouped[@]}")"
printf 'uncached /pay?group_by=role, no filter: %s ms\n' \
  "$(median_ms "$base/pay?group_by=role")"
printf 'cached /pay: %s ms; cached /roles?sort=pay: %s ms\n' "$(median_ms "${cached[@]}")" \
  "$(median_ms "${ranking[@]}")"
# a commit by another process moves the data version: the next /pay reads afresh
sqlite3 "$db" "UPDATE salaries SET amount_usd = amount_usd WHERE id = (SELECT max(id) FROM salaries)"
sleep 0.2
printf 'first /pay after a write by another process: %s ms\n' \
  "$(median_ms "$base/pay?role=$role&location=US&year=2024")"
# the server's CPU time (user + system, all threads) and its peak RSS
awk -v hz="$(getconf CLK_TCK)" '{ printf "server CPU time: %.2f s\n", ($14 + $15) / hz }' \
  "/proc/$pid/stat"
awk '/^VmHWM/ { printf "server peak RSS: %.1f MiB\n", $2 / 1024 }' "/proc/$pid/status"
