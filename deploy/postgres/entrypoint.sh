#!/bin/sh
# Starts PostgreSQL on the cluster in $PGDATA, creating it first when the
# volume is empty: initdb (UTF-8, the C locale techpay's migrations expect),
# password authentication for every network client, and one login role
# owning one database. The password is read from PGPASSWORD and handed to
# psql as a variable on its standard input, so it appears in no command
# line and no log.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${PGPASSWORD:-}" ]; then
    echo "techpay-postgres: PGPASSWORD is not set (the env file of deploy/compose.yaml)" >&2
    exit 1
  fi
  initdb --pgdata="$PGDATA" --username=postgres --encoding=UTF8 --locale=C \
    --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  printf '%s\n' "host all all 0.0.0.0/0 scram-sha-256" "host all all ::/0 scram-sha-256" \
    >> "$PGDATA/pg_hba.conf"
  pg_ctl --pgdata="$PGDATA" --silent --wait -o "-c listen_addresses=''" start
  psql --quiet --no-psqlrc --username=postgres --dbname=postgres --set=ON_ERROR_STOP=1 \
    --set=user="$POSTGRES_USER" --set=db="$POSTGRES_DB" --set=password="$PGPASSWORD" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
  pg_ctl --pgdata="$PGDATA" --silent --wait stop
  echo "techpay-postgres: created the cluster, role $POSTGRES_USER and database $POSTGRES_DB"
fi
unset PGPASSWORD
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
