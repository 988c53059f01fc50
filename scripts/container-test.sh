#!/usr/bin/env bash
# Builds the image from the Dockerfile with podman and checks it the way a
# deployment uses it: a volume on /data, a published port, a non-root
# process, the HEALTHCHECK, a read-only root filesystem, a clean SIGTERM stop,
# data that survives a new container, a read-only replica seeded the way
# deploy/kubernetes.yaml seeds it, and the image size. Then deploy/compose.yaml
# with podman-compose: PostgreSQL and three replicas behind one port, writes
# seen on every replica, restarts that lose nothing (scripts/container-compose.sh).
#
# Usage: scripts/container-test.sh [--keep] [--context DIR]
#   --keep         leave the images (localhost/techpay:container-test, and
#                  techpay-postgres and techpay-haproxy with that tag) behind
#   --context DIR  build this directory instead of the repository
#
# Needs no Docker engine and no registry: podman runs daemonless with runc,
# and the base image debian:bookworm-slim is made once with debootstrap from
# the Debian archive this machine's apt uses. Packages that are missing are
# installed with apt-get. Nothing under /etc is changed: podman's settings
# and storage live in a state directory.
#
# Environment:
#   TECHPAY_CTR_DIR        state directory (default /var/tmp/techpay-ctr)
#   TECHPAY_CTR_STORAGE    overlay or vfs (default: overlay when this kernel
#                          can mount it, else vfs)
#   TECHPAY_CTR_PORT       host port on 127.0.0.1 (default: a free one)
#   TECHPAY_CTR_MAX_MB     image size limit in MB of 10^6 bytes (default 92:
#                          the image measured 90.3 MB once it carried the
#                          PostgreSQL client, libpq5 with libssl3, Kerberos
#                          and libldap, which it needs; the rest is the 77.9 MB
#                          base. 92 leaves room for a security update of them)
#   TECHPAY_CTR_COMPOSE=0  leave out the compose part
#   TECHPAY_CTR_STRICT_STOP=1  fail, not just warn, when a request is cut off
#                          while the server stops (see below)
#   TECHPAY_CTR_MIRROR     Debian archive for debootstrap (default: the first
#                          one in this machine's apt sources)
#
# Exit status: 0 every check passed, 1 a check failed, 77 cannot run here
# (not root, no Debian archive reachable, podman cannot start a container).
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)

keep=0
context=$repo
while [ $# -gt 0 ]; do
  case $1 in
    --keep) keep=1 ;;
    --context) context=${2:?--context needs a directory}; shift ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "container-test: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

state=${TECHPAY_CTR_DIR:-/var/tmp/techpay-ctr}
max_mb=${TECHPAY_CTR_MAX_MB:-92}
image=localhost/techpay:container-test
base_image=docker.io/library/debian:bookworm-slim
tag=techpay-ctest-$$
packages=(podman buildah runc debootstrap uidmap slirp4netns containernetworking-plugins
          fuse-overlayfs iptables curl jq ca-certificates
          podman-compose golang-github-containernetworking-plugin-dnsname)

skip() { echo "container-test: SKIP: $*"; exit 77; }
say() { printf '\n== %s\n' "$*"; }
now_ms() { date +%s%3N; }

# --- can this machine run it at all? -----------------------------------------

[ "$(id -u)" -eq 0 ] || skip "needs root (apt-get, debootstrap and rootful podman)"
[ -r /etc/debian_version ] || skip "needs a Debian machine (apt-get, debootstrap)"
[ -f "$context/Dockerfile" ] || { echo "container-test: no Dockerfile in $context" >&2; exit 2; }

# The Debian archive this machine's apt uses: debootstrap, apt-get and the
# image build all fetch from it.
mirror=${TECHPAY_CTR_MIRROR:-}
[ -n "$mirror" ] || mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 !~ /^\[/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || skip "no Debian archive in this machine's apt sources"

# reachable HOST PORT: a TCP connection within 10 s (bash's /dev/tcp, so it
# needs nothing installed).
reachable() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 10 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}
proxy=${http_proxy:-${HTTP_PROXY:-}}
if [ -z "$proxy" ]; then
  proxy=$(apt-config dump 2>/dev/null | awk -F'"' '/^Acquire::http::Proxy /{ print $2; exit }')
fi
if [ -n "$proxy" ]; then target=$proxy; else target=$mirror; fi
hostport=${target#*://}
hostport=${hostport%%/*}
hostport=${hostport##*@}
case $target in https://*) port=443 ;; *) port=80 ;; esac
host=${hostport%:*}
[ "$host" = "$hostport" ] || port=${hostport##*:}
reachable "$host" "$port" || skip "cannot reach the Debian archive at $target"

# --- tools ---------------------------------------------------------------------

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "container-test: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq
  timeout 900 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- podman's private settings -------------------------------------------------

mkdir -p "$state"
driver=${TECHPAY_CTR_STORAGE:-}
if [ -z "$driver" ]; then
  # Native overlay needs a kernel and a backing filesystem that allow it.
  probe=$(mktemp -d "$state/overlay-probe.XXXXXX")
  mkdir "$probe/lower" "$probe/upper" "$probe/work" "$probe/merged"
  if mount -t overlay overlay \
       -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
    umount "$probe/merged"
    driver=overlay
  else
    driver=vfs
  fi
  rm -rf "$probe"
fi
# runc with cgroupfs: crun and the systemd cgroup manager are not usable on
# every host (hybrid cgroups, no systemd). Default ulimits no higher than this
# shell's hard limits, which even root may be unable to raise in a sandbox.
hard_nofile=$(ulimit -Hn)
[ "$hard_nofile" = unlimited ] && hard_nofile=1048576
hard_nproc=$(ulimit -Hu)
if [ "$hard_nproc" = unlimited ] || [ "$hard_nproc" -gt 32768 ]; then hard_nproc=32768; fi
cat > "$state/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$hard_nofile:$hard_nofile", "nproc=$hard_nproc:$hard_nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
cat > "$state/storage.conf" <<CONF
[storage]
driver = "$driver"
runroot = "$state/run-$driver"
graphroot = "$state/storage-$driver"
CONF
export CONTAINERS_CONF="$state/containers.conf" CONTAINERS_STORAGE_CONF="$state/storage.conf"

# pm SECONDS ARGS...: podman, bounded in time. Podman schedules the
# HEALTHCHECK on a systemd timer; on a host without systemd it logs an error
# for each container instead, which is dropped here (podman healthcheck run
# still runs the check on demand).
pm() {
  local limit=$1
  shift
  timeout -k 5 "$limit" podman "$@" 2> >(grep -v 'unable to get systemd connection' >&2)
}

# --- cleanup -------------------------------------------------------------------

containers=()
volumes=()
extra_images=()
cleanup_hooks=()
bg_pids=()
rootfs=""
tmp=$(mktemp -d)
cleanup() {
  local id
  for id in "${cleanup_hooks[@]}"; do "$id"; done
  for id in "${bg_pids[@]}"; do kill "$id" 2>/dev/null || true; done
  for id in "${containers[@]}"; do pm 30 rm -f -t 2 "$id" >/dev/null 2>&1 || true; done
  for id in "${volumes[@]}"; do pm 30 volume rm -f "$id" >/dev/null 2>&1 || true; done
  if [ "$keep" -eq 0 ]; then pm 60 rmi -f "$image" "${extra_images[@]}" >/dev/null 2>&1 || true; fi
  [ -z "$rootfs" ] || rm -rf "$rootfs"
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- results -------------------------------------------------------------------

passed=0
failed=0
results=()
pass() { passed=$((passed + 1)); results+=("PASS  $*"); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); results+=("FAIL  $*"); echo "FAIL: $*"; }
info() { results+=("info  $*"); echo "info: $*"; }
warn() { results+=("WARN  $*"); echo "WARN: $*"; }
summary() {
  say "summary"
  printf '%s\n' "${results[@]}"
  echo "container-test: $passed passed, $failed failed"
}
# abort WHAT: a failure the later checks cannot go on from.
abort() {
  fail "$*"
  summary
  exit 1
}
# check WHAT CMD...: PASS when CMD succeeds.
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# --- the base image ------------------------------------------------------------

if ! pm 60 image exists "$base_image"; then
  say "making $base_image with debootstrap from $mirror (once)"
  rootfs=$(mktemp -d "$state/rootfs.XXXXXX")
  timeout 900 debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$tmp/debootstrap.log" 2>&1 \
    || { tail -n 20 "$tmp/debootstrap.log" >&2; abort "debootstrap of bookworm from $mirror"; }
  # The host's apt sources, and the apt/dpkg settings of the official slim image.
  rm -f "$rootfs/etc/apt/sources.list"
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    cp /etc/apt/sources.list.d/debian.sources "$rootfs/etc/apt/sources.list.d/"
  else
    echo "deb $mirror bookworm main" > "$rootfs/etc/apt/sources.list"
  fi
  printf 'Acquire::Check-Valid-Until "false";\n' > "$rootfs/etc/apt/apt.conf.d/99no-check-valid"
  printf '%s\n' 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };' \
    'Dir::Cache::pkgcache "";' 'Dir::Cache::srcpkgcache "";' > "$rootfs/etc/apt/apt.conf.d/docker-clean"
  printf 'Acquire::Languages "none";\n' > "$rootfs/etc/apt/apt.conf.d/docker-no-languages"
  printf 'force-unsafe-io\n' > "$rootfs/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/groff/*' 'path-exclude /usr/share/info/*' \
    'path-exclude /usr/share/lintian/*' 'path-exclude /usr/share/linda/*' \
    'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' \
    > "$rootfs/etc/dpkg/dpkg.cfg.d/docker"
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,linda}/* "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/*.log
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  tar --numeric-owner -C "$rootfs" -c . \
    | pm 600 import --change 'CMD ["/bin/bash"]' - "$base_image" >/dev/null \
    || abort "importing the base image"
  rm -rf "$rootfs"
  rootfs=""
fi

if ! err=$(pm 120 run --rm --pull=never --network none "$base_image" true 2>&1); then
  skip "podman cannot start a container here: $(printf '%s' "$err" | tail -n 1)"
fi

# --- build ---------------------------------------------------------------------

say "podman build -t $image $context (storage: $driver, state: $state)"
build_start=$(now_ms)
# The docker format keeps the HEALTHCHECK, which the OCI format cannot hold.
echo "(build output: $state/build.log)"
if ! pm 1800 build --pull=never --network host --format docker -t "$image" "$context" \
     >"$state/build.log" 2>&1; then
  tail -n 60 "$state/build.log"
  abort "image build (the build stage also runs the test suite; log: $state/build.log)"
fi
build_ms=$(( $(now_ms) - build_start ))
pass "image builds in $((build_ms / 1000)).$(( build_ms % 1000 / 100 )) s"

size=$(pm 60 image inspect --format '{{.Size}}' "$image")
base_size=$(pm 60 image inspect --format '{{.Size}}' "$base_image")
size_text="$(( size / 1000000 )) MB ($size bytes; base image $(( base_size / 1000000 )) MB)"
if [ "$size" -lt $(( max_mb * 1000000 )) ]; then
  pass "image size $size_text is under $max_mb MB"
else
  fail "image size $size_text is not under $max_mb MB"
fi
user=$(pm 60 image inspect --format '{{.Config.User}}' "$image")
if [[ $user =~ ^[1-9][0-9]*(:[0-9]+)?$ ]]; then
  pass "image user $user is numeric and not root (Kubernetes' runAsNonRoot can verify it)"
else
  fail "image user '$user' is not a numeric non-root uid"
fi
health_cfg=$(pm 60 image inspect --format '{{json .HealthCheck}}' "$image" 2>/dev/null || true)
case $health_cfg in
  *healthcheck*) pass "image carries the HEALTHCHECK: $health_cfg" ;;
  *) fail "image carries no HEALTHCHECK (got '$health_cfg')" ;;
esac

# --- run -----------------------------------------------------------------------

port=${TECHPAY_CTR_PORT:-}
if [ -z "$port" ]; then
  for _ in $(seq 1 50); do
    candidate=$(( 20000 + RANDOM % 20000 ))
    if ! reachable 127.0.0.1 "$candidate"; then port=$candidate; break; fi
  done
  [ -n "$port" ] || abort "no free port found on 127.0.0.1"
fi
url=http://127.0.0.1:$port

# start NAME VOLUME [PODMAN RUN OPTIONS...]: runs the image detached with
# VOLUME on /data and the port published on 127.0.0.1.
start() {
  local name=$tag-$1 volume=$2
  shift 2
  containers+=("$name")
  pm 120 run -d --pull=never --name "$name" -v "$volume:/data" -p "127.0.0.1:$port:8080" \
    "$@" "$image" >/dev/null
}
# wait_healthy NAME: /healthz answers 200 within 30 s.
wait_healthy() {
  local deadline=$(( $(date +%s) + 30 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    curl -fsS --max-time 2 -o /dev/null "$url/healthz" 2>/dev/null && return 0
    [ "$(pm 30 inspect --format '{{.State.Running}}' "$tag-$1" 2>/dev/null)" = true ] || break
    sleep 0.2
  done
  echo "--- logs of $1:"
  pm 30 logs "$tag-$1" 2>&1 | tail -n 20
  return 1
}
# roles_ok: the ranking's first role is the best-paid one of the seed data.
roles_ok() {
  curl -fsS --max-time 5 "$url/roles?sort=pay" \
    | jq -e '.data[0].slug == "machine-learning-engineer" and .data[0].pay == 146085' >/dev/null
}
# same A B: A is not empty and equals B.
same() { [ -n "$1" ] && [ "$1" = "$2" ]; }
etag() {
  curl -fsS --max-time 5 -D - -o /dev/null "$url/roles?sort=pay" \
    | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'
}
# stop_clean NAME: SIGTERM, then the process must exit 0 within 5 s.
stop_ms=""
stop_clean() {
  local t0 code
  t0=$(now_ms)
  pm 30 stop -t 5 "$tag-$1" >/dev/null || return 1
  stop_ms=$(( $(now_ms) - t0 ))
  code=$(pm 30 inspect --format '{{.State.ExitCode}}' "$tag-$1")
  echo "container $1 stopped in $stop_ms ms (podman stop), exit code $code"
  # techpayd's own part: from its log line for the signal to its last one
  pm 30 logs -t "$tag-$1" 2>&1 | awk '/received: finishing/ { t0 = $1 } /info: stopped/ { t1 = $1 }
    END { if (t0 != "" && t1 != "") print t0, t1 }' > "$tmp/stop-times"
  if read -r t0 t1 < "$tmp/stop-times"; then
    echo "techpayd drained and exited $(( ($(date -d "$t1" +%s%N) - $(date -d "$t0" +%s%N)) / 1000 )) us after the signal"
  fi
  [ "$code" = 0 ] && [ "$stop_ms" -lt 5000 ]
}
# root_read_only NAME: writing outside /data fails for want of a writable fs.
# shellcheck disable=SC2016 # expanded by the container's sh
root_read_only() {
  local out
  # exits 0 as soon as one write succeeds
  if out=$(pm 30 exec "$tag-$1" sh -c 'for f in /probe /tmp/probe /var/tmp/probe; do
             if echo x > "$f"; then echo "$f is writable"; exit 0; fi; done; exit 1' 2>&1); then
    echo "$out"
    return 1
  fi
  grep -q 'Read-only file system' <<<"$out" || { echo "$out"; return 1; }
}
# optional_probe PATH: an endpoint this build may not have yet; when served
# it must answer 200.
optional_probe() {
  local code
  code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$url$1" || true)
  case $code in
    200) pass "GET $1 answers 200" ;;
    404) info "GET $1: not served by this build (404)" ;;
    *) fail "GET $1 answers $code" ;;
  esac
}
# not_root NAME: the server process (PID 1) runs with a non-zero uid.
not_root() {
  local uids
  # shellcheck disable=SC2016 # awk's fields
  uids=$(pm 30 exec "$tag-$1" awk '/^Uid:/ { print $2, $3 }' /proc/1/status)
  echo "uid (real, effective) of PID 1: $uids"
  case $uids in ""|"0 "*|*" 0") return 1 ;; esac
}

say "container a: volume on /data, port 127.0.0.1:$port"
volumes+=("$tag-data")
pm 60 volume create "$tag-data" >/dev/null
start a "$tag-data" || abort "container a starts"
wait_healthy a || abort "container a answers /healthz within 30 s"
pass "container a answers /healthz"
check "GET /roles?sort=pay: machine-learning-engineer first, pay 146085" roles_ok
check "the server runs as a non-root user" not_root a
optional_probe /readyz
optional_probe /metrics
check "podman healthcheck run (the image's HEALTHCHECK) says healthy" pm 30 healthcheck run "$tag-a"
check "techpayd healthcheck exits 0 inside the container" pm 30 exec "$tag-a" techpayd healthcheck
status_a=$(pm 30 exec "$tag-a" techpayd migrate --status || true)
etag_a=$(etag || true)

# Requests in flight while the server stops: 4 clients in a loop, each
# logging curl's exit code, whether it connected, and the HTTP status.
for i in 1 2 3 4; do
  (
    end=$(( $(date +%s) + 20 ))
    while [ "$(date +%s)" -lt "$end" ] && [ ! -e "$tmp/stop-clients" ]; do
      set +e
      out=$(curl -s --connect-timeout 1 --max-time 5 -o /dev/null \
                 -w '%{time_connect} %{http_code}' "$url/roles?sort=pay&limit=500")
      rc=$?
      set -e
      echo "$rc $out"
    done > "$tmp/client-$i.log"
  ) &
  bg_pids+=("$!")
done
sleep 2
# shellcheck disable=SC2016 # awk's fields
rss=$(pm 30 exec "$tag-a" awk '/^VmHWM:|^VmRSS:/ { printf "%s %s kB  ", $1, $2 }' /proc/1/status || true)
info "memory of techpayd under 4 looping clients: $rss"

say "stop container a with SIGTERM while clients are requesting"
check "SIGTERM stops container a within 5 s with exit code 0" stop_clean a
info "stop took ${stop_ms:-?} ms"
pm 30 logs "$tag-a" 2>&1 | tail -n 3
sleep 1.5
touch "$tmp/stop-clients"
for id in "${bg_pids[@]}"; do wait "$id" || true; done
bg_pids=()
# ok: a complete 200. refused: no connection (the server had stopped
# listening). dropped: connected, then no complete answer.
# ok: a complete 200. other: a complete answer with another status.
# refused: no connection (the server had stopped listening). dropped:
# connected, then no complete answer.
read -r ok other refused dropped < <(cat "$tmp"/client-*.log | awk '
  $1 == 0 && $3 == 200 { ok++; next }
  $1 == 0 { other++; next }
  $2 + 0 == 0 { refused++; next }
  { dropped++ }
  END { print ok + 0, other + 0, refused + 0, dropped + 0 }')
counts="$ok complete, $other other status, $refused refused after it"
# A connection the server accepted but whose request it had not yet read
# when the signal came can still be closed unanswered. That race is narrow
# (a few in thousands of requests made around a stop), so by default it
# warns rather than fails.
if [ "$dropped" -eq 0 ] && [ "$ok" -gt 0 ]; then
  pass "requests during the stop: $counts, 0 cut off"
elif [ "$ok" -gt 0 ] && [ "${TECHPAY_CTR_STRICT_STOP:-0}" != 1 ]; then
  warn "requests during the stop: $counts, $dropped cut off (curl exit codes below)"
  grep -hv -e '^0 ' -e '^7 ' "$tmp"/client-*.log | sort | uniq -c | head -n 5
else
  fail "requests during the stop: $counts, $dropped cut off"
  grep -hv -e '^0 ' -e '^7 ' "$tmp"/client-*.log | sort | uniq -c | head -n 5
fi

say "container b: the same volume, read-only root filesystem"
start b "$tag-data" --read-only --read-only-tmpfs=false || abort "container b starts"
wait_healthy b || abort "container b answers /healthz within 30 s"
pass "container b serves with a read-only root filesystem"
check "container b: GET /roles?sort=pay is right" roles_ok
check "container b: the root filesystem refuses writes" root_read_only b
check "container b: /data is writable" \
  pm 30 exec "$tag-b" sh -c 'echo x > /data/probe && rm /data/probe'
status_b=$(pm 30 exec "$tag-b" techpayd migrate --status || true)
logs_b=$(pm 30 logs "$tag-b" 2>&1 || true)
if [ -n "$status_a" ] && [ "$status_a" = "$status_b" ] \
   && ! grep -q 'applied [0-9]* migration' <<<"$logs_b"; then
  pass "the data persisted in the volume: migrations not applied again, applied_at unchanged"
else
  fail "the data did not persist in the volume"
  diff <(echo "$status_a") <(echo "$status_b") || true
fi
etag_b=$(etag || true)
check "container b: the same ETag for the same data ($etag_b)" same "$etag_a" "$etag_b"
check "SIGTERM stops container b within 5 s with exit code 0" stop_clean b
info "stop took ${stop_ms:-?} ms"

say "container c: a new empty volume, read-only root filesystem (a fresh replica)"
volumes+=("$tag-fresh")
pm 60 volume create "$tag-fresh" >/dev/null
start c "$tag-fresh" --read-only --read-only-tmpfs=false || abort "container c starts"
wait_healthy c || abort "container c answers /healthz within 30 s"
pass "container c creates and seeds its database on a read-only root filesystem"
etag_c=$(etag || true)
check "container c: a fresh replica gives the same ETag ($etag_c)" same "$etag_a" "$etag_c"
check "SIGTERM stops container c within 5 s with exit code 0" stop_clean c

# deploy/kubernetes.yaml's pods: an init container seeds the emptyDir, then
# techpayd serves it read-only, which it can only do on a current database.
say "container d: a read-only replica, seeded as deploy/kubernetes.yaml does"
volumes+=("$tag-replica" "$tag-unseeded")
pm 60 volume create "$tag-replica" >/dev/null
pm 60 volume create "$tag-unseeded" >/dev/null
unseeded_rc=0
unseeded=$(pm 120 run --rm --pull=never --network none --read-only --read-only-tmpfs=false \
             -e TECHPAY_READ_ONLY=1 -v "$tag-unseeded:/data" "$image" 2>&1) || unseeded_rc=$?
if [ "$unseeded_rc" -eq 1 ]; then
  pass "without the seed step, a read-only replica refuses to start: $(tail -n 1 <<<"$unseeded")"
else
  fail "without the seed step, a read-only replica exited $unseeded_rc, not 1: $(tail -n 1 <<<"$unseeded")"
fi
check "the seed step (techpayd migrate, read-only root filesystem) builds the database" \
  pm 120 run --rm --pull=never --network none --read-only --read-only-tmpfs=false \
    -v "$tag-replica:/data" "$image" migrate
start d "$tag-replica" --read-only --read-only-tmpfs=false -e TECHPAY_READ_ONLY=1 \
  || abort "container d starts"
wait_healthy d || abort "container d answers /healthz within 30 s"
check "container d: GET /roles?sort=pay is right" roles_ok
etag_d=$(etag || true)
check "container d: the same ETag as every other replica ($etag_d)" same "$etag_a" "$etag_d"
write=$(curl -s --max-time 5 -w ' %{http_code}' -X POST "$url/salaries" \
          -H 'Authorization: Bearer container-test-token-0123' -H 'Content-Type: application/json' \
          -d '{"role":"cloud-architect","amount":1,"kind":"base","statistic":"individual","year":2025}' || true)
case $write in
  *read-only*" 403") pass "container d: a write answers 403, read-only" ;;
  *) fail "container d: a write answered '$write', not a read-only 403" ;;
esac
check "SIGTERM stops container d within 5 s with exit code 0" stop_clean d

if [ "${TECHPAY_CTR_COMPOSE:-1}" != 0 ]; then
  # shellcheck source=scripts/container-compose.sh
  . "$repo/scripts/container-compose.sh"
fi

summary
[ "$failed" -eq 0 ]
