#!/usr/bin/env python3
"""Compares vet-reconcile with the model in reconcile_model.py on generated
ledgers and extracts (bin/vet-gen plus random mutations).

usage: reconcile_check.py [--bin DIR] [--seeds A-B] [-n N] [-v]

For every seed: the diff and the ledger of a plain run and of an --apply
run, the exit status and the --stats totals; then a second --apply run on
the first one's output must change nothing.  Prints one line per seed that
differs and a summary; exits 1 when anything differed.
"""

import argparse
import collections
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reconcile_model as M  # noqa: E402

import yaml  # noqa: E402

# The authority fields and the contradictions are the policy's values
# (policy/beijing-2023.yaml), read here, not written again.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                       'policy', 'beijing-2023.yaml'), encoding='utf-8') as _f:
    _POLICY = yaml.safe_load(_f)
AUTH = {k: list(v) for k, v in _POLICY['authorities'].items()}
CONTRA = _POLICY['contradictions']
AS_OF = '2026-09-30'


def gen(bindir, kind, n, seed, pop):
    out = subprocess.run([os.path.join(bindir, 'vet-gen'), '--kind', kind,
                          '-n', str(n), '--seed', str(seed),
                          '--population', str(pop)],
                         check=True, capture_output=True)
    return out.stdout.decode().splitlines()


def escape_str(s, rnd):
    """The same string with some characters \\u-escaped."""
    out = []
    for ch in s:
        if ch < '\uffff' and rnd.random() < 0.3:
            out.append('\\u%04x' % ord(ch))
        else:
            out.append(json.dumps(ch, ensure_ascii=False)[1:-1])
    return '"' + ''.join(out) + '"'


def other_form(v, rnd):
    """Text of a value equal to v (tagged) in another form, or None."""
    k = M.kind(v)
    if k == 'num':
        t = v[1]
        if 'e' in t or 'E' in t or '.' in t:
            return None
        return rnd.choice([t + '.0', t + 'e0', t + '.000', t + 'E+0'])
    if k == 'str':
        return escape_str(v, rnd)
    if k == 'obj':
        pairs = list(v[1])
        rnd.shuffle(pairs)
        return M.dump(('obj', pairs))
    return None


def typo(rid, rnd):
    """A mistyped id and what kind of mistake it is."""
    k = rnd.random()
    if k < 0.4:
        i = rnd.randrange(len(rid))
        c = rnd.choice([d for d in '0123456789X' if d != rid[i]])
        return rid[:i] + c + rid[i + 1:]
    if k < 0.8:
        for _ in range(10):
            i = rnd.randrange(len(rid) - 1)
            if rid[i] != rid[i + 1]:
                return rid[:i] + rid[i + 1] + rid[i] + rid[i + 2:]
        return rid[:-1] + ('0' if rid[-1] != '0' else '1')
    if rid[6:8] == '19':
        return rid[:6] + rid[8:17]      # the 15-digit form
    return rid[:3] + rid[4] + rid[3] + rid[5:]


def set_field(rec, key, val):
    pairs = rec[1]
    for i, (k, _) in enumerate(pairs):
        if k == key:
            pairs[i] = (k, val)
            return
    pairs.append((key, val))


def del_field(rec, key):
    rec[1][:] = [(k, v) for k, v in rec[1] if k != key]


FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in '0123456789X'}


def id_variant(rid, rnd):
    """The same id as a station types it: a lower-case x, full-width
    digits, spaces between its groups (SPEC: normalised before the join)."""
    k = rnd.random()
    if k < 0.3 and rid.endswith('X'):
        return rid[:-1] + 'x'
    if k < 0.6:
        return ''.join(FULLWIDTH.get(c, c) if rnd.random() < 0.5 else c
                       for c in rid)
    if k < 0.8 and len(rid) == 18:
        return '%s %s %s %s' % (rid[:6], rid[6:10], rid[10:14], rid[14:])
    return ' ' + rid + '\u3000'


def mutate(ledger, extract, rnd):
    """Random mutations of the generated lines: returns new line lists."""
    L = [M.parse(x) for x in ledger]
    X = [M.parse(x) for x in extract]
    byid = {M.first_get(r, 'id'): r for r in L}
    xout = []
    for x in X:
        xid = M.first_get(x, 'id')
        lrec = byid.get(xid)
        r = rnd.random()
        if r < 0.06:
            continue                    # only in the ledger
        if rnd.random() < 0.08:
            set_field(x, 'id', id_variant(xid, rnd))
        if r < 0.16:
            t = typo(xid, rnd)
            set_field(x, 'id', t)
            if rnd.random() < 0.2:
                set_field(x, 'name', '某' + M.first_get(x, 'name', ''))
            if rnd.random() < 0.3:
                del_field(x, 'birth_date')
            if rnd.random() < 0.15:     # both the right id and the typo
                y = M.parse(M.dump(x))
                set_field(y, 'id', xid)
                xout.append(M.dump(y))
        for f in AUTH['hr'] + ['employment_status']:
            q = rnd.random()
            if q < 0.08:
                v = M.first_get(x, f)
                if isinstance(v, bool):
                    set_field(x, f, not v)
                elif isinstance(v, str):
                    set_field(x, f, '2026-0%d-1%d' % (rnd.randrange(1, 10),
                                                      rnd.randrange(10)))
                else:
                    set_field(x, f, rnd.choice([True, False]))
            elif q < 0.11:
                set_field(x, f, None)
            elif q < 0.14:
                del_field(x, f)
            elif q < 0.17 and f == 'employment_status':
                set_field(x, f, rnd.choice(['employed', 'unemployed',
                                            'flexible']))
        line = M.dump(x)
        # Non-authority fields copied from the ledger, in the same or
        # another form, or changed.
        extra = []
        if lrec is not None and rnd.random() < 0.5:
            for k, v in lrec[1]:
                if k in ('id', 'name', 'birth_date') or rnd.random() > 0.3:
                    continue
                q = rnd.random()
                if q < 0.5:
                    t = other_form(v, rnd)
                    extra.append((k, t if t is not None else M.dump(v)))
                elif q < 0.6 and M.kind(v) == 'arr' and len(v) > 1:
                    extra.append((k, M.dump(list(reversed(v)))))
                elif q < 0.7 and M.kind(v) == 'num':
                    extra.append((k, rnd.choice([
                        '"%s"' % v[1], 'true',
                        str(int(float(v[1])) + 1)])))
                elif q < 0.8:
                    extra.append((k, 'null'))
                else:
                    extra.append((k, M.dump(v)))
        if extra:
            line = line[:-1] + ''.join(
                ',' + json.dumps(k, ensure_ascii=False) + ':' + t
                for k, t in extra) + '}'
        xout.append(line)
        if rnd.random() < 0.02:
            xout.append(line)           # duplicate
    # Ledger mutations.
    lout = []
    for rec in L:
        q = rnd.random()
        if q < 0.08:
            del_field(rec, 'birth_date')
        elif q < 0.12:
            set_field(rec, 'unemployment_registered', None)
        elif q < 0.16:
            set_field(rec, 'reconciled', rnd.choice([
                [], None,
                [('obj', [('field', 'x'), ('old', None), ('new', True),
                          ('source', 'hr'), ('date', '2025-01-01')])]]))
        if rnd.random() < 0.03:
            set_field(rec, 'id', id_variant(M.first_get(rec, 'id'), rnd))
        if rnd.random() < 0.05:
            set_field(rec, 'extra', ('obj', [('a', ('num', '1')),
                                             ('b', [('num', '2')])]))
        if rnd.random() < 0.02:
            set_field(rec, 'big', ('num', '9007199254740993'))
        line = M.dump(rec)
        if rnd.random() < 0.03:
            line += '\r'
        lout.append(line)
        if rnd.random() < 0.02:
            lout.append(line)
    # Extra records whose id equals another's field values, big numbers.
    for rec in L:
        if rnd.random() < 0.01:
            x = ('obj', [('id', M.first_get(rec, 'id')),
                         ('extra', ('obj', [('b', [('num', '2.0')]),
                                            ('a', ('num', '1e0'))])),
                         ('big', ('num', '9007199254740992'))])
            xout.append(M.dump(x))
    edges(lout, xout, rnd)
    rnd.shuffle(xout)
    bad = ['not json', '{"name":"无身份证号"}', '{"id":5}', '{"id":""}',
           '[1,2]', '{"id":"1101', '"x"', '{"id":null}']
    for _ in range(rnd.randrange(3)):
        lout.insert(rnd.randrange(len(lout) + 1), rnd.choice(bad))
    for _ in range(rnd.randrange(3)):
        xout.insert(rnd.randrange(len(xout) + 1), rnd.choice(bad))
    if rnd.random() < 0.3:
        lout.insert(rnd.randrange(len(lout) + 1), '')
    if rnd.random() < 0.3:
        xout.insert(rnd.randrange(len(xout) + 1), rnd.choice(['', ' \r']))
    if rnd.random() < 0.1:
        lout.insert(rnd.randrange(len(lout) + 1),
                    '{"id":"110105199001011232","reconciled":"x"}')
    return lout, xout


# Pairs of JSON texts for one field: (ledger, extract).
VALUE_EDGES = [
    ('1', '1.0'), ('100', '1E2'), ('-0', '0'), ('0.5', '5e-1'),
    ('0.1', '0.10000000000000001'), ('1e400', '1e401'), ('1e400', '10e399'),
    ('12345678901234567890', '12345678901234567891'),
    ('9007199254740993', '9007199254740992'), ('2', '2.0000000000000001'),
    ('"a/b"', '"a\\/b"'), ('"\\u00e9"', '"é"'), ('"é"', '"e\\u0301"'),
    ('"\\ud83d\\ude00"', '"😀"'), ('{}', '{}'), ('[]', '[]'), ('[]', '{}'),
    ('[{"a":1,"b":2}]', '[{"b":2,"a":1}]'), ('[1,2]', '[2,1]'),
    ('{"a":{"x":1,"y":[1,2]},"b":null}', '{"b":null,"a":{"y":[1,2],"x":1.0}}'),
    ('{"a":1}', '{"a":1,"b":2}'), ('{"a":1,"b":2}', '{"a":1,"c":2}'),
    ('true', '1'), ('"1"', '1'), ('false', '0'), ('null', 'false'),
    ('""', 'null'), ('"x"', '"x "'), ('[null]', '[]'), ('{"a":null}', '{}'),
]

ID_SEQ = [0]


def fresh_id():
    ID_SEQ[0] += 1
    s = '99010219800101%03d' % (ID_SEQ[0] % 1000)
    return s + M.check_char(s)


def edges(lout, xout, rnd):
    """Hand-made records for the corners of SPEC's wording."""
    for _ in range(rnd.randrange(4, 12)):
        lv, xv = rnd.choice(VALUE_EDGES)
        if rnd.random() < 0.5:
            lv, xv = xv, lv
        f = rnd.choice(['note', 'social_insurance_paid', 'training_hours',
                        'employment_status'])
        i = fresh_id()
        lout.append('{"id":"%s","name":"甲","district":"朝阳区","%s":%s}'
                    % (i, f, lv))
        xout.append('{"id":"%s","%s":%s}' % (i, f, xv))
    # A valid id ending in X (area 110105: it normalises), typed in the
    # extract as a station types it; the bureau registers unemployment for
    # someone the ledger calls employed (a contradiction through the join).
    for _ in range(2):
        ID_SEQ[0] += 1
        base = '11010519800101%03d' % (ID_SEQ[0] % 1000)
        vid = base + M.check_char(base)
        lout.append('{"id":"%s","name":"戊","district":"海淀区",'
                    '"employment_status":"%s"}' % (
                        vid, rnd.choice(['employed', 'flexible', 'unemployed'])))
        xout.append('{"id":"%s","unemployment_registered":true}'
                    % id_variant(vid, rnd).replace('\u3000', '\\u3000'))
    i = fresh_id()
    k = rnd.random()
    if k < 0.2:         # an escaped key on one side
        lout.append('{"id":"%s","dist\\u0072ict":"朝阳区",'
                    '"social_insurance_paid":false}' % i)
        xout.append('{"\\u0069d":"%s","social_\\u0069nsurance_paid":true}'
                    % i)
    elif k < 0.4:       # a key twice
        lout.append('{"id":"%s","social_insurance_paid":false,"x":1,'
                    '"social_insurance_paid":true}' % i)
        xout.append('{"id":"%s","social_insurance_paid":true,'
                    '"social_insurance_paid":false}' % i)
    elif k < 0.6:       # a full-width X typed in the extract
        j = i[:-1] + 'X'
        lout.append('{"id":"%s","name":"乙","birth_date":"1980-01-01"}' % j)
        xout.append('{"id":"%s","name":"乙","birth_date":"1980-01-01"}'
                    % (i[:-1] + 'Ｘ'))
    elif k < 0.7:       # birth dates left to the ids
        j = typo(i, rnd)
        lout.append('{"id":"%s","name":"丙"}' % i)
        xout.append('{"id":"%s","name":"丙","birth_date":null}' % j)
    elif k < 0.8:       # an empty name
        j = typo(i, rnd)
        lout.append('{"id":"%s","name":"","birth_date":"1980-01-01"}' % i)
        xout.append('{"id":"%s","name":"","birth_date":"1980-01-01"}' % j)
    elif k < 0.9:       # one extract id close to two ledger ids
        a, b = i[:-2] + '1' + i[-1], i[:-2] + '2' + i[-1]
        lout.append('{"id":"%s","name":"丁","birth_date":"1980-01-01"}' % a)
        lout.append('{"id":"%s","name":"丁","birth_date":"1980-01-01"}' % b)
        xout.append('{"id":"%s","name":"丁","birth_date":"1980-01-01"}' % i)
    else:               # a ledger id with an escape, pretty-printed
        lout.append('{ "id" : "%s\\u0030" , "reconciled" : [ ] ,'
                    ' "difficulty_certified" : false }' % i[:-1])
        xout.append('{"id":"%s0","difficulty_certified":true,'
                    '"difficulty_certified_date":"2026-01-02"}' % i[:-1])


def canon(v):
    """A hashable, order-insensitive text of a diff record."""
    if isinstance(v, dict):
        return '{' + ','.join('%s:%s' % (json.dumps(k), canon(v[k]))
                              for k in sorted(v)) + '}'
    return M.dump(v)


def c_diff_record(d):
    """A diff record of the C output as the model writes it."""
    r = {k: v for k, v in d[1]}
    if r.get('diff') == 'probable_match':
        ev = {k: v for k, v in r['evidence'][1]}
        r['evidence'] = {'name': ev.get('name'),
                         'birth_date': ev.get('birth_date'),
                         'id': ev.get('id')}
    return r


def run(bindir, ledger, extract, tmp, args):
    xp = os.path.join(tmp, 'x.jsonl')
    dp = os.path.join(tmp, 'diff.jsonl')
    with open(xp, 'w') as f:
        f.write(''.join(x + '\n' for x in extract))
    p = subprocess.run([os.path.join(bindir, 'vet-reconcile'), '--stats',
                        '--as-of', AS_OF, '--extract', xp, '--diff', dp] +
                       args, input=''.join(x + '\n' for x in ledger).encode(),
                       capture_output=True)
    with open(dp) as f:
        diff = f.read().splitlines()
    return p.returncode, p.stdout.decode().split('\n')[:-1], diff, \
        p.stderr.decode()


def compare(m, code, out, diff, err, what):
    probs = []
    if code != m['exit']:
        probs.append('%s: exit %d, model %d' % (what, code, m['exit']))
    if len(out) != len(m['out']):
        probs.append('%s: %d ledger lines, model %d' %
                     (what, len(out), len(m['out'])))
    for i, ((raw, rec), got) in enumerate(zip(m['out'], out)):
        if raw is not None and got != raw:
            probs.append('%s: ledger line %d changed: %r -> %r' %
                         (what, i + 1, raw[:200], got[:200]))
        elif rec is not None and M.parse(got) != rec:
            probs.append('%s: ledger line %d: %s, model %s' %
                         (what, i + 1, got[:300], M.dump(rec)[:300]))
    mc = collections.Counter(canon(d) for d in m['diffs'])
    cc = collections.Counter(canon(c_diff_record(M.parse(d))) for d in diff)
    for k in (cc - mc):
        probs.append('%s: only vet-reconcile: %s' % (what, k[:300]))
    for k in (mc - cc):
        probs.append('%s: only the model: %s' % (what, k[:300]))
    c = m['counts']
    want = ['vet-reconcile: extract: read %d, rejected %d, fields applied %d'
            % (m['extract_read'], m['extract_rejected'], m['applied']),
            'vet-reconcile: diff: only_in_ledger %d, only_in_extract %d, '
            'conflict %d, probable_match %d, duplicate %d, contradiction %d'
            % tuple(c.get(k, 0) for k in (
                'only_in_ledger', 'only_in_extract', 'conflict',
                'probable_match', 'duplicate', 'contradiction'))]
    for w in want:
        if w not in err:
            probs.append('%s: stats lack %r' % (what, w))
    last = [x for x in err.splitlines()
            if x.startswith('vet-reconcile: read ')]
    if last:
        nums = [int(t.strip(',')) for t in last[-1].split()[2::2]]
        if nums[0] != nums[1] + nums[2]:
            probs.append('%s: %s: read != written + rejected' %
                         (what, last[-1]))
        if nums[1] != len(m['out']) or nums[2] != m['rejected']:
            probs.append('%s: %s, model written %d rejected %d' %
                         (what, last[-1], len(m['out']), m['rejected']))
    return probs


def check_seed(bindir, seed, n, tmp):
    rnd = random.Random(seed)
    ledger = gen(bindir, 'veteran', n, seed, n)
    extract = gen(bindir, 'extract', n + n // 20, seed, n)
    ledger, extract = mutate(ledger, extract, rnd)
    source = rnd.choice(['hr', 'hr', 'market', 'tax'])
    probs = []
    m = M.reconcile(ledger, extract, AUTH, source, False, AS_OF, CONTRA)
    probs += compare(m, *run(bindir, ledger, extract, tmp,
                             ['--source', source]), 'plain')
    m = M.reconcile(ledger, extract, AUTH, source, True, AS_OF, CONTRA)
    code, out, diff, err = run(bindir, ledger, extract, tmp,
                               ['--apply', '--source', source])
    probs += compare(m, code, out, diff, err, 'apply')
    code2, out2, diff2, err2 = run(bindir, out, extract, tmp,
                                   ['--apply', '--source', source])
    if out2 != out:
        probs.append('apply twice: the second run changed %d lines' %
                     sum(1 for a, b in zip(out, out2) if a != b))
    m2 = M.reconcile(out, extract, AUTH, source, True, AS_OF, CONTRA)
    if m2['applied'] != 0:
        probs.append('apply twice: the model applies %d again' %
                     m2['applied'])
    probs += compare(m2, code2, out2, diff2, err2, 'apply2')
    stats = collections.Counter(d['diff'] for d in m['diffs'])
    stats['ledger'] = len(ledger)
    stats['extract'] = len(extract)
    stats['applied'] = m['applied']
    stats['rejected'] = m['rejected']
    return probs, stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', '..', 'bin'))
    ap.add_argument('--seeds', default='1-20')
    ap.add_argument('-n', type=int, default=500)
    ap.add_argument('-v', action='store_true')
    a = ap.parse_args()
    lo, hi = (int(x) for x in a.seeds.split('-'))
    total = collections.Counter()
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(lo, hi + 1):
            probs, stats = check_seed(a.bin, seed, a.n, tmp)
            total += stats
            if probs:
                bad += 1
                print('seed %d: %d problems' % (seed, len(probs)))
                for p in probs[:None if a.v else 5]:
                    print('  ' + p)
    print('seeds %d, differing %d; totals: %s' % (
        hi - lo + 1, bad, ', '.join('%s %d' % kv for kv in
                                   sorted(total.items()))))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
