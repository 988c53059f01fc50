# shellcheck shell=bash
# shellcheck disable=SC2154 # set by scripts/container-test.sh, which sources this file
# The compose part of scripts/container-test.sh, sourced by it after the
# single-container checks (it uses that script's pm, pass, fail, abort,
# check, reachable, $image, $repo, $tag, $tmp and its cleanup lists):
# deploy/compose.yaml brought up with Debian's podman-compose, PostgreSQL
# and three techpayd replicas behind HAProxy. A write through the front
# port must be visible on every replica, a restarted replica and a
# restarted database must lose nothing, no log may show the password, and
# down -v must leave nothing behind. Every wait is bounded.

compose_project=${tag//-/_}
compose_file=$repo/deploy/compose.yaml
compose_up=0
# The images this part builds, tagged for the test and removed after it.
export TECHPAY_IMAGE=$image
export TECHPAY_POSTGRES_IMAGE=localhost/techpay-postgres:container-test
export TECHPAY_FRONT_IMAGE=localhost/techpay-haproxy:container-test
export TECHPAY_ENV_FILE=$tmp/techpay.env

# pc SECONDS ARGS...: podman-compose on this test's project, bounded in time.
pc() {
  local limit=$1
  shift
  timeout -k 5 "$limit" podman-compose -p "$compose_project" -f "$compose_file" "$@"
}
# podman-compose 1.0.3's down leaves the project's network behind.
compose_network=${compose_project}_default
compose_cleanup() {
  [ "$compose_up" -eq 1 ] || return 0
  pc 120 down -v -t 5 >/dev/null 2>&1 || true
  pm 30 network rm -f "$compose_network" >/dev/null 2>&1 || true
  compose_up=0
}

# free_port: a port on 127.0.0.1 that nothing answers on.
free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$(( 20000 + RANDOM % 20000 ))
    if ! reachable 127.0.0.1 "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}
# ready_within SECONDS URL: URL/readyz answers 200 within SECONDS.
ready_within() {
  local deadline=$(( $(date +%s) + $1 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    curl -fsS --max-time 2 -o /dev/null "$2/readyz" 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}
# total URL: how many salaries of the test's role URL lists.
total() {
  curl -fsS --max-time 2 "$1/salaries?role=cloud-architect" | jq -er .meta.total
}
# seen_ms URL N: how long until URL lists N salaries of the test's role (at
# most 5 s). The list was asked for before the writes, so the answer had to
# leave the replica's cache when another replica wrote.
seen_ms() {
  local t0 deadline
  t0=$(now_ms)
  deadline=$(( t0 + 5000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if [ "$(total "$1" 2>/dev/null)" = "$2" ]; then
      echo $(( $(now_ms) - t0 ))
      return 0
    fi
    sleep 0.01
  done
  return 1
}
# post_salary URL N: one write through URL; prints the new id.
post_salary() {
  curl -fsS --max-time 5 -X POST "$1/salaries" \
    -H "Authorization: Bearer $compose_token" -H 'Content-Type: application/json' \
    -d "{\"role\":\"cloud-architect\",\"amount\":$(( 100000 + $2 )),\"kind\":\"base\",\"statistic\":\"individual\",\"year\":2025}" \
    | jq -er '.id // .data.id'
}
# all_visible URL: every id written so far answers 200 on URL.
all_visible() {
  local id
  for id in "${compose_ids[@]}"; do
    curl -fsS --max-time 5 -o /dev/null "$1/salaries/$id" || { echo "salary $id missing on $1"; return 1; }
  done
}

say "compose: deploy/compose.yaml with podman-compose (PostgreSQL, 3 replicas, HAProxy)"
cleanup_hooks+=(compose_cleanup)
extra_images+=("$TECHPAY_POSTGRES_IMAGE" "$TECHPAY_FRONT_IMAGE")
pm 900 build --pull=never --network host --format docker -t "$TECHPAY_POSTGRES_IMAGE" "$repo/deploy/postgres" \
  >"$state/build-postgres.log" 2>&1 || abort "PostgreSQL image build (log: $state/build-postgres.log)"
pm 900 build --pull=never --network host --format docker -t "$TECHPAY_FRONT_IMAGE" "$repo/deploy/haproxy" \
  >"$state/build-haproxy.log" 2>&1 || abort "HAProxy image build (log: $state/build-haproxy.log)"
pass "the PostgreSQL image ($(( $(pm 60 image inspect --format '{{.Size}}' "$TECHPAY_POSTGRES_IMAGE") / 1000000 )) MB) and the HAProxy image ($(( $(pm 60 image inspect --format '{{.Size}}' "$TECHPAY_FRONT_IMAGE") / 1000000 )) MB) build from Debian packages"

compose_password=$(head -c 24 /dev/urandom | base64 | tr -d "/+=")
compose_token=$(head -c 24 /dev/urandom | base64 | tr -d "/+=")
printf 'PGPASSWORD=%s\nTECHPAY_ADMIN_TOKEN=%s\n' "$compose_password" "$compose_token" > "$TECHPAY_ENV_FILE"
if ! { TECHPAY_PORT=$(free_port) && TECHPAY_PORT_1=$(free_port) && TECHPAY_PORT_2=$(free_port) \
        && TECHPAY_PORT_3=$(free_port); }; then
  abort "no free ports on 127.0.0.1"
fi
export TECHPAY_PORT TECHPAY_PORT_1 TECHPAY_PORT_2 TECHPAY_PORT_3
front=http://127.0.0.1:$TECHPAY_PORT
replicas=("http://127.0.0.1:$TECHPAY_PORT_1" "http://127.0.0.1:$TECHPAY_PORT_2" "http://127.0.0.1:$TECHPAY_PORT_3")

volumes_up=$(pm 30 volume ls -q | sort)
up_start=$(now_ms)
compose_up=1
pc 300 up -d >"$state/compose-up.log" 2>&1 || { tail -n 30 "$state/compose-up.log"; abort "podman-compose up -d"; }
for u in "$front" "${replicas[@]}"; do
  ready_within 120 "$u" || {
    pm 30 ps -a --filter "label=io.podman.compose.project=$compose_project" --format '{{.Names}} {{.Status}}'
    for c in postgres techpay1 front; do echo "--- $c"; pc 30 logs "$c" 2>&1 | tail -n 10; done
    abort "compose: $u/readyz answers 200 within 120 s"
  }
done
up_ms=$(( $(now_ms) - up_start ))
pass "compose: up, and the front port and all 3 replicas ready in $((up_ms / 1000)).$(( up_ms % 1000 / 100 )) s"
check "compose: the PostgreSQL healthcheck (pg_isready) passes" \
  pm 30 healthcheck run "${compose_project}_postgres_1"

totals=()
for u in "${replicas[@]}"; do totals+=("$(total "$u" || echo '?')"); done
if [ "${totals[*]}" = "0 0 0" ]; then
  pass "compose: each replica lists no salary of the test's role yet (an answer now cached)"
else
  fail "compose: the replicas list ${totals[*]} salaries of the test's role, not 0 0 0"
fi
compose_ids=()
for n in 1 2 3 4 5 6; do
  id=$(post_salary "$front" "$n") || abort "compose: POST /salaries through the front port"
  compose_ids+=("$id")
done
pass "compose: 6 writes through the front port answered 201 (ids ${compose_ids[*]})"
seen=()
for u in "${replicas[@]}"; do
  if ms=$(seen_ms "$u" 6); then
    seen+=("${u##*:} after ${ms} ms")
  else
    fail "compose: the replica at $u lists the 6 writes within 5 s"
    seen+=("${u##*:} never")
  fi
done
# Not a measurement (a curl loop on a shared machine): docs/performance.md has those.
info "compose: the 6 writes listed by each replica (port): ${seen[*]}"
for u in "${replicas[@]}"; do check "compose: every write is visible on the replica at $u" all_visible "$u"; done

pc 60 restart techpay2 >/dev/null 2>&1 || fail "compose: podman-compose restart techpay2"
if ready_within 60 "${replicas[1]}"; then
  check "compose: replica techpay2, restarted, is ready and has every write" all_visible "${replicas[1]}"
else
  fail "compose: replica techpay2 is ready again within 60 s of its restart"
fi
if id=$(post_salary "${replicas[1]}" 7); then compose_ids+=("$id"); else fail "compose: a write to the restarted replica"; fi
pc 60 restart postgres >/dev/null 2>&1 || fail "compose: podman-compose restart postgres"
if ready_within 60 "$front"; then
  for u in "${replicas[@]}"; do
    if ready_within 60 "$u"; then
      check "compose: after the database restarted, $u has all ${#compose_ids[@]} writes" all_visible "$u"
    else
      fail "compose: $u is ready again within 60 s of the database's restart"
    fi
  done
else
  fail "compose: the front port is ready again within 60 s of the database's restart"
fi

# The backup docs/deployment.md gives: pg_dump from inside the database's
# container, as its superuser over the local socket, while the replicas serve.
# grep reads the whole listing: with -q it would stop at the match, and
# pg_restore, writing on into a closed pipe, would fail the pipeline.
if pm 120 exec "${compose_project}_postgres_1" pg_dump -Fc -U postgres techpay > "$tmp/techpay.dump" \
   && pm 60 exec -i "${compose_project}_postgres_1" pg_restore --list < "$tmp/techpay.dump" \
      | grep 'TABLE DATA public salaries' >/dev/null; then
  pass "compose: pg_dump while serving gives a dump of $(( $(wc -c < "$tmp/techpay.dump") / 1000 )) kB holding the salaries"
else
  fail "compose: pg_dump of the database"
fi

logs=$(for c in postgres techpay1 techpay2 techpay3 front; do pc 30 logs "$c" 2>&1; done; cat "$state/compose-up.log")
if grep -qF -e "$compose_password" <<<"$logs"; then
  fail "compose: the database password appears in a log"
else
  pass "compose: the database password is in no container log and not in podman-compose's output"
fi

volumes_before=$(pm 30 volume ls -q | sort)
pc 120 down -v -t 5 >/dev/null 2>&1 || fail "compose: podman-compose down -v"
pm 30 network rm -f "$compose_network" >/dev/null 2>&1 || fail "compose: removing the network $compose_network"
compose_up=0
# The project's labelled containers and volumes, and any volume that was
# there before down but not before up (an anonymous one, say).
left=$(pm 30 ps -a --filter "label=io.podman.compose.project=$compose_project" --format '{{.Names}}'; \
       pm 30 volume ls --filter "label=io.podman.compose.project=$compose_project" --format '{{.Name}}'; \
       comm -12 <(echo "$volumes_before") <(pm 30 volume ls -q | sort) | comm -13 <(echo "$volumes_up") -)
if [ -z "$left" ]; then pass "compose: down -v removed its containers, volumes and network"; else fail "compose: left behind: $left"; fi
