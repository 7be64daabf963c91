#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A mute card (ATR, then no answer to any command): pcsc.card fails with
# what to do, bounded by --timeout, and it is the AKIS card that is judged
# even when another card answers in the other reader.
. "$ND_TESTS/lib.sh"
rig_enter_ns "$@"
rig_pcscd 1
rig_vcard 35963 -m apdu
rig_vcard 35964 -a "3B 6E 00 00 80 31 80 66 B0 84 12 01 6E 01 83 00 90 00"
wait_card "Virtual PCD 00 01"
# (a probe of 00 00 now would get stuck in it: look at pcscd's state only)
for ((i = 0; i < 50; i++)); do
	grep -q 'Card ATR: 3B 9F 96' "$RIG_WORK/pcscd.log" && break
	sleep 0.1
done

run mute readers --json --timeout 2
expect_rc 2 "mute card"
within 6000 "mute card: bounded by --timeout 2"
jcheck "$OUT" "mute card: pcsc.card fails on the AKIS card, the hung call named" \
	'd["primary_cause"] == "pcsc.card"' \
	'check("pcsc.card")["status"] == "fail"' \
	'"the card in Virtual PCD 00 00 does not answer: no answer within 2 s" in check("pcsc.card")["message"]' \
	'"chip first, facing up" in check("pcsc.card")["remedy"]' \
	'card("Virtual PCD 00 00")["state"] == "mute"' \
	'card("Virtual PCD 00 00")["hung_step"] == "SCardTransmit"' \
	'card("Virtual PCD 00 00")["family"] == "akis_uekae"' \
	'card("Virtual PCD 00 01")["state"] == "answers"' \
	'check("pcsc.card_type")["status"] == "skip"'

# pcscd's thread for that reader is stuck in the driver now: a second run
# must still end in time
run again readers --json --timeout 2
expect_rc 2 "mute card, second run"
within 6000 "mute card, second run: bounded"
jcheck "$OUT" "second run: still the mute card" 'card("Virtual PCD 00 00")["state"] == "mute"' \
	'check("pcsc.card")["status"] == "fail"'
run mute-tr readers --timeout 2 --lang tr
has "$OUT" "Virtual PCD 00 00 okuyucusundaki kart yanıt vermiyor" "mute card, Turkish"
has "$OUT" "Kartı çıkarıp yeniden takın" "mute card, Turkish remedy"
kill -0 "$RIG_PCSCD_PID" 2>/dev/null && ok "pcscd still runs" || bad "pcscd died"
finish
