# bench/lib.sh - shared by the bench scripts (sourced, not run).

# bench_veterans [FILE]: sets data to FILE, or else to N vet-gen veterans
# (seed SEED, as of AS_OF) in $OUT/veterans-N.jsonl, made once and kept
# for the next run.  Needs BIN, N, SEED, AS_OF and OUT.
bench_veterans() {
	if [ $# -gt 0 ]; then
		data=$1
		return
	fi
	data=$OUT/veterans-$N.jsonl
	[ -x "$BIN/vet-gen" ] || make "$BIN/vet-gen"
	[ -s "$data" ] || "$BIN/vet-gen" --kind veteran -n "$N" --seed "$SEED" \
	    --as-of "$AS_OF" -o "$data"
}
