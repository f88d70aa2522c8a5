#!/bin/sh
# Exchange benchmark: publishing cost per tap against the size of the log (10k vs 1M), the
# incremental take of one new check-in after 500k, and the first full merge of 2 x 500k.
# The driver (tests/bench/bench_exchange.c) builds its own databases in a temp dir.
set -u
BUILD=${BUILD:-$(pwd)/build}
driver="$BUILD/bench/bench_exchange"
if [ ! -x "$driver" ]; then
	echo "bench-exchange: $driver not built (run make)" >&2
	exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/kith-bench-exchange.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
"$driver" "$dir" ${BENCH_EXCHANGE_ARGS:-}
