#!/usr/bin/env bash
# bench-events.sh - vet-classify --events (SPEC 2.3) against plain
# vet-classify on the same veterans, in the same run.
#
#   bench/bench-events.sh
#
# Generates N (default 1 000 000) veterans and E (default 5 000 000)
# events about them with vet-gen into bench/out/, then classifies the
# veterans without and with the log.  Reports seconds, veterans per
# second and peak RSS (/usr/bin/time -v) of each, and the memory the
# index takes per event (the RSS difference over E).  Run it under nice
# on a shared machine.  Environment: BIN (default bin), N, E, SEED, AS_OF.
set -eu
cd "$(dirname "$0")/.."

BIN=${BIN:-bin}
N=${N:-1000000}
E=${E:-5000000}
SEED=${SEED:-1}
AS_OF=${AS_OF:-2026-09-30}
OUT=bench/out
mkdir -p "$OUT"

[ -x "$BIN/vet-classify" ] && [ -x "$BIN/vet-gen" ] || make
vets=$OUT/veterans-$N.jsonl
evs=$OUT/events-$E-of-$N.jsonl
[ -s "$vets" ] || "$BIN/vet-gen" --kind veteran -n "$N" --seed "$SEED" \
    --as-of "$AS_OF" -o "$vets"
[ -s "$evs" ] || "$BIN/vet-gen" --kind event -n "$E" --seed "$SEED" \
    --population "$N" --as-of "$AS_OF" -o "$evs"

# run NAME CMD...: prints NAME seconds veterans/s peak-RSS-KiB.
run() {
	local name=$1 t
	shift
	/usr/bin/time -v "$@" >/dev/null 2>"$OUT/time.$name" || {
		tail -5 "$OUT/time.$name" >&2
		exit 1
	}
	t=$(awk -F': ' '/Elapsed/ { n = split($2, a, ":"); s = 0;
	    for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s }' \
	    "$OUT/time.$name")
	rss=$(awk -F': ' '/Maximum resident/ { print $2 }' "$OUT/time.$name")
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' \
	    "$OUT/time.$name")
	# On a shared machine the CPU time says more than the wall clock.
	printf '%-8s %8.2f s wall %8.2f s CPU %10.0f veterans/CPU-s %8d KiB peak RSS\n' \
	    "$name" "$t" "$cpu" "$(echo "$N / $cpu" | bc -l)" "$rss"
	eval "rss_$name=$rss"
}

echo "$N veterans ($(du -h "$vets" | cut -f1)), $E events ($(du -h "$evs" | cut -f1)), as of $AS_OF"
run plain "$BIN/vet-classify" --as-of "$AS_OF" "$vets"
run events "$BIN/vet-classify" --as-of "$AS_OF" --events "$evs" --stats "$vets"
grep '^vet-classify: events' "$OUT/time.events" || true
echo "index: $(( (rss_events - rss_plain) * 1024 / E )) bytes per event (RSS difference / events)"
