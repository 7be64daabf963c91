#!/bin/bash
# The SHA-256 pins in src/x509/anchors.c are those of Kamu SM's real
# certificates. The certificates are public but not part of this project:
# this test reads them from ../shared/data/kamusm when that folder is there,
# and skips otherwise.
set -u
: "${ND_SRC:?}"
K=$ND_SRC/../shared/data/kamusm
if [ ! -d "$K" ]; then
	echo "x509 pins: skipped (no $K)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
pass=0 fail=0
for f in "$K"/*.crt; do
	fp=$( (openssl x509 -in "$f" -noout -fingerprint -sha256 2>/dev/null ||
		openssl x509 -inform DER -in "$f" -noout -fingerprint -sha256) | sed 's/.*=//; s/://g')
	if grep -q "\"$fp\"" "$ND_SRC/src/x509/anchors.c"; then
		echo "ok   - $(basename "$f") pinned ($fp)"; pass=$((pass + 1))
	else
		echo "FAIL - $(basename "$f") not pinned ($fp)"; fail=$((fail + 1))
	fi
done
echo "x509 pins: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
