#!/usr/bin/python3
# Writes the adversarial corpus of this directory (README says what each
# file is and what the tools must do with it).  Run it here:
# /usr/bin/python3 make.py.  Only the standard library; the files are
# committed, so CI needs no Python.  Every person is synthetic.
import gzip, io, json, zipfile

V = ('{"id":"110105199504229399","name":"刘浩","sex":"M",'
     '"phone":"18435901073","district":"朝阳区","street":"奥运村街道",'
     '"community":"东里社区","placement":"autonomous",'
     '"discharge_date":"2019-10-09","labor_capacity":true,'
     '"employment_need":true,"employment_status":"unemployed"}')

def w(name, data):
    with open(name, 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())

# JSON Lines for vet-classify (and the other JSON tools).
w('invalid-utf8.jsonl', V.encode().replace('刘浩'.encode(),
  b'\xe5\x88\x98\xff\xfe') + b'\n')
w('nul-bytes.jsonl', V.encode().replace(b'"M"', b'"M\x00"') + b'\n' +
  b'\x00' * 64 + b'\n')
w('long-line.jsonl', V[:-1] + ',"x":"' + 'A' * 10000 + '"}\n')
w('deep-nesting.jsonl', V[:-1] + ',"x":' + '[' * 2000 + ']' * 2000 +
  '}\n')
w('duplicate-keys.jsonl', V[:-1] + ',"id":"110105199001011237"}\n')
w('control-chars.jsonl', V.replace('朝阳区', '\\u001b[2J\\u0007区') + '\n')
w('huge-numbers.jsonl', V[:-1] + ',"training_hours":1e999999}\n' +
  V[:-1] + ',"training_hours":-0.0e-99999999999999999999}\n')
w('truncated.jsonl.gz', gzip.compress(((V + '\n') * 50).encode(), mtime=0)[:300])
w('gzip-bomb.jsonl.gz', gzip.compress(b'\x00' * (4 << 20), 9, mtime=0))
w('empty.jsonl', b'')
w('bom-only.jsonl', b'\xef\xbb\xbf')
w('crlf-only.jsonl', b'\r\n' * 1000)

# Station files for vet-intake.
hdr = '身份证号,姓名,性别,联系电话,所在区\n'
w('gbk-bad-byte.csv', (hdr + '110105199301309997,龙宇卫,男,15453836370,朝阳区\n')
  .encode('gbk') + '110105199903301458,金'.encode('gbk') + b'\x81\x20' +
  ',男,18616173594,朝阳区\n'.encode('gbk'))
w('utf16-odd.txt', b'\xff\xfe' + 'id\tname\r\n'.encode('utf-16-le') + b'\x41')
w('many-columns.csv', ','.join('c%d' % i for i in range(20000)) + '\n' +
  ','.join('x' for i in range(20000)) + '\n')
w('unterminated.csv', hdr + '110105199301309997,"龙宇卫,男,15453836370,朝阳区\n')
w('header-only.csv', hdr)

# Workbooks: XML and zip attacks not in tests/data/intake/workbooks.
def zipped(parts, name):
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED) as z:
        for k, v in parts.items():
            z.writestr(k, v)
    w(name, b.getvalue())

CT = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
      'package/2006/content-types"/>')
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="x/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
WB = ('<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
      '2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
      '</sheets></workbook>')
WBRELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/'
          '2006/relationships"><Relationship Id="rId1" Type="x/worksheet" '
          'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
          'Type="x/sharedStrings" Target="sharedStrings.xml"/>'
          '</Relationships>')
SHEET = ('<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
         '</sheetData></worksheet>')
lol = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">' +
       ''.join('<!ENTITY %s "%s">' % (chr(98 + i), ('&%s;' % chr(97 + i)) * 10)
               for i in range(9)) +
       ']><sst><si><t>&j;</t></si></sst>')
zipped({'[Content_Types].xml': CT, '_rels/.rels': RELS, 'xl/workbook.xml': WB,
        'xl/_rels/workbook.xml.rels': WBRELS,
        'xl/worksheets/sheet1.xml': SHEET, 'xl/sharedStrings.xml': lol},
       'laughs-in-shared-strings.xlsx')
zipped({'[Content_Types].xml': CT, '_rels/.rels': RELS, 'xl/workbook.xml': WB,
        'xl/_rels/workbook.xml.rels': WBRELS.replace('worksheets/sheet1.xml',
                                                      '../../../etc/passwd'),
        'xl/worksheets/sheet1.xml': SHEET},
       'path-escape.xlsx')
with open('../intake/workbooks/ledger.xlsx', 'rb') as f:
    wb = f.read()
w('truncated-central-directory.xlsx', wb[:-30])

# Policy and mapping files.
bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + ''.join(
    '%s: &%s [%s]\n' % (chr(98 + i), chr(98 + i), ','.join(['*' + chr(97 + i)] * 9))
    for i in range(8))
w('alias-bomb.yaml', bomb)
w('duplicate-keys.yaml', 'kind: veteran\nheaders:\n  证件号: id\n  证件号: name\n')

# Partials for vet-report --merge.
with open('../../fault/data/part1.json') as f:
    part = f.read()
p = json.loads(part)
w('partial-truncated.json', part[:len(part) // 2])
q = dict(p); q['vet_report_partial'] = 1.0
w('partial-version-float.json', json.dumps(q, ensure_ascii=False) + '\n')
w('partial-nul.json', part[:10].encode() + b'\x00' + part[10:].encode())
w('partial-deep.json', '{"vet_report_partial":1,"x":' + '[' * 100000 +
  ']' * 100000 + '}\n')

# Ids and phones in groups, where a message quotes them.
w('ids-in-groups.csv', hdr + '110105199301309997,龙宇卫,男,15453836370,'
  '110111 1971 0122 6335\n110105199903301458,金海涛,男,18616173594,'
  '(185)97389629\n')
# A hostile event log: impossible dates, an unknown type, a full id in a
# field that a message quotes.
w('events-hostile.jsonl',
  '{"type":"contact","id":"110105199504229399","date":"9999-99-99"}\n'
  '{"type":"launch","id":"110105199504229399","date":"2026-01-01"}\n'
  '{"type":"contact","id":"110111 1971 0122 6335","date":"2026-01-01"}\n')
