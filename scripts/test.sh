#!/usr/bin/env bash
# Installs what is missing, builds, checks the layout of the code
# (scripts/check-layout.py), and runs every test three ways: plain,
# under AddressSanitizer + UndefinedBehaviorSanitizer, and under valgrind;
# then a short run of every fuzz target, a short soak under load, a check
# that expensive requests and imports stall nobody else, three replicas
# on a PostgreSQL primary with a synchronous standby (failover included), the
# OpenAPI checks, the Kubernetes manifests, the web page in a browser and
# the container image.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/deps.sh
. scripts/deps.sh

ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

# The PostgreSQL tests run their throwaway server as the user postgres
# (PostgreSQL refuses to run as root), who must be able to reach its
# binaries from /. Debian installs / as 0755; a bare chroot made in a
# mktemp directory has 0700, and then every PostgreSQL test would fail.
if [ "$(id -u)" -eq 0 ] && [ $((8#$(stat -c %a /) & 8#001)) -eq 0 ]; then
  echo "techpay: / is not searchable by other users (mode $(stat -c %a /));" \
       "setting o+rx so the PostgreSQL tests can run their server as postgres" >&2
  chmod o+rx /
fi

step() { printf '\n== %s\n' "$*"; }

# skippable WHAT NOTE COMMAND...: runs COMMAND; its exit status 77 (it cannot
# run on this machine, and has said why) is reported as SKIPPED, never as a
# pass; any other failure stops the run.
skippable() {
  local what=$1 note=$2 rc=0
  shift 2
  "$@" || rc=$?
  if [ "$rc" -eq 77 ]; then
    echo "$what: SKIPPED (see the reason above); not counted as passed; $note"
  elif [ "$rc" -ne 0 ]; then
    exit "$rc"
  fi
}

step "build and test"
configure_build build-test -Dtests=true >/dev/null
ninja -C build-test >/dev/null
meson test -C build-test --print-errorlogs

step "layout: includes follow the layers, sizes, the HTTP library without the store"
python3 scripts/check-layout.py --self-test
python3 scripts/check-layout.py --http-lib build-test/libtechpayhttp.a

step "without libpq: the build leaves the PostgreSQL engine out and the SQLite suites pass"
configure_build build-nopq -Dtests=true -Dpostgresql=disabled >/dev/null
grep -q 'PostgreSQL engine left out' build-nopq/meson-logs/meson-log.txt
ninja -C build-nopq >/dev/null
meson test -C build-nopq --print-errorlogs

step "AddressSanitizer + UndefinedBehaviorSanitizer"
configure_build build-asan -Dtests=true --buildtype=debug \
  -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
ninja -C build-asan >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-asan --print-errorlogs

step "valgrind (memcheck, leaks are errors)"
meson test -C build-test --setup valgrind --no-suite script --print-errorlogs

# A short run of every libFuzzer target from its seed corpus; the long runs
# are recorded in docs/security.md. TECHPAY_FUZZ_SECONDS sets the time per target.
step "fuzzing: every target ${TECHPAY_FUZZ_SECONDS:-20} s (clang, ASan + UBSan)"
scripts/fuzz.sh "${TECHPAY_FUZZ_SECONDS:-20}"

step "soak: 30 s at 256 connections of reads while imports run (bench/soak.sh)"
SOAK_BUILD_DIR=build-test nice -n 10 bench/soak.sh 30

step "stall: expensive reads and a long import beside an honest client (bench/stall.py)"
python3 bench/stall.py build-test/techpayd "${TECHPAY_STALL_SECONDS:-10}"

step "cluster: three techpayd on a PostgreSQL primary and a synchronous standby (scripts/cluster-test.sh)"
skippable "PostgreSQL cluster test" \
  "nothing else checked replicas, their visibility bound or failover" \
  nice -n 10 scripts/cluster-test.sh build-test/techpayd

step "OpenAPI: lint the document, validate real responses against it"
skippable "OpenAPI lint and response validation" \
  "check_openapi still compared the document with the route table" \
  scripts/openapi-check.sh build-test/techpayd

step "Kubernetes manifests: schemas, types, and no deployment that can lose a write"
skippable "Kubernetes manifest validation" "nothing else checked the manifests" \
  deploy/validate.sh --self-test

step "web page: in a real browser (chromium)"
skippable "web page browser tests" "check_web still checked the page's files and headers" \
  scripts/web-test.sh build-test/techpayd

# The container image, when podman is installed or TECHPAY_CONTAINER_TEST=1
# (TECHPAY_CONTAINER_TEST=0 turns it off); exit status 77 means it cannot run here.
if [ "${TECHPAY_CONTAINER_TEST:-}" = 1 ] \
   || { [ "${TECHPAY_CONTAINER_TEST:-}" != 0 ] && command -v podman >/dev/null; }; then
  step "container image"
  rc=0
  scripts/container-test.sh || rc=$?
  if [ "$rc" -eq 77 ]; then
    echo "container image: skipped"
  elif [ "$rc" -ne 0 ]; then
    exit "$rc"
  fi
else
  echo
  echo "container image: not run (podman is not installed; TECHPAY_CONTAINER_TEST=1 installs" \
       "it and runs scripts/container-test.sh); not counted as passed"
fi

step "all tests passed"
