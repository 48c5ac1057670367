#!/usr/bin/env python3
"""Compares bin/vet-audit with tests/model/audit_model.py on random input.

    compare.py [--trials N] [--seed S] [--bin DIR] [--keep DIR]

Each trial makes veterans (bin/vet-gen piped through bin/vet-classify at a
random day, plus hand-made records aimed at the edges of SPEC's table:
duty start months, absent and null fields, bad records) and an event log
(bin/vet-gen events plus contacts, consultations and job fairs aimed at
those veterans, some dated after --as-of, some bad), picks --as-of and a
period, and runs both.  Findings must be equal in order, keys and key
order; the detail only where SPEC fixes it.  Exit status must be equal.
Prints one line per mismatch (up to a limit) and a summary.
"""
import argparse
import datetime
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import audit_model as M  # noqa: E402

KEYS_V = ["check", "clause", "severity", "id", "district", "period", "detail"]
KEYS_D = ["check", "clause", "severity", "district", "period", "detail"]
CATS = ["exited", "out_of_scope", "employed", "flexible_employed",
        "self_employed", "registered_unemployed", "needs_registration",
        "employment_difficulty", "zero_employment_family",
        "difficulty_candidate", "hard_to_place", "training_incomplete",
        "exit_candidate"]
DISTS = M.DISTRICTS[:5] + ["北京经济技术开发区", "雄安新区", "Zone-B"]


def rdate(r, lo, hi):
    return lo + datetime.timedelta(days=r.randrange((hi - lo).days + 1))


def iso(d):
    return d.isoformat()


def month_start_near(r, d, spread=14):
    mi = M.month_of(d) + r.randint(-spread, spread)
    y, m = divmod(mi, 12)
    return y, m + 1


def random_day_in_month(r, y, m):
    last = M.month_last_day(M.month_index(y, m)).day
    return datetime.date(y, m, r.choice([1, 2, 15, 28, last, r.randint(1, last)]))


def make_id(r, n):
    """An id with its right check character (events with a wrong one are
    rejected since SPEC 2.3), but for one in twenty."""
    s17 = "1101051990%02d%02d%03d" % (r.randint(1, 12), r.randint(1, 28),
                                      n % 1000)
    c = "10X98765432"[sum(int(a) * b for a, b in zip(s17, M.ID_W)) % 11]
    if r.random() < 0.05:
        c = r.choice([x for x in "0123456789X" if x != c])
    return s17 + c


def hand_veterans(r, as_of, n, clean=False):
    out = []
    for k in range(n):
        v = {"id": make_id(r, k), "name": "测试%d" % k,
             "district": r.choice(DISTS)}
        if r.random() < 0.1:
            v["kind"] = "veteran"
        cats = [c for c in CATS if r.random() < 0.25]
        if r.random() < 0.5 and "hard_to_place" not in cats:
            cats.append("hard_to_place")
        if clean:
            cats = r.choice([[], ["employed"], ["out_of_scope"],
                             ["hard_to_place", "employment_difficulty"]])
        v["categories"] = cats
        x = r.random()
        if x < 0.8:
            # The duty start month near the audited months.
            y, m = month_start_near(r, as_of, 18)
            v["assisted_since"] = iso(random_day_in_month(r, y, m))
        elif x < 0.9:
            v["assisted_since"] = None
        for f in M.FILE_FIELDS + ["desired_industries"]:
            x = r.random()
            if x < 0.7 or clean:
                v[f] = {"education": "bachelor", "skills": [],
                        "household_working_age": 2, "household_employed": 0,
                        "employment_status": "unemployed",
                        "living_difficulty": False,
                        "desired_industries": []}[f]
            elif x < 0.85:
                v[f] = None
        x = r.random()
        if x < 0.5:
            v["employment_need"] = True
        elif x < 0.7:
            v["employment_need"] = False
        elif x < 0.8:
            v["employment_need"] = None
        elif x < 0.85:
            v["employment_need"] = "true"
        out.append(json.dumps(v, ensure_ascii=False))
    return out


def bad_veterans(r):
    return [
        '[1,2]',
        '{"id":"110105199001011234","district":"朝阳区"}',
        '{"id":110105,"district":"朝阳区","categories":[]}',
        '{"id":"110105199001011234","categories":["hard_to_place"]}',
        '{"kind":"job","id":"110105199001011234","district":"朝阳区","categories":[]}',
        '{"id":"110105199001011234","district":"延庆区","categories":["hard_to_place"],"assisted_since":"2026-02-30"}',
        '{"id":"110105199001011234","district":"朝阳区","categories":[],',
        '{"id":"","district":"朝阳区","categories":[]}',
        '{"id":"110105199001011234","district":"","categories":[]}',
        '{"id":"110105199001011234","district":"朝阳区","categories":[1]}',
        '{"id":"110105199001011234","district":"朝阳区","categories":null}',
    ][r.randrange(11):][:r.randint(0, 2)]


def odd_veterans(r):
    """Good records in unusual spellings: escapes, null kind, duplicate
    keys (the first counts), hard_to_place without assisted_since."""
    return r.sample([
        '{"id":"\\u0031\\u00310105199001011234","district":"\\u671d\\u9633\\u533a",'
        '"categories":["hard_to_place"],"assisted_since":"2025-08-31"}',
        '{"kind":null,"id":"110105199001011234","district":"朝阳区",'
        '"categories":["hard_to_place"],"assisted_since":null}',
        '{"id":"110105199001011234","district":"朝阳区","categories":[],'
        '"categories":["hard_to_place"]}',
        '{"id":"110105199001011234","district":"海淀区","district":"朝阳区",'
        '"categories":["hard_to_place"],"employment_need":true,'
        '"employment_need":false}',
    ], r.randint(0, 3))


def hand_events(r, as_of, vets, pyear, clean=False):
    ids, dists = [], set()
    for line in vets:
        try:
            v = json.loads(line)
        except ValueError:
            continue
        if isinstance(v, dict):
            if isinstance(v.get("id"), str):
                ids.append(v["id"])
            if isinstance(v.get("district"), str):
                dists.add(v["district"])
    dists |= set(r.sample(DISTS, 3))
    dists = sorted(dists)
    ev = []
    for i in ids:
        if clean:
            for k in range(-14, 2):
                y, m = divmod(M.month_of(as_of) + k, 12)
                ev.append({"type": "contact", "id": i, "date": iso(
                    random_day_in_month(r, y, m + 1))})
        for _ in range(r.randint(0, 8)):
            y, m = month_start_near(r, as_of, 10)
            ev.append({"type": "contact", "id": i,
                       "date": iso(random_day_in_month(r, y, m)),
                       "channel": "phone", "staff": "王"})
    for d in dists:
        for _ in range(r.randint(0, 4)):
            y, m = month_start_near(r, as_of, 12)
            e = {"type": "consultation", "district": d,
                 "date": iso(random_day_in_month(r, y, m)),
                 "departments": ["人社"]}
            x = r.random()
            if x < 0.3 and ids:
                e["ids"] = r.sample(ids, min(len(ids), r.randint(1, 4)))
            elif x < 0.4:
                e["ids"] = []
            elif x < 0.5:
                e["ids"] = None
            elif x < 0.6:
                e["ids"] = ["110105199001010000"]
            ev.append(e)
        for _ in range(r.choice([2, 3] if clean else [0, 0, 1, 1, 2, 3])):
            y = pyear if clean else r.choice([pyear, pyear, pyear - 1,
                                              pyear + 1])
            if clean and y == as_of.year:
                y = as_of.year - 1
                pyear = y
            e = {"type": "job_fair", "district": d,
                 "date": iso(random_day_in_month(r, y, r.randint(1, 12))),
                 "posts": 10, "attendees": 5}
            ev.append(e)
    # Events on and just after --as-of.
    for i in r.sample(ids, min(len(ids), 5)):
        ev.append({"type": "contact", "id": i,
                   "date": iso(as_of + datetime.timedelta(days=r.choice([0, 1])))})
    for d in r.sample(dists, min(len(dists), 3)):
        ev.append({"type": "job_fair", "district": d,
                   "date": iso(as_of + datetime.timedelta(days=r.choice([0, 1, 40])))})
        ev.append({"type": "consultation", "district": d,
                   "date": iso(as_of + datetime.timedelta(days=r.choice([0, 1])))})
    r.shuffle(ev)
    lines = [json.dumps(e, ensure_ascii=False) for e in ev]
    bad = [
        '{"type":"contact","date":"2026-01-05"}',
        '{"type":"job_fair","date":"2026-01-05"}',
        '{"type":"contact","id":"110105199001011234","date":"2026-13-05"}',
        '{"type":"party","id":"110105199001011234","date":"2026-01-05"}',
        '{"type":"consultation","district":"朝阳区","date":"2026-01-05","ids":"x"}',
        '{"type":"consultation","district":"朝阳区","date":"2026-01-05","ids":[1]}',
        '"contact"',
        '{"type":"contact","id":"","date":"2026-01-05"}',
        '{"type":"job_fair","district":"","date":"2026-01-05"}',
    ]
    for i in r.sample(ids, min(len(ids), 3)):
        # The same id, escaped; duplicate keys, the first counts.
        d = iso(rdate(r, as_of - datetime.timedelta(days=200), as_of))
        esc = "".join("\\u%04x" % ord(ch) if k % 3 == 0 else ch
                      for k, ch in enumerate(i))
        lines.append('{"type":"contact","id":"%s","date":"%s"}' % (esc, d))
        lines.append('{"type":"contact","id":"%s","date":"%s","date":"x"}'
                     % (i, d))
        lines.append('{"type":"consultation","district":"朝阳区","date":"%s",'
                     '"ids":null,"ids":["%s"]}' % (d, i))
    for b in r.sample(bad, 0 if clean else r.choice([0, 0, 0, 1, 2])):
        lines.insert(r.randrange(len(lines) + 1), b)
    return lines


def pick_period(r, as_of):
    x = r.random()
    y, m = month_start_near(r, as_of, 6)
    if x < 0.3:
        return [], None
    if x < 0.55:
        return ["--quarter", "%04dQ%d" % (y, (m - 1) // 3 + 1)], None
    if x < 0.8:
        return ["--month", "%04d-%02d" % (y, m)], None
    return ["--year", "%04d" % r.choice([as_of.year, as_of.year - 1,
                                         as_of.year + 1])], None


def check_detail(mf, cf):
    """The parts of a detail that SPEC fixes."""
    d = cf.get("detail")
    if not isinstance(d, str):
        return "detail not a string"
    if mf["check"] == "job_fairs":
        if not re.search(r"(?<!\d)%s(?!\d)" % mf["detail"], d):
            return "job_fairs detail lacks the count %s: %r" % (mf["detail"], d)
    if mf["check"] == "incomplete_file":
        want = set(mf["detail"].split())
        for f in M.FILE_FIELDS + ["desired_industries"]:
            has = re.search(r"(?<![a-z_])%s(?![a-z_])" % f, d) is not None
            if has != (f in want):
                return "incomplete_file detail %r, missing %s" % (d, sorted(want))
    return None


def run_trial(r, binr, tmp, trial, gen_n):
    as_of = rdate(r, datetime.date(2024, 1, 1), datetime.date(2027, 12, 31))
    if r.random() < 0.3:
        # Days at the edges of months, quarters and years.
        y, m = month_start_near(r, as_of, 3)
        mi = M.month_index(y, m)
        as_of = r.choice([M.month_last_day(mi),
                          M.month_last_day(mi) + datetime.timedelta(days=1)])
    popt, _ = pick_period(r, as_of)
    clean = r.random() < 0.15
    if clean:
        # Small, complete, well-served input: exit 0 must be possible.
        gen_n = 0
        popt = ["--year", "%04d" % (as_of.year - 1)]
    pyear = M.Period(as_of, *( [popt[1] if popt and popt[0] == k else None
                                for k in ("--quarter", "--month", "--year")]
                              )).year
    seed = r.randrange(1 << 30)
    classify_day = rdate(r, as_of - datetime.timedelta(days=400), as_of)
    gen = subprocess.run("true" if gen_n == 0 else
        "%s/vet-gen -n %d --seed %d --as-of %s | %s/vet-classify --as-of %s"
        % (binr, gen_n, seed, iso(classify_day), binr, iso(classify_day)),
        shell=True, capture_output=True, check=False)
    vets = gen.stdout.decode("utf-8").splitlines()
    vets += hand_veterans(r, as_of, r.randint(1, 3) if clean else
                          r.randint(5, 60), clean)
    r.shuffle(vets)
    for b in [] if clean else bad_veterans(r) + odd_veterans(r):
        vets.insert(r.randrange(len(vets) + 1), b)
    genev = subprocess.run(["true"] if gen_n == 0 else
        [binr + "/vet-gen", "--kind", "event", "-n", str(gen_n * 4),
         "--population", str(gen_n), "--seed", str(seed), "--as-of",
         iso(as_of)], capture_output=True, check=False)
    evs = genev.stdout.decode("utf-8").splitlines()
    evs += hand_events(r, as_of, vets, pyear, clean)
    vp = os.path.join(tmp, "v.jsonl")
    ep = os.path.join(tmp, "e.jsonl")
    with open(vp, "w") as fh:
        fh.write("".join(l + "\n" for l in vets))
    with open(ep, "w") as fh:
        fh.write("".join(l + "\n" for l in evs))
    args = ["--as-of", iso(as_of)] + popt + ["--events", ep, vp]
    c = subprocess.run([binr + "/vet-audit"] + args, capture_output=True)
    m = subprocess.run([sys.executable, os.path.join(HERE, "audit_model.py")]
                       + args, capture_output=True)
    problems = []
    if c.returncode != m.returncode:
        problems.append("exit %d, model %d" % (c.returncode, m.returncode))
    cl = c.stdout.decode("utf-8").splitlines()
    ml = m.stdout.decode("utf-8").splitlines()
    cf = [json.loads(l, object_pairs_hook=lambda p: p) for l in cl]
    mf = [json.loads(l) for l in ml]
    for i in range(max(len(cf), len(mf))):
        a = dict(cf[i]) if i < len(cf) else None
        b = mf[i] if i < len(mf) else None
        if a is None or b is None:
            problems.append("#%d only in %s: %s" % (
                i, "model" if a is None else "vet-audit",
                json.dumps(b if a is None else a, ensure_ascii=False)))
            continue
        keys = [k for k, _ in cf[i]]
        want = KEYS_V if "id" in b else KEYS_D
        if keys != want:
            problems.append("#%d keys %s" % (i, keys))
        ka = {k: a.get(k) for k in want if k != "detail"}
        kb = {k: b.get(k) for k in want if k != "detail"}
        if ka != kb:
            problems.append("#%d vet-audit %s, model %s" % (
                i, json.dumps(ka, ensure_ascii=False),
                json.dumps(kb, ensure_ascii=False)))
            continue
        e = check_detail(b, a)
        if e:
            problems.append("#%d %s" % (i, e))
    return args, len(vets), len(evs), len(mf), problems, c.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gen", type=int, default=200)
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", "bin"))
    ap.add_argument("--keep", help="copy a failing trial's input here")
    ap.add_argument("--max-show", type=int, default=5)
    o = ap.parse_args()
    r = random.Random(o.seed)
    bad = 0
    nv = ne = nf = 0
    kinds = {}
    exits = {}
    with tempfile.TemporaryDirectory() as tmp:
        for t in range(o.trials):
            args, v, e, f, problems, rc = run_trial(r, o.bin, tmp, t, o.gen)
            exits[rc] = exits.get(rc, 0) + 1
            nv += v
            ne += e
            nf += f
            k = args[2] if args[2].startswith("--") and args[2] != "--events" else "default"
            kinds[k] = kinds.get(k, 0) + 1
            if problems:
                bad += 1
                print("trial %d: vet-audit %s" % (t, " ".join(args)))
                for p in problems[:o.max_show]:
                    print("   ", p)
                if o.keep and bad == 1:
                    os.makedirs(o.keep, exist_ok=True)
                    for n in ("v.jsonl", "e.jsonl"):
                        with open(os.path.join(tmp, n), "rb") as s, \
                                open(os.path.join(o.keep, n), "wb") as d:
                            d.write(s.read())
    print("%d trials (%s), %d veteran lines, %d event lines, %d model "
          "findings, exits %s; %d trials differ" % (o.trials, ", ".join(
              "%s %d" % kv for kv in sorted(kinds.items())), nv, ne, nf,
              exits, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
