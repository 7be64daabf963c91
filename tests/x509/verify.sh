#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end: `nesdoctor verify` on a Kamu SM-shaped test PKI (mkpki.sh),
# with real servers on loopback: python's http.server for AIA and CRLs,
# `openssl ocsp` as the responder, a server that accepts and never answers,
# and one that answers garbage. Everything runs in private network, mount
# and PID namespaces: only "lo" exists (openssl ocsp binds all interfaces),
# and every server dies with the script. Bounded by `timeout`.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
: "${ND_BIN:?ND_BIN must name the nesdoctor binary}"
x509_ns 110 x509 "$@"

HTTP=18081 OCSP=18082 SILENT=18083 GARBAGE=18084
bash "$HERE/mkpki.sh" "$W/pki" $HTTP $OCSP $SILENT $GARBAGE || { echo "mkpki failed"; exit 1; }
P=$W/pki
bg "$W/http.log" python3 -m http.server $HTTP --bind 127.0.0.1 --directory "$P/www"
bg "$W/ocsp.log" openssl ocsp -index "$P/int/index.txt" -port $OCSP -rsigner "$P/ocsp.pem" \
	-rkey "$P/ocsp.key" -CA "$P/int.pem" -ndays 1
bg "$W/silent.log" python3 "$HERE/servers.py" silent $SILENT 100
bg "$W/garbage.log" python3 "$HERE/servers.py" garbage $GARBAGE 100
wait_ports $HTTP $OCSP $SILENT $GARBAGE

# t NAME ARGS... -- EXPECTATIONS...   (see jcheck.py)
t() { local name=$1; shift; x509_t "$name" --timeout 2 "$@"; }

A="--anchor $P/root.pem"
C() { echo "--cache-dir $W/cache-$1"; }

t good-rsa $A $(C good-rsa) "$P/good-rsa.pem" "$P/int.pem" -- exit=0 primary=null \
	cert.qualified=pass cert.validity=pass cert.holder=pass cert.key=pass cert.chain=pass \
	cert.revocation=pass inv:revocation.method=ocsp inv:revocation.status=good \
	inv:signing_certificate.key.type=RSA inv:signing_certificate.holder.tckn=100******46 \
	'!~10000000146' '!~"der"' msg:cert.key~RSA
t good-ec-aia $A $(C shared) "$P/good-ec.der" -- exit=0 cert.chain=pass cert.revocation=pass \
	inv:chain[1].source=aia inv:chain[2].source=anchor inv:signing_certificate.key.curve=P-256
# the same again, offline: the issuing CA now comes from the cache;
# revocation is not checked (warn)
t good-ec-offline $A $(C shared) --offline "$P/good-ec.der" -- exit=1 cert.chain=pass \
	inv:chain[1].source=cache cert.revocation=warn msg:cert.revocation~offline remedy=cert.revocation
# the CRL is cached after one online run, and then answers offline too
t revcrl-online $A $(C crl) "$P/revcrl.pem" -- exit=2 primary=cert.revocation \
	cert.revocation=fail inv:revocation.method=crl inv:revocation.reason=superseded remedy=cert.revocation \
	inv:revocation.crl_signature=verified
t revcrl-cached $A $(C crl) --offline "$P/revcrl.pem" -- exit=2 cert.revocation=fail \
	inv:revocation.cached=true inv:revocation.crl_signature=verified_before
# a cached CRL whose file changed since its record was written (here only
# its time) has its signature verified again; a damaged one is not taken
for f in "$W"/cache-crl/crl/*; do case $f in *.ok) ;; *) touch -d '-1 hour' "$f";; esac; done
t revcrl-cache-touched $A $(C crl) --offline "$P/revcrl.pem" -- exit=2 cert.revocation=fail \
	inv:revocation.cached=true inv:revocation.crl_signature=verified
t revcrl-cache-again $A $(C crl) --offline "$P/revcrl.pem" -- exit=2 inv:revocation.crl_signature=verified_before
for f in "$W"/cache-crl/crl/*; do case $f in *.ok) ;; *) printf '\x30\x03\x02\x01\x01' >"$f";; esac; done
t revcrl-cache-damaged $A $(C crl) --offline "$P/revcrl.pem" -- exit=1 cert.revocation=warn \
	inv:revocation.status=unknown
# a CRL limited to CA certificates (issuingDistributionPoint onlyCA) says
# nothing about an end-user certificate: a warning, never a pass; not cached
t narrow-crl $A $(C narrow) "$P/narrowcrl.pem" -- exit=1 primary=null cert.revocation=warn \
	inv:revocation.status=unknown inv:revocation.error=crl_scope inv:revocation.method=crl \
	msg:cert.revocation~"only CA certificates" remedy=cert.revocation
t narrow-crl-offline $A $(C narrow) --offline "$P/narrowcrl.pem" "$P/int.pem" -- exit=1 cert.revocation=warn \
	inv:revocation.error=offline
t expired $A $(C x) "$P/expired.pem" "$P/int.pem" -- exit=2 primary=cert.validity cert.validity=fail \
	msg:cert.validity~expired remedy:cert.validity~kamusm.bilgem.tubitak.gov.tr remedy:cert.validity~"444 5 576" \
	cert.chain=pass
t notyet $A $(C x) "$P/notyet.pem" "$P/int.pem" -- exit=2 primary=cert.validity cert.validity=fail \
	msg:cert.validity~"not valid yet" remedy:cert.validity~timedatectl
t expiring $A $(C x) "$P/expiring.pem" "$P/int.pem" -- exit=1 primary=null cert.validity=warn \
	msg:cert.validity~"expires in 10 days" remedy=cert.validity
t expiring-quiet $A $(C x) --expiry-warn 5 "$P/expiring.pem" "$P/int.pem" -- exit=0 cert.validity=pass
t revoked-ocsp $A $(C x) "$P/revoked.pem" "$P/int.pem" -- exit=2 primary=cert.revocation \
	cert.revocation=fail inv:revocation.method=ocsp inv:revocation.reason=keyCompromise \
	msg:cert.revocation~REVOKED remedy:cert.revocation~"444 5 576"
t noqc $A $(C x) "$P/noqc.pem" "$P/int.pem" -- exit=2 primary=cert.qualified cert.qualified=fail \
	msg:cert.qualified~"0.4.0.1862.1.1" remedy=cert.qualified
t wrongku $A $(C x) "$P/wrongku.pem" "$P/int.pem" -- exit=2 primary=cert.qualified cert.qualified=fail \
	msg:cert.qualified~nonRepudiation remedy=cert.qualified
t badtckn $A $(C x) "$P/badtckn.pem" "$P/int.pem" -- exit=1 cert.holder=warn msg:cert.holder~checksum \
	msg:cert.holder~"123******01" '!~12345678901'
t badtckn-show-id $A $(C x) --show-id "$P/badtckn.pem" "$P/int.pem" -- exit=1 msg:cert.holder~12345678901
t unknown-issuer $A $(C x) "$P/unknown.pem" -- exit=2 primary=cert.chain cert.chain=fail \
	msg:cert.chain~"Unknown Test CA" remedy=cert.chain cert.revocation=skip
t no-anchor $(C noanchor) "$P/good-ec.pem" -- exit=2 primary=cert.chain cert.chain=fail \
	inv:chain_status.error=untrusted_root
t corrupt $A $(C x) "$P/corrupt.der" -- exit=2 primary=cert.qualified cert.qualified=fail \
	msg:cert.qualified~corrupt.der remedy=cert.qualified
check "corrupt: stderr names the file" "grep -q 'corrupt.der' '$W/corrupt.err'"
printf 'not a certificate at all\n' > "$W/text.pem"
t not-a-cert $A $(C x) "$W/text.pem" -- exit=2 cert.qualified=fail
t unreadable $A $(C x) "$W/no-such-file.pem" -- exit=3 cert.qualified=skip msg:cert.qualified~no-such-file.pem
t silent $A $(C x) "$P/silent.pem" "$P/int.pem" -- exit=1 cert.revocation=warn \
	msg:cert.revocation~"127.0.0.1:$SILENT" remedy:cert.revocation~http_proxy
check "silent: bounded by the timeout (2 s per request, $LAST_MS ms)" "[ $LAST_MS -lt 9000 ]"
t garbage $A $(C x) "$P/garbage.pem" "$P/int.pem" -- exit=1 cert.revocation=warn \
	msg:cert.revocation~"not usable" inv:revocation.error=parse
# http_proxy is honoured: through a "proxy" that answers garbage, a good
# certificate cannot be checked; no_proxy for the host sends it direct again
export http_proxy=http://127.0.0.1:$GARBAGE
t via-proxy $A $(C proxy) "$P/good-ec.pem" "$P/int.pem" -- exit=1 cert.revocation=warn \
	inv:x509.network[0].proxy~"127.0.0.1:$GARBAGE"
export no_proxy=127.0.0.1
t no-proxy $A $(C proxy2) "$P/good-ec.pem" "$P/int.pem" -- exit=0 cert.revocation=pass
unset http_proxy no_proxy

# OCSP answers signed by a responder the issuing CA did not authorise are
# never "good" from OCSP (the CRL then decides): a responder certificate
# issued by the root instead of the issuing CA, one issued by a forged
# issuing CA (same name, other key), and an unrelated CA signing itself
(
	cd "$P" || exit 1
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out rogue.key 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out fakeint.key 2>/dev/null
	openssl req -new -config pki.cnf -key rogue.key -utf8 -subj "/CN=Rogue OCSP Responder" |
		openssl x509 -req -CA root.pem -CAkey root.key -set_serial 0x7001 -days 30 \
		-extfile pki.cnf -extensions v3_ocsp -out rogue-root.pem 2>/dev/null
	openssl req -new -x509 -config pki.cnf -extensions v3_int -key fakeint.key -days 30 -utf8 \
		-subj "$(openssl x509 -in int.pem -noout -subject -nameopt RFC2253,utf8,-esc_msb | sed 's/^subject=//' |
			awk -F', *' '{ for (i = NF; i > 0; i--) printf "/%s", $i }')" -out fakeint.pem 2>/dev/null
	openssl req -new -config pki.cnf -key rogue.key -utf8 -subj "/CN=Rogue OCSP Responder" |
		openssl x509 -req -CA fakeint.pem -CAkey fakeint.key -set_serial 0x7002 -days 30 \
		-extfile pki.cnf -extensions v3_ocsp -out rogue-fakeint.pem 2>/dev/null
) || echo "could not make the rogue responders"
rogue() {  # rogue NAME SIGNER KEY EXPECTATIONS...: the responder on $OCSP signs with SIGNER
	local name=$1 signer=$2 key=$3
	shift 3
	pkill -f "openssl ocsp -index $P/int/index.txt" 2>/dev/null
	for _ in $(seq 50); do ss -ltn | grep -q ":$OCSP " || break; sleep 0.1; done
	bg "$W/ocsp-$name.log" openssl ocsp -index "$P/int/index.txt" -port $OCSP -rsigner "$signer" \
		-rkey "$key" -CA "$P/int.pem" -ndays 1
	for _ in $(seq 50); do ss -ltn | grep -q ":$OCSP " && break; sleep 0.1; done
	t "ocsp-$name" $A $(C "rogue-$name") "$P/good-ec.pem" "$P/int.pem" -- "$@"
}
NOT_FROM_OCSP="inv:revocation.attempts[0].method=ocsp inv:revocation.attempts[0].status=none inv:revocation.attempts[0].error=crypto inv:revocation.method=crl"
# shellcheck disable=SC2086
rogue root-issued "$P/rogue-root.pem" "$P/rogue.key" $NOT_FROM_OCSP
# shellcheck disable=SC2086
rogue fake-int "$P/rogue-fakeint.pem" "$P/rogue.key" $NOT_FROM_OCSP
# shellcheck disable=SC2086
rogue other-ca "$P/other-ca.pem" "$P/other.key" $NOT_FROM_OCSP
rogue int-itself "$P/int.pem" "$P/int.key" inv:revocation.method=ocsp inv:revocation.status=good cert.revocation=pass

# the text report, in English and Turkish
"$ND_BIN" verify --lang en --no-color $A $(C x) "$P/expired.pem" "$P/int.pem" >"$W/en.txt" 2>&1
check "text en: verdict and cause" "grep -q 'PROBLEM FOUND' '$W/en.txt' && grep -q 'Cause: expired on' '$W/en.txt'"
"$ND_BIN" verify --lang tr --no-color $A $(C x) "$P/expired.pem" "$P/int.pem" >"$W/tr.txt" 2>&1
check "text tr: Turkish cause" "grep -q 'SORUN VAR' '$W/tr.txt' && grep -q 'süresi' '$W/tr.txt'"
check "text: chain printed" "grep -q 'Chain:' '$W/en.txt' && grep -q 'Zincir:' '$W/tr.txt'"
"$ND_BIN" verify >/dev/null 2>&1
check "verify without a file is a usage error" "[ $? -eq 64 ]"

echo "x509 verify: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
