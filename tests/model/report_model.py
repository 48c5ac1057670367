#!/usr/bin/env python3
"""An independent model of vet-report --format json, written from SPEC 3
"vet-report" and "What the report must tell a district head", from
man/vet-report.1 (the JSON keys, the 六有 items, the compliance figures)
and from vet-policy(5) on the links, not from lib/report*.c.

    report_model.py --as-of D (--quarter Q | --from D --to D) [--by B]
                    [--events F] [--findings F] [--jobs F] [--compare F]
                    [--min-cell N] [--policy YAML] CLASSIFIED...

From the policy file (default policy/beijing-2023.yaml) it reads values
only: the districts, the categories with their priorities, the check
codes, the parameters in force on --as-of and the link codes.  The ten
link rules are written out below in Python from the rule texts of the
policy's `links:`; the model refuses a policy whose rule texts are not
those, rather than report figures of rules it does not know.
"""
import argparse
import calendar
import datetime as dt
import gzip
import json
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_POLICY = os.path.join(HERE, '..', '..', 'policy', 'beijing-2023.yaml')

FILE_FIELDS = ["education", "skills", "household_working_age",
               "household_employed", "employment_status", "living_difficulty"]
# "not employed: employment_status not employed, flexible or self_employed"
# (vet-report(1), the headline).
EMPLOYED = ("employed", "flexible", "self_employed")
# 定向专招: "a referral to a dedicated, directed or public_welfare post".
TARGETED = ("dedicated", "directed", "public_welfare")

# The rule texts this model implements (whitespace folded), link by link;
# the Python of each is in links() below, in the same order.
LINK_RULES = {
    "skills_reserve": (
        'adaptive_training || vocational_training',
        'vocational_trainings > 0 || adaptive_trainings > 0'),
    "discharge_training": (
        'placement == "autonomous" && months_since(discharge_date) < '
        'adaptive_training_window_months',
        'adaptive_hours >= adaptive_training_min_hours'),
    "information_file": (
        'exited != true && !out_of_scope',
        'present(education) && present(skills) && '
        'present(household_working_age) && present(household_employed) && '
        'present(employment_status) && present(living_difficulty)'),
    "classified_measures": (
        'priority < 9',
        'len(measures) > 0 && (contacts > 0 || referrals > 0 || '
        'vocational_trainings > 0 || adaptive_trainings > 0)'),
    "career_guidance": ('expectation_guidance', 'contacts > 0'),
    "vocational_empowerment": ('vocational_training',
                               'vocational_trainings > 0'),
    "post_recommendation": ('job_recommendation', 'referrals > 0'),
    "directed_recruitment": (
        'public_welfare_post || (job_recommendation && priority <= 3)',
        'targeted_referrals > 0'),
    "flexible_employment": (
        'startup_subsidy || tax_incentive || social_insurance_subsidy',
        'contacts > 0'),
    "hardship_assistance": ('priority <= 4', 'contacts > 0'),
}


def fold(s):
    return re.sub(r'\s+', ' ', s or '').strip()


class Policy:
    def __init__(self, path, asof):
        with open(path, encoding='utf-8') as f:
            y = yaml.safe_load(f)
        self.id = y['id']
        self.districts = list(y['jurisdiction']['districts'])
        self.cats = [c['code'] for c in y['categories']]
        self.cprio = {c['code']: c['priority'] for c in y['categories']}
        self.checks = [c['code'] for c in y['checks']]
        self.links = []
        for ln in y['links']:
            code = ln['code']
            want = LINK_RULES.get(code)
            got = (fold(ln.get('planned') or ln.get('when')),
                   fold(ln.get('delivered')))
            if want is None or tuple(fold(w) for w in want) != got:
                sys.exit('report_model: link %r: rules %r are not the ones '
                         'the model knows' % (code, got))
            self.links.append(code)
        params = y.get('parameters') or {}

        def param(name, default):
            p = params.get(name)
            if p is None:
                return default
            val = default
            best = None
            # The value in force on --as-of: the latest `from` not after it
            # (a value without `from` is in force from the start).
            for x in p['values']:
                fr = x.get('from')
                if isinstance(fr, str):
                    fr = dt.date.fromisoformat(fr)
                if fr is None or fr <= asof:
                    if best is None or fr is None or best <= fr:
                        val = x['value']
                        best = fr if fr is not None else dt.date.min
            return val
        self.min_hours = param('adaptive_training_min_hours', 80)
        self.window = param('adaptive_training_window_months', 24)
        self.htp_after = param('hard_to_place_after_months', 6)
        self.fairs = param('job_fairs_per_year', 2)


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


def dayq(s):
    """A date, or None when s is not one."""
    try:
        return dt.date.fromisoformat(s) if isinstance(s, str) else None
    except ValueError:
        return None


def months_since(d, asof):
    m = (asof.year - d.year) * 12 + asof.month - d.month
    if asof.day < d.day:
        m -= 1
    return m


def present(v, k):
    return k in v and v[k] is not None


def num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


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


def complete_file(v):
    """有档案信息 / incomplete_file: the six fields and, when
    employment_need is true, desired_industries."""
    ok = all(present(v, k) for k in FILE_FIELDS)
    if v.get("employment_need") is True and not present(v, "desired_industries"):
        ok = False
    return ok


def links(v, cats, P, asof, ef):
    """{link: (planned, delivered)} of one record; delivered None without
    events.  ef: the record's event facts (None without --events)."""
    meas = set(m for m in (v.get("measures") or []) if isinstance(m, str))
    pr = v.get("priority")
    dd = dayq(v.get("discharge_date"))
    planned = {
        "skills_reserve": "adaptive_training" in meas
        or "vocational_training" in meas,
        "discharge_training": v.get("placement") == "autonomous"
        and dd is not None and months_since(dd, asof) < P.window,
        # exited has the default false (defaults:), so an absent one is
        # not true.
        "information_file": v.get("exited") is not True
        and "out_of_scope" not in cats,
        "classified_measures": num(pr) and pr < 9,
        "career_guidance": "expectation_guidance" in meas,
        "vocational_empowerment": "vocational_training" in meas,
        "post_recommendation": "job_recommendation" in meas,
        "directed_recruitment": "public_welfare_post" in meas or (
            "job_recommendation" in meas and num(pr) and pr <= 3),
        "flexible_employment": bool(meas & {"startup_subsidy", "tax_incentive",
                                            "social_insurance_subsidy"}),
        "hardship_assistance": num(pr) and pr <= 4,
    }
    if ef is None:
        return {k: (bool(planned[k]), None) for k in planned}
    c, r, tr, vt, ah, at = (ef["contacts"], ef["referrals"], ef["targeted"],
                            ef["voc"], ef["adaptive"], ef["adaptive_n"])
    delivered = {
        "skills_reserve": vt > 0 or at > 0,
        "discharge_training": ah >= P.min_hours,
        "information_file": all(present(v, k) for k in FILE_FIELDS),
        "classified_measures": len(v.get("measures") or []) > 0
        and (c > 0 or r > 0 or vt > 0 or at > 0),
        "career_guidance": c > 0,
        "vocational_empowerment": vt > 0,
        "post_recommendation": r > 0,
        "directed_recruitment": tr > 0,
        "flexible_employment": c > 0,
        "hardship_assistance": c > 0,
    }
    return {k: (bool(planned[k]), bool(planned[k] and delivered[k]))
            for k in planned}


def no_facts():
    return {"contacts": 0, "referrals": 0, "targeted": 0, "voc": 0,
            "adaptive": 0, "adaptive_n": 0, "chan": False}


def model(a):
    asof = day(a.as_of)
    P = Policy(a.policy or DEFAULT_POLICY, asof)
    CATS = P.cats
    label, f, t = period(a)
    plab = label if label else "%s..%s" % (f, t)
    mon = months_of(f, t)
    # A month is over when --as-of is on or after its last day (SPEC 2.3).
    over = [ym for ym in mon if month_end(*ym) <= asof]

    def in_period(d):
        return f <= d <= t and d <= asof

    jobs = None
    if a.jobs:
        jobs = {"type": {}, "supply": {}}
        for j in lines(a.jobs):
            if isinstance(j.get("job_id"), str):
                jobs["type"][j["job_id"]] = j.get("post_type")
            pd_, ed = dayq(j.get("posted_date")), dayq(j.get("expires_date"))
            # Posted by --as-of and not expired before the period began.
            if (pd_ is None or pd_ <= asof) and (ed is None or ed >= f):
                o = j.get("openings")
                if num(o):
                    d = j.get("district")
                    jobs["supply"][d] = jobs["supply"].get(d, 0) + o

    ev = None
    if a.events:
        ev = {"contact": {}, "facts": {}, "consult": {}, "fairs": {},
              "fairposts": {}}
        for e in lines(a.events):
            d = dayq(e.get("date"))
            if d is None or d > asof:
                continue
            ty = e.get("type")
            i = e.get("id")
            fx = ev["facts"].setdefault(i, no_facts()) if i else None
            if ty == "contact":
                ev["contact"].setdefault(i, set()).add(d)
                if in_period(d):
                    fx["contacts"] += 1
            elif ty == "referral":
                if in_period(d):
                    fx["referrals"] += 1
                    fx["chan"] = True
                    pt = e.get("post_type")
                    if pt is None and jobs is not None:
                        pt = jobs["type"].get(e.get("job_id"))
                    if pt in TARGETED:
                        fx["targeted"] += 1
            elif ty == "training":
                if in_period(d):
                    fx["chan"] = True
                    if e.get("course") == "vocational":
                        fx["voc"] += 1
                    elif e.get("course") == "adaptive":
                        # adaptive_trainings: events of the period; the
                        # hours below count to --as-of (the minimum spans
                        # periods).
                        fx["adaptive_n"] += 1
                if e.get("course") == "adaptive" and num(e.get("hours")):
                    fx["adaptive"] += e["hours"]
            elif ty == "consultation" and in_period(d):
                ev["consult"][e["district"]] = ev["consult"].get(e["district"], 0) + 1
            elif ty == "job_fair":
                if d.year == t.year:
                    ev["fairs"][e["district"]] = ev["fairs"].get(e["district"], 0) + 1
                if in_period(d) and num(e.get("posts")):
                    ev["fairposts"][e["district"]] = (
                        ev["fairposts"].get(e["district"], 0) + e["posts"])

    def zero():
        return {c: 0 for c in CATS}

    n = 0
    tot = zero()
    byd = {}
    grp = {}
    prio = {str(i): 0 for i in range(1, 10)}
    prio["none"] = 0
    chain = {k: [0, 0] for k in P.links}
    comp = {}
    sc = {}
    need = {}

    def cd(d):
        return comp.setdefault(d, {"tr": [0, 0], "mc": [0, 0]})

    def scd(d):
        return sc.setdefault(d, {k: [0, 0] for k in
                                 ["policy", "staff", "files", "data",
                                  "jobs", "channels"]})

    def nad(d):
        return need.setdefault(d, {"n": 0, "c": dict(zero(), none=0)})

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
            inscope = "out_of_scope" not in cats and "exited" not in cats
            # The headline: in scope and not employed, once, under the most
            # urgent category (smallest priority, policy order on a tie).
            needs = inscope and v.get("employment_status") not in EMPLOYED
            na = nad(d)
            if needs:
                na["n"] += 1
                if cats:
                    u = min(cats, key=lambda c: (P.cprio[c], CATS.index(c)))
                    na["c"][u] += 1
                else:
                    na["c"]["none"] += 1
            ef = None
            if ev is not None:
                ef = ev["facts"].get(v.get("id"), no_facts())
            for k, (pl, de) in links(v, cats, P, asof, ef).items():
                chain[k][0] += pl
                chain[k][1] += bool(de)
            # compliance: training
            c = cd(d)
            if (v.get("placement") == "autonomous" and present(v, "discharge_date")
                    and day(v["discharge_date"]) <= asof
                    and months_since(day(v["discharge_date"]), asof) < P.window
                    and "exited" not in cats):
                c["tr"][1] += 1
                th = v.get("training_hours") or 0
                if th >= P.min_hours:
                    c["tr"][0] += 1
            s = scd(d)
            if "hard_to_place" in cats:
                cs = ev["contact"].get(v.get("id"), set()) if ev else set()
                # Without assisted_since the duty runs from the start, as
                # in vet-audit.
                start = (0, 0)
                if present(v, "assisted_since"):
                    a0 = day(v["assisted_since"])
                    mm = a0.month - 1 + P.htp_after
                    start = (a0.year + mm // 12, mm % 12 + 1)
                for ym in over:
                    if ym < start:
                        continue
                    c["mc"][1] += 1
                    if any((x.year, x.month) == ym for x in cs):
                        c["mc"][0] += 1
            # 六有 (vet-report(1) "The 六有 scorecard").
            if isinstance(pr, int) and 1 <= pr <= 5:
                s["policy"][0] += 1
                if meas:
                    s["policy"][1] += 1
            if needs:
                s["staff"][0] += 1
                if ef is not None and ef["contacts"] > 0:
                    s["staff"][1] += 1
            if inscope:
                s["files"][0] += 1
                s["data"][0] += 1
                ok = complete_file(v)
                s["files"][1] += ok
                rc = v.get("reconciled")
                if ok and isinstance(rc, list) and rc:
                    s["data"][1] += 1
            if (inscope and v.get("employment_need") is True
                    and v.get("employment_status") == "unemployed"):
                s["jobs"][0] += 1
                s["channels"][0] += 1
                if ef is not None and ef["chan"]:
                    s["channels"][1] += 1

    order = [d for d in P.districts if d in byd] + sorted(
        (d for d in byd if d not in P.districts), key=lambda s: s.encode())
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
    shown = [d for d in order if d not in hid_d]
    out = {"period": plab, "from": str(f), "to": str(t), "as_of": a.as_of,
           "policy": P.id, "veterans": n,
           "totals": dict({"veterans": n}, **tot)}
    out["by_district"] = {d: dict({"veterans": byd[d]["n"]}, **byd[d]["c"])
                          for d in shown}
    supp = len(hid_d)
    if a.by != "district":
        gl = []
        dix = {d: i for i, d in enumerate(P.districts)}
        for key in sorted(grp, key=lambda k: (
                (dix[k[0]], b"") if k[0] in dix else (99, k[0].encode()),
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
            o["counts"] = dict({"veterans": g["n"]}, **g["c"])
            gl.append(o)
        out["groups"] = gl
        supp = len(hid_g)
    out["priority"] = prio

    def na_obj(x):
        return {"veterans": x["n"], "by_urgent_category": dict(x["c"])}
    alln = {"n": sum(need[d]["n"] for d in order),
            "c": {k: sum(need[d]["c"][k] for d in order)
                  for k in CATS + ["none"]}}
    out["needs_action"] = na_obj(alln)
    out["needs_action_by_district"] = {d: na_obj(need[d]) for d in shown}
    out["chain"] = {k: {"planned": chain[k][0],
                        "delivered": chain[k][1] if ev is not None else None}
                    for k in P.links}

    def mcnull(p):
        return None if ev is None else {"met": p[0], "due": p[1]}
    tr = [sum(comp[d]["tr"][i] for d in comp) for i in (0, 1)]
    mcx = [sum(comp[d]["mc"][i] for d in comp) for i in (0, 1)]

    def cons(d):
        return ev["consult"].get(d, 0)

    def fairs(d):
        return ev["fairs"].get(d, 0)
    fnd = None
    if a.findings:
        fnd = {k: 0 for k in P.checks}
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
        "job_fairs_target": P.fairs,
        "findings": fnd,
        "by_district": {d: {
            "training": {"met": comp[d]["tr"][0], "due": comp[d]["tr"][1]},
            "monthly_contact": mcnull(comp[d]["mc"]),
            "consultations": None if ev is None else cons(d),
            "job_fairs": None if ev is None else fairs(d)} for d in shown},
    }

    def supply(d):
        # 有岗位供给: the openings of the district's posts plus the posts of
        # its job fairs in the period; unknown when neither file was given.
        if jobs is None and ev is None:
            return None
        x = jobs["supply"].get(d, 0) if jobs is not None else 0
        if ev is not None:
            x += ev["fairposts"].get(d, 0)
        return x
    scx = {}
    for d in shown:
        s = sc[d]

        def mk(p, known=True):
            return {"planned": p[0], "delivered": p[1] if known else None}
        scx[d] = {"policy": mk(s["policy"]),
                  "staff": mk(s["staff"], ev is not None),
                  "files": mk(s["files"]), "data": mk(s["data"]),
                  "jobs": {"planned": s["jobs"][0], "delivered": supply(d)},
                  "channels": mk(s["channels"], ev is not None)}
    out["scorecard"] = scx
    if a.compare:
        out["change"] = change(a, out, tot, CATS, P)
    if mc > 1:
        out["min_cell"] = mc
        out["suppressed"] = supp
    return out


def change(a, out, tot, CATS, P):
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
    pc = prev.get("compliance") or {}

    def permille(x):
        if not isinstance(x, dict):
            return None
        m, d = x.get("met"), x.get("due")
        if not isinstance(m, int) or not isinstance(d, int) or d <= 0:
            return None
        return m * 1000 / d

    cp = {}
    for k in ("training", "monthly_contact"):
        now, was = permille(out["compliance"][k]), permille(pc.get(k))
        cp[k] = None if now is None or was is None else round_half_away(now - was)
    ch["compliance_permille"] = cp
    pch = prev.get("chain") or {}
    cc = {}
    for k in P.links:
        cur = out["chain"][k]
        p = pch.get(k)
        if isinstance(p, int):
            p = {"planned": p, "delivered": None}
        if not isinstance(p, dict):
            p = {}

        def dif(x, y):
            return x - y if isinstance(x, int) and isinstance(y, int) else None
        cc[k] = {"planned": dif(cur["planned"], p.get("planned")),
                 "delivered": dif(cur["delivered"], p.get("delivered"))}
    ch["chain"] = cc
    return ch


def round_half_away(x):
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--as-of", required=True)
    p.add_argument("--quarter")
    p.add_argument("--from", dest="from_")
    p.add_argument("--to")
    p.add_argument("--by", default="district")
    p.add_argument("--events")
    p.add_argument("--findings")
    p.add_argument("--jobs")
    p.add_argument("--compare")
    p.add_argument("--policy")
    p.add_argument("--min-cell", type=int, default=1)
    p.add_argument("files", nargs="+")
    a = p.parse_args()
    json.dump(model(a), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
