#!/bin/sh
# quarterly-report.sh DIR [DAY] - writes last quarter's HTML and JSON
# reports, as they stand on DAY (default: today).
#
# DIR holds classified.jsonl (vet-classify output), events.jsonl and,
# when vet-audit ran, findings.jsonl.  The reports go to DIR/reports/ as
# YYYYQn.html and YYYYQn.json; the JSON of the quarter before, when
# present (this script wrote it three months ago), is given to both as
# --compare, for the change columns.  Cron runs with LANG=C and a short
# PATH (VET_BIN, when set, goes first): vet-report aligns Chinese text by
# its own width table, so the reports come out as they do in a terminal.
set -eu

dir=${1:?usage: quarterly-report.sh DIR [DAY]}
PATH=${VET_BIN:+$VET_BIN:}/usr/local/bin:/usr/bin:/bin
export PATH

# The day the previous quarter ended: the report is about that quarter and
# is made as of its last day, so running the script again later gives
# byte-identical files.
today=${2:-$(date +%Y-%m-%d)}
case $today in
[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]) ;;
*) echo "quarterly-report: bad day '$today' (YYYY-MM-DD)" >&2; exit 64 ;;
esac
y=${today%%-*}
m=${today#*-}
m=${m%%-*}
m=${m#0}
q=$(( (m - 1) / 3 + 1 ))
if [ "$q" -eq 1 ]; then
	py=$((y - 1)) pq=4
else
	py=$y pq=$((q - 1))
fi
case $pq in
1) end=$py-03-31 ;;
2) end=$py-06-30 ;;
3) end=$py-09-30 ;;
4) end=$py-12-31 ;;
esac
if [ "$pq" -eq 1 ]; then
	before=$((py - 1))Q4
else
	before=${py}Q$((pq - 1))
fi
label=${py}Q$pq

out=$dir/reports
mkdir -p "$out"

set -- --quarter "$label" --as-of "$end" --events "$dir/events.jsonl" \
    --rejects "$out/$label.rejects.jsonl"
if [ -f "$dir/findings.jsonl" ]; then
	set -- "$@" --findings "$dir/findings.jsonl"
fi
if [ -f "$out/$before.json" ]; then
	set -- "$@" --compare "$out/$before.json"
fi

# -o writes to a temporary file and renames it, so a report is complete or
# absent.  Exit 65 means some records were rejected: the report is still
# written and the rejects are kept beside it; anything else stops here.
rc=0
vet-report "$@" --format html -o "$out/$label.html" "$dir/classified.jsonl" || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 65 ] || exit "$rc"
rc=0
vet-report "$@" --format json -o "$out/$label.json" "$dir/classified.jsonl" || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 65 ] || exit "$rc"
if [ -s "$out/$label.rejects.jsonl" ]; then
	echo "quarterly-report: $(wc -l < "$out/$label.rejects.jsonl") records rejected, see $out/$label.rejects.jsonl" >&2
fi
exit 0
