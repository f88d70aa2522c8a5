#!/bin/bash
# mkimage.sh — builds image/out/kith-rpi-arm64.img.xz, a Raspberry Pi (3B/3B+/4/400/Zero 2 W)
# SD-card image, from Debian bookworm packages only, without mounting anything:
#   1. the kiosk package, cross-built for arm64 (image/mkdeb.sh);
#   2. a bookworm arm64 root with mmdebstrap (maintainer scripts under qemu-user via binfmt),
#      the kiosk package and the appliance files (image/customize.sh);
#   3. the initramfs, built on the host (image/mkinitrd.sh) — never mkinitramfs under emulation;
#   4. partitions: FAT boot (firmware, dtbs, kernel, initramfs, config.txt, cmdline.txt,
#      kith.txt), the ext4 root (read-only, overlaid with RAM at boot), an ext4 data partition
#      for /var/lib/kith; assembled with sfdisk, mkfs.vfat + mcopy, mkfs.ext4 -d and dd.
# Reproducible for one commit and one state of the Debian mirror: every timestamp, UUID, volume
# id and hash seed comes from SOURCE_DATE_EPOCH (the commit time) or is fixed.
# Also leaves build/image/{vmlinuz,initrd.img,kith-rpi-arm64.img} for `make image-test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
start=$(date +%s)
out=image/out
work=build/image
mirror=${KITH_MIRROR:-http://deb.debian.org/debian}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
export E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH
step() { echo "mkimage: [$(( $(date +%s) - start ))s] $*"; }

# Fixed identities, so two builds give the same bytes.
disk_id=0x4b495448           # "KITH"
boot_volid=4B495448
root_uuid=6b697468-726f-4f74-8000-000000000001
data_uuid=6b697468-6461-4461-8000-000000000002
hash_seed=6b697468-6861-4873-8000-000000000003

# Sizes in MiB.
boot_mb=256
data_mb=512

# qemu-user for the arm64 maintainer scripts.
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
	mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if ! grep -qs '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64; then
	update-binfmts --enable qemu-aarch64 >/dev/null
fi
grep -qs '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 \
	|| { echo "mkimage: cannot run arm64 programs (binfmt qemu-aarch64)" >&2; exit 1; }

step "kiosk package"
image/mkdeb.sh arm64
deb=$(readlink -f "$out/kith_arm64.deb")
busybox=build/sysroot-arm64/bin/busybox

rootfs=$work/rootfs
# KITH_REUSE_ROOTFS=1 (development only) keeps the last root filesystem and redoes the rest.
if [ "${KITH_REUSE_ROOTFS:-0}" = 1 ] && [ -f "$work/rootfs.done" ]; then
	step "reusing $rootfs (KITH_REUSE_ROOTFS=1)"
	rm -rf "${work:?}/boot" "${work:?}/data"
else
rm -rf "$work"
mkdir -p "$work"

step "root filesystem (mmdebstrap, bookworm arm64)"
# The kiosk's runtime libraries, KMS/GBM/EGL for SDL's kmsdrm (Mesa: vc4/v3d on the Pi,
# virtio-gpu and software rendering in QEMU), fonts, the reader tools and the base system.
pkgs=systemd,systemd-sysv,udev,kmod,e2fsprogs,dosfstools,fake-hwclock,adduser
pkgs=$pkgs,linux-image-arm64,raspi-firmware
pkgs=$pkgs,libsdl2-2.0-0,libsdl2-ttf-2.0-0,libnfc6,libnfc-bin,libusb-0.1-4,libsqlite3-0,libxml2,libjson-c5
pkgs=$pkgs,libfribidi0,libharfbuzz0b,libsodium23,libespeak-ng1
pkgs=$pkgs,libegl1,libgles2,libgl1-mesa-dri,libegl-mesa0,libgbm1
pkgs=$pkgs,fonts-dejavu-core,fonts-droid-fallback,sqlite3
# Noto for the scripts attendees write their names in (issue 13), chosen by the kiosk through
# fontconfig by coverage; only the font files named below are unpacked.
pkgs=$pkgs,fontconfig,fonts-noto-core,fonts-noto-cjk,fonts-noto-color-emoji
# The network (issue 12): Syncthing for live sync between kiosks, systemd-networkd (in systemd)
# for DHCP, wpa_supplicant and the Pi's Wi-Fi firmware (firmware-brcm80211, non-free-firmware)
# for Wi-Fi from kith.txt, systemd-timesyncd for the clock when there is a network, nftables
# for the firewall, acl for the shared folders' default ACLs (kith-syncthing-setup), and
# iproute2 for `ss` (the image test lists the listening sockets).
pkgs=$pkgs,syncthing,wpasupplicant,firmware-brcm80211,systemd-timesyncd,nftables,acl,iproute2
# Not installed at all: documentation, translations, and kernel modules for hardware that
# neither a Pi nor the test VM has (media, InfiniBand, sound, other GPUs, and every network
# driver but the few re-admitted below).
# Patterns name files only ('*' crosses '/' in dpkg's matching): excluding a directory breaks
# packages that ship files below it.
excl=""
for p in '/usr/share/doc/*.gz' '/usr/share/man/*.gz' '/usr/share/info/*.gz' \
	'/usr/share/locale/*.mo' \
	'/lib/modules/*/kernel/drivers/net/*.ko' '/lib/modules/*/kernel/net/*.ko' \
	'/lib/modules/*/kernel/drivers/media/*.ko' '/lib/modules/*/kernel/drivers/infiniband/*.ko' \
	'/lib/modules/*/kernel/sound/*.ko' '/lib/modules/*/kernel/drivers/gpu/drm/amd/*.ko' \
	'/lib/modules/*/kernel/drivers/gpu/drm/nouveau/*.ko' \
	'/lib/modules/*/kernel/drivers/gpu/drm/radeon/*.ko'; do
	excl="$excl --dpkgopt=path-exclude=$p"
done
# Sound (issue 14): of the sound modules only what the Pi's HDMI and headphone audio need comes
# back: ALSA's core (snd, snd-pcm, snd-timer, ...), soundcore, and the ASoC core with the HDMI
# codec that the vc4 display driver registers its HDMI audio through. The headphone jack's
# driver (snd-bcm2835, VCHIQ) lives under drivers/staging and was never excluded.
for p in '/lib/modules/*/kernel/sound/soundcore.ko' '/lib/modules/*/kernel/sound/core/*.ko' \
	'/lib/modules/*/kernel/sound/soc/snd-soc-core.ko' \
	'/lib/modules/*/kernel/sound/soc/codecs/snd-soc-hdmi-codec.ko'; do
	excl="$excl --dpkgopt=path-include=$p"
done
# The network drivers the kiosk needs (issue 12), re-admitted by path-include: the Pi 4's
# Ethernet (genet, its Broadcom PHY and UniMAC MDIO bus), the Pi 3B/3B+'s USB Ethernet
# (smsc95xx, lan78xx over usbnet), the Pi's Wi-Fi (brcmfmac, with cfg80211 and rfkill),
# virtio_net for the QEMU image test (with its failover helpers), AF_PACKET for the DHCP
# client, and netfilter for the nftables firewall.
for p in '/lib/modules/*/kernel/drivers/net/ethernet/broadcom/genet/*' \
	'/lib/modules/*/kernel/drivers/net/phy/*' '/lib/modules/*/kernel/drivers/net/mdio/*' \
	'/lib/modules/*/kernel/drivers/net/usb/usbnet.ko' '/lib/modules/*/kernel/drivers/net/usb/smsc95xx.ko' \
	'/lib/modules/*/kernel/drivers/net/usb/lan78xx.ko' \
	'/lib/modules/*/kernel/drivers/net/wireless/broadcom/brcm80211/*' \
	'/lib/modules/*/kernel/net/wireless/*' '/lib/modules/*/kernel/net/rfkill/*' \
	'/lib/modules/*/kernel/drivers/net/virtio_net.ko' '/lib/modules/*/kernel/drivers/net/net_failover.ko' \
	'/lib/modules/*/kernel/net/core/failover.ko' '/lib/modules/*/kernel/net/packet/*' \
	'/lib/modules/*/kernel/net/netfilter/*' '/lib/modules/*/kernel/net/ipv4/netfilter/*' \
	'/lib/modules/*/kernel/net/ipv6/*'; do
	excl="$excl --dpkgopt=path-include=$p"
done
# Fonts: of Debian's Noto packages (about 145 MB) only Regular and Bold of the Sans faces for
# Latin/Greek/Cyrillic, Arabic, Hebrew, Devanagari, Bengali, Tamil, Thai and Ethiopic, the Sans
# CJK collections (Han, Kana, Hangul) and the colour emoji. path-include re-admits a file that
# an earlier path-exclude dropped.
excl="$excl --dpkgopt=path-exclude=/usr/share/fonts/truetype/noto/*"
excl="$excl --dpkgopt=path-exclude=/usr/share/fonts/opentype/noto/*"
for f in NotoSans NotoSansArabic NotoSansHebrew NotoSansDevanagari NotoSansBengali \
	NotoSansTamil NotoSansThai NotoSansEthiopic; do
	excl="$excl --dpkgopt=path-include=/usr/share/fonts/truetype/noto/$f-Regular.ttf"
	excl="$excl --dpkgopt=path-include=/usr/share/fonts/truetype/noto/$f-Bold.ttf"
done
excl="$excl --dpkgopt=path-include=/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"
excl="$excl --dpkgopt=path-include=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
excl="$excl --dpkgopt=path-include=/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
# shellcheck disable=SC2086
mmdebstrap --architectures=arm64 --variant=essential \
	--components=main,non-free-firmware $excl \
	--include="$pkgs" \
	--essential-hook='chroot "$1" dpkg-divert --quiet --local --rename --add /usr/sbin/update-initramfs' \
	--essential-hook='mkdir -p "$1/usr/sbin" && printf "#!/bin/sh\n# Kith: the initramfs is built on the build host (image/mkinitrd.sh).\nexit 0\n" > "$1/usr/sbin/update-initramfs" && chmod 0755 "$1/usr/sbin/update-initramfs"' \
	bookworm "$rootfs" "deb $mirror bookworm main non-free-firmware" \
	"deb $mirror bookworm-updates main non-free-firmware"

touch "$work/rootfs.done"
fi

step "kiosk package and appliance files (image/customize.sh)"
image/customize.sh "$rootfs" "$deb"

kver=$(ls "$rootfs/usr/lib/modules" | sort -V | tail -n 1)
kith_uid=$(awk -F: '$1=="kith"{print $3}' "$rootfs/etc/passwd")
kith_gid=$(awk -F: '$1=="kith"{print $4}' "$rootfs/etc/passwd")
[ -n "$kith_uid" ] || { echo "mkimage: the kith package did not create the kith user" >&2; exit 1; }
# Clamp every timestamp to the commit's (files made by maintainer scripts carry the build time).
find "$rootfs" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0r touch -h -d "@$SOURCE_DATE_EPOCH"

step "initramfs (host-built, kernel $kver)"
image/mkinitrd.sh "$rootfs" "$busybox" "$work/initrd.img"
cp "$rootfs/boot/vmlinuz-$kver" "$work/vmlinuz"

step "boot partition"
bootdir=$work/boot
mkdir -p "$bootdir"
cp "$rootfs"/usr/lib/raspi-firmware/* "$bootdir/"
cp "$rootfs/usr/lib/linux-image-$kver"/broadcom/*.dtb "$bootdir/"
cp "$work/vmlinuz" "$bootdir/vmlinuz"
cp "$work/initrd.img" "$bootdir/initrd.img"
cp image/config.txt image/cmdline.txt image/kith.txt "$bootdir/"
find "$bootdir" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
rm -f "$work/boot.img"
mkfs.vfat -F 32 -n KITHBOOT -i "$boot_volid" --invariant -C "$work/boot.img" $((boot_mb * 1024)) >/dev/null
(cd "$bootdir" && LC_ALL=C ls) | while read -r f; do
	mcopy -m -o -i "$work/boot.img" "$bootdir/$f" "::$f"
done

step "root partition (ext4 -d, read-only at run time)"
root_mb=$(( $(du -sm "$rootfs" | cut -f1) * 115 / 100 + 64 ))
# Access times too, last (the initramfs and boot steps read files): mkfs.ext4 -d copies them.
# The one timestamp left to the build is each inode's ctime, which only the kernel sets.
find "$rootfs" -print0 | xargs -0r touch -a -h -d "@$SOURCE_DATE_EPOCH"
rm -f "$work/root.img"
mkfs.ext4 -q -L kith-root -U "$root_uuid" -E "hash_seed=$hash_seed,root_owner=0:0" \
	-O ^has_journal -m 0 -N $(( root_mb * 64 )) -d "$rootfs" "$work/root.img" "${root_mb}M"

step "data partition (ext4, /var/lib/kith)"
datadir=$work/data
mkdir -p "$datadir"
# The saved clock starts at the commit's time: a Pi has no real-time clock, and its first boot
# should not start in the past of the software it runs (fake-hwclock's format, UTC).
date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S' > "$datadir/fake-hwclock.data"
chown "$kith_uid:$kith_gid" "$datadir"
chmod 0750 "$datadir"
touch -d "@$SOURCE_DATE_EPOCH" "$datadir/fake-hwclock.data" "$datadir"
rm -f "$work/data.img"
mkfs.ext4 -q -L kith-data -U "$data_uuid" -E "hash_seed=$hash_seed,root_owner=$kith_uid:$kith_gid" \
	-m 1 -d "$datadir" "$work/data.img" "${data_mb}M"

step "disk image"
img=$work/kith-rpi-arm64.img
boot_start=8
root_start=$(( boot_start + boot_mb ))
data_start=$(( root_start + root_mb ))
total_mb=$(( data_start + data_mb ))
rm -f "$img"
truncate -s "${total_mb}M" "$img"
sfdisk --quiet "$img" <<SFDISK
label: dos
label-id: $disk_id
unit: sectors

start=$(( boot_start * 2048 )), size=$(( boot_mb * 2048 )), type=c, bootable
start=$(( root_start * 2048 )), size=$(( root_mb * 2048 )), type=83
start=$(( data_start * 2048 )), size=$(( data_mb * 2048 )), type=83
SFDISK
dd if="$work/boot.img" of="$img" bs=1M seek=$boot_start conv=notrunc,sparse status=none
dd if="$work/root.img" of="$img" bs=1M seek=$root_start conv=notrunc,sparse status=none
dd if="$work/data.img" of="$img" bs=1M seek=$data_start conv=notrunc,sparse status=none
rm -f "$work/boot.img" "$work/root.img" "$work/data.img"

if [ "${KITH_NO_XZ:-0}" = 1 ]; then  # development: make image-test only needs the raw image
	step "done (KITH_NO_XZ=1): $img"
	exit 0
fi
step "compressing"
mkdir -p "$out"
xz -T2 -3 -c "$img" > "$out/kith-rpi-arm64.img.xz.tmp"
mv "$out/kith-rpi-arm64.img.xz.tmp" "$out/kith-rpi-arm64.img.xz"
(cd "$out" && sha256sum kith-rpi-arm64.img.xz > kith-rpi-arm64.img.xz.sha256)
step "done: $out/kith-rpi-arm64.img.xz ($(du -m "$out/kith-rpi-arm64.img.xz" | cut -f1) MiB compressed, ${total_mb} MiB raw)"
