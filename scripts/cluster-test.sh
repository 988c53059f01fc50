#!/usr/bin/env bash
# scripts/cluster-test.sh - techpayd as three replicas on one PostgreSQL
# with a synchronous streaming standby, checked from the outside over HTTP.
#
# Usage: scripts/cluster-test.sh [path/to/techpayd]     (default build-test/techpayd)
#
# Starts a throwaway primary (tests/pg_server.sh: a temporary directory, a
# unix socket only, run as the postgres user when root), makes a standby of
# it with pg_basebackup -R and makes every commit wait for it
# (synchronous_standby_names = '*', synchronous_commit = on). Then
# scripts/cluster_cases.py starts three techpayd on free 127.0.0.1 ports,
# all with one multi-host conninfo (host=PRIMARY,STANDBY
# target_session_attrs=read-write), plus one techpayd on a SQLite file,
# and runs the cases: parity with SQLite, how soon a write is seen by
# every replica, concurrent reports and imports, kill -9 mid-import, and
# failover to the standby with no answered write lost (see that file).
#
# Everything it starts it stops by PID or by data directory, from an EXIT
# trap; only loopback and unix sockets are used. Exit status: 0 when every
# case passes, 1 when one fails or the cluster cannot be set up, 77 when
# no PostgreSQL server binaries are installed (the reason on stdout).
set -euo pipefail
cd "$(dirname "$0")/.."
TECHPAYD=$(realpath "${1:-build-test/techpayd}")
if [ ! -x "$TECHPAYD" ]; then
  echo "cluster-test.sh: $TECHPAYD is not an executable (build it first)" >&2
  exit 1
fi
# shellcheck source=tests/pg_server.sh
. tests/pg_server.sh

STANDBY_DIR=
WORK_DIR=

cleanup() {
  local pid
  if [ -n "$WORK_DIR" ] && [ -f "$WORK_DIR/pids" ]; then
    # techpayd processes cluster_cases.py could not stop itself (it was killed)
    while read -r pid; do
      kill -9 "$pid" 2>/dev/null || true
    done <"$WORK_DIR/pids"
  fi
  if [ -n "$STANDBY_DIR" ]; then
    if [ -f "$STANDBY_DIR/data/postmaster.pid" ]; then
      pg_server_run "$PG_SERVER_BINDIR/pg_ctl" -D "$STANDBY_DIR/data" -m fast -w -t 60 -s stop \
        || echo "cluster-test.sh: pg_ctl stop failed; standby left in $STANDBY_DIR" >&2
    fi
    [ -f "$STANDBY_DIR/data/postmaster.pid" ] || rm -rf "$STANDBY_DIR"
  fi
  pg_server_stop || true
  [ -z "$WORK_DIR" ] || rm -rf "$WORK_DIR"
}

psql_at() {
  "$PG_SERVER_BINDIR/psql" -X -A -t -v ON_ERROR_STOP=1 \
    -d "host=$1 port=$PG_SERVER_PORT user=postgres dbname=${3:-postgres}" -c "$2"
}

# The primary, with the database the replicas migrate at their start.
start_primary() {
  pg_server_start || return $?
  psql_at "$PG_SERVER_DIR" "CREATE DATABASE techpay" >/dev/null
}

# From now on every commit on the primary waits until the standby has it:
# set only once the standby streams, or the commit would wait for ever.
make_synchronous() {
  printf "\n# cluster test\nsynchronous_commit = on\nsynchronous_standby_names = '*'\n" \
    | pg_server_run tee -a "$PG_SERVER_DIR/data/postgresql.conf" >/dev/null
  pg_server_run "$PG_SERVER_BINDIR/pg_ctl" -D "$PG_SERVER_DIR/data" -s reload
}

# The standby, streaming from the primary's socket (-c fast: the default
# spread checkpoint before the copy took over a minute here). Its own settings come
# after the copied ones: its own socket directory, and no synchronous
# standby of its own, so that once promoted it accepts writes alone.
start_standby() {
  STANDBY_DIR=$(mktemp -d "/tmp/techpay-pg-XXXXXX")
  [ "$(id -u)" -ne 0 ] || chown postgres: "$STANDBY_DIR"
  pg_server_run "$PG_SERVER_BINDIR/pg_basebackup" -D "$STANDBY_DIR/data" -R -X stream -c fast \
    -h "$PG_SERVER_DIR" -p "$PG_SERVER_PORT" -U postgres >"$WORK_DIR/basebackup.log" 2>&1 || {
    echo "cluster-test.sh: pg_basebackup failed:" >&2
    cat "$WORK_DIR/basebackup.log" >&2
    return 1
  }
  printf "\n# standby\nunix_socket_directories = '%s'\n%s\n%s\nhot_standby = on\n" \
    "$STANDBY_DIR" "synchronous_commit = on" "synchronous_standby_names = ''" \
    | pg_server_run tee -a "$STANDBY_DIR/data/postgresql.conf" >/dev/null
  pg_server_run "$PG_SERVER_BINDIR/pg_ctl" -D "$STANDBY_DIR/data" -l "$STANDBY_DIR/server.log" \
    -w -t 60 -s start || {
    echo "cluster-test.sh: the standby did not start (see $STANDBY_DIR/server.log)" >&2
    return 1
  }
}

# Waits until the primary reports its standby as synchronous.
await_sync() {
  local state
  for _ in $(seq 100); do
    state=$(psql_at "$PG_SERVER_DIR" "SELECT sync_state FROM pg_stat_replication" || true)
    [ "$state" = sync ] && return 0
    sleep 0.1
  done
  echo "cluster-test.sh: the standby never became synchronous (state '$state')" >&2
  return 1
}

trap cleanup EXIT
trap 'exit 1' INT TERM
WORK_DIR=$(mktemp -d "/tmp/techpay-cluster-XXXXXX")
rc=0
start_primary || rc=$?
if [ "$rc" -eq 77 ]; then
  exit 77
elif [ "$rc" -ne 0 ]; then
  exit 1
fi
start_standby
make_synchronous
await_sync
echo "cluster-test.sh: primary $PG_SERVER_DIR, synchronous standby $STANDBY_DIR" \
     "(PostgreSQL $(psql_at "$PG_SERVER_DIR" "SHOW server_version")), set up in $SECONDS s"

CLUSTER_PRIMARY_DIR=$PG_SERVER_DIR CLUSTER_STANDBY_DIR=$STANDBY_DIR \
CLUSTER_PG_BINDIR=$PG_SERVER_BINDIR CLUSTER_PG_PORT=$PG_SERVER_PORT \
CLUSTER_WORK_DIR=$WORK_DIR \
  python3 scripts/cluster_cases.py "$TECHPAYD"
