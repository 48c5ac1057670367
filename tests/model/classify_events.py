#!/usr/bin/env python3
"""An independent model of SPEC 2.3 (time, dated facts and the event log)
for vet-classify --events, checked against the binary on random logs.

Written from SPEC 2.3's text and table, not from lib/classify.c or
lib/event_index.c.  Python 3 standard library only.  For each trial it
makes random veterans and a random event log around an as-of date (events
before and after it, on the same day as it, ties of exit and reentry on
one day, referrals with and without a valid reason, events of ids that
are not in the input, events written with grouped ids), runs

    vet-classify --as-of D --events EVENTS --stats

and compares, per record: the seven fields the log is the authority for
(value, or absence), every other input field byte for byte and in order,
the set of `fact:` reason codes (one per changed fact), the `dated:`
codes (a fact not yet true on D), and whether the record is classified
`exited` (the one category SPEC 2.3 decides alone: exited as it stood on
D).  It also compares the --stats counts of events used and unmatched.

    python3 tests/model/classify_events.py --trials 200 --seed 1

Where SPEC leaves a choice it follows man/vet-classify.1: an exit and a
reentry on the same day are ordered by their lines (the later wins); a
reentry moves assisted_since when the record has none on D, or an
earlier one.
"""
import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
FACT_FIELDS = ["training_hours", "refusals", "exited", "exit_date",
               "exit_reason", "assisted_since", "last_contact_date"]


def make_id(rng):
    born = datetime.date(1960, 1, 1) + datetime.timedelta(
        days=rng.randrange(16000))
    s17 = "110105" + born.strftime("%Y%m%d") + "%03d" % rng.randrange(1000)
    return s17 + CHECK[sum(int(a) * b for a, b in zip(s17, W)) % 11]


def day(d):
    return d.isoformat()


def veteran(rng, vid, asof):
    r = {"id": vid, "name": "测试", "district": "朝阳区",
         "employment_status": rng.choice(["employed", "unemployed"]),
         "employment_need": True}

    def some_date():
        return day(asof + datetime.timedelta(days=rng.randrange(-400, 60)))
    if rng.random() < 0.5:
        r["training_hours"] = rng.choice([0, 40, 79, 80, 96, 12.5])
    if rng.random() < 0.4:
        r["refusals"] = rng.randrange(5)
    if rng.random() < 0.3:
        r["exited"] = True
        r["exit_date"] = some_date()
        if rng.random() < 0.5:
            r["exit_reason"] = "迁出"
    elif rng.random() < 0.2:
        r["exited"] = False
    if rng.random() < 0.6:
        r["assisted_since"] = some_date()
    if rng.random() < 0.5:
        r["last_contact_date"] = some_date()
    if rng.random() < 0.4:
        r["unemployment_registered"] = rng.random() < 0.8
        if rng.random() < 0.7:
            r["unemployment_registered_date"] = some_date()
    if rng.random() < 0.3:
        r["difficulty_certified"] = True
        r["difficulty_certified_date"] = some_date()
    keys = list(r)
    rest = keys[4:]
    rng.shuffle(rest)
    return {k: r[k] for k in keys[:4] + rest}


def grouped(vid):
    return vid[:6] + " " + vid[6:14] + " " + vid[14:]


def event_log(rng, ids, strangers, asof):
    out = []
    for _ in range(rng.randrange(0, 6 * len(ids) + 1)):
        vid = rng.choice(ids + strangers)
        d = asof + datetime.timedelta(days=rng.randrange(-300, 20))
        if rng.random() < 0.1:
            d = asof
        t = rng.choice(["training", "training", "referral", "referral",
                        "exit", "reentry", "contact", "contact"])
        e = {"type": t, "id": grouped(vid) if rng.random() < 0.1 else vid,
             "date": day(d)}
        if t == "training":
            e["hours"] = rng.choice([8, 16, 24, 40, 2.5])
            e["course"] = rng.choice(["adaptive", "adaptive", "vocational"])
        elif t == "referral":
            e["job_id"] = "J%d" % rng.randrange(100)
            e["outcome"] = rng.choice(["refused", "refused", "hired",
                                       "pending", "declined_by_employer"])
            if rng.random() < 0.6:
                e["valid_reason"] = rng.random() < 0.3
        elif t in ("exit", "reentry") and rng.random() < 0.7:
            e["reason"] = rng.choice(["迁出", "返京", "拒绝服务"])
        elif t == "contact":
            e["channel"] = "phone"
        out.append(e)
        if t in ("exit", "reentry") and rng.random() < 0.2:
            # The other one on the same day: the line order decides.
            o = dict(e, type="reentry" if t == "exit" else "exit")
            out.append(o)
    if rng.random() < 0.5:
        out.append({"type": "job_fair", "district": "朝阳区",
                    "date": day(asof), "posts": 1, "attendees": 2})
    return out


def norm(i):
    return i.replace(" ", "")


def model(vets, events, asof):
    """SPEC 2.3 for each veteran: the expected facts, fact and dated codes,
    exited; and the --stats used / unmatched counts."""
    a = day(asof)
    byid = {}
    for line, e in enumerate(events):
        byid.setdefault(norm(e["id"]) if "id" in e else None, []).append(
            (line, e))
    vet_ids = {v["id"] for v in vets}
    expect = []
    for v in vets:
        evs = [e for _, e in byid.get(v["id"], []) if e["date"] <= a]
        facts = {}
        changed = set()
        # Dated facts: the record as it stood on D.
        seen = dict(v)
        dated = set()
        for fact, date in (("unemployment_registered",
                            "unemployment_registered_date"),
                           ("difficulty_certified",
                            "difficulty_certified_date"),
                           ("exited", "exit_date"),
                           ("assisted_since", "assisted_since")):
            if v.get(date) is not None and v[date] > a and \
                    v.get(fact) not in (None, False):
                dated.add(fact)
                if fact == "assisted_since":
                    del seen[fact]
                else:
                    seen[fact] = False
        ad = [e for e in evs if e["type"] == "training" and
              e["course"] == "adaptive"]
        if ad:
            facts["training_hours"] = sum(e["hours"] for e in ad)
            if v.get("training_hours") != facts["training_hours"]:
                changed.add("training_hours")
        re_ = [e["date"] for e in evs if e["type"] == "reentry"]
        latest_re = max(re_) if re_ else None
        refs = [e for e in evs if e["type"] == "referral"]
        if refs:
            facts["refusals"] = sum(
                1 for e in refs if e["outcome"] == "refused" and
                e.get("valid_reason") is not True and
                (latest_re is None or e["date"] > latest_re))
            if v.get("refusals") != facts["refusals"]:
                changed.add("refusals")
        st = [e for e in evs if e["type"] in ("exit", "reentry")]
        if st:
            # The latest by date; the log's order breaks ties.
            last = max(enumerate(st), key=lambda p: (p[1]["date"], p[0]))[1]
            if last["type"] == "exit":
                facts["exited"] = True
                facts["exit_date"] = last["date"]
                facts["exit_reason"] = last.get("reason")
            else:
                facts["exited"] = False
                facts["exit_date"] = None
                facts["exit_reason"] = None
            if any(v.get(k) != facts[k] for k in
                   ("exit_date", "exit_reason")) or \
                    v.get("exited") is not facts["exited"]:
                changed.add("exited")
            dated.discard("exited")
        if latest_re is not None:
            s = seen.get("assisted_since")
            if s is not None and latest_re > s:
                facts["assisted_since"] = latest_re
                if v.get("assisted_since") != latest_re:
                    changed.add("assisted_since")
        ct = [e["date"] for e in evs if e["type"] == "contact"]
        if ct:
            facts["last_contact_date"] = max(ct)
            if v.get("last_contact_date") != facts["last_contact_date"]:
                changed.add("last_contact_date")
        fields = {}
        for k in FACT_FIELDS:
            group = "exited" if k in ("exit_date", "exit_reason") else k
            if group in changed:
                fields[k] = facts.get(k)
            else:
                fields[k] = v.get(k)
        exited = facts["exited"] if "exited" in facts else \
            seen.get("exited") is True
        expect.append({"fields": fields,
                       "fact": {"fact:" + k for k in changed},
                       "dated": {"dated:" + k for k in dated},
                       "exited": exited})
    used = unmatched = 0
    feeds = ("training", "referral", "exit", "reentry", "contact")
    for i, evs in byid.items():
        if i is None:
            continue
        if i not in vet_ids:
            unmatched += len(evs)
            continue
        for _, e in evs:
            if e["date"] > a or e["type"] not in feeds:
                continue
            if e["type"] == "training" and e["course"] != "adaptive":
                continue
            used += 1
    return expect, used, unmatched


def run(binary, vets, events, asof, tmp):
    ep = os.path.join(tmp, "events.jsonl")
    with open(ep, "w", encoding="utf-8") as f:
        for e in events:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    inp = "".join(json.dumps(v, ensure_ascii=False) + "\n" for v in vets)
    p = subprocess.run([binary, "--as-of", day(asof), "--events", ep,
                        "--stats"], input=inp.encode(), capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default="bin/vet-classify")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    nrec = nev = bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for trial in range(args.trials):
            asof = datetime.date(2026, 1, 1) + datetime.timedelta(
                days=rng.randrange(365))
            ids = list({make_id(rng) for _ in range(rng.randrange(1, 12))})
            strangers = [make_id(rng) for _ in range(2)]
            vets = [veteran(rng, i, asof) for i in ids]
            events = event_log(rng, ids, strangers, asof)
            rc, out, err = run(args.bin, vets, events, asof, tmp)
            nrec += len(vets)
            nev += len(events)
            expect, used, unmatched = model(vets, events, asof)
            lines = out.splitlines()
            probs = []
            if rc != 0:
                probs.append("exit %d: %s" % (rc, err.strip()))
            if len(lines) != len(vets):
                probs.append("%d lines for %d veterans" % (len(lines),
                                                           len(vets)))
            for v, ex, line in zip(vets, expect, lines):
                got = json.loads(line)
                for k in FACT_FIELDS:
                    if got.get(k) != ex["fields"][k]:
                        probs.append("%s: %s %r, model %r" % (
                            v["id"][-4:], k, got.get(k), ex["fields"][k]))
                rest = [k for k in v if k not in FACT_FIELDS]
                grest = [k for k in got if k in v and k not in FACT_FIELDS]
                if rest != grest or any(got[k] != v[k] for k in rest):
                    probs.append("%s: other fields changed" % v["id"][-4:])
                codes = {r["code"] for r in got["reasons"]}
                for kind in ("fact", "dated"):
                    gc = {c for c in codes if c.startswith(kind + ":")}
                    if gc != ex[kind]:
                        probs.append("%s: %s codes %s, model %s" % (
                            v["id"][-4:], kind, sorted(gc),
                            sorted(ex[kind])))
                if ("exited" in got["categories"]) != ex["exited"]:
                    probs.append("%s: categories %s, model exited %s" % (
                        v["id"][-4:], got["categories"], ex["exited"]))
            want = "events: read %d, used %d, unmatched %d, rejected 0" % (
                len(events), used, unmatched)
            if want not in err:
                probs.append("stats: want '%s' in %r" % (want, err))
            if probs:
                bad += 1
                print("trial %d (as of %s):" % (trial, asof))
                for p in probs[:10]:
                    print("  " + p)
    print("%d trials, %d records and %d events compared, %d trials differ"
          % (args.trials, nrec, nev, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
