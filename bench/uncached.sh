#!/usr/bin/env bash
# bench/uncached.sh - what a ranking costs that nobody asked before, by shape.
#
# Usage: bench/uncached.sh [-n N] [-r ROUNDS] [-b TECHPAYD]... DB
#
#   -n N         distinct requests per shape (at most 100)            [100]
#   -r ROUNDS    how often each binary is measured, alternating          [1]
#   -b TECHPAYD  a binary; give it twice (before, after) to compare them in
#                one run                          [build-release/techpayd]
#   DB           a database of bench/gen (10,000 roles), opened read-only
#
# Each shape is a URL with {i} in a filter or the offset, so every one of
# the N requests is a new cache key and runs its queries: one at a time,
# over one kept-alive connection, to a techpayd with one thread (bench/cost.sh
# does the sending and reads the server's CPU time from /proc/PID/stat).
# Printed per shape: CPU ms per request, wall p50 and p99, the statuses.
# The wall times include the load of a shared machine; the CPU time less so.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=100
rounds=1
bins=()
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

while (($#)); do
  case $1 in
    -n) n=${2:?-n needs a number}; shift 2 ;;
    -r) rounds=${2:?-r needs a number}; shift 2 ;;
    -b) bins+=("${2:?-b needs a path}"); shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) printf 'uncached: unknown option %s\n' "$1" >&2; exit 2 ;;
    *) break ;;
  esac
done
(($# == 1)) || { usage >&2; exit 2; }
if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > 100)); then
  echo "uncached: -n must be 1..100" >&2
  exit 2
fi
if ! [[ $rounds =~ ^[0-9]+$ ]] || ((rounds < 1)); then
  echo "uncached: -r must be 1 or more" >&2
  exit 2
fi
((${#bins[@]})) || bins=("$REPO/build-release/techpayd")

# {i} is 0..N-1; each value gives another answer or at least another key
SHAPES=(
  '/roles?sort=pay&min_pay=1{i}'
  '/roles?sort=pay&max_pay=1{i}999'
  '/roles?sort=total_pay&min_pay={i}'
  '/roles?sort=pay&order=asc&offset={i}01'
  '/roles?sort=title&offset={i}01'
  '/roles?category=Data&min_pay={i}'
  '/roles?skill=python&sort=pay&min_pay={i}'
  '/roles?industry=gen-industry-01&sort=pay&min_pay={i}'
  '/roles?q=data&min_pay={i}'
  '/roles?q=cloud&sort=pay&offset={i}'
  '/roles?has_pay=false&sort=title&offset={i}0'
  '/skills?limit=1{i}'
  '/skills?sort=pay&limit=1{i}'
)

for ((r = 1; r <= rounds; r++)); do
  for bin in "${bins[@]}"; do
    printf '== round %d: %s\n' "$r" "$bin"
    "$REPO/bench/cost.sh" -b "$bin" -n "$n" "$1" "${SHAPES[@]}"
  done
done
