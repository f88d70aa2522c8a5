#!/bin/sh
# make bench: staff mode (issue 14): the staff name search as you type on a 100,000-attendee
# roster in several scripts, the FTS5 prefix query alone and keystroke to presented frame
# through the staff screen, and that without the present (the X server's copy, and on a shared
# machine its waits), at 800x480 (target: p99 under one frame, 16.7 ms).
# Frames are measured with vsync off and SDL's software renderer under Xvfb.
set -u
BUILD=${BUILD:-$(pwd)/build}
drv=$BUILD/bench/staff_bench
[ -x "$drv" ] || { echo "bench-staff: $drv not built" >&2; exit 1; }
command -v xvfb-run >/dev/null 2>&1 || { echo "bench-staff: xvfb-run missing (tools/install-deps.sh test)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$drv" make-db "$tmp/roster.db" --attendees 100000 || exit 1
SDL_RENDER_DRIVER=software SDL_RENDER_VSYNC=0 xvfb-run -a -s "-screen 0 800x480x24" \
	"$drv" bench "$tmp/roster.db" --window 800x480 2>/dev/null
