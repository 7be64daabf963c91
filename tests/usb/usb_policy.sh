#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# usb.policy on emulated devices (umockdev, mkdev.py): an ACR39U the kernel
# does not trust (sysfs authorized 0) blocked by a Lider Ahenk blacklist rule
# naming its product, by a whitelist that leaves it out, by USBGuard (a
# rules.conf and a process named usbguard-daemon); the same reader
# authorized; a policy and no reader (info). The rules live under $W
# (NESDOCTOR_UDEV_RULES_DIR, NESDOCTOR_USBGUARD_RULES), never in /etc.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
nd() { # nd OUT MOCKDEV RULESDIR [env...]
	local out=$1 mock=$2 rules=$3
	shift 3
	env NESDOCTOR_UDEV_RULES_DIR="$rules" NESDOCTOR_USBGUARD_RULES="$W/none/rules.conf" "$@" \
		umockdev-run --device "$W/$mock.umockdev" -- "$ND_BIN" --json --lang en --timeout 3 > "$W/$out.json"
	echo $? > "$W/$out.rc"
}
python3 "$HERE/mkdev.py" "$W/blocked.umockdev" acr39u:unauth
python3 "$HERE/mkdev.py" "$W/allowed.umockdev" acr39u
python3 "$HERE/mkdev.py" "$W/kbd.umockdev" keyboard

# Lider Ahenk's blacklist (as its USB task writes it), after an unrelated rule
mkdir -p "$W/black" "$W/white" "$W/empty" "$W/none"
cat > "$W/black/70-other.rules" <<'R'
SUBSYSTEM=="usb", ATTR{idVendor}=="072f", MODE="0664"
R
cat > "$W/black/99-ahenk-task-blacklist.rules" <<'R'
# Lider Ahenk
ACTION=="add|change", SUBSYSTEM=="usb", ATTR{manufacturer}=="SanDisk", ATTR{authorized}="0"
ACTION=="add|change", SUBSYSTEM=="usb", ATTR{product}=="ACR39U*", ATTR{authorized}="0"
R
nd black blocked "$W/black"
check black "$(st usb.policy fail) and .primary_cause == \"usb.policy\"" "blacklisted reader: usb.policy fails and is the primary cause"
check black "$(msg usb.policy 'ACS ACR39U .072f:b100. is plugged in, but the USB policy does not allow it: Lider Ahenk.s USB rule .*99-ahenk-task-blacklist.rules:3 blocks it')" "the blacklist's file and line are named"
check black "$(rem usb.policy 'institution.s USB policy') and $(rem usb.policy 'manufacturer \"ACS\", product \"ACR39U ICC Reader\", serial \"SN-2\" .USB id 072f:b100.') and ($(rem usb.policy '[Dd]isabl|usbguard allow|echo 1') | not)" "remedy: ask IT, with manufacturer, product, serial and id; nothing about disabling"
check black '(.inventory.usb[0].authorized == false) and (.inventory.usb[0].policy.udev.line == 3) and ([.inventory.usb_policy.udev_rules[].line] == [2, 3])' "inventory: authorized false, the rule that matched, the rules that set authorized"
check black '(.checks[] | select(.id=="usb.access") | .status) == "skip"' "usb.access does not guess another cause"

# a whitelist that leaves the reader out
cat > "$W/white/99-ahenk-task-whitelist.rules" <<'R'
ACTION=="add|change", SUBSYSTEM=="usb", ATTR{manufacturer}!="SanDisk", ATTR{product}!="Cruzer Blade", ATTR{authorized}="0"
ACTION=="add|change", SUBSYSTEM=="usb", ATTR{manufacturer}=="SanDisk", ATTR{product}=="Cruzer Blade", ATTR{authorized}="1"
R
nd white blocked "$W/white"
check white "$(st usb.policy fail) and $(msg usb.policy '99-ahenk-task-whitelist.rules:1 blocks it')" "whitelist without the reader: its first line blocks it"

# USBGuard: a rules file, and its daemon (a process of that name)
mkdir -p "$W/ug"
cat > "$W/ug/rules.conf" <<'R'
allow id 1d6b:0002 serial "0000:00:14.0" name "xHCI Host Controller" with-interface 09:00:00
block id 072f:* name "ACR39U ICC Reader"
R
cp /bin/sleep "$W/usbguard-daemon"
"$W/usbguard-daemon" 60 & ugpid=$!
# the child is "bash" until it has exec'd: wait for its name (a race under load)
for _ in $(seq 100); do [ "$(cat /proc/$ugpid/comm 2>/dev/null)" = usbguard-daemon ] && break; sleep 0.02; done
nd guard blocked "$W/empty" NESDOCTOR_USBGUARD_RULES="$W/ug/rules.conf"
check guard "$(st usb.policy fail) and $(msg usb.policy 'USBGuard.s rule .*rules.conf:2 blocks it: block id 072f:.{1} name')" "USBGuard's rule is named"
check guard '.inventory.usb_policy.usbguard.daemon_running == true and ([.inventory.usb_policy.usbguard.rules[].target] == ["allow", "block"]) and .inventory.usb_policy.usbguard.rules[1].id == ["072f:*"]' "USBGuard's rules in the inventory"
echo 'allow id 1d6b:0002' > "$W/ug/rules.conf"
nd implicit blocked "$W/empty" NESDOCTOR_USBGUARD_RULES="$W/ug/rules.conf"
check implicit "$(st usb.policy fail) and $(msg usb.policy 'no rule in .*rules.conf allows it, and its implicit policy is block')" "USBGuard's implicit policy"
nd guard_nodev kbd "$W/empty" NESDOCTOR_USBGUARD_RULES="$W/ug/rules.conf"
check guard_nodev "$(st usb.policy info) and $(msg usb.policy 'USBGuard is running')" "no reader, USBGuard running: info"
kill "$ugpid"; wait "$ugpid" 2>/dev/null

# the same reader authorized
nd allowed allowed "$W/empty"
check allowed "$(st usb.policy pass) and $(msg usb.policy 'allowed by the USB policy') and .inventory.usb[0].authorized == true and .inventory.usb[0].serial == \"SN-2\"" "authorized reader: pass"
nd nopolicy kbd "$W/empty"
check nopolicy "$(st usb.policy pass) and $(msg usb.policy 'no USB policy blocks devices')" "no device, no policy: pass"
nd later kbd "$W/black"
check later "$(st usb.policy info) and $(msg usb.policy 'Lider Ahenk.s USB rules block devices') and .primary_cause != \"usb.policy\"" "a blacklist and no reader yet: info"
# a blocked reader in the text report, in Turkish too
env NESDOCTOR_UDEV_RULES_DIR="$W/black" NESDOCTOR_USBGUARD_RULES="$W/none/rules.conf" \
	umockdev-run --device "$W/blocked.umockdev" -- "$ND_BIN" --lang en --timeout 3 > "$W/black.txt"
if grep -q 'not authorized' "$W/black.txt"; then ok "text: the device is shown as not authorized"; else bad "text: not authorized"; cat "$W/black.txt"; fi
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
