# shellcheck shell=bash disable=SC2034 # globals set here are read by bench/run.sh
# bench/pg.sh - the PostgreSQL part of bench/run.sh (sourced, not run): for
# each size of BENCH_PG_SIZES, the database bench/gen built for SQLite is
# copied, row for row, into a throwaway PostgreSQL (tests/pg_server.sh:
# unix socket only, in its own temporary directory, stopped at the end),
# and a techpayd on it gets the same cases as the SQLite one:
#   pay, filtered             cached answers (req/s against SQLite's)
#   pay-miss, filtered-miss   every request another min_pay, so every one
#                             runs the ranking (time per request against
#                             SQLite's: one thread, so 1 / req/s)
# The server and every PostgreSQL process are pinned to BENCH_SERVER_CPU:
# the engine's work counts against the same core as SQLite's in-process
# work. Other PostgreSQL figures (the visibility lag between replicas, the
# import rate) are measured by their own scripts; pg_case_hook, if
# defined, is called with the size and the base URL after these cases.
# Uses the helpers of bench/lib.sh and bench/large.sh.

PG_CASES=(pay filtered pay-miss filtered-miss)
PG_BENCH_PID=""
PG_SIZES_DONE=""
PG_READY=0

# pg_bench_start: a throwaway cluster pinned to the server CPU; 77 when no
# PostgreSQL server is installed.
pg_bench_start() {
  local rc=0 pid
  # shellcheck source=tests/pg_server.sh
  . "$REPO/tests/pg_server.sh"
  pg_server_start >"$TMP/pg-start.log" || rc=$?
  ((rc == 0)) || return "$rc"
  # Backends are forked by the postmaster and inherit its CPU; the
  # processes already running are pinned one by one.
  pid=$(head -n 1 "$PG_SERVER_DIR/data/postmaster.pid")
  taskset -acp "$SERVER_CPU" "$pid" >/dev/null
  for pid in $(pgrep -P "$pid"); do taskset -acp "$SERVER_CPU" "$pid" >/dev/null; done
}

# pg_bench_load SQLITE_DB DBNAME: DBNAME made by techpayd's migrations, then
# every table's rows copied from SQLITE_DB as they are (ids, derived pay,
# audit), triggers off (session_replication_role) since the rows are
# already what the triggers made; each identity then moves past its
# largest id. Sets PG_LOAD_MS.
pg_bench_load() {
  local db=$1 name=$2 conninfo t0 t1 table cols
  t0=$(date +%s%N)
  conninfo=$(pg_server_conninfo "$name")
  "$PG_SERVER_BINDIR/psql" -X -q -d "$PG_SERVER_CONNINFO" -c "CREATE DATABASE $name" ||
    die "cannot create the PostgreSQL database $name"
  "$BIN" migrate --db "$conninfo" >>"$TMP/pg-load.log" 2>&1 || die "techpayd migrate on PostgreSQL failed"
  {
    echo "SET session_replication_role = replica;"
    echo "BEGIN;"
    echo "TRUNCATE $(sqlite3 "$db" "SELECT group_concat(name, ', ') FROM sqlite_schema WHERE type = 'table'
      AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'roles_fts%' AND name <> 'schema_migrations'");"
    for table in $(sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE type = 'table'
        AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'roles_fts%' AND name <> 'schema_migrations'"); do
      cols=$(sqlite3 "$db" "SELECT group_concat(name, ', ') FROM pragma_table_info('$table')")
      echo "COPY $table ($cols) FROM STDIN (FORMAT csv);"
      sqlite3 -csv "$db" "SELECT $cols FROM $table"
      echo '\.'
      if [[ " $cols, " == *" id, "* ]]; then
        echo "SELECT setval(pg_get_serial_sequence('$table', 'id'), max(id)) FROM $table HAVING max(id) IS NOT NULL;"
      fi
    done
    echo "COMMIT;"
    echo "ANALYZE;"
  } | "$PG_SERVER_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$conninfo" >>"$TMP/pg-load.log" 2>&1 ||
    die "copying $db into PostgreSQL failed (see the log)"
  t1=$(date +%s%N)
  PG_LOAD_MS=$(((t1 - t0) / 1000000))
  PG_CONNINFO=$conninfo
}

# run_pg N: the PostgreSQL cases on the database of size N (still on disk).
run_pg() {
  local n=$1 port c
  pg_bench_load "$TMP/large/obs-$n.db" "obs$n"
  port=$(free_port "$PORT1")
  start_large "$PG_CONNINFO" "$port"
  PG_BENCH_PID=$LARGE_PID
  say 'PostgreSQL %s observations: copied in %s ms; start-up to the first /readyz: %s ms\n' \
    "$n" "$PG_LOAD_MS" "$START_MS"
  for c in pay filtered; do
    LMED["pg$n.$c.cold"]=$(curl -fsS -o "$TMP/pg-body" -w '%{time_total}' \
      "http://127.0.0.1:$port${LARGE_PATH[$c]}" | awk '{ printf "%.1f", $1 * 1000 }') ||
      die "GET ${LARGE_PATH[$c]} failed on PostgreSQL"
    cmp -s "$TMP/pg-body" <(curl -fsS "http://127.0.0.1:$port${LARGE_PATH[$c]}") ||
      die "GET ${LARGE_PATH[$c]} on PostgreSQL: the second answer differs from the first"
    say '  first GET %s on PostgreSQL: %s ms\n' "${LARGE_PATH[$c]}" "${LMED["pg$n.$c.cold"]}"
  done
  say '%-8s %-13s %-6s %5s %10s %8s %8s %8s %6s %6s %6s\n' obs case client round 'req/s' \
    'p50 ms' 'p99 ms' requests errors 'srv%' "cpu$SERVER_CPU%"
  for c in "${PG_CASES[@]}"; do
    large_case "pg$n" "$c" "http://127.0.0.1:$port"
  done
  if declare -F pg_case_hook >/dev/null; then pg_case_hook "$n" "http://127.0.0.1:$port"; fi
  stop_pid "$LARGE_PID"
  LARGE_PID="" PG_BENCH_PID=""
  PG_SIZES_DONE+=" $n"
}

# pg_summary: PostgreSQL against SQLite, per size; the targets of the issue.
pg_summary() {
  local n c ratio
  say '=== summary, PostgreSQL against SQLite (same data, same cases, medians)\n'
  say '%-8s %-14s %10s %10s %10s %10s  %s\n' obs case 'SQLite/s' 'PG/s' 'SQLite ms' 'PG ms' ratio
  for n in $PG_SIZES_DONE; do
    for c in "${PG_CASES[@]}"; do
      if [[ $c == *-miss ]]; then
        # time per request of one thread: 1000 / req/s; ratio = PG's time / SQLite's
        ratio=$(awk -v s="${LMED[$n.$c.rps]}" -v p="${LMED["pg$n.$c.rps"]}" \
          'BEGIN { printf "%.2fx SQLite time (target <= 2)", s / p }')
      else
        ratio=$(awk -v s="${LMED[$n.$c.rps]}" -v p="${LMED["pg$n.$c.rps"]}" \
          'BEGIN { printf "%.2fx SQLite req/s (target >= 0.9)", p / s }')
      fi
      say '%-8s %-14s %10s %10s %10s %10s  %s\n' "$n" "$c" "${LMED[$n.$c.rps]}" \
        "${LMED["pg$n.$c.rps"]}" "$(awk -v r="${LMED[$n.$c.rps]}" 'BEGIN { printf "%.3f", 1000 / r }')" \
        "$(awk -v r="${LMED["pg$n.$c.rps"]}" 'BEGIN { printf "%.3f", 1000 / r }')" "$ratio"
    done
  done
}
