# shellcheck shell=bash
# Debian packages the build and the tests need, and a function that installs
# whichever are missing. Sourced by run.sh and test.sh.

# zlib1g-dev builds the gzip support; its runtime, zlib1g, is in every Debian base.
# libcsv-dev: POST /import reads CSV with libcsv, a well-kept RFC 4180 parser
# that streams (quoted fields, embedded newlines, input cut anywhere).
# shellcheck disable=SC2034 # used by the scripts that source this file
BUILD_PACKAGES=(meson ninja-build pkg-config gcc libc6-dev
                libmicrohttpd-dev libjansson-dev libsqlite3-dev zlib1g-dev libcsv-dev)
# shellcheck disable=SC2034
TEST_PACKAGES=(check libsubunit-dev valgrind)

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
