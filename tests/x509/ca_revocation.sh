#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The issuing CA's own revocation: each CA below the anchor is looked up in
# its issuer's CRL (the root's root.crl, named in the intermediate's
# distribution point), as the leaf is: streamed, cached, scoped. Against
# the test PKI of mkpki.sh with servers on loopback in private network,
# mount and PID namespaces (as verify.sh). Bounded by `timeout`.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
: "${ND_BIN:?ND_BIN must name the nesdoctor binary}"
x509_ns 110 carev "$@"

HTTP=18091 OCSP=18092 SILENT=18093 GARBAGE=18094
bash "$HERE/mkpki.sh" "$W/pki" $HTTP $OCSP $SILENT $GARBAGE || { echo "mkpki failed"; exit 1; }
P=$W/pki
bg "$W/http.log" python3 -m http.server $HTTP --bind 127.0.0.1 --directory "$P/www"
bg "$W/ocsp.log" openssl ocsp -index "$P/int/index.txt" -port $OCSP -rsigner "$P/ocsp.pem" \
	-rkey "$P/ocsp.key" -CA "$P/int.pem" -ndays 1
bg "$W/silent.log" python3 "$HERE/servers.py" silent $SILENT 100
wait_ports $HTTP $OCSP $SILENT

# t NAME ARGS... -- EXPECTATIONS...   (see jcheck.py)
t() { local name=$1; shift; x509_t "$name" --timeout 2 "$@"; }

A="--anchor $P/root.pem"
C() { echo "--cache-dir $W/cache-$1"; }
ROOTCRL="http://127.0.0.1:$HTTP/root.crl"

# 1. the normal chain: the intermediate is good by the root's CRL; the leaf
# has no revocation of its own in chain[] (it is the top-level one), nor
# has the anchor
t good $A $(C good) "$P/good-ec.pem" "$P/int.pem" -- exit=0 primary=null cert.chain=pass \
	cert.revocation=pass inv:chain[1].revocation.status=good inv:chain[1].revocation.method=crl \
	inv:chain[1].revocation.url="$ROOTCRL" inv:chain[1].revocation.cached=false \
	inv:chain[1].revocation.crl_signature=verified inv:chain[0].revocation=null \
	inv:chain[2].revocation=null
# 4. a second run takes the root's CRL from the cache, its signature
# verified before
t good-cached $A $(C good) "$P/good-ec.pem" "$P/int.pem" -- exit=0 cert.chain=pass \
	inv:chain[1].revocation.status=good inv:chain[1].revocation.cached=true \
	inv:chain[1].revocation.crl_signature=verified_before
# ... and offline too
t good-cached-offline $A $(C good) --offline "$P/good-ec.pem" "$P/int.pem" -- cert.chain=pass \
	inv:chain[1].revocation.status=good inv:chain[1].revocation.cached=true
check "the root's CRL was downloaded once in three runs" \
	"[ \$(grep -c 'GET /root.crl' '$W/http.log') -eq 1 ]"

# 2. a leaf under a revoked intermediate: the chain fails, naming the CA,
# the date and the reason; the whole verdict is not ready
t revoked-int $A $(C rev) "$P/good-under-revoked-int.pem" "$P/int-revoked.pem" -- exit=2 \
	verdict=not_ready primary=cert.chain cert.chain=fail \
	msg:cert.chain~"Test Geri Alınmış Sertifika Hizmet Sağlayıcısı" msg:cert.chain~REVOKED \
	msg:cert.chain~keyCompromise remedy:cert.chain~"444 5 576" remedy:cert.chain~untrusted \
	inv:chain[1].revocation.status=revoked inv:chain[1].revocation.reason=keyCompromise \
	inv:chain[1].revocation.date~Z inv:chain_status.verified=true
# the same from the cache, offline
t revoked-int-offline $A $(C rev) --offline "$P/good-under-revoked-int.pem" "$P/int-revoked.pem" -- \
	exit=2 primary=cert.chain cert.chain=fail inv:chain[1].revocation.cached=true
# in Turkish
"$ND_BIN" verify --lang tr --no-color --timeout 2 $A $(C rev) "$P/good-under-revoked-int.pem" \
	"$P/int-revoked.pem" >"$W/rev-tr.txt" 2>&1
check "text tr: the revoked CA named in Turkish" \
	"grep -q 'Test Geri Alınmış' '$W/rev-tr.txt' && grep -q 'İPTAL' '$W/rev-tr.txt'"

# 3. the root's CRL server silent: the chain still passes, the link is
# unknown with the network's error, cert.revocation warns naming the CA;
# the whole network part within one --timeout (2 s)
t silent-root-crl $A $(C silent) "$P/good-ec.pem" "$P/int-silentcrl.pem" -- exit=1 primary=null \
	cert.chain=pass cert.revocation=warn inv:chain[1].revocation.status=unknown \
	inv:chain[1].revocation.error=timeout inv:chain[1].revocation.url="http://127.0.0.1:$SILENT/root.crl" \
	msg:cert.revocation~"Test Kamu Elektronik Sertifika" msg:cert.revocation~"127.0.0.1:$SILENT" \
	remedy:cert.revocation~http_proxy inv:revocation.status=good
check "silent root CRL: within one --timeout ($LAST_MS ms)" "[ $LAST_MS -lt 4000 ]"
# ... and absent (HTTP 404), with a good leaf answered by its own CRL; it
# is cached, the root's CRL is not
mv "$P/www/root.crl" "$P/root.crl.away"
t absent-root-crl $A $(C absent) "$P/goodcrl.pem" "$P/int.pem" -- exit=1 primary=null cert.chain=pass \
	cert.revocation=warn inv:revocation.status=good inv:chain[1].revocation.status=unknown \
	inv:chain[1].revocation.error=http_status msg:cert.revocation~"Test Kamu Elektronik Sertifika" \
	remedy:cert.revocation~"HTTP 404"
# 5. offline with the leaf's CRL cached and the root's not: the CA is not
# checked, said like the leaf's own offline case (once)
t absent-root-crl-offline $A $(C absent) --offline "$P/goodcrl.pem" "$P/int.pem" -- exit=1 cert.chain=pass \
	cert.revocation=warn inv:revocation.status=good inv:chain[1].revocation.status=unknown \
	inv:chain[1].revocation.error=offline msg:cert.revocation~offline \
	msg:cert.revocation~"Test Kamu Elektronik Sertifika" remedy:cert.revocation~"without --offline"
mv "$P/root.crl.away" "$P/www/root.crl"
# 5. offline with nothing cached: recorded, and the leaf's warning about
# the network being off is the only one
t offline-fresh $A $(C fresh) --offline "$P/good-ec.pem" "$P/int.pem" -- exit=1 cert.chain=pass \
	cert.revocation=warn inv:revocation.error=offline inv:chain[1].revocation.status=unknown \
	inv:chain[1].revocation.error=offline "msg:cert.revocation~not checked: the network is off" \
	'!~issuing CA'

# scope (RFC 5280 6.3.3): the root's CRL limited to CA certificates covers
# the intermediate; one limited to end-user certificates does not (unknown,
# crl_scope, a warning), and is not cached
t scope-caonly $A $(C caonly) "$P/good-ec.pem" "$P/int-caonly.pem" -- exit=0 cert.chain=pass \
	cert.revocation=pass inv:chain[1].revocation.status=good \
	inv:chain[1].revocation.url="http://127.0.0.1:$HTTP/root-caonly.crl"
t scope-useronly $A $(C useronly) "$P/good-ec.pem" "$P/int-useronly.pem" -- exit=1 cert.chain=pass \
	cert.revocation=warn inv:chain[1].revocation.status=unknown inv:chain[1].revocation.error=crl_scope \
	msg:cert.revocation~"Test Kamu Elektronik Sertifika"
check "scope-useronly: the CRL that cannot decide is not cached" \
	"! ls '$W/cache-useronly/crl/' 2>/dev/null | grep -q ."

# the leaf's OCSP and CRL silent and the root's CRL silent too: one
# --timeout (2 s) for all three, every one reported
t all-silent $A $(C allsilent) "$P/silent.pem" "$P/int-silentcrl.pem" -- exit=1 cert.chain=pass \
	cert.revocation=warn inv:revocation.status=unknown inv:chain[1].revocation.status=unknown \
	inv:chain[1].revocation.error=timeout msg:cert.revocation~"could not be checked either"
check "all silent: within one --timeout ($LAST_MS ms)" "[ $LAST_MS -lt 4000 ]"

echo "x509 CA revocation: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
