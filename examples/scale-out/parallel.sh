#!/bin/sh
# parallel.sh FILE [JOBS] - the quarterly report of a large classified file,
# computed in parallel on one machine with GNU parallel, and checked against
# a single run.
#
# --pipepart cuts FILE into blocks at line ends and feeds each block to its
# own vet-report --partial; vet-report --merge adds the partials up.  The
# report depends only on integer sums, so any split gives the same bytes.
set -eu
file=${1:?usage: parallel.sh FILE [JOBS]}
jobs=${2:-$(nproc)}
common="--quarter 2026Q3 --as-of 2026-09-30"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One partial line per block; blocks of 32 MB keep every core busy.
parallel --will-cite --pipepart -a "$file" --block 32M -j "$jobs" \
    vet-report --partial $common > "$tmp/partials.jsonl"
vet-report --merge $common --format json "$tmp/partials.jsonl" > "$tmp/merged.json"

# The same report from one process, for comparison.
vet-report $common --format json "$file" > "$tmp/single.json"
if cmp -s "$tmp/merged.json" "$tmp/single.json"; then
	echo "parallel.sh: $(wc -l < "$tmp/partials.jsonl") partials merged; same report as one run"
else
	echo "parallel.sh: merged report differs from one run" >&2
	exit 1
fi
cat "$tmp/merged.json"
