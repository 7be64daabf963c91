#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Put the SPDX line on every source file git knows: the first line of each
.c/.h, the first or second (after a shebang) of shell, Python and CMake
files. Idempotent: a file that has it is left alone. With --check, change
nothing and list the files that lack it (exit 1 when any does). Paths given
after the options limit it to those files."""
import subprocess
import sys

C_LINE = "/* SPDX-License-Identifier: BSD-2-Clause */\n"
HASH_LINE = "# SPDX-License-Identifier: BSD-2-Clause\n"
HASH_EXT = (".sh", ".py", ".cmake")


def kind(path):
    if path.endswith((".c", ".h", ".h.in")):
        return C_LINE
    if path.endswith(HASH_EXT) or path.endswith("CMakeLists.txt"):
        return HASH_LINE
    return None


def fix(path, line, check):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    if "SPDX-License-Identifier:" in "".join(text.splitlines(True)[:2]):
        return False
    if check:
        return True
    if line == HASH_LINE and text.startswith("#!"):
        first, _, rest = text.partition("\n")
        text = first + "\n" + line + rest
    else:
        text = line + text
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)
    return True


def main():
    args = sys.argv[1:]
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    if not paths:
        paths = subprocess.run(["git", "ls-files"], capture_output=True, text=True,
                               check=True).stdout.split("\n")
    changed = []
    for p in paths:
        line = kind(p) if p else None
        if line and not p.startswith(("debian/", "drivers-notes/")) and fix(p, line, check):
            changed.append(p)
    for p in changed:
        print(p)
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
