#!/usr/bin/env python3
"""An independent model of vet-report --format json (SPEC 3 "vet-report",
man/vet-report.1), written from the documents, not from lib/report*.c.

    report_model.py --as-of D (--quarter Q | --from D --to D) [--by B]
                    [--events F] [--findings F] [--compare F]
                    [--min-cell N] CLASSIFIED...

It knows the default policy (policy/beijing-2023.yaml) only: its districts,
categories, checks and the ten links, written out below as Python.
"""
import argparse
import calendar
import datetime as dt
import gzip
import json
import sys

DISTRICTS = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区",
             "门头沟区", "房山区", "通州区", "顺义区", "昌平区", "大兴区",
             "怀柔区", "平谷区", "密云区", "延庆区", "北京经济技术开发区"]
CATS = ["exited", "out_of_scope", "employed", "flexible_employed",
        "self_employed", "registered_unemployed", "needs_registration",
        "employment_difficulty", "zero_employment_family",
        "difficulty_candidate", "hard_to_place", "training_incomplete",
        "exit_candidate"]
CHECKS = ["monthly_contact", "quarterly_consultation", "job_fairs",
          "adaptive_training", "incomplete_file", "unregistered_unemployed",
          "uncertified_candidate", "exit_pending"]
LINKS = ["skills_reserve", "discharge_training", "information_file",
         "classified_measures", "career_guidance", "vocational_empowerment",
         "post_recommendation", "directed_recruitment",
         "flexible_employment", "hardship_assistance"]
MIN_HOURS = 80
WINDOW = 24
HTP_AFTER = 6
FAIRS = 2
FILE_FIELDS = ["education", "skills", "household_working_age",
               "household_employed", "employment_status", "living_difficulty"]


def opener(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def lines(path):
    with opener(path) as f:
        for ln in f:
            if ln.strip():
                yield json.loads(ln)


def day(s):
    return dt.date.fromisoformat(s)


def months_since(d, asof):
    m = (asof.year - d.year) * 12 + asof.month - d.month
    if asof.day < d.day:
        m -= 1
    return m


def present(v, k):
    return k in v and v[k] is not None


def quarter_of(d):
    return d.year, (d.month - 1) // 3 + 1


def qbounds(y, q):
    m0 = 3 * (q - 1) + 1
    return dt.date(y, m0, 1), dt.date(y, m0 + 2,
                                      calendar.monthrange(y, m0 + 2)[1])


def period(a):
    asof = day(a.as_of)
    if a.from_:
        return None, day(a.from_), day(a.to)
    q = a.quarter or "current"
    if q in ("current", "previous"):
        y, n = quarter_of(asof)
        if q == "previous":
            y, n = (y, n - 1) if n > 1 else (y - 1, 4)
    else:
        y, n = int(q[:4]), int(q[5])
    f, t = qbounds(y, n)
    return "%dQ%d" % (y, n), f, t


def month_end(y, m):
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def months_of(f, t):
    y, m = f.year, f.month
    out = []
    while (y, m) <= (t.year, t.month):
        out.append((y, m))
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return out


def links(v):
    cats = v.get("categories") or []
    meas = v.get("measures") or []
    cert = v.get("certificates") or []
    pr = v.get("priority")
    th = v.get("training_hours")
    th = 0 if th is None else th
    skills = v.get("skills")
    r = {}
    r["skills_reserve"] = len(cert) > 0 or (skills is not None and len(skills) > 0)
    r["discharge_training"] = th >= MIN_HOURS
    r["information_file"] = all(present(v, k) for k in FILE_FIELDS)
    r["classified_measures"] = pr is not None and pr < 9
    r["career_guidance"] = "expectation_guidance" in meas
    r["vocational_empowerment"] = "vocational_training" in meas or len(cert) > 0
    r["post_recommendation"] = "job_recommendation" in meas
    r["directed_recruitment"] = "public_welfare_post" in meas or (
        "job_recommendation" in meas and "out_of_scope" not in cats)
    r["flexible_employment"] = ("flexible_employed" in cats
                                or "self_employed" in cats)
    r["hardship_assistance"] = pr is not None and pr <= 4
    return r


def model(a):
    asof = day(a.as_of)
    label, f, t = period(a)
    plab = label if label else "%s..%s" % (f, t)
    mon = months_of(f, t)
    over = [ym for ym in mon if month_end(*ym) < asof]
    in_period = lambda d: f <= d <= t and d <= asof

    ev = None
    if a.events:
        ev = {"contact": {}, "chan": set(), "consult": {}, "fairs": {}}
        for e in lines(a.events):
            try:
                d = day(e["date"])
            except Exception:
                continue
            if d > asof:
                continue
            ty = e.get("type")
            if ty == "contact":
                ev["contact"].setdefault(e["id"], set()).add(d)
            elif ty in ("referral", "training") and in_period(d):
                ev["chan"].add(e["id"])
            elif ty == "consultation" and in_period(d):
                ev["consult"][e["district"]] = ev["consult"].get(e["district"], 0) + 1
            elif ty == "job_fair" and d.year == t.year:
                ev["fairs"][e["district"]] = ev["fairs"].get(e["district"], 0) + 1

    zero = lambda: {c: 0 for c in CATS}
    n = 0
    tot = zero()
    byd = {}
    grp = {}
    prio = {str(i): 0 for i in range(1, 10)}
    prio["none"] = 0
    chain = {k: 0 for k in LINKS}
    comp = {}
    sc = {}

    def cd(d):
        return comp.setdefault(d, {"tr": [0, 0], "mc": [0, 0]})

    def scd(d):
        return sc.setdefault(d, {k: [0, 0] for k in
                                 ["policy", "staff", "files", "data", "channels"]})

    for path in a.files:
        for v in lines(path):
            d = v["district"]
            n += 1
            cats = set(v.get("categories") or []) & set(CATS)
            meas = v.get("measures") or []
            for c in cats:
                tot[c] += 1
            row = byd.setdefault(d, {"n": 0, "c": zero()})
            row["n"] += 1
            for c in cats:
                row["c"][c] += 1
            if a.by != "district":
                key = (d, v.get("street") or "") if a.by == "street" else (
                    d, v.get("street") or "", v.get("community") or "")
                g = grp.setdefault(key, {"n": 0, "c": zero()})
                g["n"] += 1
                for c in cats:
                    g["c"][c] += 1
            pr = v.get("priority")
            if isinstance(pr, int) and 1 <= pr <= 9:
                prio[str(pr)] += 1
            else:
                prio["none"] += 1
            for k, ok in links(v).items():
                chain[k] += ok
            # compliance: training
            c = cd(d)
            if (v.get("placement") == "autonomous" and present(v, "discharge_date")
                    and day(v["discharge_date"]) <= asof
                    and months_since(day(v["discharge_date"]), asof) < WINDOW
                    and "exited" not in cats):
                c["tr"][1] += 1
                th = v.get("training_hours") or 0
                if th >= MIN_HOURS:
                    c["tr"][0] += 1
            s = scd(d)
            htp = "hard_to_place" in cats
            if htp:
                s["staff"][1] += 1
                cs = ev["contact"].get(v.get("id"), set()) if ev else set()
                if any(in_period(x) for x in cs):
                    s["staff"][0] += 1
                # Without assisted_since the duty runs from the start, as
                # in vet-audit.
                start = (0, 0)
                if present(v, "assisted_since"):
                    a0 = day(v["assisted_since"])
                    mm = a0.month - 1 + HTP_AFTER
                    start = (a0.year + mm // 12, mm % 12 + 1)
                if True:
                    for ym in over:
                        if ym < start:
                            continue
                        c["mc"][1] += 1
                        if any((x.year, x.month) == ym for x in cs):
                            c["mc"][0] += 1
            if isinstance(pr, int) and 1 <= pr <= 5:
                s["policy"][1] += 1
                if meas:
                    s["policy"][0] += 1
            inscope = "out_of_scope" not in cats and "exited" not in cats
            if inscope:
                s["files"][1] += 1
                ok = all(present(v, k) for k in FILE_FIELDS)
                if v.get("employment_need") is True and not present(v, "desired_industries"):
                    ok = False
                s["files"][0] += ok
            s["data"][1] += 1
            if present(v, "as_of") and f <= day(v["as_of"]) <= t:
                s["data"][0] += 1
            if (inscope and v.get("employment_need") is True
                    and v.get("employment_status") == "unemployed"):
                s["channels"][1] += 1
                if ev and v.get("id") in ev["chan"]:
                    s["channels"][0] += 1

    order = [d for d in DISTRICTS if d in byd] + sorted(
        (d for d in byd if d not in DISTRICTS), key=lambda s: s.encode())
    mc = a.min_cell

    def complement(rows, n, hide):
        # Leave out the smallest row still shown (first in order on a tie)
        # while those left out are one row or sum to fewer than mc.
        while True:
            h = [r for r in rows if r in hide]
            if not h or (len(h) >= 2 and sum(n[r] for r in h) >= mc):
                return
            rest = [r for r in rows if r not in hide]
            if not rest:
                return
            hide.add(min(rest, key=lambda r: (n[r], rows.index(r))))

    hid_d = set()
    gorder = []
    hid_g = set()
    if mc > 1:
        hid_d = {d for d in order if byd[d]["n"] < mc}
        complement(order, {d: byd[d]["n"] for d in order}, hid_d)
    out = {"period": plab, "from": str(f), "to": str(t), "as_of": a.as_of,
           "policy": "beijing-2023", "veterans": n, "totals": tot}
    out["by_district"] = {d: byd[d]["c"] for d in order if d not in hid_d}
    supp = len(hid_d)
    if a.by != "district":
        gl = []
        for key in sorted(grp, key=lambda k: (
                (DISTRICTS.index(k[0]) if k[0] in DISTRICTS else 99, b"")
                if k[0] in DISTRICTS else (99, k[0].encode()),
                [x.encode() for x in k[1:]])):
            gorder.append(key)
        if mc > 1:
            for d in order:
                sib = [k for k in gorder if k[0] == d]
                hid_g |= {k for k in sib if grp[k]["n"] < mc or d in hid_d}
                complement(sib, {k: grp[k]["n"] for k in sib}, hid_g)
        for key in gorder:
            g = grp[key]
            if key in hid_g:
                continue
            o = {"district": key[0], "street": key[1]}
            if a.by == "community":
                o["community"] = key[2]
            o["veterans"] = g["n"]
            o["counts"] = g["c"]
            gl.append(o)
        out["groups"] = gl
        supp = len(hid_g)
    out["priority"] = prio
    out["chain"] = chain
    mcnull = lambda p: None if ev is None else {"met": p[0], "due": p[1]}
    tr = [sum(comp[d]["tr"][i] for d in comp) for i in (0, 1)]
    mcx = [sum(comp[d]["mc"][i] for d in comp) for i in (0, 1)]
    cons = lambda d: ev["consult"].get(d, 0)
    fairs = lambda d: ev["fairs"].get(d, 0)
    fnd = None
    if a.findings:
        fnd = {k: 0 for k in CHECKS}
        extra = {}
        for x in lines(a.findings):
            ck = x.get("check")
            if ck in fnd:
                fnd[ck] += 1
            else:
                extra[ck] = extra.get(ck, 0) + 1
        for k in sorted(extra, key=lambda s: s.encode()):
            fnd[k] = extra[k]
    out["compliance"] = {
        "training": {"met": tr[0], "due": tr[1]},
        "monthly_contact": mcnull(mcx),
        "consultations": None if ev is None else sum(cons(d) for d in order),
        "job_fairs": None if ev is None else sum(fairs(d) for d in order),
        "job_fairs_target": FAIRS,
        "findings": fnd,
        "by_district": {d: {
            "training": {"met": comp[d]["tr"][0], "due": comp[d]["tr"][1]},
            "monthly_contact": mcnull(comp[d]["mc"]),
            "consultations": None if ev is None else cons(d),
            "job_fairs": None if ev is None else fairs(d)} for d in order
            if d not in hid_d},
    }
    scx = {}
    for d in order:
        if d in hid_d:
            continue
        s = sc[d]
        mk = lambda p: {"met": p[0], "due": p[1]}
        scx[d] = {"policy": mk(s["policy"]),
                  "staff": mk(s["staff"]) if ev else None,
                  "files": mk(s["files"]), "data": mk(s["data"]),
                  "jobs": {"met": min(fairs(d), FAIRS), "due": FAIRS} if ev else None,
                  "channels": mk(s["channels"]) if ev else None}
    out["scorecard"] = scx
    if a.compare:
        with opener(a.compare) as fh:
            prev = json.load(fh)
        ch = {"period": prev.get("period"),
              "totals": {c: (tot[c] - prev["totals"][c]
                             if isinstance(prev["totals"].get(c), int) else None)
                         for c in CATS}}
        pb = prev.get("by_district") or {}
        # A district absent from a previous report that listed them all
        # (by_district given, nothing suppressed) had none.
        allp = "by_district" in prev and not prev.get("suppressed")

        def dch(d, c):
            if d not in pb:
                return out["by_district"][d][c] if allp else None
            x = pb[d].get(c)
            return out["by_district"][d][c] - x if isinstance(x, int) else None
        ch["by_district"] = {d: {c: dch(d, c) for c in CATS}
                             for d in out["by_district"]}
        out["change"] = ch
    if mc > 1:
        out["min_cell"] = mc
        out["suppressed"] = supp
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--as-of", required=True)
    p.add_argument("--quarter")
    p.add_argument("--from", dest="from_")
    p.add_argument("--to")
    p.add_argument("--by", default="district")
    p.add_argument("--events")
    p.add_argument("--findings")
    p.add_argument("--compare")
    p.add_argument("--min-cell", type=int, default=1)
    p.add_argument("files", nargs="+")
    a = p.parse_args()
    json.dump(model(a), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
