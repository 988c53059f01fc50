#!/usr/bin/env bash
# Checks the OpenAPI document against a standard linter and against the
# server: lints docs/openapi.json with Redocly CLI (rules in redocly.yaml),
# then starts TECHPAYD and validates its real answers against the
# document's schemas (tests/openapi/validate.mjs).
#
# Usage: scripts/openapi-check.sh [TECHPAYD]   (default: build-test/techpayd)
#
# Installs Node.js and npm from Debian when they are missing (as root; as
# another user it prints the apt-get line to run), and the pinned checkers
# from tests/openapi/package-lock.json. Exits non-zero on any failure; 77
# (skipped) when the npm registry cannot be reached.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/deps.sh disable=SC1091
. "$root/scripts/deps.sh"
# A path given relative to the caller's directory stays valid after the cd.
binary=$(techpayd_binary "${1:-}" "$root")
cd "$root"

ensure_node

# The checkers, exactly as locked. Only an unreachable registry is a reason
# to skip (exit 77): the route/document check in C still runs.
rc=0
npm_ci_locked tests/openapi || rc=$?
if [ "$rc" -eq 77 ]; then
  echo "openapi-check: skipped: the npm registry cannot be reached from here, so the" \
       "linter and validator cannot be installed" >&2
  exit 77
elif [ "$rc" -ne 0 ]; then
  exit "$rc"
fi

# Redocly CLI: no usage reports, no update check.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

echo "== lint docs/openapi.json"
tests/openapi/node_modules/.bin/redocly lint --config redocly.yaml docs/openapi.json

echo "== validate $binary against docs/openapi.json"
node tests/openapi/validate.mjs "$binary" docs/openapi.json
