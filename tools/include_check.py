#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check that the layers include only what they may use.

src/layers.txt lists each layer and the layers it may use directly; a layer
may also use what those use (CMake links the same table). A file in
src/<layer>/ fails the check when it includes
  - a header of a layer that is not its own and not below it there,
  - another layer's internal header (*_int.h), even one it may use,
  - a header by a relative path out of its folder ("../").
Folders of src/ that are not in the table (gtk: a front end that runs the
binary) may include no layer's header. tests/ and tests/fuzz/ are not
checked: they may include internal headers.

usage: include_check.py [SRCDIR]      (the source tree, default: .)
       include_check.py --self-test   (the check fails on bad includes)
"""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def read_layers(path):
    """{layer: set of layers it may use directly}, in the table's order."""
    deps = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, _, rest = line.partition(":")
            deps[name.strip()] = set(rest.split())
    for name, ds in deps.items():
        for d in ds:
            if d not in deps:
                sys.exit(f"{path}: {name} uses {d}, which is not a layer")
    return deps


def closure(deps):
    """{layer: every layer it may use, directly or through others}."""
    out = {}
    for name in deps:
        seen, todo = set(), list(deps[name])
        while todo:
            d = todo.pop()
            if d not in seen:
                seen.add(d)
                todo.extend(deps[d])
        seen.discard(name)
        out[name] = seen
    return out


def problems(srcdir):
    """The bad includes under srcdir/src, as "file:line: why" strings."""
    src = os.path.join(srcdir, "src")
    deps = read_layers(os.path.join(src, "layers.txt"))
    allowed = closure(deps)
    found = []
    for folder in sorted(os.listdir(src)):
        top = os.path.join(src, folder)
        if not os.path.isdir(top):
            continue
        may = allowed.get(folder, set())
        for root, _, files in os.walk(top):
            for fn in sorted(files):
                if not fn.endswith((".c", ".h")):
                    continue
                path = os.path.join(root, fn)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                rel = os.path.relpath(path, srcdir)
                for m in INCLUDE.finditer(text):
                    inc = m.group(1)
                    line = text.count("\n", 0, m.start()) + 1
                    why = judge(folder, may, deps, inc)
                    if why:
                        found.append(f"{rel}:{line}: #include \"{inc}\": {why}")
    return found


def judge(folder, may, deps, inc):
    """Why folder must not include inc, or None."""
    if inc.startswith("../") or "/../" in inc:
        return "a relative path out of the folder; include \"<layer>/<header>.h\""
    layer, sep, header = inc.partition("/")
    if not sep or layer not in deps or layer == folder:
        return None
    if layer not in may:
        what = f"layer {folder}" if folder in deps else f"src/{folder}"
        return f"{what} may not use layer {layer} (src/layers.txt)"
    if header.endswith("_int.h"):
        return f"{layer}'s internal header; use its public API"
    return None


def self_test():
    """The check itself: a clean tree passes, each kind of bad include fails."""
    cases = {
        "core/bad.c": '#include "report/report.h"\n',           # upward
        "usb/bad.c": '#include "pcsc/pcsc.h"\n',                # sideways
        "checks/bad.c": '#include "p11/p11_int.h"\n',           # internal
        "checks/rel.c": '#include "../p11/p11.h"\n',            # relative
    }
    good = {
        "core/ok.c": '#include "core/a.h"\n#include "config.h"\n',
        "report/ok.c": '#include "core/a.h"\n',
        "checks/ok.c": '#include "core/a.h"\n#include "p11/p11.h"\n',
        "p11/ok.c": '#include "p11/p11_int.h"\n',
    }
    table = "core:\nreport: core\np11: report\nusb: report\npcsc: report\nchecks: p11 usb pcsc\n"
    ok = True
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "src"))
        with open(os.path.join(d, "src", "layers.txt"), "w") as f:
            f.write(table)

        def put(files):
            for rel, text in files.items():
                os.makedirs(os.path.join(d, "src", os.path.dirname(rel)), exist_ok=True)
                with open(os.path.join(d, "src", rel), "w") as f:
                    f.write(text)

        put(good)
        if problems(d):
            print("self-test: a clean tree fails:", problems(d))
            ok = False
        for rel, text in cases.items():
            put({rel: text})
            got = problems(d)
            if len(got) != 1 or not got[0].startswith("src/" + rel):
                print(f"self-test: {rel} ({text.strip()}) not caught alone: {got}")
                ok = False
            os.unlink(os.path.join(d, "src", rel))
    print("self-test:", "ok" if ok else "FAILED")
    return 0 if ok else 1


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    found = problems(argv[1] if len(argv) > 1 else ".")
    for p in found:
        print(p)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
