#!/bin/sh
# bench-startup.sh - one-record starts of every tool, this build against a
# base build, interleaved: median wall and CPU ms of ROUNDS rounds of
# `spawn-median N` per command, and (where valgrind and perf are) the
# exact instruction and page-fault counts of one run.  The floor is an
# empty main() linked with libc alone: process creation on this machine.
#
#   BIN=bin BASE=/tmp/base/bin [ROUNDS=7] [N=200] [OUT=/tmp/bs] \
#       sh bench/bench-startup.sh
#
# Inputs (made in OUT from examples/data): the first veteran, its
# classified line (by BIN), the first post, the first line of the bureau's
# extract.  Machines are shared: read the medians and the ratios, and the
# counts, which do not depend on the load.
set -eu
BIN=${BIN:-bin}
BASE=${BASE:?BASE: the directory of the tools of the base build}
ROUNDS=${ROUNDS:-7}
N=${N:-200}
OUT=${OUT:-/tmp/vet-bench-startup}
A="--as-of 2026-09-30"
mkdir -p "$OUT"
cc -O2 -o "$OUT/spawn-median" bench/spawn-median.c
printf 'int main(void) { return 0; }\n' > "$OUT/empty.c"
cc -O2 -o "$OUT/empty" "$OUT/empty.c"
head -1 examples/data/veterans.jsonl > "$OUT/one.jsonl"
"$BIN/vet-classify" $A "$OUT/one.jsonl" > "$OUT/one-c.jsonl"
head -1 examples/data/jobs.jsonl > "$OUT/one-job.jsonl"
head -1 examples/data/hr-extract.jsonl > "$OUT/one-ext.jsonl"
o=$OUT
cmd() {
	case $1 in
	classify) echo "vet-classify $A $o/one.jsonl" ;;
	report) echo "vet-report $A $o/one-c.jsonl" ;;
	audit) echo "vet-audit $A $o/one-c.jsonl" ;;
	match) echo "vet-match $A --jobs $o/one-job.jsonl $o/one-c.jsonl" ;;
	plan) echo "vet-plan $A $o/one-c.jsonl" ;;
	intake) echo "vet-intake $A $o/one.jsonl" ;;
	reconcile) echo "vet-reconcile $A --extract $o/one-ext.jsonl $o/one.jsonl" ;;
	export) echo "vet-export --format csv $A $o/one-c.jsonl" ;;
	esac
}
TOOLS="classify report audit match plan intake reconcile export"
: > "$OUT/runs"
r=0
while [ $r -lt "$ROUNDS" ]; do
	m=$("$OUT/spawn-median" "$N" "$OUT/empty")
	echo "floor $m" >> "$OUT/runs"
	for t in $TOOLS; do
		c=$(cmd $t)
		for d in base new; do
			[ $d = base ] && b=$BASE || b=$BIN
			# shellcheck disable=SC2086
			m=$("$OUT/spawn-median" "$N" $b/$c 2>/dev/null)
			echo "$t.$d $m" >> "$OUT/runs"
		done
	done
	r=$((r + 1))
done
med() {
	awk -v k="$1" -v c="$2" '$1 == k { print $c }' "$OUT/runs" | sort -n |
	    awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
count() {
	c=$(cmd $2)
	if command -v valgrind >/dev/null 2>&1; then
		# shellcheck disable=SC2086
		valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		    $1/$c 2>&1 >/dev/null |
		    awk '/refs:/ { gsub(",", "", $4); print $4 }'
	else
		echo -
	fi
}
faults() {
	c=$(cmd $2)
	if command -v perf >/dev/null 2>&1; then
		# shellcheck disable=SC2086
		perf stat -r 20 -e page-faults $1/$c 2>&1 >/dev/null |
		    awk '/page-faults/ { print $1 }'
	else
		echo -
	fi
}
echo "| tool | wall ms base | new | cpu ms base | new | instructions base | new | page faults base | new |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
echo "| empty main (libc) | $(med floor 2) | | $(med floor 3) | | | | | |"
for t in $TOOLS; do
	echo "| $t | $(med $t.base 2) | $(med $t.new 2) | $(med $t.base 3) |" \
	    "$(med $t.new 3) | $(count "$BASE" $t) | $(count "$BIN" $t) |" \
	    "$(faults "$BASE" $t) | $(faults "$BIN" $t) |"
done
