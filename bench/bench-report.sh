#!/usr/bin/env bash
# bench-report.sh - times vet-report on N (default 1 000 000) classified
# veterans, in each format and as a partial, against Miller's
# `mlr count -g district,categories` (the nearest one-liner: counts of
# category combinations per district) in the same run.
#
#   bench/bench-report.sh [CLASSIFIED.jsonl]
#
# Without a file it makes one in bench/out/ with vet-gen | vet-classify
# (built into $BIN).  Miller is about twenty times slower, so by default it
# reads the first MLR_PREFIX (100 000) records only and the table compares
# rates (MB/s); MLR_FULL=1 makes it read the whole file too.  Every figure is
# the median of RUNS (default 3) runs.  Environment: B, BIN (build and bin
# directories, default build and bin), N, RUNS, MLR_PREFIX, MLR_FULL.
set -eu
cd "$(dirname "$0")/.."

B=${B:-build}
BIN=${BIN:-bin}
N=${N:-1000000}
RUNS=${RUNS:-3}
MLR_PREFIX=${MLR_PREFIX:-100000}
OUT=bench/out
mkdir -p "$OUT"

for t in vet-report vet-gen vet-classify; do
	[ -x "$BIN/$t" ] || make B="$B" BIN="$BIN" "$BIN/$t"
done

data=${1:-}
if [ -z "$data" ]; then
	data=$OUT/classified-$N.jsonl
	if [ ! -s "$data" ]; then
		echo "generating $N classified veterans into $data" >&2
		"$BIN/vet-gen" -n "$N" --seed 1 |
		    "$BIN/vet-classify" --as-of 2026-09-30 > "$data.tmp"
		mv "$data.tmp" "$data"
	fi
fi
prefix=$OUT/classified-prefix.jsonl
head -n "$MLR_PREFIX" "$data" > "$prefix"

# Median wall-clock seconds of RUNS runs of "$@" reading stdin from $1.
median() {
	local in=$1 i t0 t1
	shift
	for ((i = 0; i < RUNS; i++)); do
		t0=$EPOCHREALTIME
		"$@" < "$in" > /dev/null 2>&1 || true
		t1=$EPOCHREALTIME
		echo "$t0 $t1" | awk '{ printf("%.6f\n", $2 - $1) }'
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

q="--quarter 2026Q3 --as-of 2026-09-30"
declare -A t
for f in text md csv json html; do
	# shellcheck disable=SC2086
	t[$f]=$(median "$data" "$BIN/vet-report" $q --format "$f")
done
# shellcheck disable=SC2086
t[partial]=$(median "$data" "$BIN/vet-report" $q --partial)
t[mlr_prefix]=$(median "$prefix" mlr --ijsonl --ojson count -g \
    district,categories)
if [ "${MLR_FULL:-0}" = 1 ]; then
	t[mlr_full]=$(median "$data" mlr --ijsonl --ojson count -g \
	    district,categories)
fi

full_b=$(wc -c < "$data")
pre_b=$(wc -c < "$prefix")
full_n=$(wc -l < "$data")
{
	for k in text md csv json html partial; do
		echo "vet-report --format $k|full|${t[$k]}"
	done
	echo "mlr count -g district,categories|prefix|${t[mlr_prefix]}"
	[ -z "${t[mlr_full]:-}" ] ||
	    echo "mlr count -g district,categories|full|${t[mlr_full]}"
} | sed 's/--format partial/--partial/' |
awk -F'|' -v fb="$full_b" -v pb="$pre_b" -v fn="$full_n" -v pn="$MLR_PREFIX" \
    -v file="$data" -v runs="$RUNS" -v mlr="${t[mlr_prefix]}" 'BEGIN {
	printf("input: %s, %d records, %.1f MB (%.0f bytes a record)\n",
	    file, fn, fb / 1e6, fb / fn)
	printf("prefix: the first %d records (%.1f MB), for Miller\n",
	    pn, pb / 1e6)
	printf("median of %d runs each\n\n", runs)
	printf("%-40s %7s %9s %9s %11s %8s\n", "command", "input", "seconds",
	    "MB/s", "records/s", "x mlr")
	mr = pb / 1e6 / mlr
}
{
	b = $2 == "full" ? fb : pb
	n = $2 == "full" ? fn : pn
	r = b / 1e6 / $3
	printf("%-40s %7s %9.3f %9.1f %11.0f %8.1f\n", $1, $2, $3, r, n / $3,
	    r / mr)
}'
