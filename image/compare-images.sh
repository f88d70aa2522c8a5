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

# Which inode fields the differing bytes of two ext4 images fall in (the rest: "elsewhere").
inode_fields() { # A B
	local bs isz
	bs=$(dumpe2fs -h "$1" 2>/dev/null | awk -F: '/^Block size/ {print $2+0}')
	isz=$(dumpe2fs -h "$1" 2>/dev/null | awk -F: '/^Inode size/ {print $2+0}')
	{ cmp -l "$1" "$2" || true; } | awk -v bs="$bs" -v isz="$isz" -v tables="$(dumpe2fs "$1" 2>/dev/null \
		| sed -n 's/.*Inode table at \([0-9]*\)-\([0-9]*\).*/\1-\2/p' | tr '\n' ' ')" '
	BEGIN { n = split(tables, t, " "); for (i = 1; i <= n; i++) { split(t[i], r, "-"); lo[i] = r[1]; hi[i] = r[2] } }
	{
		o = $1 - 1; b = int(o / bs); what = "elsewhere"
		for (i = 1; i <= n; i++) if (b >= lo[i] && b <= hi[i]) {
			f = (o - lo[i] * bs) % isz
			what = f >= 12 && f < 16 ? "ctime" : f >= 132 && f < 136 ? "ctime_extra" : \
			       f >= 8 && f < 12 ? "atime" : f >= 16 && f < 20 ? "mtime" : \
			       (f >= 124 && f < 126) || (f >= 130 && f < 132) ? "inode checksum" : \
			       "other inode field"
			break
		}
		count[what]++
	}
	END { for (w in count) printf "  %d bytes in %s\n", count[w], w }' | sort -rn
}

if [ "$(parts "$a")" != "$(parts "$b")" ]; then
	echo "partition tables differ:"; diff <(parts "$a") <(parts "$b") || true
	exit 1
fi
status=0 n=0
while read -r start size <&3; do  # fd 3: debugfs reads stdin
	n=$((n + 1))
	extract "$a" "$start" "$size" "$work/a$n"
	extract "$b" "$start" "$size" "$work/b$n"
	if cmp -s "$work/a$n" "$work/b$n"; then
		echo "partition $n: identical ($(( size / 2048 )) MiB)"
		rm -f "$work/a$n" "$work/b$n"
		continue
	fi
	status=1
	echo "partition $n: differs in $({ cmp -l "$work/a$n" "$work/b$n" || true; } | wc -l) bytes"
	tree "$work/a$n" "$work/ta$n" > "$work/ma$n"
	tree "$work/b$n" "$work/tb$n" > "$work/mb$n"
	{
		diff "$work/ma$n" "$work/mb$n" | sed -n 's/^[<>] /  metadata: /p' | sort -u
		diff -rq --no-dereference "$work/ta$n" "$work/tb$n" | sed "s|$work/t[ab]$n|.|g"
	} > "$work/files$n" || true
	if [ -s "$work/files$n" ]; then
		head -n 60 "$work/files$n"
	else
		echo "  the same files, contents, modes, owners, sizes and mtimes"
	fi
	[ "$(blkid -o value -s TYPE "$work/a$n")" = ext4 ] && inode_fields "$work/a$n" "$work/b$n"
	rm -rf "$work/a$n" "$work/b$n" "$work/ta$n" "$work/tb$n"
done 3< <(parts "$a")
exit $status
