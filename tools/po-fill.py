#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""po-fill.py POT OUT.po TRANSLATIONS.py: write a Turkish .po for the msgids of
POT that TRANSLATIONS (a dict literal {msgid: msgstr}) covers. A helper for
developers: it keeps each part's po/tr/<part>.po in step with the sources."""
import ast, re, sys

def entries(pot):
    text = open(pot, encoding="utf-8").read()
    out = []
    for block in text.split("\n\n"):
        lines = [l for l in block.splitlines() if not l.startswith("#")]
        m, cur = {}, None
        for l in lines:
            if l.startswith("msgid "):
                cur = "id"; m[cur] = [l[6:]]
            elif l.startswith("msgstr "):
                cur = "str"; m[cur] = [l[7:]]
            elif l.startswith('"') and cur:
                m[cur].append(l)
        if "id" in m:
            s = "".join(ast.literal_eval(x) for x in m["id"])
            if s:
                out.append(s)
    return out

def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'

pot, out, tr = sys.argv[1:4]
table = ast.literal_eval(open(tr, encoding="utf-8").read())
missing = []
with open(out, "w", encoding="utf-8") as f:
    f.write('msgid ""\nmsgstr ""\n"Project-Id-Version: nesdoctor\\n"\n"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n"Language: tr\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')
    for mid in entries(pot):
        if mid not in table:
            missing.append(mid); continue
        f.write("msgid %s\nmsgstr %s\n\n" % (q(mid), q(table[mid])))
for m in missing:
    print("untranslated:", repr(m), file=sys.stderr)
