#!/usr/bin/env python3
# intake_gen.py SEED: a random station export for intake_threads.sh, 2000 to
# 6000 rows of good, broken and noisy CSV (quotes, CR, CRLF, NUL, bad bytes,
# tabs, blank rows; GB18030 three times in ten).
import random, sys
seed=int(sys.argv[1]); r=random.Random(seed)
hdr='身份证号,姓名,所在区,性别,出生日期,技能特长,备注,未知列'
alph=['a','b',',','"','\n','\r\n','\r',' ','\t','朝阳区','海淀区','甲','110105199001011232','11010519900101123x','2023/1/5','2023年12月26日','是','否','男','女','\x00','\xff','；','、','1.10105E+17','""','\u3000']
rows=[hdr if r.random()<0.95 else hdr.replace(',','\t')]
n=r.randrange(2000,6000)
for i in range(n):
    k=r.random()
    if k<0.7:
        cells=['110105199001011232' if r.random()<0.8 else r.choice(alph), r.choice(['甲','乙','张三']), r.choice(['朝阳区','海淀区','火星区']), r.choice(['男','女','']), r.choice(['1990-01-01','1990/1/1','']), r.choice(['电工、焊工','','"a,b"']), ''.join(r.choice(alph) for _ in range(r.randrange(0,4))), 'x']
        rows.append(','.join(cells))
    else:
        rows.append(''.join(r.choice(alph) for _ in range(r.randrange(0,30))))
data='\n'.join(rows)
b=data.encode('utf-8','surrogatepass')
b=b.replace('\xff'.encode('utf-8'), b'\xff')
if r.random()<0.3: b=data.encode('gb18030','replace')
sys.stdout.buffer.write(b)
