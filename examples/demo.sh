#!/bin/sh
# The demo pipeline of the README, on the bundled example data and the
# built-in Beijing 2023 policy, as of the end of 2026Q3:
#   1. a station's GBK export is taken in; its deliberately bad rows go to
#      the rejects file (examples/data/README lists them); so is another
#      station's ledger as it arrives, an .xlsx workbook (title rows above
#      the header, an id Excel made a number of, a hidden sheet);
#   2. the district's ledger is reconciled with the HR bureau's extract (a
#      GBK spreadsheet), taking the bureau's values for the fields it is
#      the authority for;
#   3. the ledger is classified, audited, matched to posts and reported.
# Outputs go to ${OUT:-build/demo}.
set -eu
bin=${VET_BIN:-bin}
out=${OUT:-build/demo}
data=examples/data
asof=2026-09-30
mkdir -p "$out"

# Exit 65 (rows rejected) and 1 (findings, differences) are this data's
# expected answers, not failures.
ok() { [ "$1" -eq 0 ] || [ "$1" -eq "$2" ]; }

s=0
"$bin"/vet-intake --stats --rejects "$out/station-rejects.jsonl" \
    "$data/station.csv" >"$out/station.jsonl" || s=$?
ok "$s" 65 || exit "$s"

s=0
"$bin"/vet-intake --stats --sheet all --as-of "$asof" \
    --rejects "$out/ledger-rejects.jsonl" "$data/station-ledger.xlsx" \
    >"$out/ledger.jsonl" || s=$?
ok "$s" 65 || exit "$s"

s=0
"$bin"/vet-reconcile --extract "$data/hr-extract.csv" --apply \
    --diff "$out/hr-diff.jsonl" --as-of "$asof" --stats \
    <"$data/veterans.jsonl" >"$out/reconciled.jsonl" || s=$?
ok "$s" 1 || exit "$s"

# The event log is the authority for training hours, refusals, exits and
# reentries and the last contact (SPEC 2.3).
"$bin"/vet-classify --as-of "$asof" --events "$data/events.jsonl" --stats \
    <"$out/reconciled.jsonl" >"$out/classified.jsonl"

s=0
"$bin"/vet-audit --as-of "$asof" --events "$data/events.jsonl" \
    <"$out/classified.jsonl" >"$out/findings.jsonl" || s=$?
ok "$s" 1 || exit "$s"

"$bin"/vet-match --as-of "$asof" --jobs "$data/jobs.jsonl" --top 3 \
    <"$out/classified.jsonl" >"$out/recommendations.jsonl"

"$bin"/vet-report --quarter 2026Q3 --as-of "$asof" \
    --events "$data/events.jsonl" --findings "$out/findings.jsonl" \
    --format text <"$out/classified.jsonl"
"$bin"/vet-report --quarter 2026Q3 --as-of "$asof" \
    --events "$data/events.jsonl" --findings "$out/findings.jsonl" \
    --format html -o "$out/report.html" <"$out/classified.jsonl"
"$bin"/vet-report --quarter 2026Q3 --as-of "$asof" \
    --events "$data/events.jsonl" --findings "$out/findings.jsonl" \
    --format xlsx -o "$out/report.xlsx" <"$out/classified.jsonl"
# The district's ledger as a sheet (masked), and the station's rows to
# fix with the reasons first (their source is the station's file).
"$bin"/vet-export --as-of "$asof" -o "$out/classified.xlsx" \
    "$out/classified.jsonl"
"$bin"/vet-export --as-of "$asof" --format csv \
    -o "$out/station-to-fix.csv" "$out/station-rejects.jsonl"
"$bin"/vet-plan --as-of "$asof" --events "$data/events.jsonl" \
    --recommendations "$out/recommendations.jsonl" --format html \
    -o "$out/worklist.html" <"$out/classified.jsonl"
echo "demo: outputs in $out: station.jsonl, station-rejects.jsonl," \
    "ledger.jsonl, ledger-rejects.jsonl," \
    "hr-diff.jsonl, classified.jsonl, findings.jsonl," \
    "recommendations.jsonl, report.html, report.xlsx, classified.xlsx," \
    "station-to-fix.csv, worklist.html" >&2
