#!/usr/bin/python3
"""Local checks of the workbooks with a real xlsx reader (openpyxl), not run
by `make check` (CI has no Python packages): python3-openpyxl on Debian.

  check.py report WORKBOOK REPORT.json
      every figure of vet-report --format xlsx equals --format json's:
      category totals, categories by district, the chain, compliance and
      the 六有 scorecard (a rate cell is the formula =met/due), findings.
  check.py export WORKBOOK OUT.csv
      writes the workbook's first sheet as CSV the way a spreadsheet would
      save it (dates as YYYY-MM-DD, ids and every text as they are), so that
      vet-intake can read it: the xlsx round trip with openpyxl as the
      xlsx reader until vet-intake reads workbooks itself.
Exits 1 with a message on the first difference.
"""
import csv
import datetime
import json
import re
import sys

import openpyxl


def fail(msg):
    sys.exit("check.py: " + msg)


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def table(ws, title):
    """The rows of the table headed by title (its header row first)."""
    rs = rows(ws)
    for i, r in enumerate(rs):
        if r[0] == title:
            out = []
            for r2 in rs[i + 1:]:
                if all(v is None for v in r2):
                    break
                out.append(r2)
            return out
    fail("no table '%s' on sheet '%s'" % (title, ws.title))


def rate(v):
    """A rate cell: the formula =met/due, or '-' when not available."""
    if v == "-":
        return None
    m = re.fullmatch(r"=(\d+)/(\d+)", str(v))
    if not m:
        fail("not a rate formula: %r" % (v,))
    return {"met": int(m.group(1)), "due": int(m.group(2))}


def none_due(v):
    """'-' says a rate is not available (json null) or none was due
    (json due 0), as in every other form of the report."""
    return v is None or (isinstance(v, dict) and v.get("due") == 0)


def same(what, got, want):
    if isinstance(got, list) and isinstance(want, list) and \
            len(got) == len(want):
        for g, w in zip(got, want):
            same(what, g, w)
        return
    if got is None and none_due(want):
        return
    if got != want:
        fail("%s: workbook %r, json %r" % (what, got, want))


def report(path, jpath):
    j = json.load(open(jpath))
    wb = openpyxl.load_workbook(path)          # formulas as written
    names = wb.sheetnames
    ov = wb[names[0]]
    tot = table(ov, "分类合计")[1:]
    same("totals", [r[1] for r in tot], list(j["totals"].values()))
    facts = {r[0]: r[1] for r in rows(ov)[3:7]}
    same("veterans", facts["退役军人人数"], j["veterans"])
    cat = table(wb["分类"], "分类统计（按区）")
    body = [r for r in cat[1:] if r[0] != "合计"]
    for r in body:
        want = j["by_district"][r[0]]
        same("by_district " + r[0], r[2:2 + len(want)], list(want.values()))
    chain = table(wb["帮扶链条"], "帮扶链条")[1:]
    same("chain", [r[1] for r in chain], list(j["chain"].values()))
    comp = table(wb["合规"], "合规指标")[1:]
    cj = j["compliance"]
    for r in comp:
        want = cj if r[0] == "合计" else cj["by_district"][r[0]]
        same("training " + r[0], rate(r[1]), want["training"])
        same("monthly_contact " + r[0], rate(r[2]), want["monthly_contact"])
        same("consultations " + r[0], None if r[3] == "-" else r[3],
             want["consultations"])
        same("job_fairs " + r[0], None if r[4] == "-" else r[4],
             want["job_fairs"])
    six = table(wb["六有"], "六有评分")[1:]
    for r in six:
        want = j["scorecard"][r[0]]
        same("scorecard " + r[0], [rate(v) for v in r[1:7]],
             list(want.values()))
    if j["compliance"]["findings"] is not None:
        f = table(wb["审计发现"], "审计发现")[1:]
        same("findings", [r[1] for r in f],
             list(j["compliance"]["findings"].values()))
    if "change" in j:
        ch = table(wb["环比"], "分类合计")[1:]
        same("change", [None if r[3] == "-" else r[3] for r in ch],
             list(j["change"]["totals"].values()))
    print("%s: %d sheets, figures equal to the json" % (path, len(names)))


def export(path, out):
    ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    n = 0
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for r in ws.iter_rows(values_only=True):
            cells = []
            for v in r:
                if v is None:
                    cells.append("")
                elif isinstance(v, datetime.datetime):
                    cells.append(v.strftime("%Y-%m-%d"))
                elif isinstance(v, float) and v.is_integer():
                    cells.append(str(int(v)))
                else:
                    # OOXML writes a control character as _xHHHH_ (a CR
                    # as _x000D_); Excel decodes it, openpyxl 3.0 does
                    # not in inline strings.
                    cells.append(re.sub(r"_x([0-9A-Fa-f]{4})_",
                                        lambda m: chr(int(m.group(1), 16)),
                                        str(v)))
            w.writerow(cells)
            n += 1
    print("%s: %d rows to %s" % (path, n - 1, out))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "export":
        export(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
