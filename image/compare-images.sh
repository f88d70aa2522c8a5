#!/bin/bash
# compare-images.sh A.img B.img — what differs between two builds of the SD-card image.
# Compares the partition table, then each partition byte for byte; for a partition that differs,
# extracts both file trees (mtools for FAT, debugfs for ext4; nothing is mounted) and lists the
# files whose content or metadata (mode, owner, size, mtime) differ. Used to check that two
# `make image` runs of one commit give the same bytes (image/README.md, "Reproducibility").
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 A.img B.img" >&2; exit 2; }
a=$1 b=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/kith-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
export LC_ALL=C

parts() { sfdisk --dump "$1" | sed -n 's/.*start= *\([0-9]*\), size= *\([0-9]*\).*/\1 \2/p'; }
extract() { # IMG START SIZE OUT
	dd if="$1" of="$4" bs=1M iflag=skip_bytes,count_bytes skip=$(( $2 * 512 )) \
		count=$(( $3 * 512 )) status=none
}
tree() { # PARTITION-FILE DIR: unpack, then one line of metadata per file
	mkdir -p "$2"
	if [ "$(blkid -o value -s TYPE "$1")" = vfat ]; then
		mcopy -s -p -m -n -i "$1" ::/ "$2/" 2>/dev/null
	else
		debugfs -R "rdump / $2" "$1" >/dev/null 2>&1
	fi
	# A symlink's own time is the extraction's (utime follows links): its target is compared.
	(cd "$2" && find . \( -type l -printf '%p -> %l %u:%g\n' \) -o \
		-printf '%p %M %u:%g %s %TY-%Tm-%Td %TT\n' | sort)
}

if [ "$(parts "$a")" != "$(parts "$b")" ]; then
	echo "partition tables differ:"; diff <(parts "$a") <(parts "$b") || true
	exit 1
fi
status=0 n=0
while read -r start size; do
	n=$((n + 1))
	extract "$a" "$start" "$size" "$work/a$n"
	extract "$b" "$start" "$size" "$work/b$n"
	if cmp -s "$work/a$n" "$work/b$n"; then
		echo "partition $n: identical ($(( size / 2048 )) MiB)"
		rm -f "$work/a$n" "$work/b$n"
		continue
	fi
	status=1
	echo "partition $n: differs in $(cmp -l "$work/a$n" "$work/b$n" | wc -l) bytes; files:"
	tree "$work/a$n" "$work/ta$n" > "$work/ma$n"
	tree "$work/b$n" "$work/tb$n" > "$work/mb$n"
	diff "$work/ma$n" "$work/mb$n" | sed -n 's/^[<>] /  /p' | sort -u | head -n 40
	diff -rq "$work/ta$n" "$work/tb$n" | sed "s|$work/t[ab]$n|.|g" | head -n 40
	rm -rf "$work/a$n" "$work/b$n" "$work/ta$n" "$work/tb$n"
done < <(parts "$a")
exit $status
