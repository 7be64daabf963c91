#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end, the certificate failures: a SoftHSM2 token whose certificate
# (with its key) is revoked, expired or not qualified, behind a working
# AKIS card, every layer real (lib.sh). Each gives dys.ready fail, the
# right primary cause with its remedy, and exit 2:
#   revoked (OCSP), TC family card  -> cert.revocation (the card type's
#                                      warning does not take its place)
#   expired, UEKAE family card      -> cert.validity
#   no QC statements, UEKAE family  -> cert.qualified; the checks above it
#                                      skipped, blocked by it
. "$(cd "$(dirname "$0")" && pwd)/lib.sh" || exit 1
rig_enter_ns "$@"
e2e_world
e2e_token revoked revoked
e2e_token expired expired
e2e_token noqc noqc

# ---- 2. revoked, answered by OCSP
e2e_card "$TC"
e2e_use revoked
nd_check revoked
expect_rc 2 "revoked: not ready"
expect "revoked: primary cause cert.revocation, from OCSP, with what to do" verdict=not_ready \
	primary=cert.revocation cert.revocation=fail msg:cert.revocation~REVOKED \
	msg:cert.revocation~keyCompromise msg:cert.revocation~"http://127.0.0.1:$OCSP/" \
	remedy:cert.revocation~"444 5 576" remedy:cert.revocation~kamusm.bilgem.tubitak.gov.tr \
	inv:revocation.method=ocsp inv:revocation.status=revoked inv:revocation.reason=keyCompromise \
	pcsc.card=pass pcsc.card_type=warn p11.token=pass p11.objects=pass \
	cert.qualified=pass cert.validity=pass cert.holder=pass cert.key=pass cert.chain=pass \
	dys.ready=fail msg:dys.ready~"cert.revocation failed" remedy:dys.ready~"444 5 576"
jcheck "$OUT" "revoked: the token's certificate, the verdict names its blocker" \
	"inv['signing_certificate']['sha256'] == '$(cert_sha256 revoked)'" \
	'check("dys.ready")["details"]["blocked_by"] == "cert.revocation"' \
	'check("dys.ready")["remedy"] == check("cert.revocation")["remedy"]' \
	'[c["id"] for c in d["checks"] if c["status"] == "fail"] == ["cert.revocation", "dys.ready"]'
expect_doc "revoked"
usb_sys_asserts "revoked"
nd_text revoked tr
expect_tr "revoked" not_ready 2 "HAZIR DEĞİL: henüz imza atılamaz" cert.revocation -- \
	"İPTAL EDİLMİŞ" "İptal edilmiş bir sertifikayla bir daha imza atılamaz" "444 5 576"

# ---- 3. expired
e2e_card "$UEKAE"
e2e_use expired
nd_check expired
expect_rc 2 "expired: not ready"
expect "expired: primary cause cert.validity, renew" verdict=not_ready primary=cert.validity \
	cert.validity=fail msg:cert.validity~"expired on 2021-01-01T00:00:00Z" \
	remedy:cert.validity~"444 5 576" remedy:cert.validity~timedatectl \
	pcsc.card_type=pass p11.objects=pass cert.qualified=pass \
	dys.ready=fail msg:dys.ready~"cert.validity failed"
jcheck "$OUT" "expired: the token's certificate; cert.validity is the only failure" \
	"inv['signing_certificate']['sha256'] == '$(cert_sha256 expired)'" \
	'check("dys.ready")["details"]["blocked_by"] == "cert.validity"' \
	'[c["id"] for c in d["checks"] if c["status"] == "fail"] == ["cert.validity", "dys.ready"]' \
	'check("dys.ready")["details"]["warnings"] == []'
expect_doc "expired"
usb_sys_asserts "expired"
nd_text expired tr
expect_tr "expired" not_ready 2 "HAZIR DEĞİL: henüz imza atılamaz" cert.validity -- \
	"süresi 2021-01-01T00:00:00Z tarihinde doldu"

# ---- 6. no QC statements: not a qualified certificate
e2e_use noqc
nd_check noqc
expect_rc 2 "no QC statements: not ready"
expect "no QC statements: primary cause cert.qualified" verdict=not_ready primary=cert.qualified \
	cert.qualified=fail msg:cert.qualified~"not a qualified (NES) certificate" \
	msg:cert.qualified~"0.4.0.1862.1.1" msg:cert.qualified~"2.16.792.1.61.0.1.5070.1.1" \
	remedy:cert.qualified~"444 5 576" p11.objects=pass p11.mechanisms=pass \
	cert.validity=skip cert.holder=skip cert.key=skip cert.chain=skip cert.revocation=skip \
	dys.ready=fail msg:dys.ready~"cert.qualified failed"
jcheck "$OUT" "no QC statements: the checks above cert.qualified are blocked by it" \
	'all(check(i)["blocked_by"] == "cert.qualified" for i in ("cert.validity", "cert.holder", "cert.key", "cert.chain", "cert.revocation"))' \
	'check("dys.ready")["details"]["blocked_by"] == "cert.qualified"' \
	'[c["id"] for c in d["checks"] if c["status"] == "fail"] == ["cert.qualified", "dys.ready"]'
expect_doc "no QC statements"
nd_text noqc tr
expect_tr "no QC statements" not_ready 2 "HAZIR DEĞİL: henüz imza atılamaz" cert.qualified -- \
	"nitelikli (NES) bir sertifika değil: eksik QC beyanları" \
	"- cert.chain         cert.qualified başarısız olduğu için denetlenmedi"
finish
