#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Kamu SM's hierarchy shipped with nesdoctor (data/kamusm/, pinned in
# src/x509/anchors.c) and `nesdoctor verify` on CA certificates, end to end
# with an empty cache each time (a fresh machine):
#   - the shipped root and NES CA, identified by their pins; the NES CA
#     chains offline to the shipped root ("bundled");
#   - a certificate that claims the NES CA as its issuer (same issuer name,
#     its key identifier as AKID) but is signed by another key fails
#     cert.chain, offline and online (its AIA served on loopback);
#   - a tampered copy in the data folder (NESDOCTOR_DATADIR) is ignored and
#     reported;
#   - the test PKI's CA (mkpki.sh) with and without --anchor, an expired CA.
# Online parts run in private network, mount and PID namespaces (only "lo").
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
: "${ND_BIN:?ND_BIN must name the nesdoctor binary}"
: "${ND_SRC:?}"
x509_ns 150 kamusm "$@"
unset NESDOCTOR_DATADIR http_proxy https_proxy no_proxy

HTTP=18181
K=$ND_SRC/data/kamusm
ROOT=$K/kamusm-root-v6.der NES=$K/kamusm-nes-v6.der
bash "$HERE/mkpki.sh" "$W/pki" $HTTP 18182 18183 18184 >/dev/null 2>&1 || { echo "mkpki failed"; exit 1; }
P=$W/pki

# --- a forgery of the NES CA: its name, its key identifier, another key ---
F=$W/fake
mkdir -p "$F/www"
skid=$(openssl x509 -inform DER -in "$NES" -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' ')
subj=$(openssl x509 -inform DER -in "$NES" -noout -subject -nameopt RFC2253,-esc_msb,sep_multiline |
	tail -n +2 | sed 's/^ *//' | tac | sed 's/^/\//' | tr -d '\n')
# the test PKI's configuration (req, its qc_statements) and two sections
{ cat "$W/pki/pki.cnf"; cat <<EOF
[ v3_fakeca ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = $skid
[ v3_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, nonRepudiation
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
certificatePolicies    = 2.16.792.1.2.1.1.5.7.1.1
authorityInfoAccess    = caIssuers;URI:http://127.0.0.1:$HTTP/nes.crt
1.3.6.1.5.5.7.1.3      = ASN1:SEQUENCE:qc_statements
EOF
} > "$F/f.cnf"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$F/ca.key" 2>/dev/null
openssl req -new -x509 -config "$F/f.cnf" -extensions v3_fakeca -key "$F/ca.key" -days 3650 -utf8 \
	-subj "$subj" -out "$F/ca.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$F/leaf.key" 2>/dev/null
openssl req -new -config "$F/f.cnf" -key "$F/leaf.key" -utf8 \
	-subj "/C=TR/CN=SAHTE KULLANICI/serialNumber=10000000146" 2>/dev/null |
	openssl x509 -req -CA "$F/ca.pem" -CAkey "$F/ca.key" -set_serial 0x4001 -days 365 \
	-extfile "$F/f.cnf" -extensions v3_leaf -out "$F/leaf.pem" 2>/dev/null
openssl x509 -in "$F/ca.pem" -outform DER -out "$F/www/nes.crt"

# --- an expired CA under the test root ---
mkdir -p "$W/exp/new"
: > "$W/exp/index.txt"; echo 5000 > "$W/exp/serial"
cat > "$W/exp/ca.cnf" <<EOF
[ ca ]
default_ca = r
[ r ]
database      = $W/exp/index.txt
new_certs_dir = $W/exp/new
serial        = $W/exp/serial
default_md    = sha384
policy        = any
unique_subject = no
[ any ]
commonName    = supplied
[ v3_ca ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$W/exp/exp.key" 2>/dev/null
openssl req -new -key "$W/exp/exp.key" -subj "/C=TR/CN=Expired Test CA" -out "$W/exp/exp.csr" 2>/dev/null
openssl ca -batch -config "$W/exp/ca.cnf" -cert "$P/root.pem" -keyfile "$P/root.key" -extensions v3_ca \
	-startdate 20200101000000Z -enddate 20210101000000Z -notext -in "$W/exp/exp.csr" \
	-out "$W/exp/expired-ca.pem" 2>/dev/null
for f in "$F/ca.pem" "$F/leaf.pem" "$W/exp/expired-ca.pem"; do
	[ -s "$f" ] || { echo "could not make $f"; exit 1; }
done

python3 -m http.server $HTTP --bind 127.0.0.1 --directory "$F/www" >"$W/http.log" 2>&1 &
PIDS="$PIDS $!"
wait_ports $HTTP

n=0
# t NAME ARGS... -- EXPECTATIONS...   (see jcheck.py); a fresh cache each time
t() { local name=$1; shift; n=$((n + 1)); x509_t "$name" --timeout 3 --cache-dir "$W/cache-$n" "$@"; }

SKIPPED="the files hold only CA certificates"
# the shipped root: Kamu SM's, in date, a trusted root by its pin
t root --offline "$ROOT" -- exit=0 verdict=ready primary=null cert.chain=pass \
	cert.qualified=skip msg:cert.qualified~"$SKIPPED" cert.validity=skip msg:cert.revocation~"$SKIPPED" \
	inv:ca_certificates[0].kamusm=root inv:ca_certificates[0].valid_now=true \
	inv:ca_certificates[0].chain_status.verified=true inv:ca_certificates[0].chain_status.anchor=kamusm \
	msg:cert.chain~"Kamu SM's NES root" msg:cert.chain~"valid until 2029-08-06" msg:cert.chain~"trusted root"
# the shipped NES CA, on a fresh machine, offline: its root comes from the
# data folder, read because the NES CA names it
t nes-offline --offline "$NES" -- exit=0 verdict=ready cert.chain=pass \
	inv:ca_certificates[0].kamusm=issuing_ca inv:ca_certificates[0].valid_now=true \
	inv:ca_certificates[0].chain_status.verified=true inv:ca_certificates[0].chain_status.anchor=kamusm \
	inv:ca_certificates[0].chain[0].source=file inv:ca_certificates[0].chain[1].source=bundled \
	inv:ca_certificates[0].chain[1].kamusm=root inv:x509.network=[] \
	msg:cert.chain~"Kamu SM's NES issuing CA" msg:cert.chain~"chains to Kamu SM's root"
# both files: each identified
t both --offline "$NES" "$ROOT" -- exit=0 cert.chain=pass inv:ca_certificates[0].kamusm=issuing_ca \
	inv:ca_certificates[1].kamusm=root inv:ca_certificates[0].chain[1].source=file
# text: OK, not "you can sign"
"$ND_BIN" verify --lang en --no-color --offline --cache-dir "$W/cache-text" "$NES" >"$W/text.txt" 2>&1
check "text: leads with OK, lists the chain" "grep -q '^OK' '$W/text.txt' &&
	grep -q 'Sürüm 6 (file) → Kamu SM Kök Sertifika Hizmet Sağlayıcısı - Sürüm 6 (bundled)' '$W/text.txt'"
"$ND_BIN" verify --lang tr --no-color --offline --cache-dir "$W/cache-text" "$NES" >"$W/text-tr.txt" 2>&1
check "text tr: Turkish" "grep -q 'Kamu SM NES sertifika yayıncısı' '$W/text-tr.txt' && grep -q 'yalnızca SH' '$W/text-tr.txt'"

# a forged NES CA's end-user certificate: the shipped NES CA is taken as
# its issuer (same name and key identifier), and its signature fails
t forged-offline --offline "$F/leaf.pem" -- exit=2 primary=cert.chain cert.chain=fail \
	inv:chain_status.error=bad_signature inv:chain[1].source=bundled cert.revocation=skip
t forged-online "$F/leaf.pem" -- exit=2 primary=cert.chain cert.chain=fail \
	inv:chain_status.error=bad_signature
# ... also when the forged CA comes along (file), offline and online
t forged-with-ca --offline "$F/leaf.pem" "$F/ca.pem" -- exit=2 cert.chain=fail
t forged-with-ca-online "$F/leaf.pem" "$F/ca.pem" -- exit=2 cert.chain=fail
# ... and the forged CA on its own: not Kamu SM's, whatever its name says
t forged-ca --offline "$F/ca.pem" -- exit=2 cert.chain=fail inv:ca_certificates[0].kamusm=null \
	inv:ca_certificates[0].chain_status.verified=false msg:cert.chain~"does not chain to a trusted root"

# a tampered copy in the data folder is not used, and is said so
mkdir -p "$W/data/kamusm"
cp "$NES" "$W/data/kamusm/kamusm-nes-v6.der"
cp "$F/www/nes.crt" "$W/data/kamusm/kamusm-root-v6.der"
NESDOCTOR_DATADIR=$W/data t tampered --offline "$NES" -- exit=1 cert.chain=warn \
	inv:ca_certificates[0].chain_status.bundled_errors[0].error=pin_mismatch \
	inv:x509.data_dir="$W/data" remedy:cert.chain~"kamusm-root-v6.der" remedy:cert.chain~reinstall \
	msg:cert.chain~"trusted by its pin"
cp "$F/www/nes.crt" "$W/data/kamusm/kamusm-nes-v6.der"
# (offline, without the real NES CA, the forged certificate cannot be judged)
NESDOCTOR_DATADIR=$W/data t tampered-leaf --offline "$F/leaf.pem" -- exit=3 cert.chain=skip \
	inv:chain_status.bundled_errors[0].error=pin_mismatch remedy:cert.chain~reinstall
# no data folder at all: the NES CA's root must be downloaded
mkdir -p "$W/empty"
NESDOCTOR_DATADIR=$W/empty t no-data --offline "$NES" -- cert.chain=pass \
	msg:cert.chain~"trusted by its pin"

# the test PKI's issuing CA
t int-anchor --offline --anchor "$P/root.pem" "$P/int.pem" -- exit=0 cert.chain=pass \
	inv:ca_certificates[0].kamusm=null inv:ca_certificates[0].chain_status.anchor=anchor \
	inv:ca_certificates[0].chain[1].source=anchor msg:cert.chain~"Test Kamu Elektronik" \
	msg:cert.chain~"--anchor"
t int-no-anchor --offline "$P/int.pem" "$P/root.pem" -- exit=2 primary=cert.chain cert.chain=fail \
	inv:ca_certificates[0].chain_status.error=untrusted_root \
	msg:cert.chain~"does not chain to a trusted root" remedy:cert.chain~"--anchor"
t int-alone --offline "$P/int.pem" -- exit=3 cert.chain=skip msg:cert.chain~"--offline"
t expired-ca --offline --anchor "$P/root.pem" "$W/exp/expired-ca.pem" -- exit=2 cert.chain=fail \
	inv:ca_certificates[0].valid_now=false msg:cert.chain~"EXPIRED on 2021-01-01" remedy:cert.chain~timedatectl
# an end-user certificate with its CA: the usual checks, not this mode
t leaf-and-ca --offline --anchor "$P/root.pem" "$P/good-ec.pem" "$P/int.pem" -- cert.qualified=pass \
	'!~ca_certificates'

echo "x509 kamusm: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
