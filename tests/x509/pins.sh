#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The SHA-256 pins in src/x509/anchors.c are those of Kamu SM's real
# certificates:
#  - the copies shipped in data/kamusm/ (installed as chain material) match
#    their pins, and every file a pin names is shipped;
#  - the originals in ../shared/data/kamusm (not part of this project) match
#    too, when that folder is there.
set -u
: "${ND_SRC:?}"
pass=0 fail=0 skip=0
A=$ND_SRC/src/x509/anchors.c
ok() { echo "ok   - $1"; pass=$((pass + 1)); }
bad() { echo "FAIL - $1"; fail=$((fail + 1)); }
fp_of() {
	(openssl x509 -in "$1" -noout -fingerprint -sha256 2>/dev/null ||
		openssl x509 -inform DER -in "$1" -noout -fingerprint -sha256) | sed 's/.*=//; s/://g'
}

# shipped: raw DER whose SHA-256 (of the file's bytes, as nesdoctor checks
# it) is a pin, and the pin names this file
for f in "$ND_SRC"/data/kamusm/*.der; do
	n=$(basename "$f")
	fp=$(sha256sum "$f" | cut -c1-64 | tr a-f A-F)
	if [ "$fp" = "$(fp_of "$f")" ] && grep -A3 "\"$fp\"" "$A" | grep -q "\"$n\""; then
		ok "data/kamusm/$n is DER and pinned ($fp)"
	else
		bad "data/kamusm/$n not pinned under its name ($fp)"
	fi
done
for n in $(grep -o '"[a-z0-9-]*\.der"' "$A" | tr -d '"'); do
	if [ -f "$ND_SRC/data/kamusm/$n" ]; then ok "$n named by a pin is shipped"; else bad "$n named by a pin is not shipped"; fi
done
[ "$(ls "$ND_SRC"/data/kamusm/*.der 2>/dev/null | wc -l)" -ge 2 ] && ok "root and NES CA shipped" || bad "fewer than 2 shipped files"

K=$ND_SRC/../shared/data/kamusm
if [ -d "$K" ]; then
	for f in "$K"/*.crt; do
		fp=$(fp_of "$f")
		if grep -q "\"$fp\"" "$A"; then
			ok "$(basename "$f") pinned ($fp)"
		else
			bad "$(basename "$f") not pinned ($fp)"
		fi
	done
else
	echo "skip - no $K"; skip=$((skip + 1))
fi
echo "x509 pins: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
