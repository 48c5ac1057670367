#!/bin/sh
# intake_threads.sh [FIRST [LAST]]: vet-intake -j 1 against -j 3 on random
# station exports (intake_gen.py, seeds FIRST..LAST, default 1..100); the
# output, rejects, stderr and exit status must be the same.  A seed that
# differs is kept as /tmp/intake-threads-fail-SEED.csv.  Build first (make).
BIN=${BIN:-bin}
T=${TMPDIR:-/tmp}/intake-threads-$$
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT
bad=0
for s in $(seq "${1:-1}" "${2:-100}"); do
	python3 tests/model/intake_gen.py "$s" > "$T/in.csv"
	for j in 1 3; do
		"$BIN/vet-intake" -j $j --as-of 2026-09-30 --max-record 500 \
		    --stats --rejects "$T/rj$j" "$T/in.csv" > "$T/o$j" 2> "$T/e$j"
		echo $? > "$T/rc$j"
	done
	for f in o rj e rc; do
		if ! cmp -s "$T/${f}1" "$T/${f}3"; then
			echo "seed $s: $f differs"
			cp "$T/in.csv" "${TMPDIR:-/tmp}/intake-threads-fail-$s.csv"
			bad=$((bad + 1))
			break
		fi
	done
done
echo "intake_threads: $bad of $(( ${2:-100} - ${1:-1} + 1 )) seeds differ"
[ "$bad" -eq 0 ]
