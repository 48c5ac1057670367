import json,sys
def diff(a,b,path=""):
    out=[]
    if isinstance(a,dict) and isinstance(b,dict):
        for k in list(a)+[k for k in b if k not in a]:
            if k not in a: out.append(f"{path}/{k}: missing in C")
            elif k not in b: out.append(f"{path}/{k}: extra in C")
            else: out+=diff(a[k],b[k],path+"/"+k)
        if list(a)!=list(b) and set(a)==set(b): out.append(f"{path}: key order differs")
    elif a!=b: out.append(f"{path}: C={json.dumps(a,ensure_ascii=False)[:200]} model={json.dumps(b,ensure_ascii=False)[:200]}")
    return out
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
d=diff(a,b)
print("\n".join(d[:30])); sys.exit(1 if d else 0)
