#!/usr/bin/env bash
# bench-speed.sh - vet-classify before and after, side by side in one run
# with the record core (bench/jsonl-pass), jq and Miller on the same data,
# and the repeatable measure: callgrind instructions per record.
#
#   BASE=/tmp/main-build/bin bench/bench-speed.sh [FILE.jsonl]
#
# BASE, when set, is a bin/ directory of another build (e.g. main's), run
# on the same input in the same rounds, and its output is compared with
# this build's byte for byte (cmp): a speed-up must not change a byte.
# Without FILE, N (default 200 000) vet-gen veterans go to bench/out/.
# jq and Miller read the first PREFIX (default 20 000) lines; the table
# gives rates, so the figures compare.  Each time is the median of ROUNDS
# (default 3) rounds, the tools interleaved in each round so that a
# change in the machine's load hits all of them alike.  Startup is the
# median of 21 one-record runs.  CALLGRIND=0 skips the instruction counts.
# Environment: BIN (default bin), BASE, N, PREFIX, ROUNDS, SEED, AS_OF,
# CALLGRIND.
set -eu
cd "$(dirname "$0")/.."

BIN=${BIN:-bin}
BASE=${BASE:-}
N=${N:-200000}
PREFIX=${PREFIX:-20000}
ROUNDS=${ROUNDS:-3}
SEED=${SEED:-1}
AS_OF=${AS_OF:-2026-09-30}
CALLGRIND=${CALLGRIND:-1}
OUT=bench/out
mkdir -p "$OUT"

[ -x "$BIN/vet-classify" ] || make "$BIN/vet-classify"
[ -f build/libvet.a ] || make build/libvet.a
# shellcheck disable=SC2046
cc -O2 -Iinclude -o "$OUT/jsonl-pass" bench/jsonl-pass.c build/libvet.a \
    $(pkg-config --libs yaml-0.1 zlib) -lm
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_veterans "$@"
head -n "$PREFIX" "$data" > "$OUT/speed-prefix.jsonl"
head -n 1 "$data" > "$OUT/speed-one.jsonl"
lines=$(wc -l < "$data")
bytes=$(wc -c < "$data")
plines=$(wc -l < "$OUT/speed-prefix.jsonl")
pbytes=$(wc -c < "$OUT/speed-prefix.jsonl")

if [ -n "$BASE" ]; then
	"$BASE/vet-classify" --as-of "$AS_OF" "$data" > "$OUT/speed-base.out"
	"$BIN/vet-classify" --as-of "$AS_OF" "$data" > "$OUT/speed-new.out"
	if cmp -s "$OUT/speed-base.out" "$OUT/speed-new.out"; then
		echo "same bytes: $BIN and $BASE agree on all $lines records"
	else
		echo "DIFFERENT output from $BIN and $BASE" >&2
		exit 1
	fi
	rm -f "$OUT/speed-base.out" "$OUT/speed-new.out"
fi

have_mlr=0
command -v mlr > /dev/null && have_mlr=1

# A tool: name, input, command (input appended).
tools=("pass|$data|$OUT/jsonl-pass")
[ -n "$BASE" ] && tools+=("classify-base|$data|$BASE/vet-classify --as-of $AS_OF")
tools+=("classify|$data|$BIN/vet-classify --as-of $AS_OF")
tools+=("jq|$OUT/speed-prefix.jsonl|jq -c --arg asof $AS_OF -f bench/classify.jq")
[ $have_mlr = 1 ] && tools+=("miller|$OUT/speed-prefix.jsonl|mlr --ijsonl --ojsonl put -s asof=$AS_OF -f bench/classify.mlr")

: > "$OUT/speed-times"
for r in $(seq "$ROUNDS"); do
	for t in "${tools[@]}"; do
		IFS='|' read -r name file cmd <<< "$t"
		# shellcheck disable=SC2086
		/usr/bin/time -f "$name %e %M" -a -o "$OUT/speed-times" \
		    $cmd < "$file" > /dev/null 2>> "$OUT/speed-stderr" ||
		    { echo "$name failed" >&2; exit 1; }
	done
done

printf '%-14s %9s %10s %12s %9s %8s\n' tool records "s (med)" "rec/s" "MB/s" "x pass"
for t in "${tools[@]}"; do
	IFS='|' read -r name file cmd <<< "$t"
	if [ "$file" = "$data" ]; then n=$lines; b=$bytes; else n=$plines; b=$pbytes; fi
	grep "^$name " "$OUT/speed-times" | awk '{print $2}' | sort -n |
	    awk -v n="$n" -v b="$b" -v name="$name" '
		{ t[NR] = $1 }
		END {
			m = t[int((NR + 1) / 2)]
			if (m <= 0) m = 0.001
			printf "%s %d %.3f %.0f %.1f\n", name, n, m, n / m, b / m / 1e6
		}'
done > "$OUT/speed-table"
pass_rate=$(awk '$1 == "pass" { print $4 }' "$OUT/speed-table")
awk -v p="$pass_rate" '{ printf "%-14s %9d %10.3f %12.0f %9.1f %8.2f\n",
    $1, $2, $3, $4, $5, p / $4 }' "$OUT/speed-table"
echo "peak RSS (KB, max over rounds):"
awk '{ if ($3 > m[$1]) m[$1] = $3 } END { for (k in m) printf "  %-14s %d\n", k, m[k] }' \
    "$OUT/speed-times" | sort

# One-record runs: the start-up cost.
startup() {
	local bin=$1 i s e
	for i in $(seq 21); do
		s=$(date +%s%N)
		"$bin" --as-of "$AS_OF" "$OUT/speed-one.jsonl" > /dev/null
		e=$(date +%s%N)
		echo $(( (e - s) / 1000 ))
	done | sort -n | sed -n 11p
}
echo "startup, one record (median of 21, us): classify $(startup "$BIN/vet-classify")" \
    "${BASE:+base $(startup "$BASE/vet-classify")}"

if [ "$CALLGRIND" = 1 ] && command -v valgrind > /dev/null; then
	head -n 20000 "$data" > "$OUT/speed-20k.jsonl"
	ir() {
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
		    2>&1 > /dev/null | awk '/Collected/ { print $4 }'
	}
	k=$(wc -l < "$OUT/speed-20k.jsonl")
	for b in "$BIN" ${BASE:+"$BASE"}; do
		a=$(ir "$b/vet-classify" --as-of "$AS_OF" "$OUT/speed-20k.jsonl")
		o=$(ir "$b/vet-classify" --as-of "$AS_OF" "$OUT/speed-one.jsonl")
		echo "callgrind $b/vet-classify: $a instructions for $k records" \
		    "($(( (a - o) / k )) per record after start-up), one-record run $o"
	done
	a=$(ir "$OUT/jsonl-pass" < "$OUT/speed-20k.jsonl")
	echo "callgrind jsonl-pass: $(( a / k )) per record"
fi
