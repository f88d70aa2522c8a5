#!/bin/sh
# Kith's test runner: what `make test` runs after building build/, build/asan/ and build/tsan/.
#
#   1. cmocka unit tests (tests/unit), normal and ASan builds; those whose source carries
#      "kith-test: tsan" (the threaded ones) also against build/tsan/
#   2. fuzz corpus replay (tests/fuzz/corpus/<harness>/* through build/fuzz/<harness>)
#   3. end-to-end scripts (tests/e2e/*.sh) against build/; scripts that carry the line
#      "# kith-test: asan" run a second time against build/asan/, and those with
#      "# kith-test: tsan" against build/tsan/ (ThreadSanitizer: any report fails the test).
#      The kiosk and browse scripts (kiosk-*, browse-*) run once per instant of KT_INSTANTS
#      (tests/e2e/lib/kiosk-env.sh: 00:05, 03:59, 04:01, a DST night, New Year, 29 February)
#      on build/, named e2e:SCRIPT@INSTANT; their asan and tsan runs keep one instant (03:59).
# A script exits 0 (pass), 77 (skip: it prints why) or anything else (fail).
# Usage: tests/run.sh [FILTER]   runs only tests whose name contains FILTER.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
filter=${1:-}
logdir=$top/build/test-logs
rm -rf "$logdir"; mkdir -p "$logdir"
pass=0; fail=0; skip=0; failed=""
test_timeout=${KITH_TEST_TIMEOUT:-900} # seconds per test; the longest takes under 2 minutes

# Keep tests independent of the desktop they happen to run on.
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The first race report ends the process with 66; tsan.supp holds only third-party races.
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$top/tests/tsan.supp"
unset DISPLAY

run_one() { # name, command...
	name=$1; shift
	case "$name" in *"$filter"*) ;; *) return ;; esac
	log="$logdir/$(echo "$name" | tr '/ ' '__').log"
	start=$(date +%s)
	# A bound on every test: a hang fails that test and names it, and CI goes on.
	timeout -k 10 "$test_timeout" "$@" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	[ $rc -eq 124 ] && echo "timed out after ${test_timeout} s" >>"$log"
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1)); printf 'PASS  %-48s %4ss\n' "$name" "$secs"
	elif [ $rc -eq 77 ]; then
		skip=$((skip + 1)); printf 'SKIP  %-48s %s\n' "$name" "$(tail -n 1 "$log")"
	else
		fail=$((fail + 1)); failed="$failed $name"
		printf 'FAIL  %-48s %4ss (exit %s)\n' "$name" "$secs" "$rc"
		sed 's/^/    | /' "$log" | tail -n 40
	fi
}

for build in build build/asan; do
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		run_one "unit:$build:$(basename "$t")" "$t"
	done
done
for t in build/tsan/tests/test_*; do
	[ -x "$t" ] || continue
	grep -q 'kith-test: tsan' "tests/unit/$(basename "$t").c" 2>/dev/null || continue
	run_one "unit:build/tsan:$(basename "$t")" "$t"
done

for f in build/fuzz/*_fuzzer; do
	[ -x "$f" ] || continue
	h=$(basename "$f")
	dir=tests/fuzz/corpus/${h%_fuzzer}
	files=$(find "$dir" -type f 2>/dev/null | sort)
	if [ -z "$files" ]; then
		run_one "fuzz-replay:$h" sh -c "echo 'empty corpus $dir'; exit 1"
		continue
	fi
	# shellcheck disable=SC2086
	run_one "fuzz-replay:$h" "$f" -runs=0 $files
done

instants=$(sed -n 's/^KT_INSTANTS="\(.*\)"$/\1/p' tests/e2e/lib/kiosk-env.sh)
for s in tests/e2e/*.sh; do
	[ -f "$s" ] || continue
	case "$(basename "$s")" in
	kiosk-*|browse-*)
		for i in $instants; do
			run_one "e2e:$(basename "$s" .sh)@$i" env BUILD="$top/build" KT_INSTANT="$i" sh "$s"
		done ;;
	*) run_one "e2e:$(basename "$s" .sh)" env BUILD="$top/build" sh "$s" ;;
	esac
	if grep -q '^# kith-test: asan' "$s"; then
		run_one "e2e-asan:$(basename "$s" .sh)" env BUILD="$top/build/asan" sh "$s"
	fi
	if grep -q '^# kith-test: tsan' "$s"; then
		run_one "e2e-tsan:$(basename "$s" .sh)" env BUILD="$top/build/tsan" sh "$s"
	fi
done

echo
[ -n "$failed" ] && echo "failed:$failed" && echo "logs: $logdir"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
