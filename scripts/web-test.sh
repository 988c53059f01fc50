#!/usr/bin/env bash
# Tests the web page in a real browser: installs Debian's chromium and the
# pinned playwright-core (tests/web/package-lock.json), then runs
# tests/web/run.mjs, which starts TECHPAYD on a free loopback port with a
# fresh database, drives the page, saves desktop and phone screenshots next
# to the binary (web-screenshots/) and stops the server.
#
# Usage: scripts/web-test.sh [TECHPAYD]   (default: build-test/techpayd)
#
# Exits non-zero on any failure; 77 (skipped), with the reason on one line,
# when this machine cannot run the browser: chromium cannot be installed or
# started, or the npm registry cannot be reached.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/deps.sh disable=SC1091
. "$root/scripts/deps.sh"
# A path given relative to the caller's directory stays valid after the cd.
binary=$(techpayd_binary "${1:-}" "$root")
cd "$root"

skip() {
  echo "web-test: skipped: $*" >&2
  exit 77
}

ensure_node
ensure_packages "${WEB_TEST_PACKAGES[@]}" \
  || skip "chromium is not installed and cannot be installed here (see above)"
[ -x /usr/bin/chromium ] || skip "/usr/bin/chromium is missing although the package is installed"

rc=0
npm_ci_locked tests/web || rc=$?
if [ "$rc" -eq 77 ]; then
  skip "the npm registry cannot be reached from here, so playwright-core cannot be installed"
elif [ "$rc" -ne 0 ]; then
  exit "$rc"
fi

node tests/web/run.mjs "$binary" "$(dirname "$binary")/web-screenshots"
