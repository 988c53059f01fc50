#!/usr/bin/env bash
# shellcheck shell=bash
# Failover without a restart: techpayd on a multi-host connection string
# (target_session_attrs=read-write) over a throwaway primary and its
# synchronous streaming standby (pg_basebackup -R). The primary dies
# (pg_ctl stop -m immediate), the standby is promoted (pg_ctl promote);
# techpayd's next requests answer 503 with Retry-After (never a 500) until
# its connections find the new primary, then writes work again, and the
# write answered 2xx before the failover is there. Both servers listen only
# on unix sockets in their own temporary directories.
#
# Usage: TECHPAYD=build/techpayd tests/pg_failover.sh   (77: skipped)
set -u
TECHPAYD=${TECHPAYD:?set TECHPAYD to the techpayd binary}
# shellcheck source=tests/pg_server.sh
. "$(dirname "$0")/pg_server.sh"

STANDBY='' TMP='' PID=''
cleanup() {
  [ -z "$PID" ] || { kill -TERM "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; }
  if [ -n "$STANDBY" ] && [ -f "$STANDBY/data/postmaster.pid" ]; then
    pg_server_run "$PG_SERVER_BINDIR/pg_ctl" -D "$STANDBY/data" -m fast -w -t 60 -s stop
  fi
  [ -z "$STANDBY" ] || rm -rf "$STANDBY"
  [ -z "$TMP" ] || rm -rf "$TMP"
  pg_server_stop
}
fail() {
  echo "pg_failover.sh: $*" >&2
  [ -z "$TMP" ] || [ ! -f "$TMP/err.log" ] || tail -5 "$TMP/err.log" >&2
  exit 1
}

pg_server_start || exit $?
trap cleanup EXIT
TMP=$(mktemp -d "${TMPDIR:-/tmp}/techpay-failover-XXXXXX")
STANDBY=$(mktemp -d /tmp/techpay-pg-XXXXXX)
[ "$(id -u)" -ne 0 ] || chown postgres: "$STANDBY"
psql() { "$PG_SERVER_BINDIR/psql" -X -A -t -q -v ON_ERROR_STOP=1 "$@"; }

psql -d "$PG_SERVER_CONNINFO" -c "CREATE DATABASE failover" >/dev/null \
  || fail "cannot create the database"
pg_server_run "$PG_SERVER_BINDIR/pg_basebackup" -h "$PG_SERVER_DIR" -p "$PG_SERVER_PORT" \
  -U postgres -D "$STANDBY/data" -R -X stream -c fast >"$TMP/basebackup.log" 2>&1 \
  || fail "pg_basebackup failed: $(cat "$TMP/basebackup.log")"
printf "\nunix_socket_directories = '%s'\n" "$STANDBY" >>"$STANDBY/data/postgresql.conf"
pg_server_run "$PG_SERVER_BINDIR/pg_ctl" -D "$STANDBY/data" -l "$STANDBY/server.log" \
  -w -t 60 -s start || fail "the standby did not start (see $STANDBY/server.log)"
# A synchronous standby: a commit is answered once the standby applied it.
# Set after the base backup: a promoted standby that inherited it would
# wait for ever for a standby of its own.
psql -d "$PG_SERVER_CONNINFO" -c "ALTER SYSTEM SET synchronous_standby_names = '*'" \
  -c "ALTER SYSTEM SET synchronous_commit = 'remote_apply'" \
  -c "SELECT pg_reload_conf()" >/dev/null || fail "cannot configure the primary"

DB="host=$PG_SERVER_DIR,$STANDBY port=$PG_SERVER_PORT,$PG_SERVER_PORT user=postgres"
DB="$DB dbname=failover target_session_attrs=read-write connect_timeout=2"
TOKEN=failover-token-0123456789abcdef
echo "$TOKEN" >"$TMP/tokens"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$TECHPAYD" --bind 127.0.0.1 --port "$PORT" --db "$DB" --threads 1 --access-log off \
  --admin-token-file "$TMP/tokens" >"$TMP/out.log" 2>"$TMP/err.log" &
PID=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 200); do
  curl -fsS -o /dev/null "$URL/healthz" 2>/dev/null && break
  sleep 0.05
done
curl -fsS -o /dev/null "$URL/healthz" || fail "techpayd did not start: $(cat "$TMP/err.log")"

# patch TITLE: the status of a write through techpayd
patch() {
  curl -sS -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' -X PATCH \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data "{\"title\":\"$1\"}" "$URL/roles/ai-research-scientist"
}
[ "$(patch 'Before the failover')" = 200 ] || fail "the first write failed: $(cat "$TMP/body")"
[ "$(psql -d "host=$STANDBY port=$PG_SERVER_PORT user=postgres dbname=failover" \
      -c "SELECT title FROM roles WHERE slug = 'ai-research-scientist'")" = "Before the failover" ] \
  || fail "the standby does not hold the write answered 200"

start=$(date +%s%N)
pg_server_run "$PG_SERVER_BINDIR/pg_ctl" -D "$PG_SERVER_DIR/data" -m immediate -w -s stop \
  || fail "cannot stop the primary"
pg_server_run "$PG_SERVER_BINDIR/pg_ctl" -D "$STANDBY/data" -w -s promote \
  || fail "cannot promote the standby"
ok=0 refused=0
for _ in $(seq 400); do
  status=$(patch 'After the failover')
  case $status in
    200) ok=1; break ;;
    503) grep -qi '^Retry-After:' "$TMP/headers" || fail "a 503 without Retry-After"
         refused=$((refused + 1)); sleep 0.02 ;;
    *) fail "a write during the failover answered $status: $(cat "$TMP/body")" ;;
  esac
done
[ $ok = 1 ] || fail "writes did not resume; techpayd said: $(tail -5 "$TMP/err.log")"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
body=$(curl -sS "$URL/roles/ai-research-scientist") || fail "no read after the failover"
case $body in *'"After the failover"'*) ;; *) fail "the new title is not served: $body" ;; esac
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/readyz")" = 200 ] || fail "/readyz not ready"
kill -0 "$PID" 2>/dev/null || fail "techpayd exited"
echo "pg_failover.sh: writes resumed ${ms} ms after the primary stopped, $refused answered 503 first"
