#!/usr/bin/env bash
# bench-match.sh - vet-match at city scale: NV (default 100 000) classified
# veterans against NJ (default 5 000) job posts, --top 5, --top 20 and
# --allocate, each the median of 3 runs, with the peak memory.
#
#   bench/bench-match.sh
#
# Data comes from vet-gen (veterans classified by vet-classify as of
# AS_OF) and is kept in bench/out/.  An all-pairs scan would score
# NV x NJ = 500 million pairs; vet-match scores only each veteran's
# candidates from its indexes (district, desired district, skills, desired
# industries) and walks the rest in score order (see vet-match(1)), so the
# figure to watch is veterans per second.
# Environment: BIN (default bin), NV, NJ, SEED, AS_OF.
set -eu
cd "$(dirname "$0")/.."

BIN=${BIN:-bin}
NV=${NV:-100000}
NJ=${NJ:-5000}
SEED=${SEED:-1}
AS_OF=${AS_OF:-2026-09-30}
OUT=bench/out
mkdir -p "$OUT"

for t in vet-gen vet-classify vet-match; do
	[ -x "$BIN/$t" ] || make "$BIN/$t"
done
vets=$OUT/match-veterans-$NV.jsonl
jobs=$OUT/match-jobs-$NJ.jsonl
[ -s "$vets" ] || "$BIN/vet-gen" --kind veteran -n "$NV" --seed "$SEED" \
    --as-of "$AS_OF" | "$BIN/vet-classify" --as-of "$AS_OF" -o "$vets"
[ -s "$jobs" ] || "$BIN/vet-gen" --kind job -n "$NJ" --seed "$SEED" \
    --as-of "$AS_OF" -o "$jobs"

# The worst case: every veteran of working age wants a post.
busy=$OUT/match-veterans-$NV-all-seeking.jsonl
[ -s "$busy" ] || "$BIN/vet-gen" --kind veteran -n "$NV" --seed "$SEED" \
    --as-of "$AS_OF" | sed -e 's/"employment_need":false/"employment_need":true/' \
    -e 's/"employment_status":"[a-z_]*"/"employment_status":"unemployed"/' \
    -e 's/"labor_capacity":false/"labor_capacity":true/' \
    | "$BIN/vet-classify" --as-of "$AS_OF" -o "$busy"

# One district's office: every post and every veteran in one district,
# where the district index offers every post (see vet-match(1), Speed).
one=$OUT/match-veterans-$NV-one-district.jsonl
onejobs=$OUT/match-jobs-$NJ-one-district.jsonl
[ -s "$one" ] || sed -e 's/"district":"[^"]*"/"district":"朝阳区"/' "$busy" > "$one"
[ -s "$onejobs" ] || sed -e 's/"district":"[^"]*"/"district":"朝阳区"/' \
    "$jobs" > "$onejobs"

# run NAME ARGS...: vet-match on $data, the median wall time of 3 runs, lines out, max RSS.
run() {
	local name=$1 i t0 t1 rss lines
	shift
	for i in 1 2 3; do
		t0=$(date +%s.%N)
		/usr/bin/time -f %M -o "$OUT/rss" "$BIN/vet-match" \
		    --as-of "$AS_OF" --jobs "$jobs" "$@" "$data" > "$OUT/match.out"
		t1=$(date +%s.%N)
		echo "$t0 $t1"
	done | awk '{ print $2 - $1 }' | sort -n | sed -n 2p > "$OUT/median"
	rss=$(cat "$OUT/rss")
	lines=$(wc -l < "$OUT/match.out")
	awk -v n="$name" -v s="$(cat "$OUT/median")" -v v="$NV" -v l="$lines" \
	    -v m="$rss" 'BEGIN {
		printf "%-12s %7.2f s %10.0f veterans/s %8d lines %7.1f MB max RSS\n",
		    n, s, v / s, l, m / 1024
	}'
}

for data in "$vets" "$busy" "$one"; do
	[ "$data" = "$one" ] && jobs=$onejobs
	echo "$NV veterans ($(basename "$data")), $NJ posts ($(basename "$jobs")):"
	run "--top 5" --top 5
	run "--top 20" --top 20
	run "--allocate" --allocate
done
