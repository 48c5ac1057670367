#!/usr/bin/env python3
"""match_fuzz.py - small adversarial inputs for vet-match, checked by
match_check.py: few districts, streets, skills and industries so that ties
are everywhere; dates on and beside --as-of; max_age on and beside the
age; absent fields; openings 0, 1 or absent; every post type; certificates
with ASCII and full-width parentheses; priorities absent or given.

    match_fuzz.py [--bin DIR] [--seeds N] [--first S] [--vets N] [--jobs N]

Runs vet-match --top K and --allocate on each seed's data (and with the
posts reversed), and exits 1 at the first seed the model disagrees with,
leaving its files in the working directory as fuzz-vets.jsonl and
fuzz-jobs.jsonl.  Python 3 standard library only.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
AS_OF = "2026-09-30"
EDU = ["primary", "junior_high", "senior_high", "secondary_vocational",
       "junior_college", "bachelor", "master", "doctor"]
DISTRICTS = ["朝阳区", "海淀区", "丰台区"]
STREETS = ["三里屯街道", "清河街道", "呼家楼街道"]
SKILLS = ["驾驶", "电工", "安保", "焊工(氩弧焊)", "电工(四级)"]
INDUSTRIES = ["物流配送", "制造业", "社区服务"]
CATS = ["registered_unemployed", "needs_registration", "employment_difficulty",
        "zero_employment_family", "difficulty_candidate", "hard_to_place",
        "training_incomplete", "exit_candidate"]
DATES = ["2026-09-29", "2026-09-30", "2026-10-01", "2026-01-01", "2027-01-01"]


def maybe(r, p, v):
    return v if r.random() < p else None


def put(d, k, v):
    if v is not None:
        d[k] = v
    elif random.random() < 0.1:
        d[k] = None


def gen_vet(r, i):
    v = {}
    # Ids share prefixes and differ in length now and then (byte order).
    v["id"] = "11010519900101%04d" % i + ("" if r.random() < 0.9 else "X")
    v["name"] = "v%d" % i
    put(v, "district", maybe(r, 0.9, r.choice(DISTRICTS)))
    put(v, "street", maybe(r, 0.7, r.choice(STREETS)))
    put(v, "desired_district", maybe(r, 0.4, r.choice(DISTRICTS)))
    put(v, "education", maybe(r, 0.85, r.choice(EDU)))
    put(v, "age", maybe(r, 0.9, r.choice([30, 39, 40, 41, 45, 55])))
    put(v, "skills", maybe(r, 0.7, r.sample(SKILLS[:3], r.randrange(0, 3))))
    certs = []
    for _ in range(r.randrange(0, 3)):
        s = r.choice(SKILLS)
        certs.append(r.choice([s, s + "(四级)", s + "（三级）", s + "证", "(" + s + ")"]))
    put(v, "certificates", maybe(r, 0.6, certs))
    put(v, "desired_industries", maybe(r, 0.6, r.sample(INDUSTRIES, r.randrange(0, 3))))
    put(v, "desired_salary", maybe(r, 0.7, r.choice([0, 5000, 6000, 7000, 7500, 8750.5])))
    put(v, "assisted_since", maybe(r, 0.5, r.choice(["2025-01-01", "2025-06-01", "2026-01-01"])))
    v["employment_need"] = r.random() < 0.9
    v["employment_status"] = "unemployed" if r.random() < 0.9 else "employed"
    cats = sorted(set(r.sample(CATS, r.randrange(0, 3))), key=CATS.index)
    if r.random() < 0.05:
        cats.insert(0, "out_of_scope")
    if r.random() < 0.03:
        cats.insert(0, "exited")
    v["categories"] = cats
    if r.random() < 0.6:
        p = [{"hard_to_place": 1, "employment_difficulty": 2,
              "zero_employment_family": 3, "difficulty_candidate": 3,
              "registered_unemployed": 4, "needs_registration": 4}.get(c, 9) for c in cats]
        p = [x for x in p if x <= 4]
        v["priority"] = min(p) if p else 5
        if r.random() < 0.1:
            v["priority"] = r.choice([0, 1, 9, 12])
    return v


def gen_job(r, i):
    j = {"job_id": "J%d" % r.randrange(0, 10 ** r.randrange(1, 4)) + "x" * (i % 2) + "-%d" % i}
    j["title"] = "t%d" % i
    put(j, "employer", maybe(r, 0.5, "e%d" % i))
    put(j, "district", maybe(r, 0.9, r.choice(DISTRICTS)))
    put(j, "street", maybe(r, 0.7, r.choice(STREETS)))
    put(j, "industry", maybe(r, 0.8, r.choice(INDUSTRIES)))
    put(j, "openings", maybe(r, 0.9, r.choice([0, 1, 1, 2, 3])))
    put(j, "min_education", maybe(r, 0.6, r.choice(EDU)))
    put(j, "max_age", maybe(r, 0.5, r.choice([39, 40, 41, 55])))
    put(j, "required_skills", maybe(r, 0.8, r.sample(SKILLS, r.randrange(0, 3))))
    put(j, "salary", maybe(r, 0.85, r.choice([0, 4000, 5600, 6000, 7000, 7000.25, 8000])))
    put(j, "posted_date", maybe(r, 0.8, r.choice(DATES)))
    put(j, "expires_date", maybe(r, 0.8, r.choice(DATES)))
    put(j, "post_type", maybe(r, 0.8, r.choice(["market", "dedicated", "directed",
                                                  "public_welfare"])))
    return j


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.stderr.write("exit %d: %s\n%s" % (p.returncode, " ".join(cmd),
                                              p.stderr.decode()))
    return p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", "bin"))
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--vets", type=int, default=60)
    ap.add_argument("--jobs", type=int, default=40)
    a = ap.parse_args()
    vm = os.path.join(a.bin, "vet-match")
    check = os.path.join(HERE, "match_check.py")
    tmp = tempfile.mkdtemp(prefix="match-fuzz-")
    fv, fj, fr = (os.path.join(tmp, n) for n in ("v.jsonl", "j.jsonl", "jr.jsonl"))
    fo = os.path.join(tmp, "out")
    for seed in range(a.first, a.first + a.seeds):
        r = random.Random(seed)
        random.seed(seed)
        vets = [gen_vet(r, i) for i in range(r.randrange(1, a.vets + 1))]
        # The same record twice now and then (served in input order).
        for i in range(1, len(vets)):
            if r.random() < 0.05:
                vets[i] = dict(vets[r.randrange(0, i)])
        jobs = [gen_job(r, i) for i in range(r.randrange(1, a.jobs + 1))]
        # Some lines with every non-ASCII character \u-escaped.
        asc = r.random() < 0.2
        with open(fv, "w") as f:
            for v in vets:
                f.write(json.dumps(v, ensure_ascii=asc) + "\n")
        with open(fj, "w") as f:
            for j in jobs:
                f.write(json.dumps(j, ensure_ascii=asc) + "\n")
        with open(fr, "w") as f:
            for j in reversed(jobs):
                f.write(json.dumps(j, ensure_ascii=asc) + "\n")
        k = r.choice([1, 2, 3, 5, 50])
        bad = False
        for mode in (["--top", str(k)], ["--allocate"]):
            outs = []
            for jf in (fj, fr):
                out = run([vm, "--jobs", jf, "--as-of", AS_OF] + mode + [fv])
                outs.append(out)
            with open(fo, "wb") as f:
                f.write(outs[0])
            c = subprocess.run([sys.executable, check, "--jobs", fj, "--as-of", AS_OF,
                                "--limit", "5"] + mode + [fv, fo],
                               stdout=subprocess.PIPE)
            if c.returncode != 0:
                sys.stdout.write(c.stdout.decode())
                bad = True
            if outs[0] != outs[1]:
                print("seed %d %s: output depends on the order of the posts" % (seed, mode[0]))
                bad = True
        if bad:
            for src, dst in ((fv, "fuzz-vets.jsonl"), (fj, "fuzz-jobs.jsonl")):
                with open(src, "rb") as s, open(dst, "wb") as d:
                    d.write(s.read())
            print("seed %d: discrepancy (k %d); inputs kept in fuzz-*.jsonl" % (seed, k))
            return 1
    print("match_fuzz: %d seeds ok" % a.seeds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
