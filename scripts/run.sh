#!/usr/bin/env bash
# Installs what is missing, builds, and serves the API on port 8080 (or as
# configured by flags and TECHPAY_* variables) until Ctrl-C. The first start
# creates and seeds ./techpay.db.
# Usage: scripts/run.sh [techpayd options...]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/deps.sh
. scripts/deps.sh

ensure_packages "${BUILD_PACKAGES[@]}"
configure_build build -Dtests=false >/dev/null
ninja -C build techpayd >/dev/null
exec build/techpayd "$@"
