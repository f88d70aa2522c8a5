#!/bin/sh
# make bench: runs every tests/bench/bench-*.sh; each prints its rows of one table:
#   area | measure | median | p99 | target | ratio/peer
# Benchmarks report; they never fail the build on a time.
set -u
cd "$(dirname "$0")/../.."
printf '%-10s | %-52s | %12s | %12s | %-22s | %s\n' area measure median p99 target "ratio / note"
printf '%s\n' "-----------+------------------------------------------------------+--------------+--------------+------------------------+-------------"
for b in tests/bench/bench-*.sh; do
	[ -f "$b" ] || continue
	BUILD="$(pwd)/build" sh "$b" || echo "$(basename "$b"): failed (exit $?)" >&2
done
