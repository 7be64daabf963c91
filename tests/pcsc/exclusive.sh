#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A card held exclusively by another program (a stand-in named scdaemon, as
# GnuPG's is the usual one): pcsc.card names it and says how to free the card.
. "$ND_TESTS/lib.sh"
rig_enter_ns "$@"
rig_pcscd 1
rig_vcard 35963
wait_card "Virtual PCD 00 00"
cp "$ND_BUILD/tests/rig/holdcard" "$RIG_WORK/scdaemon"
rig_bg "$RIG_WORK/holder.log" "$RIG_WORK/scdaemon" "Virtual PCD 00 00" 30
H=$RIG_LAST_PID
for ((i = 0; i < 50; i++)); do grep -q held "$RIG_WORK/holder.log" && break; sleep 0.1; done
grep -q held "$RIG_WORK/holder.log" && ok "the stand-in holds the card" || bad "the stand-in could not take the card"

run held readers --json --reader "Virtual PCD 00 00"
expect_rc 2 "card held exclusively"
jcheck "$OUT" "held exclusively: SCARD_E_SHARING_VIOLATION, scdaemon named, the way out given" \
	'd["primary_cause"] == "pcsc.card"' \
	'card("Virtual PCD 00 00")["state"] == "in_use"' \
	'card("Virtual PCD 00 00")["error"] == "SCARD_E_SHARING_VIOLATION"' \
	'card("Virtual PCD 00 00")["family"] == "akis_uekae"' \
	'{"pid": '"$H"', "name": "scdaemon"} in card("Virtual PCD 00 00")["held_by"]' \
	'"held exclusively by another program (SCARD_E_SHARING_VIOLATION)" in check("pcsc.card")["message"]' \
	'"scdaemon (pid '"$H"') is running" in check("pcsc.card")["message"]' \
	'"gpgconf --kill scdaemon" in check("pcsc.card")["remedy"]' \
	'"disable-ccid" in check("pcsc.card")["remedy"] and "pcsc-shared" in check("pcsc.card")["remedy"]'
run held-tr readers --reader "Virtual PCD 00 00" --lang tr
has "$OUT" "kartı başka bir program yalnızca kendine ayırmış" "held, Turkish"
has "$OUT" "gpgconf --kill scdaemon" "held, Turkish: the command"

kill "$H"; wait "$H" 2>/dev/null
run free readers --json --reader "Virtual PCD 00 00"
expect_rc 0 "card free again"
jcheck "$OUT" "once the holder is gone, the card answers" 'card("Virtual PCD 00 00")["state"] == "answers"'
finish
