#!/usr/bin/env bash
# bench-table.sh - the must-show table of issue 16: every tool of this
# build beside another build (BASE, e.g. main's) on the same data, in one
# run, written as Markdown on stdout.
#
#   BASE=/tmp/speed-before/bin bench/bench-table.sh > bench/RESULTS-DATE.md
#
# The machine is shared, so the table leads with what load does not move:
# callgrind instructions per record on a CG-record prefix (CG, default
# 20 000; match: CGM veterans, default 200; reconcile: with the extract's
# first CG records).  Wall times are medians of ROUNDS rounds
# (default 3) in which the two builds run interleaved, tool by tool, so
# that a change of load hits both alike; they are given with the ratio
# base/new and the load average.  Peak RSS is /usr/bin/time's %M.  Every
# tool's output of both builds is compared byte for byte (cmp) on the full
# data; a difference stops the run.
#
# Data (vet-gen of this build, seed SEED, in OUT): N veterans as a station
# CSV (intake, plain and gzip) and as JSON Lines (classify, reconcile's
# ledger), their classification (report, audit, match), N/2 events for
# report --events, an extract of N, and posts for match: 1k, 10k, 100k
# over NVM classified veterans, and NBIG posts in one district for NVB
# veterans of that district.  Startup: the median of 200 one-record runs.
# Match's instructions are per veteran beyond reading the posts.
# Environment: BIN, BASE, EQ, N, NVM, NVB, NBIG, CG, CGM, ROUNDS, SEED, AS_OF,
# OUT.
set -eu
cd "$(dirname "$0")/.."

BIN=${BIN:-bin}
BASE=${BASE:?set BASE to the bin/ of the build to compare with}
N=${N:-1000000}
NVM=${NVM:-20000}
NVB=${NVB:-50}
NBIG=${NBIG:-1000000}
CG=${CG:-20000}
CGM=${CGM:-200}
ROUNDS=${ROUNDS:-3}
SEED=${SEED:-1}
AS_OF=${AS_OF:-2026-09-30}
OUT=${OUT:-bench/out}
mkdir -p "$OUT"
BIN=$(cd "$BIN" && pwd)
BASE=$(cd "$BASE" && pwd)
G="$BIN/vet-gen --seed $SEED --as-of $AS_OF"

# The data, made once.
csv=$OUT/t-vets-$N.csv
vets=$OUT/t-vets-$N.jsonl
cls=$OUT/t-classified-$N.jsonl
evs=$OUT/t-events-$N.jsonl
ext=$OUT/t-extract-$N.jsonl
[ -s "$csv" ] || $G --kind veteran --format csv -n "$N" -o "$csv"
[ -s "$csv.gz" ] || gzip -1 -c "$csv" > "$csv.gz"
[ -s "$vets" ] || $G --kind veteran -n "$N" -o "$vets"
[ -s "$cls" ] || "$BIN/vet-classify" --as-of "$AS_OF" "$vets" > "$cls"
[ -s "$evs" ] || $G --kind event -n $((N / 2)) --population "$N" -o "$evs"
[ -s "$ext" ] || $G --kind extract -n "$N" --population "$N" -o "$ext"
mv=$OUT/t-match-vets-$NVM.jsonl
[ -s "$mv" ] || head -n "$NVM" "$cls" > "$mv"
for k in 1000 10000 100000; do
	[ -s "$OUT/t-jobs-$k.jsonl" ] ||
	    $G --kind job -n "$k" -o "$OUT/t-jobs-$k.jsonl"
done
big=$OUT/t-jobs-$NBIG-one-district.jsonl
one=$OUT/t-match-vets-$NVB-one-district.jsonl
[ -s "$big" ] || $G --kind job -n "$NBIG" |
    sed -e 's/"district":"[^"]*"/"district":"朝阳区"/' > "$big"
# Every one of them of working age wants a post (bench-match.sh's worst
# case), so that each is matched against all NBIG posts.
[ -s "$one" ] || head -n "$NVB" "$vets" | sed \
    -e 's/"employment_need":false/"employment_need":true/' \
    -e 's/"employment_status":"[a-z_]*"/"employment_status":"unemployed"/' \
    -e 's/"labor_capacity":false/"labor_capacity":true/' \
    -e 's/"district":"[^"]*"/"district":"朝阳区"/' |
    "$BIN/vet-classify" --as-of "$AS_OF" > "$one"
cc -O2 -o "$OUT/spawn-median" bench/spawn-median.c
head -n 1 "$vets" > "$OUT/t-one.jsonl"

# A tool: name|input|arguments (the input is appended; $B is the build).
tools=(
	"intake|$csv|vet-intake -j 1 --as-of $AS_OF"
	"intake-gz|$csv.gz|vet-intake -j 1 --as-of $AS_OF"
	"classify|$vets|vet-classify --as-of $AS_OF"
	"report|$cls|vet-report --as-of $AS_OF"
	"report-events|$cls|vet-report --as-of $AS_OF --events $evs"
	"audit|$cls|vet-audit --as-of $AS_OF"
	"reconcile|$vets|vet-reconcile --extract $ext"
	"match-1k|$mv|vet-match --as-of $AS_OF --jobs $OUT/t-jobs-1000.jsonl"
	"match-10k|$mv|vet-match --as-of $AS_OF --jobs $OUT/t-jobs-10000.jsonl"
	"match-100k|$mv|vet-match --as-of $AS_OF --jobs $OUT/t-jobs-100000.jsonl"
	"match-1M-one-district|$one|vet-match --as-of $AS_OF --jobs $big"
)

# Equality first: a speed-up must not change a byte.  EQ=0 skips it (a
# second run on data already compared).
declare -A eq
[ "${EQ:-1}" = 0 ] && tools_eq=() || tools_eq=("${tools[@]}")
for t in "${tools_eq[@]}"; do
	IFS='|' read -r name file cmd <<< "$t"
	# shellcheck disable=SC2086
	"$BASE"/$cmd "$file" > "$OUT/t-eq-base" 2> /dev/null || true
	# shellcheck disable=SC2086
	"$BIN"/$cmd "$file" > "$OUT/t-eq-new" 2> /dev/null || true
	if ! cmp -s "$OUT/t-eq-base" "$OUT/t-eq-new"; then
		echo "bench-table: $name: the two builds differ" >&2
		exit 1
	fi
	eq[$name]="$(wc -l < "$OUT/t-eq-new") lines, $(wc -c < \
	    "$OUT/t-eq-new") bytes"
done
rm -f "$OUT/t-eq-base" "$OUT/t-eq-new"

# Callgrind: instructions per record on a prefix.
cgcount() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
	    2>&1 > /dev/null | awk '/Collected :/ { print $NF }'
}
declare -A ir
for t in "${tools[@]}"; do
	IFS='|' read -r name file cmd <<< "$t"
	case $name in
	match-1M*) continue ;;	# minutes under valgrind: wall only
	match*) n=$CGM ;;
	*) n=$CG ;;
	esac
	case $file in
	*.gz) head -n $((n + 1)) "$csv" | gzip -1 > "$OUT/t-cg.csv.gz"
	    in=$OUT/t-cg.csv.gz ;;
	*.csv) head -n $((n + 1)) "$file" > "$OUT/t-cg.csv"; in=$OUT/t-cg.csv ;;
	*) head -n "$n" "$file" > "$OUT/t-cg.jsonl"; in=$OUT/t-cg.jsonl ;;
	esac
	# Reconcile reads the whole extract first: under callgrind, the
	# extract's first n records (the ledger's ids are not all in it).
	case $name in
	reconcile) head -n "$n" "$ext" > "$OUT/t-cg-ext.jsonl"
	    cmd="vet-reconcile --extract $OUT/t-cg-ext.jsonl" ;;
	esac
	for b in base new; do
		[ $b = base ] && B=$BASE || B=$BIN
		# shellcheck disable=SC2086
		ir[$name.$b]=$(cgcount "$B"/$cmd "$in")
		# Match: per veteran beyond reading the posts (a run
		# on no veterans), which ten times the posts must not
		# multiply by ten.
		# shellcheck disable=SC2086
		case $name in
		match*) ir[$name.$b]=$(( ${ir[$name.$b]} - \
		    $(cgcount "$B"/$cmd /dev/null) )) ;;
		esac
		ir[$name.$b]=$(( ${ir[$name.$b]} / n ))
	done
done
for b in base new; do
	[ $b = base ] && B=$BASE || B=$BIN
	ir[startup.$b]=$(cgcount "$B/vet-classify" --as-of "$AS_OF" \
	    "$OUT/t-one.jsonl")
done

# Wall: ROUNDS rounds, base and new interleaved tool by tool.
: > "$OUT/t-times"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq "$ROUNDS"); do
	for t in "${tools[@]}"; do
		IFS='|' read -r name file cmd <<< "$t"
		for b in base new; do
			[ $b = base ] && B=$BASE || B=$BIN
			# shellcheck disable=SC2086
			/usr/bin/time -f "$name.$b %e %M" -a -o "$OUT/t-times" \
			    "$B"/$cmd "$file" > /dev/null 2>&1 || true
		done
	done
	# The quarter: intake, classify, report in one pipeline.
	for z in "" .gz; do
		for b in base new; do
			[ $b = base ] && B=$BASE || B=$BIN
			/usr/bin/time -f "pipeline$z.$b %e %M" -a \
			    -o "$OUT/t-times" sh -c "'$B/vet-intake' \
			    --as-of $AS_OF '$csv$z' | '$B/vet-classify' \
			    --as-of $AS_OF | '$B/vet-report' --as-of $AS_OF \
			    > /dev/null"
		done
	done
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

# Startup: the median wall and CPU time of 200 one-record runs, and of
# /bin/true the same way (the cost of starting any process here).
read -r stw_true stc_true <<< "$("$OUT/spawn-median" 200 /bin/true)"
read -r stw_base stc_base <<< "$("$OUT/spawn-median" 200 \
    "$BASE/vet-classify" --as-of "$AS_OF" "$OUT/t-one.jsonl")"
read -r stw_new stc_new <<< "$("$OUT/spawn-median" 200 \
    "$BIN/vet-classify" --as-of "$AS_OF" "$OUT/t-one.jsonl")"

median() {	# name.build field -> the median of that field
	awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$OUT/t-times" |
	    sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
size() { wc -c < "$1"; }
lines() { case $1 in *.gz) zcat "$1" | wc -l ;; *) wc -l < "$1" ;; esac; }

echo "# Speed: this build against $BASE ($(date -u +%Y-%m-%d))"
echo
echo "Machine: $(nproc) cores, shared; load average $load0 before the"
echo "timed rounds, $load1 after.  Instructions: callgrind on the first"
echo "$CG records ($CGM veterans for match).  Wall: median of $ROUNDS"
echo "interleaved rounds on the full data; MB/s and records/s are of the"
echo "input.  RSS: peak, MB."
echo
echo "| tool | records | instr/rec before | after | wall s before | after | ratio | MB/s before | after | rec/s after | RSS before | after |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for t in "${tools[@]}"; do
	IFS='|' read -r name file cmd <<< "$t"
	nrec=$(lines "$file")
	# A station CSV may hold quoted line breaks: its records are
	# what intake writes.
	case $name in intake*) nrec=$N ;; esac
	bytes=$(size "$file")
	wb=$(median "$name.base" 2); wn=$(median "$name.new" 2)
	mb=$(median "$name.base" 3); mn=$(median "$name.new" 3)
	awk -v n="$name" -v r="$nrec" -v by="$bytes" -v wb="$wb" -v wn="$wn" \
	    -v ib="${ir[$name.base]:-}" -v ia="${ir[$name.new]:-}" \
	    -v mb="$mb" -v mn="$mn" 'BEGIN {
		if (wb == 0) wb = 0.005; if (wn == 0) wn = 0.005
		printf "| %s | %d | %s | %s | %.2f | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f |\n",
		    n, r, ib == "" ? "-" : ib, ia == "" ? "-" : ia, wb, wn,
		    wb / wn, by / wb / 1e6, by / wn / 1e6, r / wn,
		    mb / 1024, mn / 1024
	}'
done
for z in "" .gz; do
	wb=$(median "pipeline$z.base" 2); wn=$(median "pipeline$z.new" 2)
	awk -v n="pipeline$z" -v r=$((N + 1)) -v wb="$wb" -v wn="$wn" \
	    -v by="$(size "$csv$z")" 'BEGIN {
		printf "| %s (intake, classify, report) | %d | - | - | %.2f | %.2f | %.2f | %.0f | %.0f | %.0f | - | - |\n",
		    n, r - 1, wb, wn, wb / wn, by / wb / 1e6, by / wn / 1e6,
		    (r - 1) / wn
	}'
done
echo
echo "Startup (vet-classify, one record): ${ir[startup.base]} instructions"
echo "before, ${ir[startup.new]} after.  Median of 200 runs (bench/spawn-median):"
echo "wall ${stw_base} ms before, ${stw_new} ms after; CPU (user + system)"
echo "${stc_base} ms before, ${stc_new} ms after; /bin/true the same way:"
echo "wall ${stw_true} ms, CPU ${stc_true} ms."
echo
[ "${EQ:-1}" = 0 ] && exit 0
echo "Same bytes out (cmp of both builds' stdout on the full data):"
echo
for t in "${tools[@]}"; do
	IFS='|' read -r name file cmd <<< "$t"
	echo "- $name (\`${cmd%% *} ...\`): identical, ${eq[$name]}"
done
