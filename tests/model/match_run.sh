#!/bin/sh
# match_run.sh - run vet-match against tests/model/match_check.py on data
# from vet-gen: NV veterans, NJ posts, seed S, as of D, --top K and
# --allocate.  Optional BUSY=1 makes every veteran seek work; SCARCE=1 cuts every post to one opening;
# ONE=1 puts every veteran and post in one district.
#
#   tests/model/match_run.sh NV NJ S [D] [K]
set -eu
cd "$(dirname "$0")/../.."
NV=$1 NJ=$2 S=$3 D=${4:-2026-09-30} K=${5:-5}
BIN=${BIN:-bin}
T=${TMPDIR:-/tmp}/match-model-$$
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT
# BUSY=1: every veteran wants a post (as bench/bench-match.sh does).
"$BIN/vet-gen" -n "$NV" --seed "$S" --as-of "$D" |
    if [ "${BUSY:-0}" = 1 ]; then
	sed -e 's/"employment_need":false/"employment_need":true/' \
	    -e 's/"employment_status":"[a-z_]*"/"employment_status":"unemployed"/' \
	    -e 's/"labor_capacity":false/"labor_capacity":true/'
    else cat; fi |
    if [ "${ONE:-0}" = 1 ]; then
	sed -e 's/"district":"[^"]*"/"district":"朝阳区"/'
    else cat; fi |
    "$BIN/vet-classify" --as-of "$D" > "$T/v.jsonl"
"$BIN/vet-gen" --kind job -n "$NJ" --seed "$S" --as-of "$D" > "$T/j.jsonl"
# ONE=1: every veteran and post in one district, as a district office has.
if [ "${ONE:-0}" = 1 ]; then
	sed -i 's/"district":"[^"]*"/"district":"朝阳区"/' "$T/j.jsonl"
fi
if [ "${SCARCE:-0}" = 1 ]; then
	sed -i 's/"openings":[0-9]*/"openings":1/' "$T/j.jsonl"
fi
rc=0
"$BIN/vet-match" --jobs "$T/j.jsonl" --as-of "$D" --top "$K" "$T/v.jsonl" > "$T/top" || rc=$?
[ $rc = 0 ] || echo "vet-match --top exit $rc"
python3 tests/model/match_check.py --jobs "$T/j.jsonl" --as-of "$D" --top "$K" "$T/v.jsonl" "$T/top" || rc=1
"$BIN/vet-match" --jobs "$T/j.jsonl" --as-of "$D" --allocate "$T/v.jsonl" > "$T/alloc" || rc=$?
python3 tests/model/match_check.py --jobs "$T/j.jsonl" --as-of "$D" --allocate "$T/v.jsonl" "$T/alloc" || rc=1
# Determinism: the same run, and the posts in reverse order.
"$BIN/vet-match" --jobs "$T/j.jsonl" --as-of "$D" --allocate "$T/v.jsonl" | cmp -s - "$T/alloc" || { echo "allocate: second run differs"; rc=1; }
tac "$T/j.jsonl" > "$T/jr.jsonl"
"$BIN/vet-match" --jobs "$T/jr.jsonl" --as-of "$D" --allocate "$T/v.jsonl" | cmp -s - "$T/alloc" || { echo "allocate: reversed posts differ"; rc=1; }
"$BIN/vet-match" --jobs "$T/jr.jsonl" --as-of "$D" --top "$K" "$T/v.jsonl" | cmp -s - "$T/top" || { echo "top: reversed posts differ"; rc=1; }
exit $rc
