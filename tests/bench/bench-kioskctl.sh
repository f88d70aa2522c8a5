#!/bin/sh
# make bench, kioskctl: the organiser's commands at conference scale, three runs each (median,
# and the worst as p99).
#   - import-roster of 100,000 rows (one all-or-nothing transaction), target < 5 s;
#   - `kioskctl export` vs `sqlite3 DB ".backup FILE"` + fsync (export_write fsyncs too) of a
#     `demo --attendees 100000` database holding 1,000,000 check-ins, target ratio <= 1.2.
# The million check-ins are added with one INSERT..SELECT through sqlite3 (the store's own
# triggers run) because recording them one tap at a time would take minutes; the 100,000
# attendees, groups, badges and sessions are the real demo.
set -u
BUILD=${BUILD:-$(pwd)/build}
K=$BUILD/kioskctl
row() { printf '%-10s | %-52s | %12s | %12s | %-22s | %s\n' "$@"; }
if [ ! -x "$K" ] || ! command -v sqlite3 >/dev/null; then
	row kioskctl "import / export benchmarks" - - - "skipped: needs $K and sqlite3"
	exit 0
fi
T=$(mktemp -d /tmp/kith-bench-kioskctl.XXXXXX)
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

# secs TAG command... -> wall seconds; the CPU seconds (user + sys) go to $T/cpu.TAG, because
# on a shared machine wall time also counts other people's work.
secs() {
	tag=$1; shift
	s=$(date +%s.%N)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$T/time" "$@" >/dev/null 2>"$T/err" || { cat "$T/err" >&2; echo fail; return; }
		awk '{ printf "%.2f\n", $1 + $2 }' "$T/time" >>"$T/cpu.$tag"
	else
		"$@" >/dev/null 2>"$T/err" || { cat "$T/err" >&2; echo fail; return; }
	fi
	e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.3f", $2 - $1 }'
}
cpu() { [ -f "$T/cpu.$1" ] && printf 'cpu %s s, ' "$(sort -g "$T/cpu.$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"; }
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
worst() { printf '%s\n' "$@" | sort -g | tail -n 1; }

# ---- roster import: 100,000 rows with Unicode names, groups and 7-byte UIDs ----------------
awk 'BEGIN {
	split("Zoë Müller|田中 花子|محمد العلي|Siobhán O'"'"'Connor|Nguyễn Thị Hương|Γιώργος Παπαδόπουλος|Margaret Thompson|김민준", n, "|");
	split("CLENE|Infopeople|ASTD|LibraryLearning|Pacific Northwest Library Network|Rare Books & Manuscripts Section", g, "|");
	print "attendee_id,name,affiliation,groups,badge_uid,visible";
	for (i = 1; i <= 100000; i++)
		printf "A-%06d,\"%s %d\",\"Library %d, Branch %d\",%s;%s,04%06X%06X,%s\n", i, n[i % 8 + 1], i,
			i % 97, i % 13, g[i % 6 + 1], g[(i * 7) % 6 + 1], i, (i * 7919) % 16777216,
			(i % 10 == 0) ? "" : (i % 10 == 1 ? "0" : "1");
}' >"$T/roster.csv"
r=""
for i in 1 2 3; do
	rm -f "$T/r.db" "$T/r.db-wal" "$T/r.db-shm"
	r="$r $(secs import "$K" import-roster "$T/r.db" "$T/roster.csv")"
done
n=$(sqlite3 "$T/r.db" 'SELECT count(*) FROM attendees')
# shellcheck disable=SC2086
row kioskctl "import-roster 100,000 rows (all or nothing)" "$(median $r) s" "$(worst $r) s" \
	"< 5 s" "$(cpu import)$n rows stored"

# ---- export vs .backup ----------------------------------------------------------------------
d=$(secs demo "$K" demo "$T/big.db" --attendees 100000 --checkins 0)
row kioskctl "demo --attendees 100000 (one run)" "$d s" "-" "seconds" "$(cpu demo)rooms, sessions, badges"
sqlite3 "$T/big.db" "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 39),
	s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 25000)
	INSERT INTO kiosks(kiosk_id, location) SELECT 'booth-' || n, 'Booth ' || n FROM k;
	WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 39),
	s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 25000)
	INSERT INTO checkins(kiosk_id, seq, attendee_id, checked_in_at)
	SELECT 'booth-' || n, i, printf('A-%05d', (i * 7919 + n * 104729) % 100000 + 1),
	       1779000000 + i * 2 + n FROM k, s;" || { echo "bench-kioskctl: filling check-ins failed" >&2; exit 1; }
c=$(sqlite3 "$T/big.db" 'SELECT count(*) FROM checkins')
e="" b=""
for i in 1 2 3; do
	rm -f "$T/out.sqlite" "$T/backup.sqlite"
	e="$e $(secs export "$K" export "$T/big.db" "$T/out.sqlite")"
	b="$b $(secs backup sh -c "sqlite3 '$T/big.db' \".backup '$T/backup.sqlite'\" && sync '$T/backup.sqlite'")"
done
# shellcheck disable=SC2086
me=$(median $e); mb=$(median $b)
ratio=$(echo "$me $mb" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }')
# shellcheck disable=SC2086
row kioskctl "kioskctl export, $c check-ins, 100k attendees" "$me s" "$(worst $e) s" "ratio <= 1.2" \
	"$(cpu export)ratio $ratio vs .backup"
# shellcheck disable=SC2086
row kioskctl "sqlite3 .backup + fsync of the same database" "$mb s" "$(worst $b) s" "-" \
	"peer ($(du -m "$T/big.db" | cut -f1) MB db, $(du -m "$T/out.sqlite" | cut -f1) MB export)"
