import sys,re
p=sys.argv[1]; choices=sys.argv[2:]
s=open(p).read().split('\n')
out=[];i=0;k=0
while i<len(s):
    l=s[i]
    if l.startswith('<<<<<<< '):
        ours=[];theirs=[];i+=1
        while not s[i].startswith('======='): ours.append(s[i]); i+=1
        i+=1
        while not s[i].startswith('>>>>>>> '): theirs.append(s[i]); i+=1
        i+=1
        c=choices[k] if k<len(choices) else None; k+=1
        if c is None: raise SystemExit(f'no choice for hunk {k}')
        if c=='o': out+=ours
        elif c=='t': out+=theirs
        elif c=='b': out+=ours+theirs
        elif c=='tb': out+=theirs+ours
        else: out+=open(c).read().rstrip('\n').split('\n')
        continue
    out.append(l); i+=1
open(p,'w').write('\n'.join(out))
print(p, 'resolved', k, 'hunks')
