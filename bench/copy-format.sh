#!/usr/bin/env bash
# bench/copy-format.sh - which COPY format the PostgreSQL import should
# send: the same rows loaded by COPY in text and in binary format, and in
# text into a table without the foreign keys, on one throwaway server.
#
# Usage: bench/copy-format.sh [ROWS] [--help]
#
#   ROWS   observations to generate and load                    [1000000]
#
# Generates ROWS rows (bench/gen-salaries.sh -s 7), imports them with
# techpayd import into a throwaway PostgreSQL (tests/pg_server.sh, with
# fsync, synchronous_commit and full_page_writes on), writes them out with
# COPY TO in text and in binary format, then, BENCH_RUNS times, loads each
# file with a server-side COPY FROM into an empty copy of salaries (its
# indexes, and its two foreign keys for the first two cases) and prints the
# seconds of each load. The server parses either format itself, so this
# measures what the format costs the server, not techpayd.
#
# Environment: BENCH_BUILD_DIR [build-release], BENCH_RUNS [2].
# Needs: PostgreSQL's server binaries (initdb, pg_ctl, psql), bc.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

ROWS=1000000
case ${1:-} in
  -h|--help) usage; exit 0 ;;
  '') ;;
  *[!0-9]*) echo "copy-format.sh: ROWS must be a whole number (see --help)" >&2; exit 2 ;;
  *) ROWS=$1 ;;
esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BENCH_BUILD_DIR:-build-release}
RUNS=${BENCH_RUNS:-2}
cd "$ROOT"
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" --buildtype=release -Dtests=false >/dev/null
fi
ninja -C "$BUILD_DIR" techpayd >/dev/null
# shellcheck source=tests/pg_server.sh
. tests/pg_server.sh
pg_server_start || exit $?
TMP=$(mktemp -d)
chmod 777 "$TMP" # the server writes and reads the files itself
trap 'pg_server_stop; rm -rf "$TMP"' EXIT
PSQL="$PG_SERVER_BINDIR/psql -X -q -v ON_ERROR_STOP=1"
$PSQL -d "$PG_SERVER_CONNINFO" -c "ALTER SYSTEM SET fsync = on" \
  -c "ALTER SYSTEM SET synchronous_commit = on" -c "ALTER SYSTEM SET full_page_writes = on" \
  -c "SELECT pg_reload_conf()" -c "CREATE DATABASE bench" >/dev/null
DB=$(pg_server_conninfo bench)
"$BUILD_DIR/techpayd" migrate --db "$DB" --log-level warning
bench/gen-salaries.sh -n "$ROWS" -s 7 > "$TMP/rows.csv"
BEFORE=$($PSQL -A -t -d "$DB" -c "SELECT coalesce(max(id), 0) FROM salaries")
"$BUILD_DIR/techpayd" import "$TMP/rows.csv" --db "$DB" --log-level warning >&2
C="id, role_id, subject, amount_usd, kind, statistic, bound, scope, year, source_id, section, note"
$PSQL -d "$DB" \
  -c "COPY (SELECT $C FROM salaries WHERE id > $BEFORE) TO '$TMP/rows.txt'" \
  -c "COPY (SELECT $C FROM salaries WHERE id > $BEFORE) TO '$TMP/rows.bin' (FORMAT binary)" \
  -c "CREATE TABLE t_fk (LIKE salaries INCLUDING ALL)" \
  -c "ALTER TABLE t_fk ADD FOREIGN KEY (role_id) REFERENCES roles (id), ADD FOREIGN KEY (source_id) REFERENCES sources (id)" \
  -c "CREATE TABLE t_nofk (LIKE salaries INCLUDING ALL)"
echo "copy-format.sh: $(du -h "$TMP/rows.txt" | cut -f1) of text, $(du -h "$TMP/rows.bin" | cut -f1) of binary" >&2
for run in $(seq "$RUNS"); do
  for c in t_fk:text t_fk:binary t_nofk:text; do
    set -- "${c%%:*}" "${c#*:}"
    f=$TMP/rows.txt; opt=
    [ "$2" = binary ] && { f=$TMP/rows.bin; opt="(FORMAT binary)"; }
    $PSQL -d "$DB" -c "TRUNCATE $1" -c "CHECKPOINT"
    t0=$(date +%s.%N)
    $PSQL -d "$DB" -c "COPY $1 ($C) FROM '$f' $opt"
    t1=$(date +%s.%N)
    printf 'run %d  %-6s %-6s %6.2f s\n' "$run" "$2" "$([ "$1" = t_fk ] && echo fk || echo no-fk)" "$(echo "$t1 - $t0" | bc)"
  done
done
