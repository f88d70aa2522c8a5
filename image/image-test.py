#!/usr/bin/env python3
"""make image-test: boot the built Raspberry Pi image in QEMU and check the appliance end to end.

The VM is qemu-system-aarch64 -M virt (TCG) running the image's own kernel and initramfs on a
copy-on-write overlay of the image, with:
  - a virtio-gpu display, so the kiosk runs on KMSDRM as on the Pi (QMP screendump -> PNG);
  - a USB serial adapter (QEMU's FTDI usb-serial, /dev/ttyUSB0 in the guest) wired to
    build/pn532-sim's pty, as a PN532 on a USB-UART adapter would be: the kernel command line
    selects it (kith.reader=pn532_uart:/dev/ttyUSB0) in place of the Pi's /dev/ttyS1. (A
    virtio console would be /dev/hvc0, which udev gives to root:tty, not dialout);
  - an xHCI controller where vfat "USB sticks" are plugged and unplugged over QMP;
  - no network device at all, except in round 7 (a QEMU socket link between two VMs over
    127.0.0.1: no user netdev, no bridge, nothing reaches the host's network).
The guest's journal is forwarded to its serial console, which is the test's only window into
it: every wait below polls that log with a deadline.

Rounds:
  1. boot: multi-user reached, root read-only under the RAM overlay, data partition mounted,
     no login prompt anywhere, the kiosk started as its unprivileged user and reported READY=1
     (Type=notify) and drew its attract screen;
  2. a stick with kith/conference.sqlite (kioskctl demo) is plugged: mounted under /media/kith,
     synced, "safe to remove", unmounted; unplugged;
  3. a badge is tapped on pn532-sim; the welcome screen is saved (QMP screendump); a second
     stick is plugged, synced; the VM is shut down; kith/checkins-*.sqlite is read from the
     stick image with mtools and must hold the check-in, and the kiosk's database must be on
     the data partition (not in the RAM overlay);
  4. power cut: boot, tap another badge, SIGKILL QEMU right after the kiosk acknowledged it,
     boot again: the data partition's fsck must be clean, and a stick must receive both
     check-ins; after shutdown e2fsck -fn on the data partition must find nothing;
  5. (in that last boot, before the stick) the watchdog: the kiosk is frozen with SIGSTOP;
     systemd must kill and restart it within WatchdogSec plus a margin, back on attract with
     every check-in, and the restarted kiosk checks in a third tap (which the stick gets too);
  6. (after the stick) the admin screen sets the clock by touch: a corner held, the PIN, one
     day forward, Set clock; the guest's clock must read a day later.
  7. (KITH_IMAGE_TEST_NETWORK=0 skips it) two fresh VMs of the image on a QEMU socket link,
     with static link-local addresses (kith.static_address=169.254.10.x/16): a stick brings
     each its fleet file and identity (kioskctl fleet new), which starts its Syncthing; `ss
     -lntu` must list only Syncthing's 22000 tcp/udp (local discovery is off: every kiosk has an
     address); a tap on A is read back from B's database.
Also, in round 1: systemd-analyze security rates the kiosk's sandbox 2.0 or below, fontconfig
finds a font for every script names are written in, and nothing listens on TCP or UDP.
Commands inside the guest go through kith-test-agent (image/rootfs/usr/local/sbin): a fixed set
of commands on a virtio serial port that only exists in this VM, never a login shell.
The exit status is 1 on any failure.
KITH_APPEND adds to the guest's kernel command line (debugging: systemd.setenv=VAR=VALUE
reaches the kiosk's environment). KITH_IMAGE_TEST_ONLY=network runs round 7 alone (development).
"""
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.path.join(ROOT, "build")
IMG_WORK = os.path.join(BUILD, "image")
WORK = os.path.join(BUILD, "image-test")
OUT = os.path.join(ROOT, "image", "out")
T0 = time.monotonic()

BOOT_DEADLINE = float(os.environ.get("KITH_BOOT_DEADLINE", "600"))
STEP_DEADLINE = float(os.environ.get("KITH_STEP_DEADLINE", "120"))

results = []  # (name, "PASS"|"FAIL"|"SKIP", detail)


def say(msg):
    print("image-test: [%5.0fs] %s" % (time.monotonic() - T0, msg), flush=True)


def record(name, status, detail=""):
    results.append((name, status, detail))
    say("%s %s%s" % (status, name, (": " + detail) if detail else ""))


class Fail(Exception):
    pass


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


class Sim:
    """build/pn532-sim on a pty; commands go to its stdin."""

    def __init__(self, link):
        self.link = link
        self.proc = subprocess.Popen([os.path.join(BUILD, "pn532-sim"), "--link", link],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(WORK, "pn532-sim.log"), "ab"),
                                     text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("ready"):
            raise Fail("pn532-sim did not start: %r" % line)

    def send(self, cmd):
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()

    def close(self):
        try:
            self.send("quit")
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait()


class VM:
    """One boot of the image in QEMU, its console log, and its QMP socket."""

    def __init__(self, tag, disk, sim, net=None, append_extra=""):
        self.log_path = os.path.join(WORK, "console-%s.log" % tag)
        self.qmp_path = os.path.join(WORK, "qmp-%s.sock" % tag)
        for p in (self.log_path, self.qmp_path):
            if os.path.exists(p):
                os.unlink(p)
        self.agent_path = os.path.join(WORK, "agent-%s.sock" % tag)
        if os.path.exists(self.agent_path):
            os.unlink(self.agent_path)
        # kith.test=1 lets the test agent start (see VM.agent); kith.config= names the kiosk
        # config file the agent writes for the admin round (ignored until it exists). Service
        # watchdogs are off except in the watchdog round: under TCG on a loaded machine, Mesa's
        # first shader compile can outlast WatchdogSec (seen at load 24 on 2 cores: the kiosk
        # was killed before its first frame, again and again), which on a Pi's GPU it cannot.
        append = ("console=ttyAMA0 root=LABEL=kith-root ro fsck.repair=yes "
                  "kith.reader=pn532_uart:/dev/ttyUSB0 kith.gl=software systemd.journald.forward_to_console=1 "
                  "systemd.show_status=1 systemd.log_target=console kith.test=1 "
                  "systemd.service_watchdogs=0 "
                  "kith.config=/run/kith-test/kiosk.conf " + append_extra + " " +
                  os.environ.get("KITH_APPEND", ""))
        cmd = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72", "-smp", "2",
               "-m", "1024", "-accel", "tcg,thread=multi",
               "-kernel", os.path.join(IMG_WORK, "vmlinuz"),
               "-initrd", os.path.join(IMG_WORK, "initrd.img"), "-append", append,
               "-drive", "if=none,id=disk,format=qcow2,file=" + disk,
               "-device", "virtio-blk-pci,drive=disk",
               "-device", "virtio-gpu-pci,xres=800,yres=480",
               "-device", "qemu-xhci,id=xhci,p2=8,p3=8",
               "-device", "usb-kbd,bus=xhci.0",
               # A mouse for tapping the admin screen by position (see VM.touch).
               "-device", "usb-mouse,bus=xhci.0",
               "-device", "virtio-serial-pci",
               "-chardev", "socket,id=agent,path=%s,server=on,wait=off" % self.agent_path,
               "-device", "virtserialport,chardev=agent,name=org.kith.test",
               "-chardev", "serial,id=nfc,path=" + sim.link,
               "-device", "usb-serial,chardev=nfc,bus=xhci.0",
               *(net or ["-nic", "none"]), "-display", "none", "-monitor", "none",
               "-serial", "file:" + self.log_path,
               "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path,
               "-no-reboot"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stderr=open(os.path.join(WORK, "qemu-%s.err" % tag), "wb"))
        self.qmp = None
        self.buf = b""
        self.pos = 0  # log offset already consumed by wait_for
        deadline = time.monotonic() + 20
        while not os.path.exists(self.qmp_path):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise Fail("QEMU did not start (see %s)" % os.path.join(WORK, "qemu-%s.err" % tag))
            time.sleep(0.1)
        self.qmp = socket.socket(socket.AF_UNIX)
        self.qmp.connect(self.qmp_path)
        self.qmp_file = self.qmp.makefile("rwb")
        self.qmp_file.readline()  # greeting
        self.command("qmp_capabilities")
        self.agent_sock = socket.socket(socket.AF_UNIX)
        self.agent_sock.connect(self.agent_path)
        self.agent_file = self.agent_sock.makefile("rwb")

    def agent(self, cmd, deadline=STEP_DEADLINE):
        """Runs one of kith-test-agent's fixed commands in the guest (a virtio serial port, not
        a shell); returns (rc, output)."""
        self.agent_sock.settimeout(deadline)
        self.agent_file.write(cmd.encode() + b"\n")
        self.agent_file.flush()
        out = []
        try:
            while True:
                line = self.agent_file.readline()
                if not line:
                    raise Fail("the test agent closed the port during %s" % cmd)
                line = line.decode("utf-8", "replace").rstrip("\n")
                if line.startswith("--end "):
                    return int(line.split()[1]), "\n".join(out)
                out.append(line)
        except socket.timeout:
            raise Fail("no answer from the test agent to %s within %.0f s" % (cmd, deadline))

    def kiosk_state(self):
        """{MainPID, ActiveState, SubState, NRestarts} of kith-kiosk.service."""
        rc, out = self.agent("kiosk")
        return dict(l.split("=", 1) for l in out.splitlines() if "=" in l)

    def scene(self):
        """The kiosk's scene file: (screen name, [(kind, x, y, w, h, label)])."""
        rc, out = self.agent("scene")
        name, items = None, []
        for line in out.splitlines():
            parts = line.split(" ", 5)
            if parts[0] == "screen" and len(parts) > 1:
                name = parts[1]
            elif len(parts) >= 5 and parts[1].lstrip("-").isdigit():
                items.append((parts[0], int(parts[1]), int(parts[2]), int(parts[3]),
                              int(parts[4]), parts[5] if len(parts) > 5 else ""))
        return name, items

    def wait_scene(self, screen, deadline=STEP_DEADLINE):
        end = time.monotonic() + deadline
        while True:
            name, items = self.scene()
            if name == screen:
                return items
            if time.monotonic() > end:
                raise Fail("the kiosk did not show its %s screen within %.0f s (it shows %s)"
                           % (screen, deadline, name))
            time.sleep(0.5)

    def touch(self, x, y, hold=0.2):
        """Presses the USB mouse's left button at logical pixel (x, y) for `hold` seconds (the
        kiosk takes a mouse's left button as a tap, as it takes a finger). A relative mouse, so
        that the position does not depend on how SDL scales an absolute device: first far up and
        left (SDL keeps the pointer inside the window, so it stops at 0,0), then (x, y) right and
        down (QEMU splits a long move into several HID reports)."""
        for dx, dy in ((-4000, -4000), (x, y)):
            self.command("input-send-event", events=[
                {"type": "rel", "data": {"axis": "x", "value": dx}},
                {"type": "rel", "data": {"axis": "y", "value": dy}}])
            time.sleep(0.6)
        self.command("input-send-event", events=[
            {"type": "btn", "data": {"down": True, "button": "left"}}])
        time.sleep(hold)
        self.command("input-send-event", events=[
            {"type": "btn", "data": {"down": False, "button": "left"}}])
        time.sleep(0.3)

    def tap_item(self, items, kind, label):
        for it in items:
            if it[0] == kind and it[5] == label:
                self.touch(it[1] + it[3] // 2, it[2] + it[4] // 2)
                return
        raise Fail("no %s %r on the screen: %s" % (kind, label,
                                                   [(i[0], i[5]) for i in items]))

    def command(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.qmp_file.write(json.dumps(msg).encode() + b"\n")
        self.qmp_file.flush()
        while True:
            line = self.qmp_file.readline()
            if not line:
                raise Fail("QMP closed during %s" % name)
            reply = json.loads(line)
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise Fail("QMP %s: %s" % (name, reply["error"].get("desc")))
            # events (DEVICE_DELETED, SHUTDOWN...) are skipped

    def log(self):
        """The console so far, without the colour escapes of systemd's status lines."""
        with open(self.log_path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)

    def wait_for(self, pattern, deadline=STEP_DEADLINE, what=None, since=None):
        """Poll the console log for a regex after `since` (default: after the last match)."""
        rx = re.compile(pattern)
        start = self.pos if since is None else since
        end = time.monotonic() + deadline
        while True:
            text = self.log()
            m = rx.search(text, start)
            if m:
                self.pos = m.end()
                return m
            if self.proc.poll() is not None:
                raise Fail("QEMU exited while waiting for %s" % (what or pattern))
            if "Kernel panic" in text or "kith-initrd: " in text and "dropping to a shell" in text:
                raise Fail("the guest did not boot: %s" % text[-300:].strip().splitlines()[-1])
            if time.monotonic() > end:
                raise Fail("%s: not within %.0f s" % (what or pattern, deadline))
            time.sleep(0.2)

    def seen(self, pattern):
        return re.search(pattern, self.log()) is not None

    def plug(self, dev_id, image):
        self.command("blockdev-add", **{"node-name": dev_id + "-node", "driver": "raw",
                                        "file": {"driver": "file", "filename": image}})
        self.command("device_add", driver="usb-storage", id=dev_id, bus="xhci.0",
                     drive=dev_id + "-node", removable=True)

    def unplug(self, dev_id):
        self.command("device_del", id=dev_id)
        end = time.monotonic() + 30
        while time.monotonic() < end:  # blockdev-del only once the guest let go of the device
            try:
                self.command("blockdev-del", **{"node-name": dev_id + "-node"})
                return
            except Fail:
                time.sleep(0.5)
        raise Fail("stick %s was not released" % dev_id)

    def screendump(self, path):
        self.command("screendump", filename=path, format="png")

    def shutdown(self, deadline=120):
        # A clean shutdown: systemd stops every service (the kiosk gets SIGTERM) and unmounts.
        # The image has no logind to act on an ACPI power button, so press Ctrl-Alt-Del on the
        # VM's USB keyboard: systemd reboots, and -no-reboot turns that into QEMU exiting.
        self.command("send-key", keys=[{"type": "qcode", "data": k}
                                       for k in ("ctrl", "alt", "delete")])
        try:
            self.proc.wait(timeout=deadline)
        except subprocess.TimeoutExpired:
            raise Fail("the VM did not power off within %d s" % deadline)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()


def make_stick(path, conference=None, fleet=None):
    """A vfat stick image with kith/, the conference bundle, and with fleet=(DIR, KIOSK_ID)
    kith/fleet.json and that kiosk's identity from `kioskctl fleet new DIR`."""
    if os.path.exists(path):
        os.unlink(path)
    run("truncate", "-s", "64M", path)
    run("mkfs.vfat", "-n", "KITHSTICK", path, stdout=subprocess.DEVNULL)
    run("mmd", "-i", path, "::kith")
    if conference:
        run("mcopy", "-i", path, conference, "::kith/conference.sqlite")
    if fleet:
        d, kiosk = fleet
        run("mcopy", "-i", path, os.path.join(d, "fleet.json"), "::kith/fleet.json")
        run("mmd", "-i", path, "::kith/identities", "::kith/identities/" + kiosk)
        for f in ("cert.pem", "key.pem"):
            run("mcopy", "-i", path, os.path.join(d, kiosk, f), "::kith/identities/%s/%s" % (kiosk, f))


def stick_checkins(path):
    """All (kiosk_id, seq, attendee_id) rows from kith/checkins-*.sqlite on a stick image."""
    listing = subprocess.run(["mdir", "-b", "-i", path, "::kith"], capture_output=True,
                             text=True).stdout.split()
    rows = []
    for name in listing:
        base = name.rsplit("/", 1)[-1]
        if not re.fullmatch(r"checkins-.*\.sqlite", base, re.I):
            continue
        local = os.path.join(WORK, "from-stick-" + base)
        run("mcopy", "-o", "-n", "-i", path, "::kith/" + base, local)
        db = sqlite3.connect("file:%s?mode=ro" % local, uri=True)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", base + " is damaged"
        rows += db.execute("SELECT kiosk_id, seq, attendee_id FROM checkins").fetchall()
        db.close()
    return rows


def make_conference(path):
    """A demo conference with kioskctl; returns (path, [attendee ids]) or (None, reason)."""
    if os.path.exists(path):
        os.unlink(path)
    r = subprocess.run([os.path.join(BUILD, "kioskctl"), "demo", path, "--attendees", "50",
                        "--seed", "7"], capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(path):
        return None, "kioskctl demo failed: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    db = sqlite3.connect(path)
    ids = [row[0] for row in db.execute("SELECT attendee_id FROM attendees ORDER BY id LIMIT 3")]
    db.close()
    return path, ids


def data_partition_check(disk):
    """The data partition of the (qcow2 overlay) disk after a shutdown: e2fsck -fn must find
    nothing, and the kiosk's database must be there. Returns a list of problems."""
    raw = os.path.join(WORK, "disk.raw")
    run("qemu-img", "convert", "-O", "raw", disk, raw)
    out = subprocess.run(["sfdisk", "--json", raw], capture_output=True, text=True, check=True)
    part = json.loads(out.stdout)["partitiontable"]["partitions"][2]
    data = os.path.join(WORK, "data.ext4")
    run("dd", "if=" + raw, "of=" + data, "bs=1M", "iflag=skip_bytes,count_bytes",
        "skip=%d" % (part["start"] * 512), "count=%d" % (part["size"] * 512), "status=none")
    os.unlink(raw)
    problems = []
    r = subprocess.run(["e2fsck", "-fn", data], capture_output=True, text=True)
    if r.returncode != 0:
        problems.append("e2fsck -fn: " + (r.stdout + r.stderr).strip()[-400:])
    r = subprocess.run(["debugfs", "-R", "stat /kiosk.sqlite", data], capture_output=True,
                       text=True)
    if not re.search(r"Size: [1-9]", r.stdout):
        problems.append("no kiosk.sqlite on the data partition: " + r.stderr.strip()[-200:])
    os.unlink(data)
    return problems


def colours(png):
    """How many distinct colours a PNG has (ImageMagick): a blank screen has one or two."""
    r = subprocess.run(["convert", png, "-format", "%k", "info:"], capture_output=True,
                       text=True, check=True)
    return int(r.stdout.strip() or 0)


def pictures_differ(a, b):
    """Do two screendumps show different screens? More than 2% of the pixels must differ, so
    the clock turning over a minute does not count as a new screen."""
    r = subprocess.run(["compare", "-metric", "AE", "-fuzz", "5%", a, b, "null:"],
                       capture_output=True, text=True)
    changed = float((r.stderr.split() or ["0"])[0])
    size = subprocess.run(["identify", "-format", "%w %h", a], capture_output=True, text=True,
                          check=True).stdout.split()
    return changed > 0.02 * int(size[0]) * int(size[1])


# systemd stops printing per-unit status lines once boot settles, so "Startup finished" (every
# start job done, including the kiosk's Type=notify start, which ends only at READY=1) counts too.
READY = r"Started kith-kiosk\.service|Started Kith check-in kiosk|Startup finished in"
SAFE = r"(?i)safe to remove"
# The kiosk's per-tap log line, written after the check-in is committed (firmware/app/worker.c);
# the reader's earlier "badge ... id X" line is not an acknowledgement.
ACK = r"tap attendee=%s result=checkin"


def same_picture(a, b):
    return subprocess.run(["compare", "-metric", "AE", a, b, "null:"], capture_output=True
                          ).returncode == 0


def wait_for_picture(vm, png, differs_from, what, settle=3.0):
    """Screendumps until the screen shows a drawn picture (not one flat colour), a different
    screen from each of `differs_from`, that has stopped changing for `settle` seconds (the
    welcome screen fades the name in, and under TCG the first frame of a new screen can take
    seconds while Mesa compiles its shaders). Returns its colour count. Polls with a deadline;
    the kiosk draws after the event the test waited for."""
    end = time.monotonic() + STEP_DEADLINE
    last = png + ".last.png"
    stable_since = None
    n = 0
    while True:
        vm.screendump(png)
        n = colours(png)
        if n > 16 and all(pictures_differ(png, other) for other in differs_from):
            if settle == 0:
                return n
            if stable_since is not None and same_picture(png, last):
                if time.monotonic() - stable_since >= settle:
                    os.unlink(last)
                    return n
            else:
                stable_since = time.monotonic()
                shutil.copyfile(png, last)
        else:
            stable_since = None
        if time.monotonic() > end:
            raise Fail("no settled %s on the VM's display within %.0f s (%d colours; see %s)"
                       % (what, STEP_DEADLINE, n, os.path.relpath(png, ROOT)))
        time.sleep(0.5)


WATCHDOG_SEC = 30   # kith-kiosk.service's WatchdogSec=
WATCHDOG_MARGIN = 15  # systemd's own latency, under TCG on a loaded machine


def watchdog_round(vm, sim, ids):
    """Round 5: freeze the kiosk (SIGSTOP, so its main loop stops sending WATCHDOG=1): systemd
    must kill it within WatchdogSec (plus a margin) and start a new one, which must come back
    on attract with every check-in it had, and check in the next tap."""
    rc, before = vm.agent("checkins")
    if rc:
        raise Fail("cannot read the kiosk's check-ins: " + before)
    vm.agent("admin-config")  # the restarted kiosk gets the admin PIN for round 6
    wait_for_picture(vm, os.path.join(WORK, "before-watchdog.png"), [], "the attract screen",
                     settle=0)
    rc, out = vm.agent("watchdogs-on")
    if rc or out.strip() != "yes":
        raise Fail("could not turn service watchdogs on: " + out)
    time.sleep(3)  # the kiosk's next WATCHDOG=1 arms systemd's timer
    old = vm.kiosk_state()
    mark = len(vm.log())
    rc, out = vm.agent("freeze-kiosk")
    if rc:
        raise Fail("could not freeze the kiosk: " + out)
    t0 = time.monotonic()
    vm.wait_for(r"kith-kiosk\.service: Watchdog timeout", WATCHDOG_SEC + WATCHDOG_MARGIN,
                "systemd's watchdog timeout for the frozen kiosk", since=mark)
    t_fired = time.monotonic() - t0
    end = time.monotonic() + STEP_DEADLINE
    while True:
        st = vm.kiosk_state()
        if st.get("ActiveState") == "active" and st.get("MainPID") not in ("0", old["MainPID"]):
            break
        if time.monotonic() > end:
            raise Fail("the kiosk did not come back after the watchdog killed it: %s" % st)
        time.sleep(1)
    t_back = time.monotonic() - t0
    vm.agent("watchdogs-off")
    record("watchdog: frozen kiosk killed and restarted", "PASS",
           "timeout %.0f s after SIGSTOP (WatchdogSec=%d), ready again after %.0f s, pid %s -> %s"
           % (t_fired, WATCHDOG_SEC, t_back, old["MainPID"], st["MainPID"]))
    vm.wait_scene("attract")
    png = os.path.join(WORK, "after-watchdog.png")
    shot = wait_for_picture(vm, png, [], "the attract screen after the restart", settle=0)
    rc, after = vm.agent("checkins")
    lost = [i for i in before.split() if i not in after.split()]
    record("back on attract after the restart, nothing lost",
           "FAIL" if rc or lost else "PASS",
           "lost %s" % lost if lost else "%d colours, %d check-ins kept"
           % (shot, len(before.split())))
    mark = len(vm.log())
    sim.send("present 04C1B2C3D4E582 %s" % ids[2])
    vm.wait_for(ACK % re.escape(ids[2]), STEP_DEADLINE, "the restarted kiosk acknowledging a tap",
                since=mark)
    sim.send("remove")
    record("the restarted kiosk checks in a tap", "PASS")


def clock_round(vm):
    """Round 6: the operator sets the clock on the admin screen, by touch (the USB mouse):
    hold a corner of attract, enter the PIN, Set clock, one day forward, Set clock. The guest's
    clock must then read a day later: the service has CAP_SYS_TIME and nothing else."""
    end = time.monotonic() + STEP_DEADLINE
    while True:  # attract, without the stick's card (it takes touches of its own)
        name, items = vm.scene()
        if name == "attract" and not any("remove" in i[5].lower() for i in items):
            break
        if time.monotonic() > end:
            raise Fail("the kiosk did not go back to a bare attract screen (it shows %s)" % name)
        time.sleep(1)
    vm.touch(0, 0, hold=3.0)  # a corner; CORNER_PRESS_MS is 2 s
    items = vm.wait_scene("admin-pin")
    for key in ("2", "4", "6", "8", "OK"):
        vm.tap_item(items, "key", key)
    items = vm.wait_scene("admin")
    rc, out = vm.agent("clock")
    before = int(out)
    vm.tap_item(items, "button", "Set clock")
    items = vm.wait_scene("admin-clock")
    vm.tap_item(items, "button", "+")  # the first "+" is the date's: one day forward
    time.sleep(1)
    mark = len(vm.log())
    vm.tap_item(items, "button", "Set clock")
    m = vm.wait_for(r"admin: wall clock set to (\d+)|Not allowed to set the clock[^\n]*|"
                    r"Could not set the clock[^\n]*", STEP_DEADLINE, "the admin screen setting the clock",
                    since=mark)
    if not m.group(1):
        raise Fail("Set clock failed in the VM: " + m.group(0))
    target = int(m.group(1))
    rc, out = vm.agent("clock")
    now = int(out)
    ok = 86400 - 120 <= target - before <= 86400 + 60 and 0 <= now - target <= 120
    record("admin Set clock sets the system clock (CAP_SYS_TIME)", "PASS" if ok else "FAIL",
           "guest clock %d before, set to %d, reads %d after (a day forward: %+d s)"
           % (before, target, now, now - before))


def listening(vm):
    """[(netid, port, local address, process)] of every listening TCP/UDP socket in the guest."""
    rc, out = vm.agent("sockets")
    socks = []
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 5 and f[0] in ("tcp", "udp"):
            addr, _, port = f[4].rpartition(":")
            m = re.search(r'users:\(\("([^"]+)"', line)
            socks.append((f[0], port, addr, m.group(1) if m else "?"))
    return socks


# What may listen once Syncthing runs: its sync port (TCP, and UDP for QUIC). Local discovery
# (21027/udp) is off: the test's fleet gives every kiosk an address (kioskctl fleet config turns
# discovery on only for a peer without one). Anything else is a failure (the firewall also drops
# it, but nothing should listen) except unbound-port UDP sockets of Syncthing's (the kernel lists
# them as UNCONN; the firewall lets nothing in to them).
ALLOWED_SOCKETS = {("tcp", "22000"), ("udp", "22000")}


def unexpected_sockets(socks):
    return [s for s in socks if s[:2] not in ALLOWED_SOCKETS and
            not (s[0] == "udp" and s[3] == "syncthing" and int(s[1] or 0) >= 32768)]


LAN_TAIL = 30
CONNECT_DEADLINE = float(os.environ.get("KITH_CONNECT_DEADLINE", "300"))


def lan_story(vm):
    """The console lines of the LAN's moving parts (Syncthing, its setup, the kiosk's LAN
    thread), the last LAN_TAIL of them, without Syncthing's long device ids."""
    lines = [l for l in vm.log().splitlines()
             if re.search(r"syncthing\[|kith-syncthing-setup|kiosk: lan:|nftables", l)]
    lines = [re.sub(r"([A-Z0-9]{7})(-[A-Z0-9]{7}){7}", r"\1", l) for l in lines]
    return "\n".join("    " + l.strip() for l in lines[-LAN_TAIL:])


def tell_lan(vms):
    """CI keeps only the test's output: the LAN's story, both sides."""
    for k, vm in vms.items():
        say("%s's LAN log (last %d lines):\n%s" % (k, LAN_TAIL, lan_story(vm)))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def network_round(base, conference, ids):
    """Round 7 (issue 12): two VMs of the image joined only by a QEMU socket link over
    127.0.0.1 (no user netdev, no bridge), with static link-local addresses from the kernel
    command line (kith.static_address, as kith.txt's static_address=). Each gets the fleet file
    and its identity (kioskctl fleet new, run here) on a stick, which starts its Syncthing; only
    Syncthing's ports may listen; a tap on A must be read back from B's database."""
    fleet_dir = os.path.join(WORK, "fleet")
    shutil.rmtree(fleet_dir, ignore_errors=True)
    addr = {"vm-a": "169.254.10.1", "vm-b": "169.254.10.2"}
    cmd = [os.path.join(BUILD, "kioskctl"), "fleet", "new", fleet_dir]
    for k, where in (("vm-a", "Hall A"), ("vm-b", "Hall B")):
        cmd += ["--kiosk", "%s=%s@tcp://%s:22000" % (k, where, addr[k])]
    r = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, HOME=WORK))
    if r.returncode != 0:
        raise Fail("kioskctl fleet new: " + r.stderr.strip())
    port = free_port()
    vms, sims = {}, {}
    t0 = time.monotonic()
    try:
        for n, (k, mode) in enumerate((("vm-a", "listen"), ("vm-b", "connect"))):
            disk = os.path.join(WORK, "disk-%s.qcow2" % k)
            run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", base, disk)
            sims[k] = Sim(os.path.join(WORK, "nfc-" + k))
            net = ["-netdev", "socket,id=lan,%s=127.0.0.1:%d" % (mode, port),
                   "-device", "virtio-net-pci,netdev=lan,romfile=,mac=52:54:00:4b:00:%02x" % (n + 1)]
            vms[k] = VM(k, disk, sims[k], net=net, append_extra="kith.kiosk_id=%s "
                        "kith.static_address=%s/16" % (k, addr[k]))
        for k, vm in vms.items():
            vm.wait_for(READY, BOOT_DEADLINE, "%s: kiosk READY=1" % k, since=0)
        marks = {}
        for k, vm in vms.items():  # both sticks at once: the VMs sync them side by side
            stick = os.path.join(WORK, "fleet-%s.img" % k)
            make_stick(stick, conference, fleet=(fleet_dir, k))
            marks[k] = len(vm.log())
            vm.plug("fleet", stick)
        for k, vm in vms.items():
            vm.wait_for(SAFE, STEP_DEADLINE, '%s: "safe to remove"' % k, since=marks[k])
            vm.wait_for(r"kith-syncthing-setup: Syncthing for %s ready" % k, STEP_DEADLINE,
                        "%s: Syncthing set up from the stick's fleet" % k, since=marks[k])
        record("network: fleet file and identity from a stick start Syncthing on both VMs",
               "PASS", "%.0f s" % (time.monotonic() - t0))
        for k, vm in vms.items():
            end = time.monotonic() + STEP_DEADLINE
            while ("tcp", "22000") not in {s[:2] for s in listening(vm)}:
                if time.monotonic() > end:
                    raise Fail("%s: Syncthing does not listen on 22000" % k)
                time.sleep(1)
            extra = unexpected_sockets(listening(vm))
            record("network: %s listens only on Syncthing's ports (ss -lntu)" % k,
                   "FAIL" if extra else "PASS",
                   "also: %s" % extra if extra else "tcp/udp 22000")
        fw = vms["vm-a"].seen(r"Finished nftables|Started nftables")
        record("network: the nftables firewall loaded", "PASS" if fw else "FAIL")

        # Under TCG, Syncthing's TLS handshakes take seconds and both sides dial at once: the
        # first tries can time out ("Failed to exchange Hello messages"), and the next comes
        # reconnectionIntervalS (10 s) later. The link has its own deadline, so that the tap's
        # deadline below measures the tap's journey, not how long emulated TLS took to settle.
        try:
            for k, vm in vms.items():
                vm.wait_for(r"kiosk: lan: syncthing up, [1-9][0-9]* device\(s\) connected",
                            CONNECT_DEADLINE, "%s: the kiosk's Syncthing connected to its peer"
                            % k, since=marks[k])
        except Fail:
            tell_lan(vms)
            raise
        record("network: the two Syncthings connect", "PASS",
               "%.0f s after the start" % (time.monotonic() - t0))

        a, b = vms["vm-a"], vms["vm-b"]
        mark = len(a.log())
        sims["vm-a"].send("present 04C1B2C3D4E590 %s" % ids[0])
        a.wait_for(ACK % re.escape(ids[0]), STEP_DEADLINE, "vm-a acknowledging the tap",
                   since=mark)
        t_tap = time.monotonic()
        sims["vm-a"].send("remove")
        # vm-a's kiosk publishes into its own folder (LAN sync), Syncthing carries the file,
        # vm-b's kiosk takes it in: read it back from vm-b's database.
        end, in_db = time.monotonic() + STEP_DEADLINE, False
        while time.monotonic() < end and not in_db:
            in_db = ids[0] in b.agent("checkins")[1].split()
            if not in_db:
                time.sleep(1)
        if in_db:
            record("network: a tap on vm-a read back from vm-b's database", "PASS",
                   "%.1f s after the acknowledgement" % (time.monotonic() - t_tap))
        else:
            rc, out = b.agent("syncthing")
            rc, files = b.agent("lan")
            record("network: a tap on vm-a read back from vm-b's database", "FAIL",
                   "not within %.0f s; vm-b Syncthing: %s; vm-b's LAN folders: %s"
                   % (STEP_DEADLINE, out.replace("\n", " "), files.replace("\n", " ")))
            tell_lan(vms)
        say("network round: %.0f s" % (time.monotonic() - t0))
    finally:
        for vm in vms.values():
            vm.kill()
        for sim in sims.values():
            sim.close()


def main():
    base = os.path.join(IMG_WORK, "kith-rpi-arm64.img")
    if not os.path.exists(base):
        xz = os.path.join(OUT, "kith-rpi-arm64.img.xz")
        if not os.path.exists(xz):
            say("no image yet: running image/mkimage.sh")
            run(os.path.join(ROOT, "image", "mkimage.sh"))
        else:
            os.makedirs(IMG_WORK, exist_ok=True)
            with open(base, "wb") as f:
                run("xz", "-dc", xz, stdout=f)
    for f in ("vmlinuz", "initrd.img"):
        if not os.path.exists(os.path.join(IMG_WORK, f)):
            raise Fail("build/image/%s missing: run make image" % f)
    for tool in ("pn532-sim", "kioskctl"):
        if not os.path.exists(os.path.join(BUILD, tool)):
            raise Fail("build/%s missing: run make" % tool)

    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    os.makedirs(OUT, exist_ok=True)
    disk = os.path.join(WORK, "disk.qcow2")
    run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", base, disk)

    conference, ids = make_conference(os.path.join(WORK, "conference.sqlite"))
    if conference is None:
        raise Fail(ids)
    if len(ids) < 2:
        raise Fail("the demo conference has fewer than two attendees")
    if os.environ.get("KITH_IMAGE_TEST_ONLY") == "network":  # development: round 7 alone
        network_round(base, conference, ids)
        return
    attract_png = os.path.join(OUT, "kith-image-test-attract.png")
    welcome_png = os.path.join(OUT, "kith-image-test.png")
    sim = Sim(os.path.join(WORK, "nfc-pty"))
    vm = None
    try:
        # Round 1: boot.
        vm = VM("boot1", disk, sim)
        t_boot = time.monotonic()
        vm.wait_for(r"kith-initrd: root .* read-only under a RAM overlay", BOOT_DEADLINE,
                    "initramfs overlay message", since=0)
        record("root read-only under a RAM overlay (initramfs)", "PASS")
        vm.wait_for(READY, BOOT_DEADLINE, "kiosk READY=1", since=0)
        t_ready = time.monotonic() - t_boot
        # Journal lines reach the console after systemd's own status line: wait, don't peek.
        vm.wait_for(r"kiosk: kiosk .* started", STEP_DEADLINE, "the kiosk's start line", since=0)
        if vm.seen(r"kith-kiosk\.service: Failed"):
            raise Fail("the kiosk did not come up cleanly (see the console log)")
        record("kiosk service ready (sd_notify READY=1)", "PASS", "%.0f s after power-on" % t_ready)
        # systemd's "Mounted var-lib-kith.mount" status line is not always printed (status
        # output pauses while a start job is slow), so look for the kernel's mount of the third
        # partition; after shutdown the database itself is looked for on that partition.
        if vm.seen(r"Mounted (var-lib-kith\.mount|/var/lib/kith)|EXT4-fs \(vda3\): mounted"):
            record("data partition mounted on /var/lib/kith", "PASS")
        else:
            record("data partition mounted on /var/lib/kith", "FAIL", "no mount of vda3 logged")
        cycles = re.findall(r"Found ordering cycle on ([^ /]+)", vm.log())
        record("no systemd ordering cycle", "FAIL" if cycles else "PASS", ", ".join(cycles))
        if vm.seen(r"fake-hwclock.*Unable to read saved clock"):
            record("clock restored from the data partition (fake-hwclock)", "FAIL",
                   "fake-hwclock found no saved clock on /var/lib/kith")
        else:
            record("clock restored from the data partition (fake-hwclock)", "PASS")
        gettys = re.findall(r"Started .*(getty@tty\d+|serial-getty@\w+)", vm.log())
        record("no login prompt on any console", "FAIL" if gettys else "PASS",
               ", ".join(sorted(set(gettys))))
        # The attract screen never settles (its badge icon pulses): any drawn frame will do.
        shot = wait_for_picture(vm, attract_png, [], "the attract screen", settle=0)
        record("kiosk drew its attract screen (QMP screendump)", "PASS",
               "%s, %d colours" % (os.path.relpath(attract_png, ROOT), shot))

        # The sandbox as systemd rates it, on the image itself (issue 15: 2.0 or below).
        rc, out = vm.agent("security")
        m = re.search(r"Overall exposure level for kith-kiosk\.service: ([0-9.]+)", out)
        if not m:
            record("kiosk sandbox (systemd-analyze security)", "FAIL", out[-300:])
        else:
            score = float(m.group(1))
            record("kiosk sandbox (systemd-analyze security)", "PASS" if score <= 2.0 else "FAIL",
                   "exposure %.1f (at most 2.0)" % score)
        # Fonts: fontconfig finds a font for a letter of every script names are written in.
        rc, out = vm.agent("fonts")
        missing = [l.split()[0] for l in out.splitlines() if len(l.split()) == 1]
        record("a font for every script (fontconfig on the image)",
               "FAIL" if rc or missing else "PASS",
               ("no font for U+" + ", U+".join(missing)) if missing else
               "%d scripts" % len(out.splitlines()))

        # Nothing listens before a fleet file has come (and this VM has no network device).
        socks = listening(vm)
        record("nothing listens on TCP/UDP without a fleet (ss -lntu)",
               "FAIL" if socks else "PASS", str(socks) if socks else "")

        # Round 2: a stick with the conference data.
        stick1 = os.path.join(WORK, "stick1.img")
        make_stick(stick1, conference)
        mark = len(vm.log())
        vm.plug("stick1", stick1)
        vm.wait_for(r"Mounted (media-kith-sd[a-z]+\.mount|/media/kith/sd[a-z]+)|"
                    r"stick mounted at /media/kith/sd[a-z]+", STEP_DEADLINE,
                    "stick mount under /media/kith", since=mark)
        record("USB stick mounted under /media/kith (udev + systemd-mount)", "PASS")
        vm.wait_for(SAFE, STEP_DEADLINE, '"safe to remove"', since=mark)
        record('stick 1 synced: "safe to remove"', "PASS")
        vm.wait_for(r"usb-eject: unmounted /media/kith/|Unmounted (media-kith|/media/kith)",
                    STEP_DEADLINE, "unmount after safe to remove", since=mark)
        record("stick unmounted after the kiosk said safe to remove", "PASS")
        vm.unplug("stick1")

        # Round 3: a tap, a stick, the export read back with mtools.
        before_png = os.path.join(WORK, "before-tap.png")
        vm.screendump(before_png)  # the attract screen, or stick 1's card until it times out
        mark = len(vm.log())
        sim.send("present 04A1B2C3D4E580 %s" % ids[0])
        vm.wait_for(ACK % re.escape(ids[0]), STEP_DEADLINE, "the kiosk acknowledging the tap",
                    since=mark)
        shot = wait_for_picture(vm, welcome_png, [attract_png, before_png],
                                "the welcome screen")
        record("kiosk drew the welcome screen (QMP screendump)", "PASS",
               "%s, %d colours" % (os.path.relpath(welcome_png, ROOT), shot))
        sim.send("remove")
        stick2 = os.path.join(WORK, "stick2.img")
        make_stick(stick2)
        mark = len(vm.log())
        vm.plug("stick2", stick2)
        vm.wait_for(SAFE, STEP_DEADLINE, '"safe to remove" for stick 2', since=mark)
        vm.shutdown()
        rows = stick_checkins(stick2)
        got = [r for r in rows if r[2] == ids[0]]
        record("check-in exported to the stick (mtools + sqlite)", "PASS" if got else "FAIL",
               "%d row(s) for %s" % (len(got), ids[0]))
        problems = data_partition_check(disk)
        record("database on the data partition, which is clean after shutdown",
               "FAIL" if problems else "PASS", "; ".join(problems))

        # Round 4: power cut right after an acknowledged tap.
        vm = VM("cut", disk, sim)
        vm.wait_for(READY, BOOT_DEADLINE, "kiosk READY=1", since=0)
        mark = len(vm.log())
        sim.send("present 04B1B2C3D4E581 %s" % ids[1])
        vm.wait_for(ACK % re.escape(ids[1]), STEP_DEADLINE, "the kiosk acknowledging the tap",
                    since=mark)
        vm.kill()
        sim.send("remove")
        record("power cut right after an acknowledged tap", "PASS")
        vm = VM("after-cut", disk, sim)
        vm.wait_for(READY, BOOT_DEADLINE, "kiosk READY=1 after the power cut", since=0)
        fsck_bad = re.search(r"kith-data.*(UNEXPECTED INCONSISTENCY|RUN fsck MANUALLY|errors)",
                             vm.log())
        record("data partition fsck at boot after the cut", "FAIL" if fsck_bad else "PASS",
               fsck_bad.group(0) if fsck_bad else "journal replay only")
        watchdog_round(vm, sim, ids)
        stick3 = os.path.join(WORK, "stick3.img")
        make_stick(stick3)
        mark = len(vm.log())
        vm.plug("stick3", stick3)
        vm.wait_for(SAFE, STEP_DEADLINE, '"safe to remove" for stick 3', since=mark)
        vm.wait_for(r"usb-eject: unmounted /media/kith/|Unmounted (media-kith|/media/kith)",
                    STEP_DEADLINE, "unmount of stick 3", since=mark)
        vm.unplug("stick3")
        clock_round(vm)
        vm.shutdown()
        rows = stick_checkins(stick3)
        have = {r[2] for r in rows}
        missing = [i for i in ids[:2] if i not in have]
        record("acknowledged check-ins survive the power cut", "FAIL" if missing else "PASS",
               "missing %s" % missing if missing else "both present")
        record("the tap after the watchdog restart is on the stick too",
               "PASS" if ids[2] in have else "FAIL", ids[2])
        problems = data_partition_check(disk)
        record("data partition clean (e2fsck -fn)", "FAIL" if problems else "PASS",
               "; ".join(problems))
        vm = None
        if os.environ.get("KITH_IMAGE_TEST_NETWORK", "1") != "0":
            network_round(base, conference, ids)
    finally:
        if vm is not None:
            vm.kill()
        sim.close()


if __name__ == "__main__":
    try:
        main()
    except (Fail, subprocess.CalledProcessError, AssertionError) as e:
        record("image-test", "FAIL", str(e))
        say("console logs: build/image-test/console-*.log")
    passed = sum(1 for r in results if r[1] == "PASS")
    failed = sum(1 for r in results if r[1] == "FAIL")
    skipped = sum(1 for r in results if r[1] == "SKIP")
    say("total %.0f s" % (time.monotonic() - T0))
    print("image-test: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    sys.exit(1 if failed else 0)
