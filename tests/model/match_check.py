#!/usr/bin/env python3
"""match_check.py - an independent model of vet-match, written from SPEC
section 3 "vet-match" and man/vet-match.1, not from the C code.

    match_check.py --jobs JOBS --as-of DATE (--top K | --allocate) VETERANS OUTPUT

VETERANS are classified veteran records (JSON Lines), OUTPUT is what
vet-match wrote for them.  The model recomputes eligibility, scores and
ranking (or the allocation) and compares record by record; it also checks
the properties SPEC promises on their own (no ineligible post, ranks from 1,
scores not increasing, capacity, no unplaced veteran while an eligible post
has room, no unplaced veteran while a larger priority number holds a post it
was eligible for).  It prints the first discrepancies and exits 1, or prints
a one-line summary and exits 0.  Python 3 standard library only.
"""
import argparse
import json
import sys

EDUCATION = ["primary", "junior_high", "senior_high", "secondary_vocational",
             "junior_college", "bachelor", "master", "doctor"]
EDU_RANK = {e: i for i, e in enumerate(EDUCATION)}
# Category priorities of the default (Beijing 2023) policy, SPEC 3.
CAT_PRIORITY = {
    "exited": 9, "out_of_scope": 9, "employed": 9, "flexible_employed": 9,
    "self_employed": 9, "registered_unemployed": 4, "needs_registration": 4,
    "employment_difficulty": 2, "zero_employment_family": 3,
    "difficulty_candidate": 3, "hard_to_place": 1, "training_incomplete": 9,
    "exit_candidate": 9,
}
POST_TYPES = ("market", "dedicated", "directed", "public_welfare")


def b(s):
    """Byte order of a string, as SPEC's tie-breaks use."""
    return s.encode("utf-8")


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def read_jsonl(path):
    out = []
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip(b"\n")
            if not line:
                continue
            out.append((n, json.loads(line.decode("utf-8"))))
    return out


def matched(v):
    cats = v.get("categories")
    if not isinstance(cats, list):
        return False
    return ("out_of_scope" not in cats and "exited" not in cats
            and v.get("employment_need") is True
            and v.get("employment_status") == "unemployed")


def has_skill(v, skill):
    if skill in (v.get("skills") or []):
        return True
    for c in v.get("certificates") or []:
        if not isinstance(c, str):
            continue
        if c == skill:
            return True
        # The skill's name followed by a parenthesis, ASCII or full-width,
        # spaces between them ignored (documented in vet-match(1)).
        for i, ch in enumerate(c):
            if ch in "(\uff08" and c[:i].rstrip(" ") == skill and skill:
                return True
    return False


def eligible(v, j, as_of):
    """The hard constraints, in the man page's order; returns a reason or None."""
    me = j.get("min_education")
    if me is not None:
        ve = v.get("education")
        if ve not in EDU_RANK or EDU_RANK[ve] < EDU_RANK[me]:
            return "education"
    ma = j.get("max_age")
    if ma is not None:
        age = v.get("age")
        if not is_int(age) or age > ma:
            return "age"
    pd, ed = j.get("posted_date"), j.get("expires_date")
    if pd is not None and pd > as_of:
        return "not yet posted"
    if ed is not None and ed < as_of:
        return "expired"
    op = j.get("openings")
    if not is_int(op) or op <= 0:
        return "openings"
    pt = j.get("post_type") or "market"
    cats = v.get("categories") or []
    if pt == "public_welfare" and not ("employment_difficulty" in cats
                                       or "hard_to_place" in cats):
        return "public_welfare"
    if pt == "dedicated" and "out_of_scope" in cats:
        return "dedicated"
    return None


def score(v, j):
    """Returns (total, [parts]) per the man page's Score section."""
    req = j.get("required_skills") or []
    if not req:
        sk = 20
    else:
        have = sum(1 for s in req if has_skill(v, s))
        sk = 40 * have // len(req)
    jd, js = j.get("district"), j.get("street")
    vd, vs = v.get("district"), v.get("street")
    dd = v.get("desired_district")
    if jd is not None and jd == vd and js is not None and js == vs:
        nb = 30
    elif jd is not None and (jd == vd or jd == dd):
        nb = 20
    else:
        nb = 0
    ind = j.get("industry")
    di = v.get("desired_industries") or []
    it = 15 if ind is not None and ind in di else 0
    sal, want = j.get("salary"), v.get("desired_salary")
    if sal is None or want is None:
        sa = 0
    elif sal >= want:
        sa = 15
    elif sal * 5 >= want * 4:
        sa = 8
    else:
        sa = 0
    return sk + nb + it + sa, [sk, nb, it, sa]


def rank_key(entry):
    sc, j = entry
    sal = j.get("salary")
    return (-sc, 0 if sal is not None else 1, -(sal or 0), b(j["job_id"]))


def ranked(v, jobs, as_of):
    el = []
    for j in jobs:
        if eligible(v, j, as_of) is None:
            el.append((score(v, j)[0], j))
    el.sort(key=rank_key)
    return el


def priority_of(v):
    p = v.get("priority")
    if is_int(p):
        return p
    ps = [CAT_PRIORITY.get(c, 9) for c in v.get("categories") or []]
    ps = [x for x in ps if 1 <= x <= 4]
    return min(ps) if ps else 5


class Report:
    def __init__(self, limit):
        self.errors = []
        self.limit = limit

    def err(self, msg):
        self.errors.append(msg)

    def done(self, summary):
        if self.errors:
            for e in self.errors[: self.limit]:
                print("match_check: " + e)
            print("match_check: %d discrepancies" % len(self.errors))
            return 1
        print("match_check: ok: " + summary)
        return 0


def check_common(rep, rec, v, j, sc, parts, where):
    if rec.get("score") != sc:
        rep.err("%s: score %r, model %d (parts %r) job %s"
                % (where, rec.get("score"), sc, parts, j["job_id"]))
    rs = rec.get("reasons")
    if not isinstance(rs, list) or [r.get("code") for r in rs] != \
            ["skills", "nearby", "industry", "salary"]:
        rep.err("%s: reasons codes %r" % (where, rs))
    else:
        pts = [r.get("points") for r in rs]
        if pts != parts:
            rep.err("%s: reasons points %r, model %r" % (where, pts, parts))
        if sum(p for p in pts if is_int(p)) != rec.get("score"):
            rep.err("%s: reasons do not add up to score" % where)
    if rec.get("post_type") != (j.get("post_type") or "market"):
        rep.err("%s: post_type %r" % (where, rec.get("post_type")))
    for k in ("title", "employer", "district", "street", "salary"):
        if k in j and rec.get(k) != j[k]:
            rep.err("%s: %s %r, post has %r" % (where, k, rec.get(k), j[k]))
        if k not in j and k in rec:
            rep.err("%s: %s copied but post has none" % (where, k))


def check_top(rep, vets, jobs, byid, as_of, k, out):
    exp = []
    nmatched = 0
    for _, v in vets:
        if not matched(v):
            continue
        nmatched += 1
        for r, (sc, j) in enumerate(ranked(v, jobs, as_of)[:k], 1):
            exp.append((v, j, r, sc))
    if len(out) != len(exp):
        rep.err("top: %d records written, model %d" % (len(out), len(exp)))
    # Property checks on the output alone.
    prev = None
    for n, rec in out:
        vid, jid = rec.get("id"), rec.get("job_id")
        j = byid.get(jid)
        if j is None:
            rep.err("line %d: unknown job_id %r" % (n, jid))
            continue
        r = rec.get("rank")
        if prev is not None and (prev[2] != vid or r == 1):
            prev = None
        if prev is None:
            if r != 1:
                rep.err("line %d: first rank %r" % (n, r))
        else:
            if r != prev[0] + 1:
                rep.err("line %d: rank %r after %r" % (n, r, prev[0]))
            if not isinstance(rec.get("score"), int) or rec["score"] > prev[1]:
                rep.err("line %d: score increases" % n)
        prev = (r, rec.get("score"), vid)
    # Ids may repeat (vet-gen makes a few duplicates at scale): a record is
    # right when one of the veterans with its id is matched and eligible.
    vbyid = {}
    for _, v in vets:
        vbyid.setdefault(v.get("id"), []).append(v)
    for n, rec in out:
        vs = vbyid.get(rec.get("id"), [])
        j = byid.get(rec.get("job_id"))
        if j is None:
            continue
        if not any(matched(v) for v in vs):
            rep.err("line %d: veteran not matched" % n)
            continue
        whys = [eligible(v, j, as_of) for v in vs if matched(v)]
        if None not in whys:
            rep.err("line %d: ineligible post %s (%s)" % (n, j["job_id"], whys[0]))
    # Exact comparison with the model.
    for i, ((n, rec), (v, j, r, sc)) in enumerate(zip(out, exp)):
        where = "line %d" % n
        if rec.get("id") != v.get("id") or rec.get("job_id") != j["job_id"] \
                or rec.get("rank") != r:
            rep.err("%s: got (%s, %s, rank %r score %r), model (%s, %s, rank %d score %d)"
                    % (where, mask(rec.get("id")), rec.get("job_id"), rec.get("rank"),
                       rec.get("score"), mask(v.get("id")), j["job_id"], r, sc))
            continue
        check_common(rep, rec, v, j, sc, score(v, j)[1], where)
        if "priority" in rec:
            pass
    return "top %d: %d veterans, %d matched, %d posts, %d records" % (
        k, len(vets), nmatched, len(jobs), len(out))


def mask(s):
    if isinstance(s, str) and len(s) == 18:
        return s[:6] + "********" + s[14:]
    return s


def check_allocate(rep, vets, jobs, byid, as_of, out):
    mv = [(i, v) for i, (_, v) in enumerate(vets) if matched(v)]

    def order(e):
        i, v = e
        a = v.get("assisted_since")
        cats = v.get("categories") or []
        return (priority_of(v), 0 if "hard_to_place" in cats else 1,
                0 if a is not None else 1, a or "", b(v.get("id", "")), i)

    room = {j["job_id"]: j.get("openings") for j in jobs}
    given = {}
    elig = {}
    for i, v in sorted(mv, key=order):
        rk = ranked(v, jobs, as_of)
        elig[i] = rk
        given[i] = None
        for sc, j in rk:
            if room[j["job_id"]] > 0:
                room[j["job_id"]] -= 1
                given[i] = (sc, j)
                break
    if len(out) != len(mv):
        rep.err("allocate: %d records written, model %d" % (len(out), len(mv)))
    # Properties of the output alone.
    used = {}
    holders = {}
    for (n, rec), (i, v) in zip(out, mv):
        if rec.get("id") != v.get("id"):
            rep.err("line %d: id %s, model %s (order)" % (n, mask(rec.get("id")),
                                                        mask(v.get("id"))))
            continue
        jid = rec.get("job_id")
        if jid is None:
            continue
        j = byid.get(jid)
        if j is None:
            rep.err("line %d: unknown job_id %r" % (n, jid))
            continue
        why = eligible(v, j, as_of)
        if why is not None:
            rep.err("line %d: ineligible post %s (%s)" % (n, jid, why))
        used[jid] = used.get(jid, 0) + 1
        holders.setdefault(jid, []).append(priority_of(v))
    for jid, u in used.items():
        if u > byid[jid]["openings"]:
            rep.err("post %s: %d veterans for %d openings" % (jid, u, byid[jid]["openings"]))
    for (n, rec), (i, v) in zip(out, mv):
        if rec.get("id") != v.get("id") or rec.get("job_id") is not None:
            continue
        p = priority_of(v)
        for sc, j in elig[i]:
            jid = j["job_id"]
            if used.get(jid, 0) < j["openings"]:
                rep.err("line %d: unplaced while eligible %s has room" % (n, jid))
                break
            if any(h > p for h in holders.get(jid, [])):
                rep.err("line %d: unplaced (priority %d) while a larger priority holds %s"
                        % (n, p, jid))
                break
    # Exact comparison with the model.
    placed = 0
    for (n, rec), (i, v) in zip(out, mv):
        if rec.get("id") != v.get("id"):
            continue
        where = "line %d" % n
        g = given[i]
        if rec.get("priority") != priority_of(v):
            rep.err("%s: priority %r, model %d" % (where, rec.get("priority"), priority_of(v)))
        if g is None:
            if rec.get("job_id") is not None:
                rep.err("%s: placed in %s, model unplaced" % (where, rec.get("job_id")))
                continue
            want = ("every eligible post was taken by veterans served before"
                    if elig[i] else "no eligible post open on %s" % as_of)
            if rec.get("why") != want:
                rep.err("%s: why %r, model %r" % (where, rec.get("why"), want))
            continue
        placed += 1
        sc, j = g
        if rec.get("job_id") != j["job_id"]:
            rep.err("%s: job %r, model %s (score %d)" % (where, rec.get("job_id"),
                                                         j["job_id"], sc))
            continue
        if "rank" in rec:
            rep.err("%s: rank in --allocate" % where)
        check_common(rep, rec, v, j, sc, score(v, j)[1], where)
    return "allocate: %d veterans, %d matched, %d placed, %d posts" % (
        len(vets), len(mv), placed, len(jobs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", required=True)
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--top", type=int)
    ap.add_argument("--allocate", action="store_true")
    ap.add_argument("--limit", type=int, default=20)
    ap.add_argument("veterans")
    ap.add_argument("output")
    a = ap.parse_args()
    vets = [(n, v) for n, v in read_jsonl(a.veterans)
            if isinstance(v, dict) and isinstance(v.get("categories"), list)]
    jobs = []
    byid = {}
    for _, j in read_jsonl(a.jobs):
        # Only well-formed posts enter the model; bad ones are vet-match's
        # rejects and are checked by the command-line cases.
        if not isinstance(j, dict) or not isinstance(j.get("job_id"), str):
            continue
        if j["job_id"] in byid:
            continue
        if j.get("post_type") is not None and j["post_type"] not in POST_TYPES:
            continue
        if j.get("min_education") is not None and j["min_education"] not in EDU_RANK:
            continue
        jobs.append(j)
        byid[j["job_id"]] = j
    out = read_jsonl(a.output)
    rep = Report(a.limit)
    if a.allocate:
        s = check_allocate(rep, vets, jobs, byid, a.as_of, out)
    else:
        s = check_top(rep, vets, jobs, byid, a.as_of, a.top or 5, out)
    return rep.done(s)


if __name__ == "__main__":
    sys.exit(main())
