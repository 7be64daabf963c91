#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""jcheck.py FILE EXPR...: evaluate each Python expression over the JSON in
FILE (as d); exit 1 if one is false or fails. --lines FILE: d is the list of
JSON lines (every line must parse). Strict: the file must be UTF-8."""
import json
import sys

args = sys.argv[1:]
lines = args and args[0] == "--lines"
if lines:
    args = args[1:]
path, exprs = args[0], args[1:]
with open(path, encoding="utf-8", errors="strict") as f:
    text = f.read()
if lines:
    d = [json.loads(l) for l in text.splitlines() if l.strip()]
else:
    d = json.loads(text)
inv = d.get("inventory", {}) if isinstance(d, dict) else {}


def check(i):
    return next(c for c in d["checks"] if c["id"] == i)


def reader(n):
    return next(r for r in inv["readers"] if r["name"] == n)


def card(n):
    return reader(n)["card"]


ok = True
for e in exprs:
    try:
        v = eval(e)
    except Exception as ex:  # a missing key is a failed expectation
        v, why = False, repr(ex)
    else:
        why = ""
    if not v:
        print("    false:", e, why)
        ok = False
if not ok:
    print("    " + json.dumps(d, ensure_ascii=False)[:3000])
sys.exit(0 if ok else 1)
