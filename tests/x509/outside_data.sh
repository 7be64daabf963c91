#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end: outside data cannot break nesdoctor's output. Certificates made
# with the openssl CLI carry what an attacker (or a careless CA) could put in
# them: a CN that sets the terminal title (ESC ] 0 ; ... BEL), clears the
# screen and forges a line "ready (exit 0)"; identity numbers that pass the
# TCKN checksum in CN and O, and in the issuer name of a self-signed CA; a
# caIssuers LDAP URL with bytes that are not UTF-8 (as in a real Turkish test
# certificate). The signing certificate sits in a file whose name is not
# UTF-8 and holds an identity number; a missing file's name holds an escape. `verify
# --offline` (no network, no pcscd) in text and JSON:
#   - the text has no raw ESC, BEL or CR, and no forged line;
#   - the JSON is valid UTF-8 for Python's json module, and the file name's
#     bytes are in inputs[].file_hex;
#   - the identity numbers appear nowhere in full, on stdout or stderr, unless
#     --show-id.
set -u
: "${ND_BIN:?ND_BIN must name the nesdoctor binary}"
W=$(mktemp -d "${TMPDIR:-/tmp}/nd-outside.XXXXXX")
pass=0 fail=0
trap 'rm -rf "$W"' EXIT
check() { if eval "$2"; then echo "ok   - $1"; pass=$((pass + 1)); else echo "FAIL - $1"; fail=$((fail + 1)); fi; }
cd "$W" || exit 1

# 10000000146 and 12345678950 pass the TCKN checksum
CA_CN=$'\e]0;owned\a\nready (exit 0)\r 10000000146'
EE_CN=$'Ali\e[2J\e]0;pwned\a'
URI=$'ldap://ldap.example.tr/cn=Kamu\xfcSM\xe7?cACertificate'
BADNAME=$'\xff\xfe 12345678950.pem'
MISSING=$'missing\e[2J 12345678950.pem'
{
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
		-days 30 -subj "/CN=$CA_CN/O=12345678950 Ltd/C=TR"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ee.key -out ee.csr \
		-subj "/CN=$EE_CN/serialNumber=10000000146/O=12345678950/C=TR"
	cat >ee.ext <<-EOF
	keyUsage = critical, nonRepudiation
	certificatePolicies = 2.16.792.1.2.1.1.5.7.1.1
	authorityInfoAccess = caIssuers;URI:$URI
	1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qc_statements
	[ qc_statements ]
	qcCompliance = SEQUENCE:qc_compliance
	qcNes = SEQUENCE:qc_nes
	[ qc_compliance ]
	statementId = OID:0.4.0.1862.1.1
	[ qc_nes ]
	statementId = OID:2.16.792.1.61.0.1.5070.1.1
	EOF
	openssl x509 -req -in ee.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out ee.pem -days 30 -extfile ee.ext
} >openssl.log 2>&1 || { cat openssl.log; echo "FAIL - openssl could not make the certificates"; exit 1; }
cp ee.pem "$BADNAME"

run() {  # run NAME ARGS...: stdout to NAME.out, stderr to NAME.err
	local name=$1
	shift
	"$ND_BIN" verify --offline --lang en --no-color "$@" "$BADNAME" ca.pem "$MISSING" >"$name.out" 2>"$name.err"
	echo $? >"$name.code"
}
raw() { grep -q "$(printf "$1")" "$2"; }
has_tckn() { grep -aqE '10000000146|12345678950' "$@"; }
json_ok() {
	python3 -c '
import json, sys
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))   # strict UTF-8
files = [i.get("file_hex") for i in doc["inventory"]["inputs"]]
assert sys.argv[2] in files, files
' "$1" "$2"
}

run text
check "text: verify ran (exit 2: the root is not trusted)" '[ "$(cat text.code)" = 2 ]'
check "text: no raw ESC" '! raw "\\033" text.out'
check "text: no raw BEL" '! raw "\\007" text.out'
check "text: no raw CR" '! raw "\\r" text.out'
check "text: no forged line" '! grep -aqE "^[[:space:]]*ready \\(exit 0\\)" text.out'
check "text: the subject shown escaped" 'grep -aqF "\\x1b]0;owned\\x07\\nready (exit 0)\\r 100******46" text.out'
check "text: the file name shown escaped" 'grep -aqF "\\xff\\xfe 123******50.pem" text.out'
check "text: no TCKN in full" '! has_tckn text.out'
check "stderr: no raw ESC, no TCKN" '! raw "\\033" text.err && ! has_tckn text.err && grep -aqF "missing\\x1b[2J 123******50.pem" text.err'

run color --color
check "colour: the report's own colours" 'raw "\\033\\\\[1m" color.out'
check "colour: no escape from the certificate" '! grep -aqF "$(printf "\\033]")" color.out && ! grep -aqF "$(printf "\\033[2J")" color.out'

run json --json
check "json: valid UTF-8 for python, file_hex of the name" \
	'json_ok json.out FFFE203132332A2A2A2A2A2A35302E70656D'
check "json: the caIssuers URL repaired" 'grep -aqF "ldap://ldap.example.tr/cn=Kamu\\ufffdSM\\ufffd" json.out || grep -aqF "Kamu�SM�" json.out'
check "json: no TCKN in full" '! has_tckn json.out json.err'

run shown --show-id
check "--show-id: the numbers in full" 'grep -aqF "O=12345678950, C=TR" shown.out && grep -aqF "10000000146" shown.out'
check "--show-id: still no raw ESC" '! raw "\\033" shown.out'
run shownjson --show-id --json
check "--show-id --json: the numbers in full, valid UTF-8" \
	'grep -aqF 12345678950 shownjson.out && json_ok shownjson.out FFFE2031323334353637383935302E70656D'

# a usage error that names what it did not understand (a setup part, a
# command) escapes and masks it too
for cmd in "setup" ""; do
	"$ND_BIN" $cmd $'frob\e]0;x\a 12345678950' >usage.out 2>usage.err
	echo $? >usage.code
	check "usage error${cmd:+ of $cmd}: exit 64, no raw ESC or BEL, no TCKN" \
		'[ "$(cat usage.code)" = 64 ] && ! raw "\\033" usage.err && ! raw "\\007" usage.err && ! has_tckn usage.err'
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
