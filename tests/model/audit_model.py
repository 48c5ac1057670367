#!/usr/bin/env python3
"""An independent model of the default audit of vet-audit.

Written from SPEC 3 "vet-audit" and "The default audit, exactly" (and, for
what SPEC leaves to it, man/vet-audit.1: the order of the output, what a
rejected record is), not from lib/audit.c.  Python 3 standard library only.

    audit_model.py --as-of D [--quarter Q | --month M | --year Y]
                   --events FILE [FILE...]

Writes the findings as JSON Lines in the documented order, then exits 65
when a record was rejected, else 1 when there are findings, else 0.  The
`detail` it writes is only a summary: tests/model/compare.py checks the
parts of a detail that SPEC fixes (job_fairs: how many; incomplete_file:
the missing fields), not its wording.
"""
import argparse
import datetime
import json
import re
import sys

# The Beijing 2023 policy's jurisdiction, in its order (policy file).
DISTRICTS = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区",
             "门头沟区", "房山区", "通州区", "顺义区", "昌平区", "大兴区",
             "怀柔区", "平谷区", "密云区", "延庆区", "北京经济技术开发区"]
HARD_TO_PLACE_AFTER_MONTHS = 6
JOB_FAIRS_PER_YEAR = 2

# SPEC's table, in its order: code, severity, clause.
CHECKS = [
    ("monthly_contact", "error", "二(十)"),
    ("quarterly_consultation", "error", "二(十)"),
    ("job_fairs", None, "二(七)"),
    ("adaptive_training", "warning", "二(二)"),
    ("incomplete_file", "warning", "二(三)"),
    ("unregistered_unemployed", "warning", "二(十)"),
    ("uncertified_candidate", "warning", "二(十)"),
    ("exit_pending", "warning", "二(四)"),
]
CLAUSE = {c: cl for c, _, cl in CHECKS}
CATEGORY_CHECKS = [
    ("adaptive_training", "training_incomplete"),
    ("unregistered_unemployed", "needs_registration"),
    ("uncertified_candidate", "difficulty_candidate"),
    ("exit_pending", "exit_candidate"),
]
FILE_FIELDS = ["education", "skills", "household_working_age",
               "household_employed", "employment_status",
               "living_difficulty"]
EVENT_TYPES = {"contact", "consultation", "training", "job_fair",
               "referral", "exit", "reentry"}
NEEDS_ID = {"contact", "training", "referral", "exit", "reentry"}
NEEDS_DISTRICT = {"consultation", "job_fair"}

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(s):
    if not isinstance(s, str) or not DATE_RE.match(s):
        return None
    try:
        return datetime.date(int(s[:4]), int(s[5:7]), int(s[8:10]))
    except ValueError:
        return None


def month_index(y, m):
    return y * 12 + (m - 1)


def month_of(d):
    return month_index(d.year, d.month)


def month_last_day(mi):
    y, m = divmod(mi, 12)
    if m == 11:
        return datetime.date(y, 12, 31)
    return datetime.date(y, m + 2, 1) - datetime.timedelta(days=1)


def month_label(mi):
    y, m = divmod(mi, 12)
    return "%04d-%02d" % (y, m + 1)


def quarter_months(y, q):
    first = month_index(y, 3 * (q - 1) + 1)
    return [first, first + 1, first + 2]


class Period:
    def __init__(self, as_of, quarter=None, month=None, year=None):
        if month:
            y, m = int(month[:4]), int(month[5:7])
            mi = month_index(y, m)
            self.label = month
            self.months = [mi]
            self.quarters = [(y, (m - 1) // 3 + 1)]
            self.year = y
        elif year:
            y = int(year)
            self.label = year
            self.months = [month_index(y, m) for m in range(1, 13)]
            self.quarters = [(y, q) for q in range(1, 5)]
            self.year = y
        else:
            if quarter:
                y, q = int(quarter[:4]), int(quarter[5])
            else:
                y, q = as_of.year, (as_of.month - 1) // 3 + 1
            self.label = "%04dQ%d" % (y, q)
            self.months = quarter_months(y, q)
            self.quarters = [(y, q)]
            self.year = y


def nonempty(s):
    """A required string: an empty one is as good as absent (vet-audit(1))."""
    return isinstance(s, str) and s != ""


ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def norm_id(s):
    """An id as vet-intake reads it (SPEC 2.1, GB 11643): spaces out,
    full-width digits folded, a final x upper-cased, a 15-digit id
    upgraded; None unless it is then 18 characters with a real birth date
    and the right MOD 11-2 check character."""
    if not isinstance(s, str):
        return None
    s = "".join(chr(ord(c) - 0xFEE0) if "\uff10" <= c <= "\uff19" or
                c in "\uff38\uff58" else c for c in s)
    s = "".join(c for c in s if c not in " \u00a0\u3000")
    if s.endswith("x"):
        s = s[:-1] + "X"
    if len(s) == 15 and s.isdigit():
        s17 = s[:6] + "19" + s[6:]
        s = s17 + "10X98765432"[sum(int(a) * b for a, b in
                                      zip(s17, ID_W)) % 11]
    if len(s) != 18 or not s[:17].isdigit() or \
            not (s[17].isdigit() or s[17] == "X"):
        return None
    try:
        b = datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None
    if b.year < 1800:
        return None
    if "10X98765432"[sum(int(a) * b for a, b in zip(s[:17], ID_W)) % 11] \
            != s[17]:
        return None
    return s


def event_ok(ev):
    """SPEC 2.2 and vet-audit(1): what an event needs; events are read as
    vet-intake reads them (SPEC "The default audit, exactly"): a malformed
    id or an unknown district is a rejected event."""
    if not isinstance(ev, dict):
        return False
    t = ev.get("type")
    if t not in EVENT_TYPES or parse_date(ev.get("date")) is None:
        return False
    if t in NEEDS_ID and not nonempty(ev.get("id")):
        return False
    if nonempty(ev.get("id")) and norm_id(ev["id"]) is None:
        return False
    if t in NEEDS_DISTRICT and not nonempty(ev.get("district")):
        return False
    if nonempty(ev.get("district")) and ev["district"] not in DISTRICTS:
        return False
    if t == "training":
        h = ev.get("hours")
        if isinstance(h, bool) or not isinstance(h, (int, float)) or h < 0:
            return False
    if t == "consultation" and "ids" in ev and ev["ids"] is not None:
        ids = ev["ids"]
        if not isinstance(ids, list) or not all(
                isinstance(x, str) and norm_id(x) is not None for x in ids):
            return False
    return True


def veteran_ok(v):
    if not isinstance(v, dict):
        return False
    if v.get("kind") is not None and v["kind"] != "veteran":
        return False
    if not nonempty(v.get("id")) or not nonempty(v.get("district")):
        return False
    cats = v.get("categories")
    if not isinstance(cats, list) or \
            not all(isinstance(c, str) for c in cats):
        return False
    if "assisted_since" in v and v["assisted_since"] is not None and \
            parse_date(v["assisted_since"]) is None:
        return False
    return True


def missing(v, f):
    return f not in v or v[f] is None


class Audit:
    def __init__(self, as_of, period):
        self.as_of = as_of
        self.pd = period
        self.contacts = set()		# (id, month index)
        self.consult_all = set()	# (district, (y, q))
        self.consult_ids = set()	# (district, (y, q), id)
        self.fairs = {}			# district -> count in the year
        self.districts = []
        self.rejected = 0

    def over(self, last_day):
        # SPEC 2.3: --as-of is the end of its day.
        return self.as_of >= last_day

    def add_event(self, ev):
        if not event_ok(ev):
            self.rejected += 1
            return
        d = parse_date(ev["date"])
        if d > self.as_of:
            return			# no event dated after --as-of counts
        t = ev["type"]
        if t == "contact":
            self.contacts.add((norm_id(ev["id"]), month_of(d)))
        elif t == "consultation":
            q = (d.year, (d.month - 1) // 3 + 1)
            ids = ev.get("ids")
            if not ids:
                self.consult_all.add((ev["district"], q))
            else:
                for i in ids:
                    self.consult_ids.add((ev["district"], q, norm_id(i)))
        elif t == "job_fair":
            if d.year == self.pd.year:
                self.fairs[ev["district"]] = \
                    self.fairs.get(ev["district"], 0) + 1

    def veteran(self, v):
        if not veteran_ok(v):
            self.rejected += 1
            return []
        vid, dist, cats = v["id"], v["district"], v["categories"]
        if dist not in self.districts:
            self.districts.append(dist)
        out = []

        def f(check, period, detail, severity=None):
            sev = severity or dict((c, s) for c, s, _ in CHECKS)[check]
            out.append({"check": check, "clause": CLAUSE[check],
                        "severity": sev, "id": vid, "district": dist,
                        "period": period, "detail": detail})

        if "hard_to_place" in cats:
            a = parse_date(v.get("assisted_since"))
            start = (month_of(a) + HARD_TO_PLACE_AFTER_MONTHS
                     if a is not None else None)
            for mi in self.pd.months:
                if not self.over(month_last_day(mi)):
                    continue
                if start is not None and mi < start:
                    continue
                if (vid, mi) not in self.contacts:
                    f("monthly_contact", month_label(mi), "")
            for (y, q) in self.pd.quarters:
                ms = quarter_months(y, q)
                if not self.over(month_last_day(ms[2])):
                    continue
                if start is not None and start > ms[2]:
                    continue
                if (dist, (y, q)) in self.consult_all or \
                        (dist, (y, q), vid) in self.consult_ids:
                    continue
                f("quarterly_consultation", "%04dQ%d" % (y, q), "")
        lab = self.pd.label
        if "training_incomplete" in cats:
            f("adaptive_training", lab, "")
        if "out_of_scope" not in cats and "exited" not in cats:
            miss = [x for x in FILE_FIELDS if missing(v, x)]
            if v.get("employment_need") is True and \
                    missing(v, "desired_industries"):
                miss.append("desired_industries")
            if miss:
                f("incomplete_file", lab, " ".join(miss))
        for chk, cat in CATEGORY_CHECKS[1:]:
            if cat in cats:
                f(chk, lab, "")
        return out

    def district_findings(self):
        order = [d for d in DISTRICTS if d in self.districts]
        order += sorted((d for d in self.districts if d not in DISTRICTS),
                        key=lambda s: s.encode("utf-8"))
        y = self.pd.year
        over = self.over(datetime.date(y, 12, 31))
        sev = "error" if over else "warning"
        # Paced (SPEC): floor(2 x months of the year over / 12) before
        # the year is over, all of them after.
        if over:
            due = JOB_FAIRS_PER_YEAR
        elif self.as_of.year < y:
            due = 0
        else:
            months = sum(1 for m in range(1, 13)
                         if self.over(month_last_day(month_index(y, m))))
            due = JOB_FAIRS_PER_YEAR * months // 12
        out = []
        for d in order:
            n = self.fairs.get(d, 0)
            if n < due:
                out.append({"check": "job_fairs", "clause": CLAUSE["job_fairs"],
                            "severity": sev, "district": d,
                            "period": "%04d" % y, "detail": str(n)})
        return out


def first_wins(pairs):
    """Of duplicate keys the first counts, as everywhere in vet (record.h)."""
    d = {}
    for k, v in pairs:
        d.setdefault(k, v)
    return d


def load_lines(path):
    with open(path, "rb") as fh:
        for raw in fh:
            raw = raw.rstrip(b"\n")
            try:
                yield json.loads(raw.decode("utf-8"),
                                 object_pairs_hook=first_wins)
            except (ValueError, UnicodeDecodeError):
                yield None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--quarter")
    ap.add_argument("--month")
    ap.add_argument("--year")
    ap.add_argument("--events", required=True)
    ap.add_argument("files", nargs="*")
    o = ap.parse_args()
    as_of = parse_date(o.as_of)
    a = Audit(as_of, Period(as_of, o.quarter, o.month, o.year))
    for ev in load_lines(o.events):
        a.add_event(ev)
    n = 0
    w = sys.stdout
    for path in o.files or ["/dev/stdin"]:
        for v in load_lines(path):
            for fd in a.veteran(v):
                w.write(json.dumps(fd, ensure_ascii=False) + "\n")
                n += 1
    for fd in a.district_findings():
        w.write(json.dumps(fd, ensure_ascii=False) + "\n")
        n += 1
    w.flush()
    sys.exit(65 if a.rejected else (1 if n else 0))


if __name__ == "__main__":
    main()
