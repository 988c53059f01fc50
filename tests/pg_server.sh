#!/usr/bin/env bash
# shellcheck shell=bash
# A throwaway PostgreSQL for shell tests, the counterpart of tests/pg_server.c:
# a cluster in a fresh temporary directory (initdb with locale C, UTF-8,
# fsync off), reachable only through a unix socket in that directory, run
# as the postgres user when root (PostgreSQL refuses root), stopped by its
# data directory. Nothing else on the machine is touched.
#
# Sourced:
#   . tests/pg_server.sh
#   pg_server_start || exit $?     # 77 (skipped) when no server is installed
#   trap pg_server_stop EXIT
#   psql "$PG_SERVER_CONNINFO" ...  # or pg_server_conninfo DBNAME
# Run directly, it starts a server, runs one query and stops it: its own test.

# The socket file's name only; the socket sits in our own directory.
PG_SERVER_PORT=5432

# The newest /usr/lib/postgresql/<major>/bin with initdb, or $TECHPAY_PG_BINDIR.
pg_server_bindir() {
  local dir best='' major best_major=-1
  if [ -n "${TECHPAY_PG_BINDIR:-}" ]; then
    printf '%s\n' "$TECHPAY_PG_BINDIR"
    return 0
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] || continue
    major=${dir#/usr/lib/postgresql/}
    major=${major%%/*}
    if [ "$major" -gt "$best_major" ] 2>/dev/null; then
      best=$dir
      best_major=$major
    fi
  done
  [ -n "$best" ] && printf '%s\n' "$best"
}

# pg_server_run CMD...: runs a server binary as the owner of the cluster.
pg_server_run() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_server_start: sets PG_SERVER_BINDIR, PG_SERVER_DIR and
# PG_SERVER_CONNINFO (the "postgres" database). Returns 77 with a line on
# stdout when no server is installed, 1 with a line on stderr on failure.
pg_server_start() {
  PG_SERVER_BINDIR=$(pg_server_bindir)
  if [ -z "$PG_SERVER_BINDIR" ] || [ ! -x "$PG_SERVER_BINDIR/initdb" ]; then
    echo "skipped: no PostgreSQL server found (no /usr/lib/postgresql/*/bin/initdb;" \
         "Debian: apt-get install postgresql, or set TECHPAY_PG_BINDIR)"
    return 77
  fi
  PG_SERVER_DIR=$(mktemp -d "/tmp/techpay-pg-XXXXXX") || return 1
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$PG_SERVER_DIR" || return 1
  fi
  if ! pg_server_run "$PG_SERVER_BINDIR/initdb" -D "$PG_SERVER_DIR/data" -U postgres \
         --auth=trust --locale=C --encoding=UTF8 -N >"$PG_SERVER_DIR/setup.log" 2>&1; then
    echo "pg_server: initdb failed (see $PG_SERVER_DIR/setup.log)" >&2
    return 1
  fi
  printf "\n# test settings\nlisten_addresses = ''\nunix_socket_directories = '%s'\nport = %d\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n" \
    "$PG_SERVER_DIR" "$PG_SERVER_PORT" >>"$PG_SERVER_DIR/data/postgresql.conf"
  if ! pg_server_run "$PG_SERVER_BINDIR/pg_ctl" -D "$PG_SERVER_DIR/data" \
         -l "$PG_SERVER_DIR/server.log" -w -t 60 -s start; then
    echo "pg_server: pg_ctl start failed (see $PG_SERVER_DIR/server.log)" >&2
    return 1
  fi
  PG_SERVER_CONNINFO=$(pg_server_conninfo postgres)
}

# pg_server_conninfo DBNAME: the libpq connection string for DBNAME.
pg_server_conninfo() {
  printf 'host=%s port=%d user=postgres dbname=%s\n' "$PG_SERVER_DIR" "$PG_SERVER_PORT" "$1"
}

# pg_server_stop: stops the server by its data directory, removes the
# directory. Safe to call twice, or after a failed start.
pg_server_stop() {
  [ -n "${PG_SERVER_DIR:-}" ] || return 0
  if [ -f "$PG_SERVER_DIR/data/postmaster.pid" ]; then
    if ! pg_server_run "$PG_SERVER_BINDIR/pg_ctl" -D "$PG_SERVER_DIR/data" \
           -m fast -w -t 60 -s stop; then
      echo "pg_server: pg_ctl stop failed; cluster left in $PG_SERVER_DIR" >&2
      PG_SERVER_DIR=
      return 1
    fi
  fi
  rm -rf "$PG_SERVER_DIR"
  PG_SERVER_DIR=
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  rc=0
  pg_server_start || exit $?
  trap pg_server_stop EXIT
  answer=$("$PG_SERVER_BINDIR/psql" -X -A -t -d "$PG_SERVER_CONNINFO" \
             -c "SELECT current_setting('listen_addresses') || '|' || current_setting('lc_collate')") \
    || rc=1
  if [ "$answer" != "|C" ]; then
    echo "pg_server.sh: expected no TCP listener and locale C, got '$answer'" >&2
    rc=1
  fi
  dir=$PG_SERVER_DIR
  pg_server_stop || rc=1
  trap - EXIT
  if [ -e "$dir" ]; then
    echo "pg_server.sh: $dir is still there after the stop" >&2
    rc=1
  fi
  [ $rc -eq 0 ] && echo "pg_server.sh: ok"
  exit $rc
fi
