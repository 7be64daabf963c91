#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bundle and show use the system's tar: no archive library (nor what it
# pulls in: libxml2, ICU, nettle, ...) is linked into nesdoctor, whose every
# process, and every child that loads a PKCS#11 module, would carry it.
set -uo pipefail
: "${ND_BIN:?}"
P=0 F=0
ok() { echo "ok   - $*"; P=$((P + 1)); }
bad() { echo "FAIL - $*"; F=$((F + 1)); }

libs=$(ldd "$ND_BIN") || { echo "FAIL - ldd $ND_BIN"; exit 1; }
for lib in libarchive libxml2 libicu libstdc++ libnettle; do
	if grep -qF "$lib" <<< "$libs"; then bad "nesdoctor links $lib: $(grep -F "$lib" <<< "$libs" | head -1)"
	else ok "nesdoctor does not link $lib"; fi
done
echo "$P passed, $F failed"
[ "$F" -eq 0 ]
