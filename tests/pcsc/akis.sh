#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# AKIS cards of both families (and v1.0): identified from the ATR, the
# readers say which reader has which card, one harmless APDU is answered.
. "$ND_TESTS/lib.sh"
rig_enter_ns "$@"
UEKAE="3B 9F 96 81 31 FE 45 80 67 55 45 4B 41 45 12 12 31 80 73 B3 A1 80 EA"
TC="3B 9F 97 81 31 FE 45 80 65 54 43 D3 23 02 31 C0 73 F6 21 80 81 05 52"
V1="3B BA 11 00 81 31 FE 4D 55 45 4B 41 45 20 56 31 2E 30 AE"

rig_pcscd 1
t0=$(date +%s%N)
rig_vcard 35963 -a "$UEKAE"
C0=$RIG_LAST_PID
wait_card "Virtual PCD 00 00" && ok "UEKAE card seen $((($(date +%s%N) - t0) / 1000000)) ms after the virtual card started"
rig_vcard 35964 -a "$TC"
wait_card "Virtual PCD 00 01"

# -- the UEKAE card alone
before=$(grep -c 'vcard ->' "$RIG_WORK/vcard-35963.log")
run uekae readers --json --reader "Virtual PCD 00 00"
after=$(grep -c 'vcard ->' "$RIG_WORK/vcard-35963.log")
expect_rc 0 "AKIS UEKAE"
jcheck "$OUT" "AKIS UEKAE: ready, inventory fields for scripts" \
	'd["verdict"] == "ready" and d["primary_cause"] is None' \
	'card("Virtual PCD 00 00")["atr"] == "3B9F968131FE45806755454B41451212318073B3A180EA"' \
	'card("Virtual PCD 00 00")["protocol"] == "T=1"' \
	'card("Virtual PCD 00 00")["family"] == "akis_uekae"' \
	'card("Virtual PCD 00 00")["name"] == "AKIS (UEKAE family)"' \
	'card("Virtual PCD 00 00")["state"] == "answers"' \
	'card("Virtual PCD 00 00")["apdu"] == {"command": "00A4000C023F00", "answered": True, "sw": "9000", "rv": "SCARD_S_SUCCESS", "ms": card("Virtual PCD 00 00")["apdu"]["ms"]}' \
	'card("Virtual PCD 00 00")["atr_info"]["valid"] and card("Virtual PCD 00 00")["atr_info"]["tck"] == "ok"' \
	'card("Virtual PCD 00 00")["atr_info"]["protocols"] == ["T=1"]' \
	'card("Virtual PCD 00 00")["known_as"] == ["Test list: AKIS on a test chip"]' \
	'"ambiguous_with" not in card("Virtual PCD 00 00")' \
	'check("pcsc.card")["status"] == "pass" and check("pcsc.card_type")["status"] == "pass"' \
	'inv["pcsc"]["smartcard_list"]["loaded"] is True' \
	'inv["pcsc"]["reachable"] is True and inv["pcsc"]["service"] == "ok"'
[ $((after - before)) -eq 1 ] && ok "exactly one APDU was sent to the card" || bad "$((after - before)) APDUs sent"
grep -q 'vcard ->: 00 A4 00 0C 02 3F 00' "$RIG_WORK/vcard-35963.log" && ok "the APDU was SELECT MF" || bad "not SELECT MF"
run uekae-text readers --reader "Virtual PCD 00 00"
has "$OUT" "OK: every check of this command passed (for the full answer: nesdoctor check)" "AKIS UEKAE, text: the verdict (readers alone does not promise signing)"
lacks "$OUT" "you can sign" "AKIS UEKAE, text: no 'you can sign' from readers alone"
has "$OUT" "AKIS card (UEKAE family) in Virtual PCD 00 00" "AKIS UEKAE, text: the card type"
has "$OUT" "ATR 3B 9F 96 81 31 FE 45 80 67 55 45 4B 41 45 12 12 31 80 73 B3 A1 80 EA" "AKIS UEKAE, text: the ATR"
run uekae-tr readers --reader "Virtual PCD 00 00" --lang tr
expect_rc 0 "AKIS UEKAE, Turkish"
has "$OUT" "Virtual PCD 00 00 okuyucusunda AKİS kartı (UEKAE ailesi)" "AKIS UEKAE, Turkish card type"
has "$OUT" "kart yanıt veriyor (T=1, durum 9000)" "AKIS UEKAE, Turkish: the card answers"

# -- the TC family: AKIS, or a Turkish ID card
run tc readers --json --reader "Virtual PCD 00 01"
expect_rc 1 "AKIS TC family (ready with a warning)"
jcheck "$OUT" "AKIS TC family: ambiguous with the TCKK, a warning with what to do" \
	'card("Virtual PCD 00 01")["family"] == "akis_tc"' \
	'card("Virtual PCD 00 01")["ambiguous_with"] == "tckk"' \
	'"Turkish ID card" in card("Virtual PCD 00 01")["name"]' \
	'check("pcsc.card")["status"] == "pass"' \
	'check("pcsc.card_type")["status"] == "warn"' \
	'"cannot tell these two apart" in check("pcsc.card_type")["message"]' \
	'"Kamu SM" in check("pcsc.card_type")["remedy"]' \
	'd["verdict"] == "warning" and d["primary_cause"] is None'
run tc-tr readers --reader "Virtual PCD 00 01" --lang tr
has "$OUT" "AKİS kartı (TC ailesi) ya da T.C. kimlik kartı (TCKK)" "AKIS TC family, Turkish"

# -- both at once: which reader has which card; the AKIS card decides
run both readers --json
expect_rc 0 "two AKIS cards"
jcheck "$OUT" "two readers, two cards: each reader has its card" \
	'card("Virtual PCD 00 00")["family"] == "akis_uekae"' \
	'card("Virtual PCD 00 01")["family"] == "akis_tc"' \
	'check("pcsc.card_type")["status"] == "pass"' \
	'check("pcsc.card_type")["details"]["reader"] == "Virtual PCD 00 00"'
run both-text readers
has "$OUT" "0  Virtual PCD 00 00" "text: reader 0 listed"
has "$OUT" "1  Virtual PCD 00 01" "text: reader 1 listed"
has "$OUT" "AKIS card (TC family) or Turkish ID card (TCKK) — answers" "text: reader 1's card"

# -- AKIS v1.0, after the UEKAE card is taken out
kill "$C0"; wait "$C0" 2>/dev/null
wait_empty "Virtual PCD 00 00"
rig_vcard 35963 -a "$V1"
wait_card "Virtual PCD 00 00" 3BBA11008131FE4D55454B41452056312E30AE
run v1 readers --json --reader "Virtual PCD 00 00"
expect_rc 0 "AKIS v1.0"
jcheck "$OUT" "AKIS v1.0 identified" 'card("Virtual PCD 00 00")["family"] == "akis_v1"' \
	'card("Virtual PCD 00 00")["atr"] == "3BBA11008131FE4D55454B41452056312E30AE"'
finish
