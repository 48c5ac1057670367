#!/usr/bin/env python3
"""An independent model of the default vet-reconcile (SPEC 3, "vet-reconcile"
and "The default reconcile, exactly"), written from SPEC's text, not from
the C code.  Python 3 standard library only.

Decisions taken where SPEC leaves room (also in vet-reconcile(1)):

- "JSON values differ" is JSON's data model, not its text: strings compare
  after decoding escapes; numbers compare by exact decimal value (1, 1.0 and
  1e0 are one number; 9007199254740993 and 9007199254740992 are two);
  true/false/null are not numbers; arrays compare element by element in
  order; objects compare as unordered sets of members (RFC 8259 4).
- null is unknown, the same as absent (SPEC 2): a field that is null on
  either side is not "present on both sides", so it is never in conflict,
  and --apply fills a null ledger field like an absent one (old null).  An
  extract value that is null is never applied.
- A record's repeated key counts at its first occurrence.
- probable_match needs a non-empty string name on both sides; a
  birth_date that is absent (or null) is read from the id (SPEC 2.1: digits
  7-14 of an 18-character id, or "19" + digits 7-12 of a 15-digit one) when
  that is a real date from 1800 on.  Ids differ "by one character" when they
  have the same number of characters (code points) and exactly one differs.
- A line is rejected when it is not a JSON object with a non-empty string
  id; a rejected extract line takes no part.
- Ids are joined in the normal form vet-intake writes (SPEC "The default
  reconcile, exactly", vet-reconcile(1)): spaces out, full-width digits and
  letters folded, a lower-case x upper-cased, a 15-digit legacy number
  upgraded; an id that does not normalise (a GB/T 2260 province code, then
  17 digits and the right check character or 15 digits, with a real birth
  date) is joined as typed.  The
  diff records name the joined (normal) id.
- contradiction: for each joined pair and each entry of the policy's
  contradictions, when the ledger's field has one of its values and the
  extract's field one of its own (JSON equality; null or absent never
  does), whatever the --source; computed on the ledger as read, so --apply
  (which may change an authority field) does not hide one.
"""

import datetime
import decimal
import json

# Values are parsed into tagged trees that keep their form, so that the
# model can check that what it passes through is unchanged:
#   ('obj', [(key, value), ...])  ('num', raw text)  str  True  False  None
#   list


def _obj(pairs):
    return ('obj', pairs)


def _num(s):
    return ('num', s)


def parse(text):
    return json.loads(text, object_pairs_hook=_obj, parse_int=_num,
                      parse_float=_num, parse_constant=_num)


def dump(v):
    """Compact JSON text of a tagged tree, numbers in their own form."""
    if isinstance(v, tuple) and v[0] == 'num':
        return v[1]
    if isinstance(v, tuple) and v[0] == 'obj':
        return '{' + ','.join(json.dumps(k, ensure_ascii=False) + ':' +
                              dump(x) for k, x in v[1]) + '}'
    if isinstance(v, list):
        return '[' + ','.join(dump(x) for x in v) + ']'
    return json.dumps(v, ensure_ascii=False)


def first_get(obj, key, default=None):
    for k, v in obj[1]:
        if k == key:
            return v
    return default


def has(obj, key):
    return any(k == key for k, _ in obj[1])


def kind(v):
    if v is None:
        return 'null'
    if v is True or v is False:
        return 'bool'
    if isinstance(v, str):
        return 'str'
    if isinstance(v, list):
        return 'arr'
    return v[0]


def json_equal(a, b):
    ka, kb = kind(a), kind(b)
    if ka != kb:
        return False
    if ka == 'num':
        with decimal.localcontext() as c:
            c.prec = 1000
            c.Emax = decimal.MAX_EMAX
            c.Emin = decimal.MIN_EMIN
            return decimal.Decimal(a[1]) == decimal.Decimal(b[1])
    if ka == 'arr':
        return len(a) == len(b) and all(json_equal(x, y)
                                        for x, y in zip(a, b))
    if ka == 'obj':
        da, db = {}, {}
        for k, v in a[1]:
            da.setdefault(k, v)
        for k, v in b[1]:
            db.setdefault(k, v)
        return (da.keys() == db.keys() and
                all(json_equal(da[k], db[k]) for k in da))
    return a == b


def valid_date(s):
    try:
        d = datetime.date(int(s[0:4]), int(s[4:6]), int(s[6:8]))
    except ValueError:
        return None
    if not s.isdigit() or d.year < 1800:
        return None
    return d.isoformat()


def birth_of(rec, rid):
    b = first_get(rec, 'birth_date')
    if isinstance(b, str):
        return b
    if b is not None:
        return None
    if len(rid) == 18:
        return valid_date(rid[6:14])
    if len(rid) == 15:
        return valid_date('19' + rid[6:12])
    return None


def name_birth(rec, rid):
    n = first_get(rec, 'name')
    if not isinstance(n, str) or n == '':
        return None
    b = birth_of(rec, rid)
    if b is None:
        return None
    return (n, b)


CHECK_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_C = '10X98765432'


def check_char(first17):
    return CHECK_C[sum(int(c) * w for c, w in zip(first17, CHECK_W)) % 11]


def upgrade15(e):
    if len(e) != 15 or not all('0' <= c <= '9' for c in e):
        return None
    s = e[:6] + '19' + e[6:]
    return s + check_char(s)


def idrel(lid, eid):
    """How ledger id lid relates to extract id eid: 'one_character',
    'adjacent_swap', 'upgraded_15_to_18' or None."""
    if len(lid) == len(eid):
        d = [i for i in range(len(lid)) if lid[i] != eid[i]]
        if len(d) == 1:
            return 'one_character'
        if (len(d) == 2 and d[1] == d[0] + 1 and lid[d[0]] == eid[d[1]] and
                lid[d[1]] == eid[d[0]]):
            return 'adjacent_swap'
        return None
    if len(lid) == 18 and upgrade15(eid) == lid:
        return 'upgraded_15_to_18'
    return None


SPACES = ' \t\u3000'


def fold_char(c):
    o = ord(c)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return chr(o - 0xFEE0)
    return c


def ascii_digits(s):
    return s != '' and all('0' <= c <= '9' for c in s)


# GB/T 2260 province-level codes: an id starting otherwise is not one that
# vet-intake writes.
PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
             42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71,
             81, 82}


def norm_id(s):
    """The id as vet-intake writes it, or s itself when it does not
    normalise."""
    t = ''.join(fold_char(c) for c in s if c not in SPACES)
    if t.endswith('x'):
        t = t[:-1] + 'X'
    if not ascii_digits(t[:2]) or int(t[:2]) not in PROVINCES:
        return s
    if (len(t) == 18 and ascii_digits(t[:17]) and valid_date(t[6:14])
            and check_char(t[:17]) == t[17]):
        return t
    if len(t) == 15 and ascii_digits(t) and valid_date('19' + t[6:12]):
        return upgrade15(t)
    return s


def record_of(line):
    """The parsed record and its id, or None when the line is rejected."""
    if line.endswith('\r'):
        line = line[:-1]
    try:
        v = parse(line)
    except (ValueError, RecursionError):
        return None
    if kind(v) != 'obj':
        return None
    rid = first_get(v, 'id')
    if not isinstance(rid, str) or rid == '':
        return None
    return v, norm_id(rid)


def contradictions(rid, district, rec, x, rules):
    """The contradiction diffs of one joined pair (rules: the policy's
    contradictions list)."""
    out = []
    for r in rules:
        (lf, lvals), = r['ledger'].items()
        (xf, xvals), = r['extract'].items()
        lv, xv = first_get(rec, lf), first_get(x, xf)
        if lv is None or xv is None:
            continue
        if (any(json_equal(lv, val) for val in lvals) and
                any(json_equal(xv, val) for val in xvals)):
            out.append({'diff': 'contradiction', 'id': rid,
                        'district': district, 'fields': [lf, xf],
                        'ledger': lv, 'extract': xv, 'hint': r['hint']})
    return out


def reconcile(ledger_lines, extract_lines, authority, source='hr',
              apply=False, as_of='2026-09-30', contra=()):
    """Returns dict: out (list of (raw line or None, tagged record or None)),
    diffs (list of dicts of tagged values), rejected, read, written,
    counts, exit."""
    diffs = []
    rejected = 0
    xrecs = {}
    xorder = []
    xread = 0
    xrejected = 0
    for line in extract_lines:
        if line.strip(' \t\r') == '':
            continue
        xread += 1
        r = record_of(line)
        if r is None:
            xrejected += 1
            continue
        rec, rid = r
        if rid in xrecs:
            diffs.append({'diff': 'duplicate', 'id': rid, 'side': 'extract'})
            continue
        xrecs[rid] = rec
        xorder.append(rid)

    out = []
    read = 0
    applied = 0
    lfirst = {}             # ledger id -> first record
    lorder = []
    for line in ledger_lines:
        if line.strip(' \t\r') == '':
            continue
        read += 1
        r = record_of(line)
        if r is None:
            rejected += 1
            continue
        rec, rid = r
        raw = line[:-1] if line.endswith('\r') else line
        if apply:
            rcd = first_get(rec, 'reconciled')
            if has(rec, 'reconciled') and rcd is not None and \
                    kind(rcd) != 'arr':
                rejected += 1
                continue
        if rid in lfirst:
            diffs.append({'diff': 'duplicate', 'id': rid, 'side': 'ledger'})
            out.append((raw, None))
            continue
        lfirst[rid] = rec
        lorder.append(rid)
        if rid not in xrecs:
            out.append((raw, None))
            continue
        x = xrecs[rid]
        district = first_get(rec, 'district')
        diffs.extend(contradictions(rid, district, rec, x, contra))
        changes = []        # (key, old, new)
        seen = set()
        for k, lv in rec[1]:
            if k == 'id' or k in seen:
                continue
            seen.add(k)
            if not has(x, k):
                continue
            xv = first_get(x, k)
            if xv is None:
                continue
            auth = k in authority.get(source, ())
            if lv is None:
                if apply and auth:
                    changes.append((k, None, xv))
                continue
            if json_equal(lv, xv):
                continue
            diffs.append({'diff': 'conflict', 'id': rid,
                          'district': district, 'field': k, 'ledger': lv,
                          'extract': xv, 'authority': auth})
            if apply and auth:
                changes.append((k, lv, xv))
        if apply:
            xseen = set()
            for k, xv in x[1]:
                if k in xseen:
                    continue
                xseen.add(k)
                if k == 'id' or xv is None or has(rec, k):
                    continue
                if k in authority.get(source, ()):
                    changes.append((k, None, xv))
        if not changes:
            out.append((raw, None))
            continue
        # A field the tool owns is replaced at its first occurrence and
        # dropped at later ones (SPEC 2: never a duplicate key).
        newv = {k: n for k, _, n in changes}
        pairs = []
        done = set()
        rseen = False
        for k, v in rec[1]:
            if k in newv:
                if k not in done:
                    pairs.append((k, newv[k]))
                    done.add(k)
            elif k == 'reconciled':
                if not rseen:
                    pairs.append((k, v))
                    rseen = True
            else:
                pairs.append((k, v))
        for k, _, n in changes:
            if k not in done:
                pairs.append((k, n))
                done.add(k)
        entries = [('obj', [('field', k), ('old', o), ('new', n),
                            ('source', source), ('date', as_of)])
                   for k, o, n in changes]
        for i, (k, v) in enumerate(pairs):
            if k == 'reconciled':
                pairs[i] = (k, (v if v is not None else []) + entries)
                break
        else:
            pairs.append(('reconciled', entries))
        applied += len(changes)
        out.append((None, ('obj', pairs)))

    # Probable matches: an extract id absent from the ledger, a ledger
    # record (first occurrence) with the same name and birth date whose id
    # is one mistake away.
    explained = set()
    pm = {}
    bynb = {}
    for lid in lorder:
        nb = name_birth(lfirst[lid], lid)
        if nb is not None:
            bynb.setdefault(nb, []).append(lid)
    for eid in xorder:
        if eid in lfirst:
            continue
        enb = name_birth(xrecs[eid], eid)
        if enb is None:
            continue
        for lid in bynb.get(enb, ()):
            rel = idrel(lid, eid)
            if rel is None:
                continue
            pm.setdefault(eid, []).append(
                {'diff': 'probable_match', 'id': eid, 'ledger_id': lid,
                 'evidence': {'name': enb[0], 'birth_date': enb[1],
                              'id': rel}})
            explained.add(lid)
    for lid in lorder:
        if lid not in xrecs and lid not in explained:
            diffs.append({'diff': 'only_in_ledger', 'id': lid,
                          'district': first_get(lfirst[lid], 'district')})
    for eid in xorder:
        if eid in lfirst:
            continue
        if eid in pm:
            diffs.extend(pm[eid])
        else:
            diffs.append({'diff': 'only_in_extract', 'id': eid})
    counts = {}
    for d in diffs:
        counts[d['diff']] = counts.get(d['diff'], 0) + 1
    status = 1 if diffs else 0
    if rejected or xrejected:
        status = 65
    return {'out': out, 'diffs': diffs, 'rejected': rejected, 'read': read,
            'written': len(out), 'counts': counts, 'exit': status,
            'applied': applied, 'extract_records': len(xorder),
            'extract_read': xread, 'extract_rejected': xrejected}
