#!/bin/bash
# usage: [MUT=1] report_fuzz.sh SEED: generate, classify and audit data for
# SEED, run vet-report --format json with random options and compare it with
# report_model.py.  MUT=1 mutates the classified records (report_mutate.py).
# report_formats.sh and report_split.sh then reuse that directory.
W=$(cd "$(dirname "$0")/../.." && pwd); B=$W/bin; s=$1; d=${TMPDIR:-/tmp}/report-model/f$s; mkdir -p $d; cd $d
R() { echo $(( (RANDOM % $1) )); }
RANDOM=$s
n=$(( 50 + RANDOM % 400 ))
asofs=(2026-09-30 2026-08-15 2026-07-01 2026-12-31 2026-10-01 2027-01-15 2026-03-31)
ca=${asofs[$(R 7)]}; ra=${asofs[$(R 7)]}
$B/vet-gen -n $n --seed $s --as-of $ca > v.jsonl
nj=$(( 10 + RANDOM % 60 ))
$B/vet-gen --kind job -n $nj --seed $s --as-of $ca > j.jsonl
$B/vet-gen --kind event -n $((n*6)) --seed $s --population $n --jobs $nj --as-of $ca > e.jsonl
$B/vet-classify --as-of $ca < v.jsonl > c0.jsonl; if [ -n "$MUT" ]; then python3 $W/tests/model/report_mutate.py $s < c0.jsonl > c.jsonl; else cp c0.jsonl c.jsonl; fi
$B/vet-audit --as-of $ra --events e.jsonl < c.jsonl > f.jsonl
bys=(district street community); by=${bys[$(R 3)]}
case $(R 4) in
0) P="--quarter previous";; 1) P="--quarter current";; 2) P="--quarter 2026Q$((1+$(R 4)))";;
3) P="--from 2026-0$((1+$(R 9)))-1$(R 9) --to 2026-$((10+$(R 3)))-0$((1+$(R 9)))";;
esac
O=""; [ $(R 3) -gt 0 ] && O="$O --events e.jsonl"; [ $(R 2) -gt 0 ] && O="$O --findings f.jsonl"
[ $(R 2) -gt 0 ] && O="$O --jobs j.jsonl"
[ $(R 3) -eq 0 ] && O="$O --min-cell $((1+$(R 30)))"
if [ $(R 2) -eq 0 ]; then
  $B/vet-report --as-of $ra --quarter previous --format json c.jsonl > prev.json; O="$O --compare prev.json"; fi
A="--as-of $ra $P --by $by $O"
$B/vet-report $A --format json c.jsonl > r.json; rc=$?
python3 $W/tests/model/report_model.py $A c.jsonl > m.json || { echo "seed $s model failed: $A"; exit 1; }
if ! python3 $W/tests/model/report_cmp.py r.json m.json > diff.txt; then echo "seed $s rc=$rc DIFF: $A"; head -5 diff.txt; exit 1; fi
echo "$A" > args
# A second compare: a previous report with --min-cell, and one without by_district.
if [ -f prev.json ]; then
  $B/vet-report --as-of $ra --quarter previous --min-cell 9 --format json c.jsonl > prev2.json
  python3 -c "import json;d=json.load(open('prev.json'));d.pop('by_district');d['totals'].pop('employed');json.dump(d,open('prev3.json','w'))"
  for pv in prev2.json prev3.json; do
    A3="$(echo "$A" | sed "s/prev.json/$pv/")"
    $B/vet-report $A3 --format json c.jsonl > r.json
    python3 $W/tests/model/report_model.py $A3 c.jsonl > m.json
    python3 $W/tests/model/report_cmp.py r.json m.json > diff.txt || { echo "seed $s $pv DIFF: $A3"; head -5 diff.txt; }
  done
fi
