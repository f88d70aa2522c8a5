#!/bin/sh
# Storage benchmark: tap path (badge lookup + durable record + colleagues) on 100,000
# attendees and 1,000,000 check-ins, and the check-in export against sqlite3 ".backup".
# The driver (tests/bench/bench_store.c) builds its own synthetic database in a temp dir.
set -u
BUILD=${BUILD:-$(pwd)/build}
driver="$BUILD/bench/bench_store"
if [ ! -x "$driver" ]; then
	echo "bench-store: $driver not built (run make)" >&2
	exit 1
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "bench-store: the sqlite3 command is missing (tools/install-deps.sh run)" >&2
	exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/kith-bench-store.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
"$driver" "$dir" ${BENCH_STORE_ARGS:-}
