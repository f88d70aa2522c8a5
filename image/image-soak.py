#!/usr/bin/env python3
"""make image-soak: cut the power of the image in QEMU at random moments, many times (issue 15).

Not part of CI (about a minute and a half per cut under TCG); quote its summary. The VM is
image-test.py's (same kernel, initramfs, overlay disk, pn532-sim reader, USB sticks over QMP,
test agent). One disk lives through every cut, as a kiosk's SD card would. Each cut is one of:
  boot   QEMU is killed at a random moment between power-on and the kiosk's READY=1;
  taps   badges are tapped one after another and QEMU is killed at a random moment, sometimes
         between a badge arriving and its acknowledgement;
  stick  a stick is plugged (the same stick image every time) and QEMU is killed at a random
         moment of its sync: mount, export, read-back, merge.
After every cut, on a copy of the disk:
  - the data partition's journal is replayed (e2fsck -E journal_only, what a boot does) and then
    e2fsck -fn must find nothing;
  - the kiosk database (with its WAL) must pass integrity_check and hold every check-in the
    kiosk acknowledged so far (the "tap attendee=X result=checkin" line: written after commit);
  - the stick's kith/checkins-*.sqlite must be absent (never written yet) or whole
    (integrity_check) and hold at least the check-ins of the last export seen whole: the old
    export or the new one, never a torn file.
At the end the kiosk boots cleanly, lists every acknowledged check-in, and shuts down with a
clean data partition.
Environment: KITH_IMAGE_SOAK_CUTS (default 20), KITH_IMAGE_SOAK_SEED (default 1; the moments
come from it, so a run can be repeated). Exit status 1 on any failure.
"""
import importlib.util
import os
import random
import re
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("image_test", os.path.join(HERE, "image-test.py"))
it = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(it)

CUTS = int(os.environ.get("KITH_IMAGE_SOAK_CUTS", "20"))
SEED = int(os.environ.get("KITH_IMAGE_SOAK_SEED", "1"))
WORK = os.path.join(it.BUILD, "image-soak")
it.WORK = WORK  # image-test's helpers keep their files (logs, sockets, copies) here
ACK_ANY = r"tap attendee=(\S+) result=checkin"
MOUNTED = r"usb: stick mounted at /media/kith/"


def acked_in(vm):
    """Attendee ids the kiosk acknowledged in this boot's console log."""
    return set(re.findall(ACK_ANY, vm.log()))


def extract_data_partition(disk, out):
    """The data partition (third) of the qcow2 overlay, as a file."""
    raw = os.path.join(WORK, "disk.raw")
    it.run("qemu-img", "convert", "-O", "raw", disk, raw)
    r = subprocess.run(["sfdisk", "--json", raw], capture_output=True, text=True, check=True)
    import json
    part = json.loads(r.stdout)["partitiontable"]["partitions"][2]
    it.run("dd", "if=" + raw, "of=" + out, "bs=1M", "iflag=skip_bytes,count_bytes",
           "skip=%d" % (part["start"] * 512), "count=%d" % (part["size"] * 512), "status=none")
    os.unlink(raw)


def check_data(disk, acked):
    """After a cut: journal replay, fsck, the database whole and holding every acknowledged
    check-in. Returns (problems, number of check-ins in the database)."""
    data = os.path.join(WORK, "data.ext4")
    extract_data_partition(disk, data)
    problems = []
    subprocess.run(["e2fsck", "-E", "journal_only", "-y", data], capture_output=True)
    r = subprocess.run(["e2fsck", "-fn", data], capture_output=True, text=True)
    if r.returncode != 0:
        problems.append("e2fsck -fn after journal replay: " + (r.stdout + r.stderr).strip()[-300:])
    dbdir = os.path.join(WORK, "db")
    subprocess.run(["rm", "-rf", dbdir])
    os.makedirs(dbdir)
    for name in ("kiosk.sqlite", "kiosk.sqlite-wal"):
        subprocess.run(["debugfs", "-R", "dump /%s %s/%s" % (name, dbdir, name), data],
                       capture_output=True)
    os.unlink(data)
    rows = 0
    path = os.path.join(dbdir, "kiosk.sqlite")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        problems.append("no kiosk.sqlite on the data partition")
        return problems, rows
    wal = path + "-wal"
    if os.path.exists(wal) and os.path.getsize(wal) == 0:
        os.unlink(wal)
    db = sqlite3.connect(path)  # read-write: recovers the WAL, as the kiosk's next start does
    try:
        ok = db.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            problems.append("kiosk database integrity_check: " + ok)
        have = {r[0] for r in db.execute("SELECT attendee_id FROM checkins")}
        rows = db.execute("SELECT count(*) FROM checkins").fetchone()[0]
    finally:
        db.close()
    lost = sorted(acked - have)
    if lost:
        problems.append("acknowledged check-ins missing: %s" % lost)
    return problems, rows


def check_stick(stick, previous):
    """The stick's export: absent, or whole and holding at least the previous whole export's
    rows. Returns (problems, rows now)."""
    try:
        rows = set(it.stick_checkins(stick))
    except AssertionError as e:
        return ["stick export torn: %s" % e], previous
    except (subprocess.CalledProcessError, sqlite3.DatabaseError) as e:
        return ["stick export unreadable: %s" % e], previous
    if not rows and previous:
        # mcopy found no export at all: the rename never leaves the name missing.
        return ["the stick lost its export (had %d rows)" % len(previous)], previous
    if not previous <= rows:
        return ["the stick's export went back: %d of the previous %d rows missing"
                % (len(previous - rows), len(previous))], previous
    return [], rows


def cut_boot(vm, rng):
    delay = rng.uniform(2.0, 45.0)
    end = time.monotonic() + delay
    while time.monotonic() < end and not vm.seen(it.READY):
        time.sleep(0.2)
    ready = vm.seen(it.READY)
    vm.kill()
    return "%.1f s after power-on (%s)" % (delay, "after READY" if ready else "before READY")


def cut_taps(vm, sim, rng, fresh):
    vm.wait_for(it.READY, it.BOOT_DEADLINE, "kiosk READY=1", since=0)
    n = rng.randint(1, 4)
    for i in range(n):
        attendee = fresh()
        mark = len(vm.log())
        sim.send("present 04%012X %s" % (rng.getrandbits(48), attendee))
        if i == n - 1:
            # The last tap: the cut comes at a random moment around its acknowledgement.
            time.sleep(rng.uniform(0.0, 1.5))
            vm.kill()
            sim.send("remove")
            return "%d tap(s); cut %s the last one's acknowledgement" % (
                n, "after" if re.search(it.ACK % re.escape(attendee), vm.log()[mark:])
                else "before")
        vm.wait_for(it.ACK % re.escape(attendee), it.STEP_DEADLINE, "the tap's acknowledgement",
                    since=mark)
        sim.send("remove")
        time.sleep(0.3)
    return "unreachable"


def cut_stick(vm, sim, rng, stick, fresh):
    vm.wait_for(it.READY, it.BOOT_DEADLINE, "kiosk READY=1", since=0)
    attendee = fresh()  # something new for the export to carry
    mark = len(vm.log())
    sim.send("present 04%012X %s" % (rng.getrandbits(48), attendee))
    vm.wait_for(it.ACK % re.escape(attendee), it.STEP_DEADLINE, "the tap's acknowledgement",
                since=mark)
    sim.send("remove")
    mark = len(vm.log())
    vm.plug("soakstick", stick)
    vm.wait_for(MOUNTED, it.STEP_DEADLINE, "the stick's mount", since=mark)
    delay = rng.uniform(0.0, 6.0)
    time.sleep(delay)
    safe = re.search(it.SAFE, vm.log()[mark:]) is not None
    vm.kill()
    return "%.1f s after the mount (%s)" % (delay, "after safe to remove" if safe else "mid-sync")


def main():
    base = os.path.join(it.IMG_WORK, "kith-rpi-arm64.img")
    if not os.path.exists(base):
        xz = os.path.join(it.OUT, "kith-rpi-arm64.img.xz")
        if not os.path.exists(xz):
            raise it.Fail("no image: run make image")
        os.makedirs(it.IMG_WORK, exist_ok=True)
        with open(base, "wb") as f:
            it.run("xz", "-dc", xz, stdout=f)
    subprocess.run(["rm", "-rf", WORK])
    os.makedirs(WORK)
    disk = os.path.join(WORK, "disk.qcow2")
    it.run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", base, disk)
    conference = os.path.join(WORK, "conference.sqlite")
    r = subprocess.run([os.path.join(it.BUILD, "kioskctl"), "demo", conference, "--attendees",
                        "200", "--seed", "7"], capture_output=True, text=True)
    if r.returncode != 0:
        raise it.Fail("kioskctl demo: " + r.stderr.strip())
    db = sqlite3.connect(conference)
    ids = [row[0] for row in db.execute("SELECT attendee_id FROM attendees ORDER BY id")]
    db.close()
    pool = iter(ids)

    def fresh():
        return next(pool)

    rng = random.Random(SEED)
    sim = it.Sim(os.path.join(WORK, "nfc-pty"))
    stick = os.path.join(WORK, "soakstick.img")
    acked, stick_rows, failures = set(), set(), 0
    vm = None
    try:
        # The conference data first, by stick, with a clean boot.
        load = os.path.join(WORK, "load.img")
        it.make_stick(load, conference)
        vm = it.VM("load", disk, sim)
        vm.wait_for(it.READY, it.BOOT_DEADLINE, "kiosk READY=1", since=0)
        mark = len(vm.log())
        vm.plug("load", load)
        vm.wait_for(it.SAFE, it.STEP_DEADLINE, "the conference stick's sync", since=mark)
        vm.shutdown()
        it.make_stick(stick)
        it.record("conference loaded (clean boot and shutdown)", "PASS")
        kinds = ["boot", "taps", "stick"]
        for n in range(1, CUTS + 1):
            kind = kinds[n % 3] if n <= 3 else rng.choice(kinds)
            vm = it.VM("cut%02d" % n, disk, sim)
            t0 = time.monotonic()
            if kind == "boot":
                what = cut_boot(vm, rng)
            elif kind == "taps":
                what = cut_taps(vm, sim, rng, fresh)
            else:
                what = cut_stick(vm, sim, rng, stick, fresh)
            vm.kill()
            acked |= acked_in(vm)
            problems, rows = check_data(disk, acked)
            if kind == "stick":
                more, stick_rows = check_stick(stick, stick_rows)
                problems += more
            failures += bool(problems)
            it.record("cut %2d (%s, %s): %d acknowledged, %d in the db, %d on the stick"
                      % (n, kind, what, len(acked), rows, len(stick_rows)),
                      "FAIL" if problems else "PASS", "; ".join(problems))
            it.say("cut %d took %.0f s" % (n, time.monotonic() - t0))
        # A clean boot at the end: every acknowledged check-in, and a clean shutdown.
        vm = it.VM("final", disk, sim)
        vm.wait_for(it.READY, it.BOOT_DEADLINE, "kiosk READY=1 after the last cut", since=0)
        rc, out = vm.agent("checkins")
        lost = sorted(acked - set(out.split()))
        it.record("after %d cuts the kiosk lists every acknowledged check-in" % CUTS,
                  "FAIL" if rc or lost else "PASS",
                  "lost %s" % lost if lost else "%d acknowledged, %d in the kiosk"
                  % (len(acked), len(out.split())))
        vm.shutdown()
        problems = it.data_partition_check(disk)
        it.record("data partition clean after the final shutdown (e2fsck -fn)",
                  "FAIL" if problems else "PASS", "; ".join(problems))
    finally:
        if vm is not None:
            vm.kill()
        sim.close()


if __name__ == "__main__":
    try:
        main()
    except (it.Fail, subprocess.CalledProcessError, AssertionError, StopIteration) as e:
        it.record("image-soak", "FAIL", str(e) or type(e).__name__)
        it.say("console logs: build/image-soak/console-*.log")
    passed = sum(1 for r in it.results if r[1] == "PASS")
    failed = sum(1 for r in it.results if r[1] == "FAIL")
    it.say("total %.0f s" % (time.monotonic() - it.T0))
    print("image-soak: %d passed, %d failed (seed %d)" % (passed, failed, SEED))
    sys.exit(1 if failed else 0)
