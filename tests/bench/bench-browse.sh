#!/bin/sh
# make bench: the session browser and venue map (issue 5).
#   - search as you type: per keystroke, FTS5 prefix query + list rebuild, and to the presented
#     frame, on a 100,000-attendee / 5,000-session demo database (target: under one frame);
#   - frame time while a finger drags the session list and while the venue map is shown
#     (target: p99 < 8 ms with SDL's software renderer), at 800x480 and 1920x1080.
#   - what the UI thread reads from the database and the disk (browser, detail, admin board),
#     each on a cold cache: a fresh connection and the database evicted from the page cache
#     (posix_fadvise DONTNEED; KITH_BENCH_DROP_CACHES=1 uses /proc/sys/vm/drop_caches instead,
#     as root, for the whole machine). Target: under one frame; the worst sample is reported.
# Frames are measured with vsync off: the figure is what a frame costs, not the display's pace.
# Rows "of which drawing" exclude SDL_RenderPresent (the X server's copy under Xvfb).
set -u
BUILD=${BUILD:-$(pwd)/build}
drv=$BUILD/bench/browse_bench
[ -x "$drv" ] || { echo "bench-browse: $drv not built" >&2; exit 1; }
command -v xvfb-run >/dev/null 2>&1 || { echo "bench-browse: xvfb-run missing (tools/install-deps.sh test)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The programme starts today at 08:30 local time; "now" is 10:40 so that lists have running,
# ended and upcoming sessions.
"$drv" make-db "$tmp/conf.db" --sessions 5000 --attendees 100000 >/dev/null || exit 1
now=$(date -d 'today 10:40' +%s)
"$drv" cold "$tmp/conf.db" --now "$now" || exit 1
for size in 800x480 1920x1080; do
	SDL_RENDER_DRIVER=software SDL_RENDER_VSYNC=0 xvfb-run -a -s "-screen 0 ${size}x24" \
		"$drv" bench "$tmp/conf.db" --window "$size" --now "$now" 2>/dev/null
done
