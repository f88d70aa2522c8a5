#!/bin/sh
# make soak: the long runs that `make test` leaves out, one after the other, each printing its
# figures (logs in build/soak-logs/):
#   durability  tests/e2e/kiosk-durability.sh with KITH_DURABILITY_KILLS (default 1000; CI: 55)
#   replug      tests/e2e/kiosk-replug.sh with KITH_REPLUG_CYCLES (default 100; CI: 5)
#   taps        tests/soak/tap-soak.sh with KITH_SOAK_TAPS (default 1,000,000)
# Usage: tests/soak/run.sh [FILTER]   runs only the soaks whose name contains FILTER.
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
filter=${1:-}
logdir=$top/build/soak-logs
mkdir -p "$logdir"
fail=0
unset DISPLAY

soak() { # name, command...
	name=$1; shift
	case "$name" in *"$filter"*) ;; *) return ;; esac
	start=$(awk '{ printf "%d", $1 }' /proc/uptime)
	echo "== $name: $*"
	"$@" >"$logdir/$name.log" 2>&1
	rc=$?
	secs=$(( $(awk '{ printf "%d", $1 }' /proc/uptime) - start ))
	if [ $rc -eq 0 ]; then
		grep -v '^#' "$logdir/$name.log" | tail -n 16
		echo "PASS  $name  ${secs}s"
	else
		tail -n 40 "$logdir/$name.log" | sed 's/^/    | /'
		echo "FAIL  $name  ${secs}s (exit $rc, log $logdir/$name.log)"
		fail=1
	fi
}

soak durability env BUILD="$top/build" KITH_DURABILITY_KILLS="${KITH_DURABILITY_KILLS:-1000}" \
	sh tests/e2e/kiosk-durability.sh
soak replug env BUILD="$top/build" KITH_REPLUG_CYCLES="${KITH_REPLUG_CYCLES:-100}" \
	sh tests/e2e/kiosk-replug.sh
soak taps env BUILD="$top/build" sh tests/soak/tap-soak.sh
exit $fail
