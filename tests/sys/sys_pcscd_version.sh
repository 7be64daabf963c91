#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pcscd's version in inventory.system.pcscd.version: read from its program
# file (the "pcsc-lite X daemon ready." message every pcsc-lite logs at
# start), and `pcscd --version` started only when the file does not hold
# it. A fake pcscd is bind-mounted over /usr/sbin/pcscd in this script's
# private mount namespace: it logs each start and prints another version,
# so the test sees which way the version came.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
[ -n "${RIG_IN_NS:-}" ] || { echo "not in a private namespace" >&2; exit 1; }
[ -e /usr/sbin/pcscd ] || { echo "needs /usr/sbin/pcscd (the pcscd package) to mount over"; exit 1; }
export FAKE_LOG=$W/pcscd.log
mkdir -p "$W/home"

fake() { # fake TEXT-IN-FILE: a pcscd that answers --version with 6.6.6
	cat > "$W/pcscd" <<SH
#!/bin/bash
# $1
printf '%s\n' "\$*" >> "\$FAKE_LOG"
echo "pcsc-lite version 6.6.6."
SH
	chmod +x "$W/pcscd"
	umount /usr/sbin/pcscd 2>/dev/null
	mount --bind "$W/pcscd" /usr/sbin/pcscd
	rm -f "$FAKE_LOG"
	env HOME="$W/home" "$ND_BIN" --json --lang en --offline --timeout 3 > "$W/$2.json"
}
started() { [ -f "$FAKE_LOG" ] && wc -l < "$FAKE_LOG" || echo 0; }

fake 'pcsc-lite 7.7.7 daemon ready.' in-file
check in-file '.inventory.system.pcscd.version == "7.7.7"' "the version from the program file"
[ "$(started)" -eq 0 ] && ok "in-file: pcscd not started" || bad "in-file: pcscd started $(started) times"

fake 'pcsc-lite version 9.9.9 (no start-up message)' not-in-file
check not-in-file '.inventory.system.pcscd.version == "6.6.6"' "no message in the file: what --version prints"
[ "$(started)" -eq 1 ] && ok "not-in-file: pcscd --version started once" || bad "not-in-file: started $(started) times"

fake 'pcsc-lite 1.2.x daemon ready. pcsc-lite 8.0.1 daemon ready.' second
check second '.inventory.system.pcscd.version == "8.0.1"' "a malformed message passed over, the next one taken"

echo "sys pcscd version: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
