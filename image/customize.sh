#!/bin/sh
# customize.sh ROOTFS DEB — mmdebstrap's customize hook (runs on the build host; arm64 programs
# run in the chroot through binfmt + qemu-user): installs the kiosk package and turns a plain
# Debian root into the appliance's read-only root.
set -eu
root=$1 deb=$2
here=$(cd "$(dirname "$0")" && pwd)

# The kiosk package (its dependencies were part of mmdebstrap's --include list).
cp "$deb" "$root/tmp/kith.deb"
chroot "$root" dpkg -i /tmp/kith.deb
rm -f "$root/tmp/kith.deb"

# Appliance files: fstab, libnfc.conf, journald in RAM, fake-hwclock on the data partition.
cp -r "$here/rootfs/." "$root/"
echo kith > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tkith\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
: > "$root/etc/resolv.conf"   # mmdebstrap copied the build host's; DHCP fills it at run time
: > "$root/etc/machine-id"    # made in RAM at each boot (the root is read-only)
install -d -m 0755 "$root/media/kith" "$root/boot/firmware" "$root/var/lib/kith"

# Nothing to log in on and nothing that writes or listens: no gettys on any console (without
# logind, Debian's getty-static.service would start tty2-tty6), no first-boot prompts (every
# boot looks like a first boot on a read-only root), no periodic jobs.
chroot "$root" systemctl mask --quiet getty@.service getty-static.service autovt@.service \
	serial-getty@.service systemd-firstboot.service e2scrub_all.timer e2scrub_reap.service \
	fstrim.timer dpkg-db-backup.timer systemd-networkd-wait-online.service
chroot "$root" systemctl enable --quiet kith-kiosk.service kith-usb-eject.path \
	kith-hwclock-save.timer fake-hwclock.service

# The network (issue 12): networkd (DHCP), the firewall, network time, Wi-Fi and static
# address from kith.txt, and Syncthing as its own user kith-sync once a fleet file is stored.
# The kiosk user joins group kith-sync to reach Syncthing's socket and API key.
# wpa_supplicant's D-Bus service is not wanted (kith-network-setup starts wpa_supplicant@wlan0
# when kith.txt names a network).
chroot "$root" adduser --quiet --system --group --home /var/lib/kith/syncthing --no-create-home \
	--gecos "Kith Syncthing" kith-sync
chroot "$root" adduser --quiet kith kith-sync
chroot "$root" systemctl enable --quiet systemd-networkd.service systemd-timesyncd.service \
	nftables.service kith-network-setup.service kith-syncthing.service kith-fleet.path
chroot "$root" systemctl disable --quiet wpa_supplicant.service syncthing-resume.service 2>/dev/null || true

# What was downloaded or logged while building is not part of the image (and would differ
# between two builds of one commit).
rm -rf "$root/var/cache/apt" "$root/var/lib/apt/lists" "$root/var/cache/ldconfig/aux-cache" \
	"$root/var/cache/fontconfig" "$root/var/cache/debconf/"*-old "$root/var/lib/dpkg/"*-old
find "$root/var/log" -type f -delete
# fake-hwclock's package saved the build machine's clock here; the kiosk keeps its clock on the
# data partition (/etc/default/fake-hwclock), which mkimage.sh seeds with the commit's time.
rm -f "$root/etc/fake-hwclock.data"
