#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# sys.browser on Firefox profiles and a Chrome NSS database made as real
# files under a HOME of its own: profiles.ini, pkcs11.txt with and without
# the AKIS module, p11-kit's proxy added by modutil (libnss3-tools), a
# profile Firefox holds (its lock link), a snap profile, SUDO_USER.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
H=$W/home
FF=$H/.mozilla/firefox
nd() { # nd OUT [env...]
	local out=$1
	shift
	env HOME="$H" "$@" "$ND_BIN" --json --lang en --timeout 3 > "$W/$out.json"
}
mkdir -p "$FF/abcd1234.default-release"
cat > "$FF/profiles.ini" <<'INI'
[Install4F96D1932A9F858E]
Default=abcd1234.default-release
Locked=1

[Profile0]
Name=default-release
IsRelative=1
Path=abcd1234.default-release
Default=1

[General]
StartWithLastProfile=1
Version=2
INI
nd none
check none "$(st sys.browser warn) and $(msg sys.browser 'the AKIS module is not in Firefox .default-release.') and $(rem sys.browser 'nesdoctor setup nss')" "a profile without pkcs11.txt: warn, setup nss"
check none '.inventory.system.browsers.firefox[0].install == "deb" and .inventory.system.browsers.firefox[0].pkcs11_txt == false and .primary_cause != "sys.browser"' "inventory; never the primary cause"

cat > "$FF/abcd1234.default-release/pkcs11.txt" <<'TXT'
library=
name=NSS Internal PKCS #11 Module
parameters=configdir='sql:/home/x/.mozilla/firefox/abcd1234.default-release' certPrefix='' keyPrefix='' secmod='secmod.db'
NSS=Flags=internal,critical trustOrder=75 cipherOrder=100

library=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so
name=OpenSC
TXT
nd other
check other "$(st sys.browser warn) and .inventory.system.browsers.firefox[0].modules == [{\"library\": \"/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so\", \"name\": \"OpenSC\"}]" "another module only: warn; the internal module left out"
printf '\nlibrary=/usr/lib/libakisp11.so\nname=AKIS\n' >> "$FF/abcd1234.default-release/pkcs11.txt"
nd akis
check akis "$(st sys.browser pass) and $(msg sys.browser 'the AKIS module is in 1 browser database')" "AKIS module in pkcs11.txt: pass"
# the text report's line for the profile, in both languages
env HOME="$H" "$ND_BIN" --lang en --no-color --timeout 3 > "$W/akis.txt" 2>&1
if grep -q "Firefox profile default-release (deb): the AKIS module is registered" "$W/akis.txt"; then pass=$((pass + 1)); echo "ok - text: the profile line"
else fail=$((fail + 1)); echo "FAIL - text: no profile line"; grep -i firefox "$W/akis.txt"; fi
env HOME="$H" "$ND_BIN" --lang tr --no-color --timeout 3 > "$W/akis-tr.txt" 2>&1
if grep -q "Firefox profili default-release (deb): AKIS modülü kayıtlı" "$W/akis-tr.txt"; then pass=$((pass + 1)); echo "ok - text: the profile line in Turkish"
else fail=$((fail + 1)); echo "FAIL - text: no Turkish profile line"; grep -i firefox "$W/akis-tr.txt"; fi

# Firefox running: the profile is not read
ln -s "127.0.0.1:+4242" "$FF/abcd1234.default-release/lock"
nd locked
check locked "$(st sys.browser info) and $(msg sys.browser 'Firefox is running; close it to check .profile default-release.') and .inventory.system.browsers.firefox[0].locked == true and (.inventory.system.browsers.firefox[0] | has(\"modules\") | not)" "a locked profile is not read"
rm "$FF/abcd1234.default-release/lock"

# Chrome's shared database without the module; then modutil adds p11-kit's proxy
mkdir -p "$H/.pki/nssdb"
if command -v modutil > /dev/null && proxy=$(ls /usr/lib/*/p11-kit-proxy.so 2>/dev/null | head -1) && [ -n "$proxy" ]; then
	modutil -create -dbdir "sql:$H/.pki/nssdb" -force > /dev/null 2>&1
	nd chrome
	check chrome "$(st sys.browser warn) and $(msg sys.browser 'Chrome/Chromium')" "Chrome's nssdb without the module: warn"
	modutil -add p11-kit-proxy -libfile "$proxy" -dbdir "sql:$H/.pki/nssdb" -force > "$W/modutil.log" 2>&1
	nd chrome2
	check chrome2 "$(st sys.browser pass) and $(msg sys.browser 'in 2 browser database') and .inventory.system.browsers.nssdb.p11_kit_proxy == true" "after modutil adds p11-kit-proxy.so: pass"
else
	echo "# skip: modutil (libnss3-tools) or p11-kit-proxy.so missing"
fi

# a snap Firefox profile
S=$H/snap/firefox/common/.mozilla/firefox
mkdir -p "$S/zz9.default"
printf '[Profile0]\nName=default\nIsRelative=1\nPath=zz9.default\n' > "$S/profiles.ini"
printf 'library=/usr/lib/libakisp11.so\nname=AKIS\n' > "$S/zz9.default/pkcs11.txt"
nd snap
check snap "$(st sys.browser warn) and $(msg sys.browser 'Firefox from snap .profile default. cannot load the AKIS library from /usr/lib or /opt') and $(rem sys.browser 'packages.mozilla.org') and $(rem sys.browser 'nesdoctor setup nss')" "snap Firefox: warn, the way out named"

# as root through sudo: SUDO_USER's home, said so
if [ "$(id -u)" = 0 ]; then
	nd sudo SUDO_USER=nobody
	check sudo "$(msg sys.browser 'the profiles of nobody, who ran sudo') and .inventory.system.browsers.sudo_user == \"nobody\"" "SUDO_USER's profiles are the ones read"
fi
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
