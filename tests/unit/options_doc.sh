#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The option table (src/cli/options.c) is the one list of options: `--help`
# comes from it, and this test keeps the man page's OPTIONS equal to it:
# the same options, each taken by the same commands, and `help COMMAND`
# listing exactly the options of that command.
set -euo pipefail
: "${ND_BIN:?}" "${ND_SRC:?}"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
"$ND_BIN" --lang en --help > "$t/help"
for c in check readers watch tokens sign-test verify setup bundle show; do
	"$ND_BIN" --lang en help "$c" > "$t/help.$c"
	"$ND_BIN" --lang en "$c" --help | cmp -s - "$t/help.$c" || { echo "FAIL: '$c --help' differs from 'help $c'"; exit 1; }
done
python3 - "$t" "$ND_SRC/docs/nesdoctor.1" <<'PY'
import re, sys
d, man = sys.argv[1], sys.argv[2]
CMDS = ["check", "readers", "watch", "tokens", "sign-test", "verify", "setup", "bundle", "show"]
ALL = frozenset(CMDS)
fails = []

def options_in(text):
    return re.findall(r"^  (?:-\w, )?--([a-z][a-z-]*)", text, re.M)

# --help: "Options:" (every command), then "Options for a, b:" groups
helped = {}
group = None
for line in open(f"{d}/help"):
    m = re.match(r"^Options for (.*):$", line)
    if line.startswith("Options:"):
        group = ALL
    elif m:
        group = frozenset(m.group(1).split(", "))
    elif group is not None and line.strip() == "":
        pass
    elif group is not None and not line.startswith("  "):
        group = None
    for name in options_in(line) if group is not None else []:
        helped[name] = group

# the man page: .TP paragraphs of OPTIONS; "Commands: a, b." when not all
text = open(man).read()
sec = text[text.index(".SH OPTIONS\n"):]
sec = sec[:sec.index("\n.SH ", 1)]
manned = {}
for para in sec.split("\n.TP\n")[1:]:
    lines = para.split("\n")
    names = [n.replace("\\-", "-") for n in re.findall(r"\\-\\-((?:[a-z]|\\-)+)", lines[0])]
    cm = [l for l in lines[1:] if l.startswith("Commands: ")]
    cmds = frozenset(c.replace("\\-", "-") for c in cm[0][len("Commands: "):].rstrip(".").split(", ")) if cm else ALL
    for n in names:
        manned[n] = cmds

if not helped:
    fails.append("no options found in --help")
for n in sorted(set(helped) | set(manned)):
    if n not in manned:
        fails.append(f"--{n} is in --help but not in the man page's OPTIONS")
    elif n not in helped:
        fails.append(f"--{n} is in the man page's OPTIONS but not in --help")
    elif helped[n] != manned[n]:
        fails.append(f"--{n}: --help says {sorted(helped[n])}, the man page {sorted(manned[n])}")
for c in CMDS:
    listed = set(options_in(open(f"{d}/help.{c}").read()))
    want = {n for n, cs in helped.items() if c in cs}
    if listed != want:
        fails.append(f"help {c}: lists {sorted(listed)}, the table says {sorted(want)}")
for f in fails:
    print("FAIL:", f)
if fails:
    sys.exit(1)
print(f"ok: {len(helped)} options, the same in --help, the man page and each command's help")
PY
echo "1 passed, 0 failed"
