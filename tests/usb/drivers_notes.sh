#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# drivers-notes/devices.tsv is sorted and well-formed (check.sh), and the
# check really fails on an unsorted or malformed copy.
set -u
: "${ND_SRC:?}"
W=$(mktemp -d "${TMPDIR:-/tmp}/nd-notes.XXXXXX")
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
ok() { echo "ok   - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
N=$ND_SRC/drivers-notes
sh "$N/check.sh" && ok "devices.tsv is sorted and well-formed" || bad "devices.tsv"
cp "$N"/*.md "$W/"
{ head -1 "$N/devices.tsv"; tail -n +2 "$N/devices.tsv" | sort -r; } > "$W/devices.tsv"
sh "$N/check.sh" "$W/devices.tsv" > "$W/out" 2>&1 && bad "unsorted copy passes" || { grep -q "not sorted" "$W/out" && ok "an unsorted table fails"; }
{ cat "$N/devices.tsv"; printf 'ffff:ffff\treader\tccid\tX\tgeneric-ccid\tlisted\tno\n'; } > "$W/devices.tsv"
sh "$N/check.sh" "$W/devices.tsv" > "$W/out" 2>&1 && bad "a row without source passes" || { grep -q "expected 8" "$W/out" && ok "a malformed row fails"; }
{ cat "$N/devices.tsv"; printf 'FFFF:ffff\treader\tccid\tX\tgeneric-ccid\tlisted\tno\tsrc\n'; } > "$W/devices.tsv"
sh "$N/check.sh" "$W/devices.tsv" > "$W/out" 2>&1 && bad "upper-case id passes" || ok "an upper-case id fails"
{ cat "$N/devices.tsv"; printf 'ffff:ffff\treader\tccid\tX\tno-such-note\tlisted\tno\tsrc\n'; } > "$W/devices.tsv"
sh "$N/check.sh" "$W/devices.tsv" > "$W/out" 2>&1 && bad "a family without note passes" || { grep -q "no note" "$W/out" && ok "a family without its note fails"; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
