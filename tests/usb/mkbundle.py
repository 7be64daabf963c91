#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""mkbundle.py DIR BUNDLE [options] [vid:pid=NAME ...]: write an IFD driver
bundle the way pcscd finds them: DIR/BUNDLE/Contents/Info.plist (and an empty
Contents/Linux/<executable>). Written from scratch for the tests: no real
driver's Info.plist is copied.
  --class            CFBundleName CCIDCLASSDRIVER (what libccid is)
  --name NAME        CFBundleName (default: the bundle name without .bundle)
  --version V        CFBundleShortVersionString
  --single           ids as single <string>s instead of <array>s
  --broken=KIND      mismatch (arrays of different lengths), xml (cut in a
                     tag), nokeys (no ifdVendorID), badid (an id not in hex)"""
import os
import sys

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    root, bundle = args[0], args[1]
    name = bundle.replace(".bundle", "")
    version, single, broken, ids = "1.0.0", False, None, []
    it = iter(args[2:])
    for a in it:
        if a == "--class":
            name = "CCIDCLASSDRIVER"
        elif a == "--name":
            name = next(it)
        elif a == "--version":
            version = next(it)
        elif a == "--single":
            single = True
        elif a.startswith("--broken="):
            broken = a.split("=", 1)[1]
        else:
            vp, _, friendly = a.partition("=")
            vid, pid = vp.split(":")
            ids.append(("0x" + vid.upper(), "0x" + pid.upper(), friendly))
    exe = "lib%s.so" % name.lower()
    vids = [v for v, _, _ in ids]
    pids = [p for _, p, _ in ids]
    names = [n for _, _, n in ids]
    if broken == "mismatch":
        names = names[:-1]
    if broken == "badid" and ids:
        vids[0] = "0xZZ2F"

    def values(key, vals):
        if single and len(vals) == 1:
            return "  <key>%s</key>\n  <string>%s</string>\n" % (key, esc(vals[0]))
        inner = "".join("    <string>%s</string>\n" % esc(v) for v in vals)
        return "  <key>%s</key>\n  <array>\n%s  </array>\n" % (key, inner)

    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
            '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
            '<plist version="1.0">\n<dict>\n'
            '  <!-- a test bundle written by tests/usb/mkbundle.py -->\n'
            '  <key>CFBundleExecutable</key>\n  <string>%s</string>\n'
            '  <key>CFBundleName</key>\n  <string>%s</string>\n'
            '  <key>CFBundleShortVersionString</key>\n  <string>%s</string>\n'
            '  <key>ifdCapabilities</key>\n  <string>0x00000000</string>\n'
            % (exe, esc(name), esc(version)))
    if broken != "nokeys":
        text += values("ifdVendorID", vids)
    text += values("ifdProductID", pids) + values("ifdFriendlyName", names)
    text += "  <key>Copyright</key>\n  <string>test data</string>\n</dict>\n</plist>\n"
    if broken == "xml":
        text = text[:text.index("<key>ifdProductID")] + "<key>ifdProd"
    contents = os.path.join(root, bundle, "Contents")
    os.makedirs(os.path.join(contents, "Linux"), exist_ok=True)
    with open(os.path.join(contents, "Info.plist"), "w") as f:
        f.write(text)
    open(os.path.join(contents, "Linux", exe), "w").close()

main()
