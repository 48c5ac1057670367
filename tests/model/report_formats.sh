#!/bin/bash
# usage: report_formats.sh SEED (after report_fuzz.sh SEED): text, md, csv and
# html show the numbers of the json (report_fmtcheck.py).
W=$(cd "$(dirname "$0")/../.." && pwd); d=${TMPDIR:-/tmp}/report-model/f$1; cd $d; A="$(cat args)"; B=$W/bin
for f in json csv md text html; do $B/vet-report $A --format $f c.jsonl > o.$f 2>/dev/null; done
python3 $W/tests/model/report_fmtcheck.py o.json o.csv o.md o.text o.html > fmt.txt || { echo "seed $1: $A"; head -8 fmt.txt; }
