#!/usr/bin/env python3
"""Touch targets, with numbers: reads a kiosk scene description (firmware/ui/ui_scene.c) and
checks every tappable control against docs/CONTRACT.md "Touch targets": each side at least
9.6 mm and at least 2.5 mm of space to every other control, on a display whose diagonal is
--diagonal inches (the kiosk's display_diagonal; default 7) at the scene's own size.

    targets.py [--diagonal IN] [--kinds a,b,...] SCENE

Prints one line per violation, naming the controls, their size or distance in pixels and
millimetres, and a summary; exits 1 when there is any violation, 2 when the scene cannot be read.
A control partly scrolled out of its list is measured by its whole rectangle (the scene's
"unclipped" line after it) and spaced by what shows.
"""
import math
import sys

MIN_MM = 9.6
GAP_MM = 2.5
# Scene markers that are touch targets (ui_scene_note kinds drawn for tappable things).
KINDS = ("button", "key", "tab", "tab-selected", "category", "session", "session-over",
         "floor", "floor-selected")


def parse(path, kinds):
    size = None
    screen = "?"
    targets = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 5)
            kind = parts[0]
            if kind == "size" and len(parts) >= 3:
                size = (int(parts[1]), int(parts[2]))
            elif kind == "screen" and len(parts) >= 2:
                screen = parts[1]
            elif kind == "unclipped" and targets and targets[-1]["last"]:
                x, y, w, h = (int(v) for v in parts[1:5])
                targets[-1]["whole"] = (x, y, w, h)
            elif kind in kinds and len(parts) >= 5:
                x, y, w, h = (int(v) for v in parts[1:5])
                label = parts[5] if len(parts) > 5 else ""
                for t in targets:
                    t["last"] = False
                targets.append({"kind": kind, "label": label, "shown": (x, y, w, h),
                                "whole": (x, y, w, h), "last": True})
                continue
            for t in targets:
                t["last"] = False
    if size is None:
        raise ValueError("no 'size W H' line")
    return screen, size, targets


def distance(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    dx = max(bx - (ax + aw), ax - (bx + bw), 0)
    dy = max(by - (ay + ah), ay - (by + bh), 0)
    return math.hypot(dx, dy)


def name(t):
    return "%s '%s'" % (t["kind"], t["label"])


def check(screen, size, targets, diagonal):
    ppmm = math.hypot(*size) / (diagonal * 25.4)
    problems = []
    for t in targets:
        _, _, w, h = t["whole"]
        if w / ppmm < MIN_MM - 1e-9 or h / ppmm < MIN_MM - 1e-9:
            problems.append("too small: %s is %dx%d px = %.1fx%.1f mm (each side at least %.1f mm = %.0f px)"
                            % (name(t), w, h, w / ppmm, h / ppmm, MIN_MM, math.ceil(MIN_MM * ppmm)))
    for i, a in enumerate(targets):
        for b in targets[i + 1:]:
            if a["shown"][2] == 0 or b["shown"][2] == 0:
                continue
            d = distance(a["shown"], b["shown"])
            if d / ppmm < GAP_MM - 1e-9:
                problems.append("too close: %s and %s are %.0f px = %.1f mm apart (at least %.1f mm = %.0f px)"
                                % (name(a), name(b), d, d / ppmm, GAP_MM, math.ceil(GAP_MM * ppmm)))
    return ppmm, problems


def main(argv):
    diagonal = 7.0
    kinds = KINDS
    args = argv[1:]
    path = None
    while args:
        a = args.pop(0)
        if a == "--diagonal" and args:
            diagonal = float(args.pop(0))
        elif a == "--kinds" and args:
            kinds = tuple(args.pop(0).split(","))
        elif path is None and not a.startswith("--"):
            path = a
        else:
            print(__doc__, file=sys.stderr)
            return 2
    if path is None or not 3 <= diagonal <= 100:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        screen, size, targets = parse(path, kinds)
    except (OSError, ValueError) as e:
        print("targets: %s: %s" % (path, e), file=sys.stderr)
        return 2
    ppmm, problems = check(screen, size, targets, diagonal)
    for p in problems:
        print("%s %dx%d: %s" % (screen, size[0], size[1], p))
    print("# %s %dx%d at %g\": %d targets, %.2f px/mm, at least %.0f px with %.0f px gaps: %s"
          % (screen, size[0], size[1], diagonal, len(targets), ppmm, math.ceil(MIN_MM * ppmm),
             math.ceil(GAP_MM * ppmm), "%d problem(s)" % len(problems) if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
