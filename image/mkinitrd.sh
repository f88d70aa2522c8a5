#!/bin/sh
# mkinitrd.sh ROOTFS BUSYBOX OUT — builds the initramfs on the build host, with no emulation:
# busybox, image/initrd-init and the kernel modules that reach the root filesystem on a Pi (SD
# card) and on QEMU's virt machine (virtio-blk), with their dependencies from modules.dep.
# Running mkinitramfs under qemu-user took ~14 minutes; this takes a second.
set -eu
rootfs=$1 busybox=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
kver=$(ls "$rootfs/usr/lib/modules" | sort -V | tail -n 1)
moddir=$rootfs/usr/lib/modules/$kver
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

wanted="ext4 crc32c_generic overlay
	sdhci-iproc bcm2835 mmc_block reset-raspberrypi
	virtio_pci virtio_blk"

# Depth-first over modules.dep: every dependency before the module that needs it.
order=$(python3 - "$moddir" $wanted <<'PY'
import sys, os
moddir, wanted = sys.argv[1], sys.argv[2:]
deps, byname = {}, {}
for line in open(os.path.join(moddir, "modules.dep")):
    path, _, rest = line.partition(":")
    deps[path] = rest.split()
    name = os.path.basename(path).split(".ko")[0].replace("-", "_")
    byname[name] = path
builtin = set()
if os.path.exists(os.path.join(moddir, "modules.builtin")):
    for line in open(os.path.join(moddir, "modules.builtin")):
        builtin.add(os.path.basename(line.strip()).split(".ko")[0].replace("-", "_"))
out, seen = [], set()
def visit(path):
    if path in seen:
        return
    seen.add(path)
    for d in deps.get(path, []):
        visit(d)
    out.append(path)
for w in wanted:
    n = w.replace("-", "_")
    if n in byname:
        visit(byname[n])
    elif n not in builtin:
        sys.exit("mkinitrd: module %s neither built in nor in modules.dep" % w)
print("\n".join(out))
PY
)

mkdir -p "$work/bin" "$work/dev" "$work/proc" "$work/sys" "$work/etc" "$work/lib/modules"
cp "$busybox" "$work/bin/busybox"
cp "$here/initrd-init" "$work/init"
chmod 0755 "$work/init" "$work/bin/busybox"
for m in $order; do
	mkdir -p "$work/lib/modules/$(dirname "$m")"
	cp "$moddir/$m" "$work/lib/modules/$m"
done
printf '%s\n' $order > "$work/etc/modules.order"

# Reproducible archive: sorted names, fixed owner and mtime.
find "$work" -exec touch -h -d "@${SOURCE_DATE_EPOCH:-0}" {} +
(cd "$work" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) \
	| gzip -9n > "$out"
echo "mkinitrd: $out ($(du -k "$out" | cut -f1) KiB, kernel $kver, $(echo "$order" | wc -l) modules)"
