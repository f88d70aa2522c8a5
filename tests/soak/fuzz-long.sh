#!/bin/sh
# make fuzz-long: every libFuzzer harness (build/fuzz/*_fuzzer) for KITH_FUZZ_RUNS executions
# (default 10,000,000) or KITH_FUZZ_SECONDS of fuzzing (default 3600), whichever comes first;
# the summary says which bound stopped each harness. Each harness starts from its checked-in
# corpus (tests/fuzz/corpus/<harness>/, read only) and writes what it finds to a scratch dir;
# the finds are then minimised against the checked-in corpus (-merge=1 into a copy of it) and only
# the files that add coverage are copied into tests/fuzz/corpus/<harness>/, so `make test`'s
# replay covers them. A crash stops that harness; its reproducer is kept under
# build/fuzz-long/<harness>/ and the script exits 1.
# Usage: tests/soak/fuzz-long.sh [FILTER]   (make fuzz-long runs it niced)
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
filter=${1:-}
RUNS=${KITH_FUZZ_RUNS:-10000000}
SECS=${KITH_FUZZ_SECONDS:-3600}
work=$top/build/fuzz-long
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

summary=""
failed=0
for f in build/fuzz/*_fuzzer; do
	[ -x "$f" ] || continue
	h=$(basename "$f" _fuzzer)
	case "$h" in *"$filter"*) ;; *) continue ;; esac
	corpus=tests/fuzz/corpus/$h
	d=$work/$h
	rm -rf "$d"; mkdir -p "$d/found" "$d/merged" "$d/crash"
	echo "== $h: up to $RUNS executions or $SECS s"
	"$f" -runs="$RUNS" -max_total_time="$SECS" -print_final_stats=1 -timeout=25 \
		-artifact_prefix="$d/crash/" "$d/found" "$corpus" >"$d/fuzz.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/fuzz.log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$d/fuzz.log" | tail -n 1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$d/fuzz.log" | tail -n 1)
	crashes=$(find "$d/crash" -type f | wc -l)
	if [ "${execs:-0}" -ge "$RUNS" ]; then bound="runs"; else bound="time"; fi
	if [ $rc -ne 0 ] || [ "$crashes" -gt 0 ]; then
		failed=1
		bound="crash"
		grep -m 3 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$d/fuzz.log" | sed 's/^/    /'
		find "$d/crash" -type f | sed 's/^/    reproducer: /'
	fi
	# Minimise the finds against the checked-in corpus, then keep only what adds coverage.
	cp "$corpus"/* "$d/merged/"
	new=0
	if [ -n "$(ls "$d/found")" ]; then
		"$f" -merge=1 "$d/merged" "$d/found" >"$d/merge.log" 2>&1 ||
			{ echo "    merge failed: see $d/merge.log"; failed=1; }
		for m in "$d/merged"/*; do
			[ -e "$corpus/$(basename "$m")" ] && continue
			cp "$m" "$corpus/"
			new=$((new + 1))
		done
	fi
	line=$(printf '%-16s %12s execs %8s exec/s %6s s  stopped by %-5s  crashes %d  new corpus files %d' \
		"$h" "${execs:-?}" "${rate:-?}" "${secs:-?}" "$bound" "$crashes" "$new")
	echo "$line"
	summary="$summary$line
"
done
echo
echo "fuzz-long (limit $RUNS executions or $SECS s per harness):"
printf '%s' "$summary"
exit $failed
