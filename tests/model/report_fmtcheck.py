"""fmtcheck.py JSON CSV MD TEXT HTML: tables of every format agree with the csv;
the csv agrees with the json."""
import csv, io, json, re, sys
from html.parser import HTMLParser
CATS = ["exited","out_of_scope","employed","flexible_employed","self_employed","registered_unemployed","needs_registration","employment_difficulty","zero_employment_family","difficulty_candidate","hard_to_place","training_incomplete","exit_candidate"]
LINKS = ["skills_reserve","discharge_training","information_file","classified_measures","career_guidance","vocational_empowerment","post_recommendation","directed_recruitment","flexible_employment","hardship_assistance"]
def unesc(c):
    return c[1:] if c[:1] == "'" and c[1:2] in ("=","+","-","@","\t","\r") else c
def p_csv(b):
    assert b.startswith("\ufeff"), "no bom"
    b = b[1:]
    assert "\n" not in b.replace("\r\n", ""), "bare LF in csv"
    blocks = b.split("\r\n\r\n")
    out = {}
    for blk in blocks[1:]:
        rows = list(csv.reader(io.StringIO(blk)))
        rows = [r for r in rows if r]
        out[rows[0][0]] = [[unesc(c) for c in r] for r in rows[1:]]
    return out
def p_md(t):
    out = {}; cur = None
    for ln in t.split("\n"):
        if ln.startswith("## "): cur = ln[3:]; out[cur] = []
        elif ln.startswith("|") and cur:
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", ln)[1:-1]]
            if all(re.fullmatch(r":?-+:?", c) for c in cells): continue
            out[cur].append(cells)
    return out
def p_text(t):
    out = {}; blocks = t.split("\n\n")
    for blk in blocks[1:]:
        ls = blk.strip("\n").split("\n")
        if len(ls) < 3 or not re.fullmatch(r"-+", ls[2]): continue
        out[ls[0]] = [re.split(r"\s{2,}", l.strip()) for l in ls[1:2] + ls[3:]]
    return out
class H(HTMLParser):
    def __init__(s):
        super().__init__(); s.out = {}; s.cur = None; s.intag = None; s.row = None; s.buf = ""; s.h2 = False
    def handle_starttag(s, tag, a):
        if tag == "h2": s.h2 = True; s.buf = ""
        if tag == "tr": s.row = []
        if tag in ("td", "th"): s.buf = ""; s.intag = tag
    def handle_endtag(s, tag):
        if tag == "h2": s.h2 = False; s.cur = s.buf.strip(); s.out[s.cur] = []
        if tag in ("td", "th") and s.row is not None: s.row.append(s.buf.strip()); s.intag = None
        if tag == "tr" and s.row is not None and s.cur: s.out[s.cur].append(s.row); s.row = None
    def handle_data(s, d):
        if s.h2 or s.intag: s.buf += d
def p_html(t):
    assert "<script" not in t.lower() and "http://" not in t and "https://" not in t.replace("http://www.w3.org/2000/svg", ""), "html not self-contained"
    h = H(); h.feed(t); return h.out
def num(c):
    m = re.fullmatch(r"[+-]?\d+", c)
    return int(c) if m else None
def md_(c):
    if c == "-": return "-"
    m = re.search(r"\((\d+)/(\d+)\)", c)
    return {"met": int(m.group(1)), "due": int(m.group(2))}
def check(j, c):
    errs = []
    def eq(a, b, what):
        if a != b: errs.append(f"{what}: csv={a} json={b}")
    t = c["分类合计"][1:]
    for i, code in enumerate(CATS):
        eq(num(t[i][1]), j["totals"][code], "totals " + code)
        if "change" in j:
            ch = j["change"]["totals"][code]
            eq(t[i][3] if ch is None else num(t[i][3]), "-" if ch is None else ch, "change " + code)
    gt = [k for k in c if k.startswith("分类统计")][0]
    rows = c[gt][1:]
    eq(rows[-1][0], "合计", "total row")
    tot = rows[-1]
    off = c[gt][0].index("退役军人人数")
    eq(num(tot[off]), j["veterans"], "total veterans")
    for i, code in enumerate(CATS):
        eq(num(tot[off + 1 + i]), j["totals"][code], "total row " + code)
    if "groups" not in j:
        eq([r[0] for r in rows[:-1]], list(j["by_district"]), "district rows")
        for r in rows[:-1]:
            for i, code in enumerate(CATS):
                eq(num(r[2 + i]), j["by_district"][r[0]][code], f"by_district {r[0]} {code}")
    else:
        eq(len(rows) - 1, len(j["groups"]), "group rows")
        for r, g in zip(rows, j["groups"]):
            eq(num(r[off]), g["veterans"], "group veterans")
            for i, code in enumerate(CATS):
                eq(num(r[off + 1 + i]), g["counts"][code], "group " + code)
    pr = {r[0]: num(r[1]) for r in c["优先级构成"][1:]}
    for k, v in j["priority"].items():
        eq(pr.get("无" if k == "none" else k, 0), v, "priority " + k)
    for i, code in enumerate(LINKS):
        eq(num(c["帮扶链条"][1 + i][1]), j["chain"][code], "chain " + code)
    cp = j["compliance"]
    for r in c["合规指标"][1:]:
        d = cp if r[0] == "合计" else cp["by_district"][r[0]]
        z = lambda v: "-" if v is None or v["due"] == 0 else v
        eq(md_(r[1]), z(d["training"]), "training " + r[0])
        eq(md_(r[2]), z(d["monthly_contact"]), "monthly " + r[0])
        eq(None if r[3] == "-" else num(r[3]), d["consultations"], "consult " + r[0])
        eq(None if r[4] == "-" else num(r[4]), d["job_fairs"], "fairs " + r[0])
    eq([r[0] for r in c["合规指标"][1:-1]], list(cp["by_district"]), "compliance rows")
    sc = j["scorecard"]
    eq([r[0] for r in c["六有评分"][1:]], list(sc), "scorecard rows")
    for r in c["六有评分"][1:]:
        for i, k in enumerate(["policy", "staff", "files", "data", "jobs", "channels"]):
            v = sc[r[0]][k]
            if v is None or v["due"] == 0: v = "-"
            eq(md_(r[1 + i]), v, f"scorecard {r[0]} {k}")
    if cp["findings"] is not None:
        eq([num(r[1]) for r in c["审计发现"][1:]], list(cp["findings"].values()), "findings")
    else:
        eq("审计发现" in c, False, "findings table")
    return errs
j = json.load(open(sys.argv[1]))
C = p_csv(open(sys.argv[2], encoding="utf-8", newline="").read())
errs = []
for name, f, p in (("md", sys.argv[3], p_md), ("text", sys.argv[4], p_text), ("html", sys.argv[5], p_html)):
    o = p(open(f, encoding="utf-8").read())
    for k in C:
        a, b = o.get(k) or [], C[k]
        if name == "text": b = [[x for x in r if x != ""] for r in b]
        if a != b:
            dr = [(x, y) for x, y in zip(a, b) if x != y][:2]
            errs.append(f"{name} table {k} differs ({len(a)} vs {len(b)} rows): {dr}")
    if set(o) != set(C): errs.append(f"{name} tables {sorted(o)} vs csv {sorted(C)}")
errs += check(j, C)
print("\n".join(errs[:20])); sys.exit(1 if errs else 0)
