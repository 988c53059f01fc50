#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz/) for SECONDS each (default 30),
# or only the TARGETs named: scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Targets start from their seed corpus in tests/fuzz/corpus/<target>/,
# which is only read; what they find is kept in build-fuzz/corpus/<target>/
# so that later runs go on from there without touching the repository.
# Exits non-zero when any target finds a crash, leak, undefined behaviour
# or broken invariant, and prints the reproducer and how to replay it.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/deps.sh
. scripts/deps.sh

seconds=${1:-30}
case $seconds in
  ''|*[!0-9]*|0) echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(request json_body import headers cursor)

# clang-14 and its compiler-rt (libFuzzer, ASan, UBSan runtimes).
ensure_packages "${BUILD_PACKAGES[@]}" clang libclang-rt-14-dev

build="build-fuzz"
CC=clang configure_build "$build" -Dfuzz=true -Dtests=false >/dev/null
ninja -C "$build" >/dev/null

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

failed=()
for t in "${targets[@]}"; do
  exe=$build/tests/fuzz/fuzz_$t
  if [ ! -x "$exe" ]; then
    echo "fuzz: no target named '$t'" >&2
    exit 2
  fi
  work=$build/corpus/$t
  findings=$build/findings/$t
  log=$build/fuzz-$t.log
  mkdir -p "$work" "$findings"
  dict=()
  [ -f "tests/fuzz/dict/$t.dict" ] && dict=(-dict="tests/fuzz/dict/$t.dict")
  printf '== fuzz_%s: %s s\n' "$t" "$seconds"
  rc=0
  # new inputs go to the first directory; the seeds are only read
  "$exe" "$work" "tests/fuzz/corpus/$t" "${dict[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1 || rc=$?
  # libFuzzer prints its final statistics twice after a finding
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log" | awk '!seen[$0]++' || true
  if [ "$rc" -ne 0 ]; then
    failed+=("$t")
    grep -E 'ERROR|SUMMARY|invariant|runtime error' "$log" | head -n 5 >&2 || true
    grep -oE "Test unit written to [^ ]+" "$log" | sed 's/.* //' | sort -u |
      while read -r f; do
        echo "fuzz_$t: reproducer $f; replay with: $exe $f" >&2
      done
    echo "fuzz_$t: full log in $log" >&2
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: every target ran ${seconds} s clean"
