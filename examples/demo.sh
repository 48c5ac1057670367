#!/bin/sh
# demo.sh [OUT] - the README's pipeline, told as one district's quarter.
#
# The district's ledger and one station's files as they arrive (its GBK
# export and its workbook) are taken in together, reconciled with the HR
# bureau's extract, classified with the event log, audited, matched to
# posts, planned per veteran and reported, as of the end of 2026Q3 with
# the built-in Beijing 2023 policy.  Every output goes to OUT (default
# ./vet-demo; make demo gives build/demo) and is named at the end.
#
# It runs from the source tree (make demo) or where make install put it
# ($(DATADIR)/examples/demo.sh, the tools on PATH): the data is the
# directory data/ beside this script, or $VET_DATA; $VET_BIN, when set,
# goes first on PATH.  What it prints fits an 80-column terminal: the
# tools' messages are wrapped, and the wide tables are in the files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${VET_DATA:-$here/data}
if [ -n "${VET_BIN:-}" ]; then
	PATH=$(cd "$VET_BIN" && pwd):$PATH
fi
mkdir -p "${1:-${OUT:-vet-demo}}"
out=$(cd "${1:-${OUT:-vet-demo}}" && pwd)
asof=2026-09-30
msg=$(mktemp "${TMPDIR:-/tmp}/vet-demo.XXXXXX")
trap 'rm -f "$msg"' EXIT
# The tools run in the data directory, so that their messages name the
# files as short as the README does.
cd "$data"

# A tool's messages, indented and wrapped at 80 columns.  awk runs in the
# C locale and counts a UTF-8 character of three or four bytes (Chinese
# here) as two columns, of one or two bytes as one.
show() {
	LC_ALL=C awk -v w=80 '
	function width(s,   i, n, c) {
		n = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c < "\200") n++
			else if (c >= "\340") n += 2
			else if (c >= "\300") n++
		}
		return n
	}
	{
		line = "   "; lw = 3; k = split($0, word, " ")
		for (i = 1; i <= k; i++) {
			ww = width(word[i])
			if (lw > 3 && lw + 1 + ww > w) {
				print line; line = "       "; lw = 7
			} else if (lw > 3) {
				line = line " "; lw++
			}
			line = line word[i]; lw += ww
		}
		print line
	}' "$msg"
}

# Runs a tool with its messages shown; exit 65 (rows rejected) and 1
# (findings, differences) are this data's expected answers, not failures.
run() {
	ok=$1
	shift
	s=0
	"$@" 2>"$msg" || s=$?
	show
	[ "$s" -eq 0 ] || [ "$s" -eq "$ok" ] || { echo "demo: $1 exited $s"; exit "$s"; }
}

cat <<EOF
vet demo: a district's quarter, 2026Q3, as of $asof, on the example data
(synthetic: no record describes a real person) in
  $data

1. vet-intake takes in the district's ledger (veterans.jsonl) with a
   station's files as they arrive: its GBK export (station.csv), then its
   workbook (station-ledger.xlsx, the header under title rows).  The
   station's files hold deliberate mistakes, listed in data/README: the
   rejections below are the expected answer, each row kept whole in
   rejects.jsonl and workbook-rejects.jsonl.
EOF
run 65 vet-intake --stats --as-of "$asof" --rejects "$out/rejects.jsonl" \
    -o "$out/ledger.jsonl" veterans.jsonl station.csv
run 65 vet-intake --stats --sheet all --as-of "$asof" \
    --rejects "$out/workbook-rejects.jsonl" -o "$out/workbook.jsonl" \
    station-ledger.xlsx

cat <<EOF
2. vet-reconcile compares the ledger with the HR bureau's extract (its GBK
   spreadsheet hr-extract.csv) and takes the bureau's value of the fields
   it is the authority for.  The station's new people are not in the
   extract yet: they are "only_in_ledger", every difference in hr-diff.jsonl.
EOF
run 1 vet-reconcile --stats --extract hr-extract.csv --apply --as-of "$asof" \
    --diff "$out/hr-diff.jsonl" -o "$out/reconciled.jsonl" \
    "$out/ledger.jsonl" "$out/workbook.jsonl"

cat <<EOF
3. vet-classify applies the policy; the event log (events.jsonl) is the
   authority for training hours, refusals, exits and the last contact.
EOF
run 0 vet-classify --stats --as-of "$asof" --events events.jsonl \
    -o "$out/classified.jsonl" "$out/reconciled.jsonl"

cat <<EOF
4. vet-audit checks the services owed in the quarter were given (monthly
   contact, quarterly consultation, ...): the station's new people have no
   contact on record yet, so most findings are theirs.
EOF
run 1 vet-audit --stats --as-of "$asof" --events events.jsonl \
    -o "$out/findings.jsonl" "$out/classified.jsonl"

echo "5. vet-match recommends the three best open posts (jobs.jsonl) each."
run 0 vet-match --stats --as-of "$asof" --jobs jobs.jsonl --top 3 \
    -o "$out/recommendations.jsonl" "$out/classified.jsonl"

echo "6. vet-plan writes each veteran's plan and the station's worklist (A4)."
run 0 vet-plan --stats --as-of "$asof" --events events.jsonl \
    --recommendations "$out/recommendations.jsonl" \
    -o "$out/plans.jsonl" "$out/classified.jsonl"
run 0 vet-plan --as-of "$asof" --events events.jsonl \
    --recommendations "$out/recommendations.jsonl" --format html \
    -o "$out/worklist.html" "$out/classified.jsonl"

echo "7. vet-report writes the quarterly report as text, html and xlsx."
for f in text html xlsx; do
	x=$f
	[ "$f" = text ] && x=txt
	run 0 vet-report --quarter 2026Q3 --as-of "$asof" \
	    --events events.jsonl --findings "$out/findings.jsonl" \
	    --jobs jobs.jsonl \
	    --format "$f" -o "$out/report.$x" "$out/classified.jsonl"
done
echo "   Its first table (the district tables are wider: see report.txt):"
echo
# The text report up to its first table by district (the headline of
# the veterans who need action is as wide as the categories).
sed -e '/^需帮扶人员/,$d' -e 's/^./   &/' "$out/report.txt"

cat <<EOF
8. vet-export makes sheets a person opens: the ledger (ids masked), and the
   rejected rows of station.csv with the reasons first, to fix and send
   again.
EOF
run 0 vet-export --as-of "$asof" -o "$out/classified.xlsx" \
    "$out/classified.jsonl"
run 0 vet-export --as-of "$asof" --format csv -o "$out/to-fix.csv" \
    "$out/rejects.jsonl"

cat <<EOF

demo: the outputs, in
  $out:
  ledger.jsonl rejects.jsonl workbook.jsonl workbook-rejects.jsonl
  reconciled.jsonl hr-diff.jsonl
  classified.jsonl findings.jsonl recommendations.jsonl plans.jsonl
  worklist.html report.txt report.html report.xlsx classified.xlsx to-fix.csv
EOF
