#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pcsc.reader and pcsc.card without cards: a pcscd with no reader at all,
# then with two empty readers; --reader.
. "$ND_TESTS/lib.sh"
rig_enter_ns "$@"

# -- pcscd without readers
rig_pcscd 0
run noreader readers --json
expect_rc 2 "no reader"
jcheck "$OUT" "no reader: pcsc.reader fails, the cause, with the driver package named" \
	'check("pcsc.service")["status"] == "pass"' \
	'check("pcsc.reader")["status"] == "fail"' \
	'd["primary_cause"] == "pcsc.reader"' \
	'"no card reader" in check("pcsc.reader")["message"]' \
	'"libccid" in check("pcsc.reader")["remedy"]' \
	'check("pcsc.card")["blocked_by"] == "pcsc.reader"' \
	'inv["readers"] == []' \
	'inv["pcsc"]["readers_rv"] == "SCARD_E_NO_READERS_AVAILABLE"'
run noreader-text readers
has "$OUT" "(no reader)" "no reader: the text report says so"
run noreader-tr readers --lang tr
has "$OUT" "kart okuyucu bulunamadı" "no reader, Turkish"
rig_pcscd_stop

# -- two empty readers
rig_pcscd 1
run empty readers --json
expect_rc 2 "empty readers"
jcheck "$OUT" "empty readers: both listed with card null; pcsc.card fails with what to do" \
	'[r["name"] for r in inv["readers"]] == ["Virtual PCD 00 00", "Virtual PCD 00 01"]' \
	'all(r["card"] is None for r in inv["readers"])' \
	'"empty" in reader("Virtual PCD 00 00")["state"]' \
	'check("pcsc.reader")["status"] == "pass"' \
	'check("pcsc.card")["status"] == "fail"' \
	'd["primary_cause"] == "pcsc.card"' \
	'"no card in any of the 2 card readers" in check("pcsc.card")["message"]' \
	'"chip first" in check("pcsc.card")["remedy"]' \
	'check("pcsc.card_type")["status"] == "skip"'
run empty-text readers
has "$OUT" "Virtual PCD 00 01" "empty readers: text lists the readers"
has "$OUT" "(no card)" "empty readers: text says no card"
has "$OUT" "Insert the e-signature card into the reader" "empty readers: text leads with the remedy"
run empty-tr readers --lang tr
has "$OUT" "kart okuyucunun hiçbirinde kart yok" "empty readers, Turkish cause"
has "$OUT" "çipli ucu önde" "empty readers, Turkish remedy"

# -- --reader: exact, part of a name, no match
run one readers --json --reader "Virtual PCD 00 01"
jcheck "$OUT" "--reader NAME: only that reader counts" \
	'inv["pcsc"]["reader_filter"] == "Virtual PCD 00 01"' \
	'reader("Virtual PCD 00 01")["selected"] and not reader("Virtual PCD 00 00")["selected"]' \
	'check("pcsc.reader")["message"] == "one card reader: Virtual PCD 00 01"' \
	'check("pcsc.card")["message"] == "no card in the reader Virtual PCD 00 01"'
run part readers --json --reader "pcd 00 00"
jcheck "$OUT" "--reader matches a part of a name, any case" \
	'reader("Virtual PCD 00 00")["selected"] and not reader("Virtual PCD 00 01")["selected"]'
run nomatch readers --json --reader "ACR39"
expect_rc 2 "--reader with no match"
jcheck "$OUT" "--reader with no match: pcsc.reader fails and lists the readers" \
	'check("pcsc.reader")["status"] == "fail"' \
	'"Virtual PCD 00 00, Virtual PCD 00 01" in check("pcsc.reader")["message"]'
finish
