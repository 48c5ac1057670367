#!/usr/bin/env bash
# bench-intake.sh - times vet-intake against Miller and jq on the same data,
# in the same run:
#   station CSV   -> JSON Lines: vet-intake   vs  mlr --icsv --ojsonl cat
#   JSON Lines    -> JSON Lines: vet-intake   vs  jq -c .
# (vet-intake does far more per record: it maps headers, decodes, checks
# ids and districts, normalises dates; the others only re-serialise.)
#
#   bench/bench-intake.sh
#
# bin/vet-gen makes N (default 1 000 000) veteran records of a station
# export (CSV, UTF-8 and GBK) and the same records as JSON Lines into
# bench/out/.  Every figure is the median wall time of REPS (default 3)
# runs; peak memory (max RSS) is that of the last run.  Environment: BIN
# (default bin), N, REPS, SEED.
set -eu
cd "$(dirname "$0")/.."

BIN=${BIN:-bin}
N=${N:-1000000}
REPS=${REPS:-3}
SEED=${SEED:-1}
OUT=bench/out
mkdir -p "$OUT"

[ -x "$BIN/vet-intake" ] && [ -x "$BIN/vet-gen" ] || make "$BIN/vet-intake" "$BIN/vet-gen"

csv=$OUT/intake-$N.csv
gbk=$OUT/intake-$N-gbk.csv
jsonl=$OUT/intake-$N.jsonl
[ -s "$csv" ] || "$BIN/vet-gen" --kind veteran --format csv -n "$N" --seed "$SEED" -o "$csv"
[ -s "$gbk" ] || "$BIN/vet-gen" --kind veteran --format csv --encoding gbk -n "$N" --seed "$SEED" -o "$gbk"
[ -s "$jsonl" ] || "$BIN/vet-gen" --kind veteran -n "$N" --seed "$SEED" -o "$jsonl"

# run NAME FILE CMD...: prints "NAME  median-seconds  MB/s  maxRSS-KB".
run() {
	name=$1 file=$2
	shift 2
	times=
	for _ in $(seq "$REPS"); do
		/usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" <"$file" >/dev/null 2>"$OUT/err.txt" || true
		times="$times $(cut -d' ' -f1 "$OUT/time.txt")"
	done
	med=$(printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	rss=$(cut -d' ' -f2 "$OUT/time.txt")
	size=$(wc -c <"$file")
	awk -v n="$name" -v t="$med" -v s="$size" -v r="$rss" 'BEGIN {
		printf "%-34s %8.2f s %9.1f MB/s %9d KB\n", n, t,
		    (t > 0 ? s / t / 1e6 : 0), r }'
	echo "$med" >"$OUT/last.txt"
}

echo "records: $N, runs per figure: $REPS (median), $(nproc) CPUs"
# vet-intake takes the records through min(CPUs, 4) threads by default
# (-j); Miller, too, runs on more than one core.  -j 1 is shown beside.
run "vet-intake csv (utf-8)" "$csv" "$BIN/vet-intake" --as-of 2026-09-30
vi=$(cat "$OUT/last.txt")
run "vet-intake -j 1 csv (utf-8)" "$csv" "$BIN/vet-intake" -j 1 --as-of 2026-09-30
vi1=$(cat "$OUT/last.txt")
run "vet-intake csv (gbk)" "$gbk" "$BIN/vet-intake" --as-of 2026-09-30
run "mlr --icsv --ojsonl cat" "$csv" mlr --icsv --ojsonl cat
ml=$(cat "$OUT/last.txt")
run "vet-intake jsonl" "$jsonl" "$BIN/vet-intake" --as-of 2026-09-30
vj=$(cat "$OUT/last.txt")
run "vet-intake -j 1 jsonl" "$jsonl" "$BIN/vet-intake" -j 1 --as-of 2026-09-30
vj1=$(cat "$OUT/last.txt")
run "jq -c ." "$jsonl" jq -c .
jq=$(cat "$OUT/last.txt")
awk -v a="$ml" -v b="$vi" -v b1="$vi1" -v c="$jq" -v d="$vj" -v d1="$vj1" 'BEGIN {
	printf "csv: vet-intake %.1fx Miller (-j 1: %.1fx); " \
	    "jsonl: vet-intake %.1fx jq (-j 1: %.1fx)\n",
	    a / b, a / b1, c / d, c / d1 }'
