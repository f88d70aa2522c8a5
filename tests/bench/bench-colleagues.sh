#!/bin/sh
# make bench: the colleague list (issue 14) at 100,000 attendees, all in one group and all here
# today: opening it (the groups with their counts, then the first page) and each page of a
# scroll from top to bottom (keyset pages of 40 through the UI thread's read-only connection).
# Target: under one frame each; reported, never failed.
set -u
BUILD=${BUILD:-$(pwd)/build}
drv=$BUILD/bench/colleagues_bench
[ -x "$drv" ] || { echo "bench-colleagues: $drv not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$drv" "$tmp/colleagues.db" --attendees "${KITH_BENCH_ATTENDEES:-100000}"
