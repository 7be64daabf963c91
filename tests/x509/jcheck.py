#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""jcheck.py REPORT.json EXPECT...: assertions on a nesdoctor JSON report.
  exit=N             exit_code is N
  verdict=V          verdict is V
  primary=ID|null    primary_cause
  ID=STATUS          check ID has STATUS (pass/warn/fail/skip)
  remedy=ID          check ID has a remedy
  msg:ID~TEXT        check ID's message contains TEXT
  remedy:ID~TEXT     check ID's remedy contains TEXT
  inv:PATH=VALUE     inventory value at PATH (dots, [n] for arrays) equals VALUE
  inv:PATH~TEXT      ... contains TEXT
  !~TEXT             TEXT appears nowhere in the document
Prints each failed assertion; exits 1 if any failed."""
import json, re, sys

doc = json.load(open(sys.argv[1]))
checks = {c["id"]: c for c in doc["checks"]}
bad = 0

def get(path):
    v = doc["inventory"]
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        v = v[int(part[1:-1])] if part.startswith("[") else v[part]
    return v

def fail(what):
    global bad
    bad += 1
    print("  assertion failed:", what, file=sys.stderr)

for e in sys.argv[2:]:
    try:
        if e.startswith("!~"):
            if e[2:] in json.dumps(doc, ensure_ascii=False):
                fail(e)
        elif e.startswith("exit="):
            if str(doc["exit_code"]) != e[5:]:
                fail("%s (got %s)" % (e, doc["exit_code"]))
        elif e.startswith("verdict="):
            if doc["verdict"] != e[8:]:
                fail("%s (got %s)" % (e, doc["verdict"]))
        elif e.startswith("primary="):
            if str(doc["primary_cause"]).replace("None", "null") != e[8:]:
                fail("%s (got %s)" % (e, doc["primary_cause"]))
        elif e.startswith("remedy="):
            if not checks[e[7:]].get("remedy"):
                fail(e)
        elif e.startswith("msg:") or e.startswith("remedy:"):
            kind, rest = e.split(":", 1)
            cid, text = rest.split("~", 1)
            got = checks[cid].get("message" if kind == "msg" else "remedy") or ""
            if text not in got:
                fail("%s (got %r)" % (e, got))
        elif e.startswith("inv:"):
            m = re.match(r"inv:([^=~]+)([=~])(.*)", e)
            v = get(m.group(1))
            sv = json.dumps(v) if not isinstance(v, str) else v
            if (m.group(2) == "=" and sv != m.group(3)) or (m.group(2) == "~" and m.group(3) not in sv):
                fail("%s (got %s)" % (e, sv))
        else:
            cid, st = e.split("=", 1)
            if checks[cid]["status"] != st:
                fail("%s (got %s: %s)" % (e, checks[cid]["status"], checks[cid]["message"]))
    except (KeyError, IndexError, TypeError) as ex:
        fail("%s (%r)" % (e, ex))
sys.exit(1 if bad else 0)
