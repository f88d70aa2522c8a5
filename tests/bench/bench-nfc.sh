#!/bin/sh
# NFC tap latency with pn532-sim --realtime: the reader module beside Debian's nfc-poll and the
# physical floor, plus UART bytes per tap. The driver is tests/bench/bench_nfc.c.
set -u
BUILD=${BUILD:-build}
if [ ! -x "$BUILD/bench/bench_nfc" ] || [ ! -x "$BUILD/pn532-sim" ]; then
	echo "bench-nfc: build/bench/bench_nfc missing (run make)" >&2
	exit 1
fi
"$BUILD/bench/bench_nfc" 2>/dev/null
