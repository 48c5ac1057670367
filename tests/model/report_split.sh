#!/bin/bash
# usage: report_split.sh SEED (after report_fuzz.sh SEED): random splits
# (some gzip, some empty, sometimes a combiner) merge to the one-run report.
W=$(cd "$(dirname "$0")/../.." && pwd); s=$1; d=${TMPDIR:-/tmp}/report-model/f$s; cd $d; A="$(cat args)"; B=$W/bin
A2=$(echo "$A" | sed "s/--compare prev.json//; s/--min-cell [0-9]*//"); AM=$(echo "$A" | sed 's/--events e.jsonl//; s/--findings f.jsonl//')
rm -rf parts; mkdir parts
python3 - $s <<'PY'
import random,sys,gzip
random.seed(int(sys.argv[1])*7)
L=open('c.jsonl').read().splitlines(True)
k=random.randint(1,6)
cuts=sorted(random.randint(0,len(L)) for _ in range(k-1))
b=[0]+cuts+[len(L)]
random.shuffle(L) if random.random()<0.5 else None
for i in range(k):
    part=''.join(L[b[i]:b[i+1]])
    if random.random()<0.3:
        with gzip.open(f'parts/p{i}.jsonl','wt') as f: f.write(part)
    else: open(f'parts/p{i}.jsonl','w').write(part)
PY
: > partials.jsonl
for p in parts/p*.jsonl; do $B/vet-report $A2 --partial $p >> partials.jsonl || echo "partial rc $?"; done
# merge in two levels sometimes
n=$(wc -l < partials.jsonl)
if [ $((s % 2)) -eq 0 ] && [ $n -gt 1 ]; then head -1 partials.jsonl > pa; tail -n +2 partials.jsonl > pb; $B/vet-report $(echo "$A2" | sed "s/--events e.jsonl//; s/--findings f.jsonl//") --merge --partial pb > pb2; gzip -c pa > pa.gz; M="pa.gz pb2"; else M=partials.jsonl; fi
for f in json text csv; do
  $B/vet-report $A --format $f c.jsonl > one.$f; $B/vet-report $AM --merge --format $f $M > mer.$f
  cmp -s one.$f mer.$f || { echo "seed $s: split differs ($f) parts=$(ls parts | wc -l) $A2"; diff <(tr ',' '\n' < one.$f) <(tr ',' '\n' < mer.$f) | head -5; }
done
