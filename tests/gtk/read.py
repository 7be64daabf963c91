#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
# Print nesdoctor-gtk's accessibility tree, as AT-SPI shows it to a screen
# reader: one line per node, "ROLE<TAB>NAME". Exit 1 when the window is not
# (yet) on the bus. One fresh process per look: pyatspi's cache would keep
# a name that has since changed.
import sys

import pyatspi


def walk(a, out, depth=0):
    if a is None or depth > 40:
        return
    out.append("%s\t%s" % (a.getRoleName(), (a.name or "").replace("\n", " ")))
    for i in range(a.childCount):
        walk(a.getChildAtIndex(i), out, depth + 1)


desk = pyatspi.Registry.getDesktop(0)
for i in range(desk.childCount):
    app = desk.getChildAtIndex(i)
    if app is not None and app.name == "nesdoctor-gtk":
        lines = []
        walk(app, lines)
        print("\n".join(lines))
        sys.exit(0)
sys.exit(1)
