#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Cards that are not AKIS, and damaged ATRs: a warning or a failure with
# what to do, never a crash. Names from smartcard_list.txt (our test list)
# reach the report as clean UTF-8 whatever bytes the list holds.
. "$ND_TESTS/lib.sh"
rig_enter_ns "$@"
BANK="3B 6E 00 00 80 31 80 66 B0 84 12 01 6E 01 83 00 90 00"

rig_pcscd 1
rig_vcard 35963 -a "$BANK"
C0=$RIG_LAST_PID
rig_vcard 35964 -a "3B 02 14 50"
C1=$RIG_LAST_PID
wait_card "Virtual PCD 00 00"
wait_card "Virtual PCD 00 01"

run bank readers --json --reader "Virtual PCD 00 00"
expect_rc 1 "unknown card (warning)"
jcheck "$OUT" "unknown card: not AKIS, named from the list, a warning" \
	'card("Virtual PCD 00 00")["family"] == "unknown"' \
	'card("Virtual PCD 00 00")["known_as"][0] == "Test list: Example Bank debit card"' \
	'card("Virtual PCD 00 00")["protocol"] == "T=0"' \
	'card("Virtual PCD 00 00")["atr_info"]["tck"] == "absent"' \
	'check("pcsc.card")["status"] == "pass"' \
	'check("pcsc.card_type")["status"] == "warn"' \
	'"not an AKIS card: this may not be your e-signature card" in check("pcsc.card_type")["message"]' \
	'"Example Bank debit card" in check("pcsc.card_type")["message"]' \
	'"Kamu SM" in check("pcsc.card_type")["remedy"]'
run bank-tr readers --reader "Virtual PCD 00 00" --lang tr
has "$OUT" "AKİS kartı değil: bu sizin e-imza kartınız olmayabilir" "unknown card, Turkish"

run dirty readers --json --reader "Virtual PCD 00 01"
jcheck "$OUT" "a list entry with bad bytes and escapes: clean UTF-8 in the JSON" \
	'card("Virtual PCD 00 01")["known_as"] == ["Test list: bad ?? bytes and ?[31mescapes?[0m"]'
run dirty-text readers --reader "Virtual PCD 00 01"
if grep -q $'\x1b' "$OUT"; then bad "an escape character from the list reached the terminal"
else ok "no escape character from the list reaches the terminal"; fi

# -- damaged ATRs
kill "$C0" "$C1"; wait "$C0" "$C1" 2>/dev/null
wait_empty "Virtual PCD 00 00"
wait_empty "Virtual PCD 00 01"
rig_vcard 35963 -a "3B 9F 96 81 31 FE 45 80 67 55 45 4B 41 45 12 12 31 80 73 B3 A1 80 EB"
C0=$RIG_LAST_PID
rig_vcard 35964 -a "3B"
C1=$RIG_LAST_PID
wait_card "Virtual PCD 00 00" 3B9F968131FE45806755454B41451212318073B3A180EB
wait_card "Virtual PCD 00 01" 3B

run badtck readers --json --reader "Virtual PCD 00 00"
expect_rc 1 "AKIS card with a wrong TCK (warning)"
jcheck "$OUT" "wrong TCK: still AKIS; pcsc.card warns that the ATR is damaged" \
	'card("Virtual PCD 00 00")["family"] == "akis_uekae"' \
	'card("Virtual PCD 00 00")["atr_info"]["tck"] == "bad"' \
	'card("Virtual PCD 00 00")["atr_info"]["problems"] == ["tck_bad"]' \
	'check("pcsc.card")["status"] == "warn"' \
	'"checksum (TCK) is wrong" in check("pcsc.card")["message"]' \
	'check("pcsc.card_type")["status"] == "pass"'

run oneb readers --json --reader "Virtual PCD 00 01"
expect_rc 2 "a one-byte ATR"
jcheck "$OUT" "a one-byte ATR: pcscd finds no protocol; the card cannot be used" \
	'card("Virtual PCD 00 01")["atr"] == "3B"' \
	'card("Virtual PCD 00 01")["state"] == "unsupported"' \
	'card("Virtual PCD 00 01")["error"] == "SCARD_E_PROTO_MISMATCH"' \
	'card("Virtual PCD 00 01")["atr_info"]["problems"] == ["truncated"]' \
	'check("pcsc.card")["status"] == "fail" and d["primary_cause"] == "pcsc.card"' \
	'"cannot be used" in check("pcsc.card")["message"]' \
	'"insert it again" in check("pcsc.card")["remedy"]'

kill "$C1"; wait "$C1" 2>/dev/null
wait_empty "Virtual PCD 00 01"
rig_vcard 35964 -a "3B 9F 96 81 31"
wait_card "Virtual PCD 00 01" 3B9F968131
run short readers --json --reader "Virtual PCD 00 01"
jcheck "$OUT" "a truncated ATR: a finding in atr_info, a warning in pcsc.card" \
	'card("Virtual PCD 00 01")["atr_info"]["valid"] is False' \
	'"truncated" in card("Virtual PCD 00 01")["atr_info"]["problems"]' \
	'check("pcsc.card")["status"] in ("warn", "fail")' \
	'check("pcsc.card")["remedy"] is not None'
finish
