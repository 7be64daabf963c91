#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end, the card: no card in the reader, and a card that is not an
# AKIS card, every layer real (lib.sh). Two PKCS#11 modules, because the
# answer depends on where the token lives:
#   OpenSC's module reads its token from the card through pcscd, as the AKIS
#     library does: the token goes away with the card.
#   SoftHSM2's token is in software, whatever is in the reader: by design
#     (src/checks/p11.c, p11.token) it is judged on its own, not blocked.
# Cases:
#   no card, OpenSC         -> pcsc.card, exit 2; the p11 and cert checks
#                              skipped, blocked by pcsc.card
#   no card, SoftHSM2       -> pcsc.card, exit 2; the token and its
#                              certificate are still checked (and pass)
#   a bank card, SoftHSM2   -> pcsc.card_type warns: warning, exit 1
#   a bank card, OpenSC     -> p11.token: the library does not know the
#                              card, exit 2
. "$(cd "$(dirname "$0")" && pwd)/lib.sh" || exit 1
rig_enter_ns "$@"
OSC=$(rig_module opensc)
[ -e "${OSC:-/nonexistent}" ] || { echo "e2e: no OpenSC PKCS#11 module (package opensc-pkcs11)"; exit 1; }
# OpenSC with a private configuration and no file cache in $HOME (as in
# tests/p11/p11_opensc.sh)
export HOME=$RIG_WORK OPENSC_CONF=$RIG_WORK/opensc.conf
printf 'app default {\n  reader_drivers = pcsc;\n  framework pkcs15 { use_file_caching = false; }\n}\n' > "$OPENSC_CONF"
e2e_world
e2e_token rsa good-rsa
e2e_use rsa
# the world starts with no card: the readers must be empty
if [ "$(reader_state "$READER")" = "-" ]; then ok "no card in $READER"; else bad "a card in $READER"; fi

# ---- 4. no card, with a module whose token is on the card
MODULE=$OSC nd_check nocard-opensc
expect_rc 2 "no card (OpenSC): not ready"
expect "no card (OpenSC): primary cause pcsc.card, insert the card" verdict=not_ready primary=pcsc.card \
	pcsc.service=pass pcsc.reader=pass pcsc.card=fail msg:pcsc.card~"no card in any of the 2 card readers" \
	remedy:pcsc.card~"Insert the e-signature card" pcsc.card_type=skip p11.module=pass \
	p11.token=skip p11.pin=skip p11.objects=skip p11.mechanisms=skip \
	cert.qualified=skip cert.validity=skip cert.holder=skip cert.key=skip cert.chain=skip cert.revocation=skip \
	dys.ready=fail msg:dys.ready~"pcsc.card failed" remedy:dys.ready~"Insert the e-signature card"
jcheck "$OUT" "no card (OpenSC): everything above pcsc.card is blocked by it" \
	'all(check(i)["blocked_by"] == "pcsc.card" for i in ("pcsc.card_type", "p11.token", "p11.pin", "p11.objects", "p11.mechanisms", "cert.qualified", "cert.validity", "cert.holder", "cert.key", "cert.chain", "cert.revocation"))' \
	'all(r["card"] is None for r in inv["readers"])' \
	'inv["modules"][0]["status"] == "ok" and all(s["token_present"] is False for s in inv["modules"][0]["slots"])' \
	'not inv.get("certificates") and not inv.get("signing_certificate") and not inv.get("chain")' \
	'check("dys.ready")["details"]["blocked_by"] == "pcsc.card"'
expect_doc "no card (OpenSC)"
usb_sys_asserts "no card (OpenSC)"
MODULE=$OSC nd_text nocard-opensc tr
expect_tr "no card (OpenSC)" not_ready 2 "HAZIR DEĞİL: henüz imza atılamaz" pcsc.card -- \
	"Neden: 2 kart okuyucunun hiçbirinde kart yok [pcsc.card]" \
	"- cert.qualified     pcsc.card başarısız olduğu için denetlenmedi"

# ---- 4b. no card, the software token: still not ready because of the card
nd_check nocard-softhsm
expect_rc 2 "no card (SoftHSM2): not ready"
expect "no card (SoftHSM2): primary cause pcsc.card; the software token is still judged" \
	verdict=not_ready primary=pcsc.card pcsc.card=fail pcsc.card_type=skip \
	p11.token=pass p11.objects=pass cert.qualified=pass cert.chain=pass cert.revocation=pass \
	dys.ready=fail msg:dys.ready~"pcsc.card failed"
jcheck "$OUT" "no card (SoftHSM2): only the card type is blocked" \
	'[c["id"] for c in d["checks"] if c["blocked_by"]] == ["pcsc.card_type"]' \
	'[c["id"] for c in d["checks"] if c["status"] == "fail"] == ["pcsc.card", "dys.ready"]'
expect_doc "no card (SoftHSM2)"

# ---- 7. a card that is not AKIS (a bank card, named by our test list of
# ATRs), with the software token: a warning, not a failure (Kamu SM may
# ship a card whose ATR is not known yet; the token layer is the real test)
e2e_card "$BANK"
nd_check bank-softhsm
expect_rc 1 "bank card (SoftHSM2): ready with a warning"
expect "bank card (SoftHSM2): pcsc.card_type warns, names the card, says what to do" \
	verdict=warning primary=null pcsc.card=pass pcsc.card_type=warn \
	msg:pcsc.card_type~"not an AKIS card: this may not be your e-signature card" \
	msg:pcsc.card_type~"Test list: Example Bank debit card" remedy:pcsc.card_type~"Kamu SM" \
	p11.token=pass cert.qualified=pass cert.revocation=pass dys.ready=warn
jcheck "$OUT" "bank card (SoftHSM2): unknown family, the only warning" \
	"card('$READER')['family'] == 'unknown' and card('$READER')['atr'] == '$BANK_HEX'" \
	'check("dys.ready")["details"]["warnings"] == ["pcsc.card_type"]'
expect_doc "bank card (SoftHSM2)"
usb_sys_asserts "bank card (SoftHSM2)"
nd_text bank-softhsm tr
expect_tr "bank card (SoftHSM2)" warning 1 "HAZIR, UYARILARLA" "" -- \
	"! pcsc.card_type     AKİS kartı değil: bu sizin e-imza kartınız olmayabilir"

# ---- 7b. the same card, with a module that reads the card: no token
MODULE=$OSC nd_check bank-opensc
expect_rc 2 "bank card (OpenSC): not ready"
expect "bank card (OpenSC): primary cause p11.token, the library does not know the card" \
	verdict=not_ready primary=p11.token pcsc.card=pass pcsc.card_type=warn \
	p11.token=fail msg:p11.token~"cannot be read by the library" msg:p11.token~CKR_TOKEN_NOT_RECOGNIZED \
	remedy:p11.token~"bank card" cert.qualified=skip cert.revocation=skip dys.ready=fail
jcheck "$OUT" "bank card (OpenSC): the token's checks are blocked by p11.token" \
	'all(check(i)["blocked_by"] == "p11.token" for i in ("p11.pin", "p11.objects", "cert.qualified", "cert.revocation"))'
expect_doc "bank card (OpenSC)"
MODULE=$OSC nd_text bank-opensc tr
expect_tr "bank card (OpenSC)" not_ready 2 "HAZIR DEĞİL: henüz imza atılamaz" p11.token -- \
	"kütüphane tarafından okunamıyor (CKR_TOKEN_NOT_RECOGNIZED)"
finish
