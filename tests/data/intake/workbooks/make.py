#!/usr/bin/python3
"""Makes the workbook fixtures of tests/data/intake/workbooks (see
PROVENANCE.txt).  Run from this directory on a developer machine with
python3-openpyxl and LibreOffice (soffice); CI needs neither, the files are
committed.  All people are synthetic (vet-gen), no record is a real one."""
import datetime, io, os, shutil, struct, subprocess, tempfile, zipfile, zlib
import openpyxl
from openpyxl.styles import Alignment

HEAD = ["身份证号", "姓名", "性别", "出生日期", "联系电话", "所在区", "街道",
        "社区", "退役时间", "安置方式", "学历", "就业状态", "是否登记失业"]
D = datetime.datetime

def ledger():
    wb = openpyxl.Workbook()
    help_ = wb.active
    help_.title = "填表说明"
    help_["A1"] = "本表由社区服务站填报，身份证号列请设为文本格式。"
    help_.sheet_state = "hidden"
    ws = wb.create_sheet("幸福社区")
    ws["A1"] = "朝阳区退役军人就业信息台账（2026年第三季度）"
    ws.merge_cells("A1:M1")
    ws["A1"].alignment = Alignment(horizontal="center")
    # row 2 blank
    ws["A3"] = "填报单位：幸福社区居委会"
    ws["H3"] = "填报日期："
    ws["I3"] = D(2026, 9, 30)
    ws["I3"].number_format = "yyyy/m/d"
    ws.append([])  # keeps row 4 for the header below
    for i, h in enumerate(HEAD, 1):
        ws.cell(row=4, column=i, value=h)
    rows = [
        # id as text, birth date a date cell (custom format), phone a number
        ["110105199301309997", "龙宇卫", "男", D(1993, 1, 30), 15453836370,
         "朝阳区", "三里屯街道", "幸福社区", D(2014, 9, 7), "自主就业", "高中",
         "已就业", "否"],
        # id stored as a number: Excel keeps 15 significant digits
        [110105199903301000.0, "金海涛", "男", None, 18616173594,
         "朝阳区", "三里屯街道", "幸福社区", D(2025, 10, 14), "自主就业", "本科",
         "已就业", "否"],
        # a 15-digit legacy id, which a number holds exactly
        [110105851023123, "李建国", "男", None, None, "朝阳区", "三里屯街道",
         "幸福社区", D(2005, 12, 1), "安排工作", "高中", "未就业", "是"],
        # an unknown district, rejected by the intake
        ["110108198401103114", "周博志", "男", D(1984, 1, 10), "18649735014",
         "火星区", "清河街道", "富强社区", D(2005, 2, 13), "自主就业", "大专",
         "自主创业", "否"],
    ]
    for r, row in enumerate(rows, 5):
        for c, v in enumerate(row, 1):
            if v is None:
                continue
            cell = ws.cell(row=r, column=c, value=v)
            if isinstance(v, D):
                # builtin 14 for 退役时间, a custom format for 出生日期
                cell.number_format = "yyyy\"年\"m\"月\"d\"日\"" if c == 4 \
                    else "mm-dd-yy"
    ws2 = wb.create_sheet("朝阳门")
    ws2.append(["姓名", "身份证号", "所在区", "街道", "社区", "就业状态"])
    ws2.append(["谢丽慧", "130602198311134366", "朝阳区", "朝阳门街道",
                "新鲜胡同社区", "已就业"])
    wb.save("ledger.xlsx")

def soffice(src, fmt, out):
    d = tempfile.mkdtemp()
    # A CSV is read as UTF-8 (code 76), comma separated, quotes '"'.
    infilter = ["--infilter=CSV:44,34,76,1"] if src.endswith(".csv") else []
    subprocess.run(["soffice", "--headless"] + infilter + ["--convert-to",
                    fmt, "--outdir", d, src], check=True,
                   stdout=subprocess.DEVNULL)
    base = os.path.splitext(os.path.basename(src))[0]
    shutil.move(os.path.join(d, base + "." + fmt.split(":")[0]), out)
    shutil.rmtree(d)

def station_csv():
    # A station's CSV as a user opens it in a spreadsheet program and saves
    # as .xlsx: the program makes numbers of the ids and dates of the dates.
    with open("station.csv", "w", encoding="utf-8") as f:
        f.write(",".join(HEAD) + "\n")
        f.write("110105199301309997,龙宇卫,男,1993-01-30,15453836370,朝阳区,"
                "三里屯街道,幸福社区,2014-09-07,自主就业,高中,已就业,否\n")
        f.write("44010319870916409X,王涛群,男,1987-09-16,15582967631,东城区,"
                "安定门街道,光明社区,2011-12-27,安排工作,中专,自主创业,否\n")

SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<worksheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.'
              'org/officeDocument/2006/relationships">')

def crafted(name, sheet_xml, sst=None, styles=None, date1904=False,
            compress=zipfile.ZIP_DEFLATED, extra=None):
    """A minimal workbook written part by part, for what spreadsheet
    programs do not make on request: rich and inline text, phonetic runs,
    the 1904 system, broken references, bombs."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
          'openxmlformats.org/package/2006/content-types"/>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
            '"http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="%s/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>' % ns)
    wb = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://'
          'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="%s">'
          '<workbookPr%s/><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
          '</sheets></workbook>' % (ns, ' date1904="1"' if date1904 else ''))
    wrels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
             '"http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="%s/worksheet" '
             'Target="worksheets/sheet1.xml"/>'
             '<Relationship Id="rId2" Type="%s/sharedStrings" '
             'Target="sharedStrings.xml"/>'
             '<Relationship Id="rId3" Type="%s/styles" Target="styles.xml"/>'
             '</Relationships>' % (ns, ns, ns))
    with zipfile.ZipFile(name, "w", compress) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wrels)
        if sst is not None:
            z.writestr("xl/sharedStrings.xml",
                       '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http:'
                       '//schemas.openxmlformats.org/spreadsheetml/2006/main">'
                       + sst + '</sst>')
        if styles is not None:
            z.writestr("xl/styles.xml",
                       '<?xml version="1.0" encoding="UTF-8"?><styleSheet '
                       'xmlns="http://schemas.openxmlformats.org/'
                       'spreadsheetml/2006/main">' + styles + '</styleSheet>')
        if isinstance(sheet_xml, bytes):
            z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        else:
            z.writestr("xl/worksheets/sheet1.xml",
                       SHEET_HEAD + sheet_xml + '</worksheet>')
        for k, v in (extra or {}).items():
            z.writestr(k, v)

def cells():
    sst = ('<si><t>姓名</t></si>'
           '<si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">三 '
           '</t></r><rPh sb="0" eb="1"><t>ZHANG</t></rPh></si>'
           '<si><t>身份证号</t></si>')
    styles = ('<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy&quot;'
              '年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" '
              'formatCode="&quot;第&quot;0&quot;号&quot;"/><numFmt numFmtId='
              '"166" formatCode="[Red]0.00;[Blue]\\-0.00"/></numFmts>'
              '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/>'
              '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/>'
              '<xf numFmtId="22"/></cellXfs>')
    # Row 1: cells out of order by reference, a gap (B), no r on the last.
    # Row 3: every kind of cell.  Row 5: a bad shared string, row 6 a
    # reference beyond XFD1048576.
    sheet = ('<dimension ref="A1:H6"/><sheetData>'
             '<row r="1"><c r="C1" t="s"><v>2</v></c><c r="A1" t="s"><v>0</v>'
             '</c><c t="inlineStr"><is><t>备注</t></is></c></row>'
             '<row r="3"><c r="A3" t="s"><v>1</v></c>'
             '<c r="B3" t="inlineStr"><is><r><t>李</t></r><r><t>四</t></r>'
             '<rPh><t>LI</t></rPh></is></c>'
             '<c r="C3" s="1"><v>45286</v></c>'
             '<c r="D3" s="2"><v>60</v></c>'
             '<c r="E3" s="3"><v>12</v></c>'
             '<c r="F3" t="b"><v>1</v></c>'
             '<c r="G3" t="str"><f>A1&amp;"x"</f><v>公式值</v></c>'
             '<c r="H3" t="e"><v>#N/A</v></c>'
             '<c r="I3"><v>1.10105199003071E+17</v></c>'
             '<c r="J3" s="4"><v>0.30000000000000004</v></c>'
             '<c r="K3" s="5"><v>45286.5</v></c>'
             '<c r="L3" s="1"><v>61</v></c><c r="M3" s="1"><v>59</v></c>'
             '</row>'
             '<row r="5"><c r="A5" t="s"><v>99</v></c><c r="B5" t="s"><v>2</v>'
             '</c></row>'
             '<row r="6"><c r="XFE1048577"><v>1</v></c></row>'
             '<row r="7"/>'
             '<row r="8"><c r="A8" s="1"><v>1</v></c></row>'
             '</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/>'
             '</mergeCells>')
    crafted("cells.xlsx", sheet, sst, styles)
    crafted("date1904.xlsx", '<sheetData><row r="1"><c r="A1" s="1"><v>0</v>'
            '</c><c r="B1" s="1"><v>43824</v></c></row></sheetData>',
            None, '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/>'
            '</cellXfs>', date1904=True)

def bad():
    crafted("deep.xlsx", SHEET_HEAD.encode() + b"<x>" * 100000 +
            b"</x>" * 100000 + b"</worksheet>")
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1)
                     if i > 1 else "&lol;") * 10) for i in range(1, 10))
           + ']><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
           '<t>&lol9;</t></is></c></row></sheetData></worksheet>')
    crafted("laughs.xlsx", lol.encode())
    # 32 MiB of one row repeated: inflates 340 times its size.
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    body = SHEET_HEAD.encode() + b"<sheetData>" + row * (32 * 2**20 //
                                                         len(row))
    crafted("bomb.xlsx", body + b"</sheetData></worksheet>")
    data = open("ledger.xlsx", "rb").read()
    open("truncated.xlsx", "wb").write(data[:len(data) * 2 // 3])
    with zipfile.ZipFile("notbook.xlsx", "w") as z:
        z.writestr("readme.txt", "a zip, not a workbook\n")
    # A zip whose entries say they are encrypted (general purpose flag bit
    # 0), as a zip tool's password makes them.
    crafted("zipcrypt.xlsx", '<sheetData/>')
    b = bytearray(open("zipcrypt.xlsx", "rb").read())
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = b.find(sig)
        while i >= 0:
            b[i + off] |= 1
            i = b.find(sig, i + 4)
    open("zipcrypt.xlsx", "wb").write(bytes(b))

def utf16():
    text = "\t".join(HEAD[:8]) + "\r\n" + "\t".join([
        "110105199301309997", "龙宇卫", "男", "1993/1/30", "15453836370",
        "朝阳区", "三里屯街道", "幸福社区"]) + "\r\n"
    open("unicode-text.txt", "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
    open("utf16be-nobom.txt", "wb").write(text.encode("utf-16-be"))

if __name__ == "__main__":
    ledger()
    soffice("ledger.xlsx", "xls", "ledger.xls")
    shutil.copy("ledger.xlsx", "ledger-openpyxl.xlsx")
    soffice("ledger-openpyxl.xlsx", "xlsx", "ledger.xlsx")
    station_csv()
    soffice("station.csv", "xlsx", "station-lo.xlsx")
    soffice("station.csv", "xls", "station-lo.xls")
    os.remove("station.csv")
    cells()
    bad()
    utf16()
