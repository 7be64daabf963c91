#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The cache and outside files (issue 8): a cache folder others can write is
# refused and nothing is written through links planted in it; only the CA
# certificates of a verified chain are cached (an AIA bundle of hundreds of
# junk CAs leaves one file), the cache is bounded and expired ones dropped,
# and every one of its certificates is loaded; a FIFO given to `verify`, to
# --anchor or planted in the cache never blocks; `verify -` reads a pipe.
# The test PKI of mkpki.sh behind python's http.server on loopback, in
# private network, mount and PID namespaces like verify.sh. Each nesdoctor
# run is bounded by `timeout 10`: a hang fails, it does not stall the suite.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
: "${ND_BIN:?ND_BIN must name the nesdoctor binary}"
x509_ns 170 x509c "$@"
chmod 755 "$W"
export ASAN_OPTIONS="detect_leaks=1"

HTTP=18181 OCSP=18182 SILENT=18183 GARBAGE=18184
bash "$HERE/mkpki.sh" "$W/pki" $HTTP $OCSP $SILENT $GARBAGE || { echo "mkpki failed"; exit 1; }
P=$W/pki

# a certificate whose AIA names a PKCS#7 bundle of 300 junk CA certificates
# with the real issuing CA last; junk CA certificates for the cache, one of
# them expired (python's cryptography: hundreds of certificates in a blink)
openssl x509 -in "$P/int.pem" -outform DER -out "$W/int.der"
INTFP=$(openssl x509 -in "$P/int.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')
python3 - "$W" "$P" <<'EOF' || { echo "junk generation failed"; exit 1; }
import datetime, os, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
w, p = sys.argv[1], sys.argv[2]
key = ec.generate_private_key(ec.SECP256R1())
now = datetime.datetime.now(datetime.timezone.utc)
def ca(i, nb, na):
    n = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Junk CA %d" % i)])
    return (x509.CertificateBuilder().subject_name(n).issuer_name(n).public_key(key.public_key())
            .serial_number(i + 1).not_valid_before(nb).not_valid_after(na)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
day = datetime.timedelta(days=1)
junk = [ca(i, now - day, now + 365 * day) for i in range(300)]
inter = x509.load_pem_x509_certificate(open(p + "/int.pem", "rb").read())
open(p + "/www/bundle.p7c", "wb").write(
    pkcs7.serialize_certificates(junk + [inter], serialization.Encoding.DER))
os.makedirs(w + "/junk", exist_ok=True)
for i, c in enumerate(junk[:200]):
    open("%s/junk/%03d.der" % (w, i), "wb").write(c.public_bytes(serialization.Encoding.DER))
open(w + "/expired-ca.der", "wb").write(ca(999, now - 400 * day, now - 10 * day)
                                       .public_bytes(serialization.Encoding.DER))
EOF
# the test PKI's configuration (its qc_statements) and the leaf's own section
{ cat "$P/pki.cnf"; cat <<EOF
[ v3 ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, nonRepudiation
authorityKeyIdentifier = keyid:always
certificatePolicies    = 2.16.792.1.2.1.1.5.7.1.1
authorityInfoAccess    = caIssuers;URI:http://127.0.0.1:$HTTP/bundle.p7c
1.3.6.1.5.5.7.1.3      = ASN1:SEQUENCE:qc_statements
EOF
} > "$W/leaf.cnf"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/leaf.key" 2>/dev/null
openssl req -new -key "$W/leaf.key" -subj "/C=TR/CN=BUNDLE TEST/serialNumber=10000000146" |
	openssl x509 -req -CA "$P/int.pem" -CAkey "$P/int.key" -set_serial 0x4001 -days 365 \
	-extfile "$W/leaf.cnf" -extensions v3 -out "$W/leaf.pem" 2>/dev/null || { echo "leaf failed"; exit 1; }

python3 -m http.server $HTTP --bind 127.0.0.1 --directory "$P/www" >"$W/http.log" 2>&1 &
PIDS="$PIDS $!"
wait_ports $HTTP

# t NAME ARGS... -- EXPECTATIONS...   (see jcheck.py); ND_STDIN: a file for stdin
t() { local name=$1; shift; T_KILL=10 x509_t "$name" --timeout 2 "$@"; }
A="--anchor $P/root.pem"
nfiles() { find "$1" -mindepth 1 | wc -l; }

# 1. a cache folder others own or can write is not used: nothing written in
#    it (nor through a link planted in it), the chain is built without it
mkdir -m 777 "$W/c-777" "$W/victim"
ln -s "$W/victim" "$W/c-777/ca"
t cache-777 $A --cache-dir "$W/c-777" "$W/leaf.pem" -- cert.chain=pass inv:chain[1].source=aia \
	inv:x509.cache_refused~"writable by group or others (mode 777)"
check "cache-777: nothing written through the planted ca link" "[ \$(nfiles '$W/victim') -eq 0 ]"
check "cache-777: nothing written in the folder" "[ \$(nfiles '$W/c-777') -eq 1 ]"
"$ND_BIN" verify -v --lang en --no-color $A --cache-dir "$W/c-777" "$W/leaf.pem" >/dev/null 2>"$W/v.err"
check "cache-777: -v says why the cache is not used" \
	"grep -q 'not using the cache folder $W/c-777: writable by group or others' '$W/v.err'"
if [ "$(id -u)" -eq 0 ]; then
	mkdir -m 700 "$W/c-nobody"
	chown 65534:65534 "$W/c-nobody"
	t cache-nobody $A --cache-dir "$W/c-nobody" "$W/leaf.pem" -- cert.chain=pass \
		inv:x509.cache_refused~"owned by another user (uid 65534)"
	check "cache-nobody: nothing written" "[ \$(nfiles '$W/c-nobody') -eq 0 ]"
else
	echo "skip - a cache folder owned by another user (needs root)"
fi
mkdir -m 700 "$W/c-sub"
mkdir -m 775 "$W/c-sub/ca"
t cache-sub $A --cache-dir "$W/c-sub" "$W/leaf.pem" -- cert.chain=pass inv:x509.cache_refused~"ca: writable"
ln -s "$W/victim" "$W/c-link"
t cache-link $A --cache-dir "$W/c-link" "$W/leaf.pem" -- cert.chain=pass inv:x509.cache_refused~"symbolic link"
check "cache-link: nothing written through it" "[ \$(nfiles '$W/victim') -eq 0 ]"

# 2. a temporary name planted as a link in our own folder is not followed:
#    nesdoctor runs as PID 1 of a new PID namespace, so the old name
#    (<file>.<pid>.tmp) is known in advance
mkdir -m 700 "$W/c-tmp" "$W/c-tmp/ca"
ln -s "$W/victim/planted" "$W/c-tmp/ca/$INTFP.der.1.tmp"
timeout -k 2 10 unshare --pid --fork "$ND_BIN" verify --json --lang en --timeout 2 $A \
	--cache-dir "$W/c-tmp" "$W/leaf.pem" >"$W/c-tmp.json" 2>"$W/c-tmp.err"
check "planted tmp link: nothing written through it" "[ ! -e '$W/victim/planted' ]"
check "planted tmp link: the certificate is cached as a regular file" "[ -f '$W/c-tmp/ca/$INTFP.der' ] && [ ! -L '$W/c-tmp/ca/$INTFP.der' ]"

# 3. an AIA bundle of 300 junk CAs: only the issuing CA that built the
#    verified chain is cached, and the offline run finds it
t bundle-online $A --cache-dir "$W/c-bundle" "$W/leaf.pem" -- cert.chain=pass inv:chain[1].source=aia \
	inv:x509.cache_refused=null
check "bundle: the cache holds only the chain's CA ($(ls "$W/c-bundle/ca" 2>/dev/null | wc -l) files)" \
	"[ \"\$(ls '$W/c-bundle/ca')\" = '$INTFP.der' ]"
t bundle-offline $A --cache-dir "$W/c-bundle" --offline "$W/leaf.pem" -- cert.chain=pass inv:chain[1].source=cache
# a cached CA used again is not written again: only its time is refreshed
# (the cache drops the least recently used first)
ino=$(stat -c %i "$W/c-bundle/ca/$INTFP.der")
touch -d '-2 days' "$W/c-bundle/ca/$INTFP.der"
t bundle-again $A --cache-dir "$W/c-bundle" --offline "$W/leaf.pem" -- cert.chain=pass inv:chain[1].source=cache
check "bundle: the cached CA used again is not rewritten" "[ \$(stat -c %i '$W/c-bundle/ca/$INTFP.der') = $ino ]"
check "bundle: the cached CA used again has its time refreshed" \
	"[ \$((\$(date +%s) - \$(stat -c %Y '$W/c-bundle/ca/$INTFP.der'))) -lt 600 ]"
# a file under the CA's name that holds other bytes of the same size is
# written anew once the chain is verified (online, from the AIA)
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[-1] ^= 0xff; open(p, "wb").write(b)' \
	"$W/c-bundle/ca/$INTFP.der"
t bundle-mended $A --cache-dir "$W/c-bundle" "$W/leaf.pem" -- cert.chain=pass
check "bundle: a damaged cached CA is written anew" "cmp -s '$W/c-bundle/ca/$INTFP.der' '$W/int.der'"

# 4. a cache filled by an older version: 200 junk CAs and the issuing CA
#    (written first: the oldest, and last in a tmpfs listing) are all
#    loaded; an expired CA certificate is dropped; beyond the bound of 256
#    the oldest go
mkdir -m 700 "$W/c-full" "$W/c-full/ca"
cp "$W/int.der" "$W/c-full/ca/$INTFP.der"
touch -d '-2 days' "$W/c-full/ca/$INTFP.der"
for f in "$W"/junk/*.der; do cp "$f" "$W/c-full/ca/junk-$(basename "$f")"; done
cp "$W/expired-ca.der" "$W/c-full/ca/expired.der"
t full-offline $A --cache-dir "$W/c-full" --offline "$W/leaf.pem" -- cert.chain=pass inv:chain[1].source=cache
check "full: the expired CA certificate was dropped" "[ ! -e '$W/c-full/ca/expired.der' ]"
check "full: the 201 good ones kept" "[ \$(ls '$W/c-full/ca' | wc -l) -eq 201 ]"
for i in $(seq 1 100); do cp "$W/junk/000.der" "$W/c-full/ca/more-$i.der"; done
touch -d '-3 days' "$W/c-full/ca/more-1.der"
t full-bound $A --cache-dir "$W/c-full" --offline "$W/leaf.pem" -- cert.chain=pass
check "full: bounded to 256 files, the oldest went ($(ls "$W/c-full/ca" | wc -l) left)" \
	"[ \$(ls '$W/c-full/ca' | wc -l) -eq 256 ] && [ ! -e '$W/c-full/ca/more-1.der' ]"

# 5. FIFOs never block: as a file to verify, as --anchor, in the cache
mkfifo "$W/fifo.pem"
t fifo-file $A --cache-dir "$W/c-x" "$W/fifo.pem" -- inv:inputs[0].error=io \
	inv:inputs[0].detail~"not a regular file (a FIFO)"
check "fifo-file: non-zero exit" "[ \$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[\"exit_code\"])' '$W/fifo-file.json') -ne 0 ]"
check "fifo-file: said on stderr" "grep -q 'fifo.pem: not a regular file (a FIFO)' '$W/fifo-file.err'"
t fifo-anchor --anchor "$W/fifo.pem" $A --cache-dir "$W/c-x" "$P/good-ec.pem" "$P/int.pem" -- \
	cert.chain=pass inv:x509.anchors[0].detail~"not a regular file (a FIFO)"
mkdir -m 700 "$W/c-fifo" "$W/c-fifo/ca" "$W/c-fifo/crl"
mkfifo "$W/c-fifo/ca/0000.der"
cp "$W/int.der" "$W/c-fifo/ca/$INTFP.der"
CRLNAME=$(python3 -c "import hashlib,sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest().upper())" \
	"http://127.0.0.1:$HTTP/int.crl")
mkfifo "$W/c-fifo/crl/$CRLNAME"
t fifo-cache $A --cache-dir "$W/c-fifo" --offline "$P/revcrl.pem" -- cert.chain=pass inv:chain[1].source=cache

# 6. standard input by name: `verify -` and /dev/stdin read a pipe
ND_STDIN=$P/good-ec.pem t stdin-file $A --cache-dir "$W/c-x" - "$P/int.pem" -- cert.chain=pass inv:inputs[0].certificates=1
cat "$P/good-ec.pem" | timeout 10 "$ND_BIN" verify --json --lang en --offline $A --cache-dir "$W/c-x" - "$P/int.pem" >"$W/pipe.json" 2>/dev/null
check "verify - reads a pipe" "python3 '$HERE/jcheck.py' '$W/pipe.json' cert.chain=pass inv:inputs[0].certificates=1"
cat "$P/good-ec.pem" | timeout 10 "$ND_BIN" verify --json --lang en --offline $A --cache-dir "$W/c-x" /dev/stdin "$P/int.pem" >"$W/pipe2.json" 2>/dev/null
check "verify /dev/stdin reads a pipe" "python3 '$HERE/jcheck.py' '$W/pipe2.json' cert.chain=pass inv:inputs[0].certificates=1"

echo "x509 cache and files: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
