import json,subprocess,sys
def show(rev,p):
    return json.loads(subprocess.check_output(['git','show',f'{rev}:{p}']))
def merge(b,o,t,path=''):
    if isinstance(o,dict) and isinstance(t,dict):
        b = b if isinstance(b,dict) else {}
        out={}
        keys=list(o.keys())+[k for k in t.keys() if k not in o]
        for k in keys:
            if k in o and k in t: out[k]=merge(b.get(k),o[k],t[k],path+'/'+k)
            elif k in o:
                if k in b and b[k]==o[k]: continue  # deleted in theirs
                out[k]=o[k]
            else:
                if k in b and b[k]==t[k]: continue  # deleted in ours
                out[k]=t[k]
        return out
    if o==t: return o
    if b==o: return t
    if b==t: return o
    print('CONFLICT at',path, file=sys.stderr)
    if isinstance(o,list) and isinstance(t,list):
        return o+[x for x in t if x not in o]
    return o
for p in sys.argv[1:]:
    base=subprocess.check_output(['git','merge-base','HEAD','MERGE_HEAD']).decode().strip()
    r=merge(show(base,p),show('HEAD',p),show('MERGE_HEAD',p))
    orig=subprocess.check_output(['git','show',f'HEAD:{p}']).decode()
    indent=2
    txt=json.dumps(r,indent=indent,ensure_ascii=False)+'\n'
    open(p,'w').write(txt)
    print(p,'merged')
