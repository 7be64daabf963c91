#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# SoftHSM2 in a private SOFTHSM2_CONF: an RSA-2048 and an EC P-256 key with
# certificates made here by openssl. Token, objects, key/certificate
# pairing, mechanisms, masking of the TCKN, and the signing test with the
# right PIN (environment, --pin-fd, terminal) and a wrong one.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$ND_SRC/tests/rig/rig.sh"
. "$HERE/lib.sh"
: "${ND_VCARD:?}"
rig_enter_ns "$@"
W=$RIG_WORK
M=$(rig_module softhsm)
PIN=739184
SO=55667788
TCKN=10000000146
healthy_pcsc

mkdir -p "$W/pki"
mkcert "$W/pki" rsa rsa:2048 "/C=TR/CN=TEST KULLANICI/serialNumber=$TCKN"
mkcert "$W/pki" ec ec:P-256 "/C=TR/CN=EC KULLANICI/serialNumber=$TCKN"

# softhsm_token NAME LABEL KEY ID: a private SoftHSM2 world with one token
softhsm_token() {
	local d=$W/$1
	mkdir -p "$d/tokens"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' "$d" > "$d/softhsm2.conf"
	SOFTHSM2_CONF=$d/softhsm2.conf softhsm2-util --init-token --free --label "$2" --so-pin $SO --pin $PIN > /dev/null
	# the token moves to a random slot id after init: found by label
	SOFTHSM2_CONF=$d/softhsm2.conf softhsm2-util --import "$W/pki/$3.p8" --token "$2" --label "${TCKN}NES0" --id "$4" --pin $PIN > /dev/null
	SOFTHSM2_CONF=$d/softhsm2.conf pkcs11-tool --module "$M" --token-label "$2" --login --pin $PIN \
		--write-object "$W/pki/$3.der" --type cert --id "$4" --label "${TCKN}NES0" > /dev/null 2>&1
}
softhsm_token rsa AKIS_00112233445566AA rsa 01
softhsm_token ec EC-TOKEN ec 02
export SOFTHSM2_CONF=$W/rsa/softhsm2.conf

# --- tokens: what the token holds
run_nd "$W/t.json" tokens --module "$M"
expect "tokens: p11 checks pass" "$(st p11.module pass) and $(st p11.token pass) and $(st p11.pin pass) and $(st p11.objects pass) and $(st p11.mechanisms pass)"
expect "tokens: no primary cause" '.primary_cause == null'
expect "token found by label, AKIS_ device" '[.inventory.tokens[] | select(.label == "AKIS_00112233445566AA")][0] | .device == "akis" and .flags.token_initialized and .flags.login_required and .reader == null'
expect "the spare uninitialised slot is listed, not judged" '[.inventory.tokens[] | select(.flags.token_initialized == false)] | length == 1'
expect "certificate in the inventory" '.inventory.certificates | length == 1 and .[0].token == "AKIS_00112233445566AA" and .[0].id == "01" and .[0].key_type == "RSA" and .[0].key_bits == 2048 and .[0].non_repudiation'
expect "certificate fields for the certificate layer" '.inventory.certificates[0] | (.issuer | test("Test NES CA")) and (.not_before | test("Z$")) and (.not_after | test("Z$")) and (.serial | test("^[0-9A-F]+$")) and (.slot | type == "number")'
expect "TCKN masked in subject and label" '.inventory.certificates[0] | (.subject | test("serialNumber=100\\*\\*\\*\\*\\*\\*46")) and .label == "100******46NES0"'
if grep -q "$TCKN" "$W/t.json"; then bad "the TCKN appears unmasked in the JSON"; else ok "the TCKN appears nowhere in the JSON"; fi
if grep -q "$(openssl base64 -A -in "$W/pki/rsa.der" | cut -c1-40)" "$W/t.json"; then bad "certificate DER in the JSON"; else ok "no certificate DER in the JSON"; fi
expect "pairing: the public key next to the certificate" '.inventory.certificates[0].has_public_key == true'
expect "private key hidden before login: unknown, not missing" '.inventory.certificates[0].has_private_key == null'
expect "mechanisms: SHA-256 RSA offered" '[.inventory.tokens[] | select(.label == "AKIS_00112233445566AA")][0].mechanisms | any(.name == "CKM_SHA256_RSA_PKCS" and .sign)'
expect "module info" '.inventory.modules[0].info.manufacturer == "SoftHSM" and .inventory.modules[0].status == "ok"'
run_nd "$W/id.json" tokens --module "$M" --show-id
expect "--show-id shows the TCKN" ".inventory.certificates[0].subject | test(\"serialNumber=$TCKN\")"

# --- sign-test, right PIN from the environment
NESDOCTOR_PIN=$PIN run_nd "$W/s1.json" sign-test --module "$M"
expect_rc 0 "sign-test RSA, right PIN: verified"
expect "sign-test document shape" '.schema == "nesdoctor.report/1" and .command == "sign-test" and .verdict == "ready" and .exit_code == 0 and (.checks | any(.id == "sign.test" and .status == "pass")) and (.inventory | has("sign_test"))'
expect "sign-test RSA: CKM_SHA256_RSA_PKCS, verified, logged out" '.inventory.sign_test | .status == "verified" and .verified and .mechanism == "CKM_SHA256_RSA_PKCS" and .login == "CKR_OK" and .logout == "CKR_OK" and .pin_source == "env" and .signature_bytes == 256'
if grep -q $PIN "$W/s1.json" "$W/s1.json.err"; then bad "the PIN appears in the output"; else ok "the PIN appears nowhere in the output"; fi

# --- wrong PIN: one login, reported with the flags after it
NESDOCTOR_PIN=000000 run_nd "$W/s2.json" sign-test --module "$M"
expect_rc 2 "sign-test, wrong PIN: not verified"
expect "wrong PIN: CKR_PIN_INCORRECT, flags after" '.inventory.sign_test | .status == "failed" and .reason == "pin_incorrect" and .login == "CKR_PIN_INCORRECT" and .flags_after.user_pin_count_low == true and .flags_before.user_pin_count_low == false'
expect "wrong PIN: primary cause sign.test, says it was not retried" '.primary_cause == "sign.test" and ([.checks[] | select(.id == "sign.test")][0].message | test("not tried again"))'
run_nd "$W/t2.json" tokens --module "$M"
expect "after a wrong PIN, p11.pin warns" "$(st p11.pin warn)"

# --- a PIN the token cannot accept costs no try
NESDOCTOR_PIN=12 run_nd "$W/s3.json" sign-test --module "$M"
expect "too short a PIN is not tried" '.inventory.sign_test.reason == "pin_length" and .inventory.sign_test.login == null'

# --- no PIN at all (no terminal, no --pin-fd, no NESDOCTOR_PIN)
set +e
setsid -w "$ND_BIN" sign-test --module "$M" --json < /dev/null > "$W/s4.json" 2> /dev/null
RC=$?
set -e
T_LAST=$W/s4.json
expect "no PIN: not run, remedy names --pin-fd" '.inventory.sign_test.reason == "no_pin" and ([.checks[] | select(.id == "sign.test")][0].remedy | test("--pin-fd"))'

# --- right PIN from a file descriptor clears COUNT_LOW
run_nd "$W/s5.json" sign-test --module "$M" --pin-fd 3 3<<< "$PIN"
expect "--pin-fd: verified" '.inventory.sign_test.status == "verified" and .inventory.sign_test.pin_source == "fd"'
run_nd "$W/t3.json" tokens --module "$M"
expect "after the right PIN, p11.pin passes again" "$(st p11.pin pass)"

# --- PINs that cannot be the one meant are refused before any login, each
# with its own message: no try is spent (COUNT_LOW stays clear)
sign_check() { [ "$(jq -r "[.checks[] | select(.id == \"sign.test\")][0].$1" "$T_LAST")" ] && jq -r "[.checks[] | select(.id == \"sign.test\")][0].$1" "$T_LAST"; }
run_nd "$W/nul.json" sign-test --module "$M" --pin-fd 3 3< <(printf '%s\0%s\n' "$PIN" 99)
expect "PIN with a NUL byte: refused, no login" '.inventory.sign_test | .status == "not_run" and .reason == "pin_has_nul" and .login == null'
sign_check message | grep -q "NUL byte" && ok "PIN with a NUL byte: the message says so" || bad "NUL message: $(sign_check message)"
run_nd "$W/nul2.json" sign-test --module "$M" --pin-fd 3 3< <(printf '\0%s\n' "$PIN")
expect "PIN starting with a NUL byte: refused, no login" '.inventory.sign_test.reason == "pin_has_nul" and .inventory.sign_test.login == null'
run_nd "$W/closed.json" sign-test --module "$M" --pin-fd 9 9<&-
expect "closed --pin-fd: unreadable, EBADF, no login" '.inventory.sign_test | .reason == "pin_unreadable" and .pin_error == "EBADF" and .pin_source == "fd" and .login == null'
sign_check message | grep -q "could not be read from the descriptor given with --pin-fd: Bad file descriptor" && ok "closed --pin-fd: the message names the error" || bad "closed fd message: $(sign_check message)"
run_nd "$W/long.json" sign-test --module "$M" --pin-fd 3 3< <(printf '%0100d\n' 7)
expect "oversized PIN: too long, no login" '.inventory.sign_test.reason == "pin_too_long" and .inventory.sign_test.login == null'
sign_check message | grep -q "longer than 63 bytes" && ok "oversized PIN: the message gives the limit" || bad "too long message: $(sign_check message)"
NESDOCTOR_PIN=$(printf '%0100d' 7) run_nd "$W/long2.json" sign-test --module "$M"
expect "oversized NESDOCTOR_PIN: too long" '.inventory.sign_test.reason == "pin_too_long" and .inventory.sign_test.pin_source == "env"'
run_nd "$W/empty.json" sign-test --module "$M" --pin-fd 3 3<<< ""
expect "empty PIN on --pin-fd: empty, no login" '.inventory.sign_test.reason == "pin_empty" and .inventory.sign_test.login == null'
sign_check message | grep -q "PIN given is empty" && ok "empty PIN: the message says so" || bad "empty message: $(sign_check message)"
run_nd "$W/empty2.json" sign-test --module "$M" --pin-fd 3 3< /dev/null
expect "nothing at all on --pin-fd: empty" '.inventory.sign_test.reason == "pin_empty"'
NESDOCTOR_PIN= run_nd "$W/empty3.json" sign-test --module "$M"
expect "empty NESDOCTOR_PIN: empty" '.inventory.sign_test.reason == "pin_empty" and .inventory.sign_test.pin_source == "env"'
for f in nul nul2 closed long long2 empty empty2 empty3; do
	if jq -e '[.checks[] | select(.id == "sign.test")][0].message | test("no PIN was given")' "$W/$f.json" > /dev/null; then
		bad "$f: still 'no PIN was given'"
	fi
done
run_nd "$W/t4.json" tokens --module "$M"
expect "after the refused PINs no try was spent (p11.pin passes, COUNT_LOW clear)" "$(st p11.pin pass) and .inventory.tokens[0].flags.user_pin_count_low == false"
run_nd "$W/s6.json" sign-test --module "$M" --pin-fd 3 3<<< "$PIN"
expect "the right PIN still works" '.inventory.sign_test.status == "verified"'

# --- the terminal, echo off (a pseudo-terminal through script(1))
if command -v script > /dev/null; then
	# typed after the prompt: input typed ahead is flushed with echo off,
	# as getpass(3) does
	{ sleep 1.5; printf '%s\n' "$PIN"; } | script -qec "\"$ND_BIN\" sign-test --module \"$M\" --no-color --lang en" /dev/null > "$W/tty.txt" 2>&1 || true
	if grep -q "nothing is shown while you type" "$W/tty.txt" && grep -q "✔ sign.test" "$W/tty.txt"; then
		ok "terminal: prompt, signature verified"
	else
		bad "terminal PIN"; sed 's/^/      /' "$W/tty.txt" | head -20
	fi
	# echo off: the PIN never comes back from the terminal
	if grep -q "$PIN" "$W/tty.txt"; then bad "terminal echoed the PIN"; else ok "terminal: the PIN is not echoed"; fi
fi

# --- EC P-256: raw ECDSA over our own SHA-256
export SOFTHSM2_CONF=$W/ec/softhsm2.conf
run_nd "$W/e.json" tokens --module "$M"
expect "EC certificate: key type and curve" '.inventory.certificates[0].key_type == "EC" and .inventory.certificates[0].key_bits == 256 and (.inventory.certificates[0].curve | test("256"))'
expect "EC: p11.mechanisms passes with ECDSA" "$(st p11.mechanisms pass) and ([.checks[] | select(.id == \"p11.mechanisms\")][0].message | test(\"CKM_ECDSA\"))"
NESDOCTOR_PIN=$PIN run_nd "$W/es.json" sign-test --module "$M"
expect_rc 0 "sign-test EC: verified"
expect "sign-test EC: CKM_ECDSA, r||s verified as DER" '.inventory.sign_test | .status == "verified" and .mechanism == "CKM_ECDSA" and .key_type == "EC" and .signature_bytes == 64'

# --- the text report, in Turkish
NESDOCTOR_PIN=$PIN "$ND_BIN" sign-test --module "$M" --lang tr --no-color > "$W/tr.txt" 2>&1 || true
grep -q "✔ sign.test" "$W/tr.txt" && grep -q "imzaladı" "$W/tr.txt" && ok "Turkish sign-test report" ||
	{ bad "Turkish sign-test report"; sed 's/^/      /' "$W/tr.txt" | head -30; }
finish
