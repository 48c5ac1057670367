#!/bin/sh
# The demo pipeline of the README, on the bundled example data and the
# built-in Beijing 2023 policy: a station's GBK export is taken in (its
# deliberately bad rows go to the rejects file), classified as of the end
# of 2026Q3, and reported.  Outputs go to ${OUT:-build/demo}.
set -eu
bin=${VET_BIN:-bin}
out=${OUT:-build/demo}
data=examples/data
mkdir -p "$out"

# vet-intake exits 65 when it rejected rows, which this export has on purpose.
status=0
"$bin"/vet-intake --stats --rejects "$out/rejects.jsonl" "$data/station.csv" \
    >"$out/veterans.jsonl" || status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 65 ] || exit "$status"

"$bin"/vet-classify --as-of 2026-09-30 --stats \
    <"$out/veterans.jsonl" >"$out/classified.jsonl"

"$bin"/vet-report --quarter 2026Q3 --as-of 2026-09-30 \
    --events "$data/events.jsonl" --format text <"$out/classified.jsonl"
"$bin"/vet-report --quarter 2026Q3 --as-of 2026-09-30 \
    --events "$data/events.jsonl" --format html -o "$out/report.html" \
    <"$out/classified.jsonl"
echo "demo: wrote $out/classified.jsonl, $out/rejects.jsonl and $out/report.html" >&2
