# shellcheck shell=bash
# Debian packages the build and the tests need, and a function that installs
# whichever are missing. Sourced by run.sh and test.sh.

# zlib1g-dev builds the gzip support; its runtime, zlib1g, is in every Debian base.
# libcsv-dev: POST /import reads CSV with libcsv, a well-kept RFC 4180 parser
# that streams (quoted fields, embedded newlines, input cut anywhere).
# libpq-dev: the PostgreSQL engine's client library (left out of the build
# without it); postgresql: the server its tests start, each in a temporary
# directory of its own; curl: the shell tests (tests/pg_failover.sh, the
# container test) talk HTTP with it.
# shellcheck disable=SC2034 # used by the scripts that source this file
BUILD_PACKAGES=(meson ninja-build pkg-config gcc libc6-dev
                libmicrohttpd-dev libjansson-dev libsqlite3-dev zlib1g-dev libcsv-dev
                libpq-dev)
# shellcheck disable=SC2034
TEST_PACKAGES=(check libsubunit-dev valgrind postgresql curl)
# The browser tests of the web page (scripts/web-test.sh): Debian's chromium,
# and a font that the page's font stack names, so screenshots show text.
# shellcheck disable=SC2034
WEB_TEST_PACKAGES=(chromium fonts-dejavu-core)

# ensure_packages PKG...: installs the missing ones with apt-get when root;
# otherwise prints the exact command to run and fails.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "techpay: missing Debian packages; install them with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    return 1
  fi
  echo "techpay: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# configure_build DIR [MESON OPTIONS...]: sets up DIR once; later calls reuse it.
configure_build() {
  local dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    return 0
  fi
  rm -rf "$dir"
  meson setup "$dir" "$@"
}

# ensure_node: Node.js 18.17 or newer and npm, from Debian when missing.
ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    ensure_packages nodejs npm || return 1
  fi
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 17) ? 0 : 1)'; then
    echo "techpay: Node.js 18.17 or newer is needed; this is $(node --version)" >&2
    return 1
  fi
}

# npm_ci_locked DIR: installs DIR's packages exactly as its package-lock.json
# says, unless node_modules already matches it. Returns 0, 77 when the npm
# registry cannot be reached (the caller skips, as test runners count 77),
# or 1 for any other failure.
npm_ci_locked() {
  local dir=$1 log
  if [ -f "$dir/node_modules/.package-lock.json" ] \
     && [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ] \
     && [ ! "$dir/package.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    return 0
  fi
  log=$(mktemp)
  if (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1; then
    rm -f "$log"
    return 0
  fi
  cat "$log" >&2
  if grep -qE 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|CERT|certificate' "$log"; then
    rm -f "$log"
    return 77
  fi
  rm -f "$log"
  return 1
}

# techpayd_binary [PATH] ROOT: PATH (default ROOT/build-test/techpayd), made
# absolute against the current directory; fails with a hint when it is not
# built.
techpayd_binary() {
  local binary=${1:-$2/build-test/techpayd}
  case $binary in
    /*) ;;
    *) binary=$PWD/$binary ;;
  esac
  if [ ! -x "$binary" ]; then
    echo "techpay: $binary not found; build it first (ninja -C build-test) or pass its path" >&2
    return 1
  fi
  printf '%s\n' "$binary"
}
