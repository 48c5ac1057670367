#!/usr/bin/env bash
# bench-classify.sh - vet-classify against the same rules written as a jq
# program (bench/classify.jq) and a Miller put (bench/classify.mlr).
#
#   bench/bench-classify.sh [FILE.jsonl]
#
# Without FILE it generates N (default 1 000 000) veteran records into
# bench/out/ with vet-gen.  jq and Miller are much slower, so they read the
# first PREFIX (default 100 000) lines: the figures are rates (records per
# second) and the table says how many records each tool read.  Before
# timing, the three are run on the first 5 000 records and their age,
# working_age, categories, priority and measures must agree (jq and Miller
# do not write reasons, so they do less work than vet-classify).
# Environment: BIN (default bin), N, PREFIX, SEED, AS_OF.
set -eu
cd "$(dirname "$0")/.."

BIN=${BIN:-bin}
N=${N:-1000000}
PREFIX=${PREFIX:-100000}
SEED=${SEED:-1}
AS_OF=${AS_OF:-2026-09-30}
OUT=bench/out
mkdir -p "$OUT"

[ -x "$BIN/vet-classify" ] || make "$BIN/vet-classify"
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_veterans "$@"
head -n "$PREFIX" "$data" > "$OUT/prefix.jsonl"
head -n 5000 "$data" > "$OUT/check.jsonl"

project() {
	# The fields all three compute, one line per record.
	jq -c '[.age, .working_age, .categories, .priority, .measures]'
}
"$BIN/vet-classify" --as-of "$AS_OF" "$OUT/check.jsonl" | project > "$OUT/c.vet"
jq -c --arg asof "$AS_OF" -f bench/classify.jq "$OUT/check.jsonl" | project > "$OUT/c.jq"
mlr --ijsonl --ojsonl put -s asof="$AS_OF" -f bench/classify.mlr \
    "$OUT/check.jsonl" | project > "$OUT/c.mlr"
cmp -s "$OUT/c.vet" "$OUT/c.jq" || { echo "jq disagrees" >&2; exit 1; }
cmp -s "$OUT/c.vet" "$OUT/c.mlr" || { echo "Miller disagrees" >&2; exit 1; }
echo "agreement: vet-classify, jq and Miller give the same results on 5000 records"

# run NAME RECORDS FILE CMD...: seconds, records/s, max RSS.
run() {
	local name=$1 n=$2 file=$3 t0 t1 rss
	shift 3
	t0=$(date +%s.%N)
	/usr/bin/time -f %M -o "$OUT/rss" "$@" "$file" > /dev/null
	t1=$(date +%s.%N)
	rss=$(cat "$OUT/rss")
	awk -v n="$name" -v r="$n" -v a="$t0" -v b="$t1" -v m="$rss" 'BEGIN {
		s = b - a
		printf "%-14s %9d records %8.2f s %12.0f rec/s %8.1f MB max RSS\n",
		    n, r, s, r / s, m / 1024
	}'
}
lines=$(wc -l < "$data")
plines=$(wc -l < "$OUT/prefix.jsonl")
echo "data: $data ($lines records, $(du -h "$data" | cut -f1))"
run vet-classify "$lines" "$data" "$BIN/vet-classify" --as-of "$AS_OF"
run vet-classify "$plines" "$OUT/prefix.jsonl" "$BIN/vet-classify" --as-of "$AS_OF"
run jq "$plines" "$OUT/prefix.jsonl" jq -c --arg asof "$AS_OF" -f bench/classify.jq
run miller "$plines" "$OUT/prefix.jsonl" mlr --ijsonl --ojsonl put -s asof="$AS_OF" -f bench/classify.mlr
