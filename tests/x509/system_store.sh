#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The system trust store as the anchor of a chain: looked up by subject hash
# in its folder (SSL_CERT_DIR, /etc/ssl/certs) first, and the bundle file
# (SSL_CERT_FILE) read whole only when the folder did not close the chain.
# Offline, the issuing CA given in the file: no network, no cache.
set -u
: "${ND_BIN:?}" "${ND_SRC:?}"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
ok() { echo "ok   - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }

bash "$ND_SRC/tests/x509/mkpki.sh" "$W/pki" 1 2 3 4 > "$W/mkpki.log" 2>&1 || { cat "$W/mkpki.log"; exit 1; }
cat "$W/pki/good-ec.pem" "$W/pki/int.pem" > "$W/leaf+int.pem"
mkdir -p "$W/certdir" "$W/empty"
cp "$W/pki/root.pem" "$W/certdir/root.pem"
openssl rehash "$W/certdir" 2> /dev/null || c_rehash "$W/certdir" > /dev/null

# run NAME ENV...: nesdoctor verify --offline --json with that environment
run() {
	local name=$1; shift
	env "$@" timeout 30 "$ND_BIN" verify --offline --json --lang en --cache-dir "$W/cache-$name" \
		"$W/leaf+int.pem" > "$W/$name.json" 2> "$W/$name.err"
	echo $? > "$W/$name.rc"
}
# expect NAME DESC PYTHON-EXPR (over d, the document)
expect() {
	if python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$W/$1.json" "$3" 2> /dev/null; then ok "$2"
	else bad "$2"; head -c 2000 "$W/$1.json"; echo; cat "$W/$1.err"; fi
}
CHAIN='[c for c in d["checks"] if c["id"] == "cert.chain"][0]'
STATUS='d["inventory"]["chain_status"]'

run dir SSL_CERT_DIR="$W/certdir" SSL_CERT_FILE="$W/empty/none.pem"
expect dir "a root in the hashed folder (SSL_CERT_DIR) closes the chain" \
	"$CHAIN['status'] == 'warn' and 'trust store' in $CHAIN['message'] and $STATUS['verified'] and $STATUS['anchor'] == 'system'"

run file SSL_CERT_DIR="$W/empty" SSL_CERT_FILE="$W/pki/root.pem"
expect file "a root only in the bundle file (SSL_CERT_FILE) still closes the chain" \
	"$CHAIN['status'] == 'warn' and 'trust store' in $CHAIN['message'] and $STATUS['verified'] and $STATUS['anchor'] == 'system'"

run none SSL_CERT_DIR="$W/empty" SSL_CERT_FILE="$W/empty/none.pem"
expect none "a root in neither: the chain is not trusted" \
	"$CHAIN['status'] != 'pass' and not $STATUS['verified']"

echo "x509 system store: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
