#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# OpenSC's PKCS#11 module reading the virtual PIV card (tests/rig/piv_vcard)
# through the rig's pcscd: a real module -> pcscd -> card chain with a real
# PIN retry counter. Slot-to-reader matching, the signing test, exactly one
# login per run (the card counts its VERIFY commands), refusal on the final
# try, the lock after wrong PINs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$ND_SRC/tests/rig/rig.sh"
. "$HERE/lib.sh"
: "${ND_PIV:?}"
rig_enter_ns "$@"
W=$RIG_WORK
M=$(rig_module opensc)
PIN=246810
# OpenSC with a private configuration and no file cache in $HOME
export HOME=$W OPENSC_CONF=$W/opensc.conf
printf 'app default {\n  reader_drivers = pcsc;\n  framework pkcs15 { use_file_caching = false; }\n}\n' > "$OPENSC_CONF"

mkdir -p "$W/pki"
mkcert "$W/pki" sig rsa:2048 "/C=TR/CN=PIV KULLANICI/serialNumber=10000000146"
mkcert "$W/pki" auth rsa:2048 "/C=TR/CN=AUTH KULLANICI/serialNumber=10000000146"
openssl pkey -in "$W/pki/sig.key" -out "$W/pki/sig.pem"
openssl pkey -in "$W/pki/auth.key" -out "$W/pki/auth.pem"

# two cards in the two readers of one vpcd (ports 35963 and 35964): a 9C
# card (the PIN again for every signature) with 3 tries, and a 9A card;
# told apart by their ATRs ("ND-PIV-SIG", "ND-PIV-AUTH"), not by reader
# numbers, which are pcscd's business
rig_pcscd 1
rig_bg "$W/piv0.log" "$ND_PIV" -c "$W/pki/sig.der" -k "$W/pki/sig.pem" -p $PIN -r 3 -s 9c -n ND-PIV-SIG \
	-l "$W/ev0" -P 35963 -t 110
rig_bg "$W/piv1.log" "$ND_PIV" -c "$W/pki/auth.der" -k "$W/pki/auth.pem" -p $PIN -r 3 -s 9a -n ND-PIV-AUTH \
	-l "$W/ev1" -P 35964 -t 110
touch "$W/ev0" "$W/ev1"
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | tr a-f A-F; }
for ((i = 0; i < 50; i++)); do
	run_nd "$W/r.json" readers
	[ "$(jq '[.inventory.readers[] | select(.card.atr != null)] | length' "$W/r.json")" -ge 2 ] && break
	sleep 0.1
done
reader_of() { jq -r --arg h "$(hex "$1")" '[.inventory.readers[] | select((.card.atr // "") | gsub(" "; "") | contains($h))][0].name' "$W/r.json"; }
R_SIG=$(reader_of ND-PIV-SIG)
R_AUTH=$(reader_of ND-PIV-AUTH)
[ "$R_SIG" != null ] && [ "$R_AUTH" != null ] && [ "$R_SIG" != "$R_AUTH" ] && ok "PC/SC sees both cards: $R_SIG, $R_AUTH" ||
	bad "PC/SC readers: '$R_SIG' '$R_AUTH'"

# VERIFY commands that carried a PIN, since the last call
verifies() {
	local now
	now=$(grep -c '^verify-pin' "$W/$1" || true)
	echo $((now - ${2:-0}))
}

run_nd "$W/t.json" tokens --module "$M"
expect "slot to reader: each token in the reader its card is in" "([.inventory.tokens[] | select(.label == \"PIV KULLANICI\")][0].reader == \"$R_SIG\") and ([.inventory.tokens[] | select(.label == \"AUTH KULLANICI\")][0].reader == \"$R_AUTH\")"
expect "certificates carry their reader" "([.inventory.certificates[] | select(.subject_cn == \"PIV KULLANICI\")][0].reader == \"$R_SIG\")"
expect "p11.token names the reader" "[.checks[] | select(.id == \"p11.token\")][0].message | test(\"Virtual PCD\")"
expect "p11 checks pass on the PIV cards" "$(st p11.module pass) and $(st p11.token pass) and $(st p11.pin pass) and $(st p11.objects pass) and $(st p11.mechanisms pass)"
[ "$(verifies ev0)" -eq 0 ] && [ "$(verifies ev1)" -eq 0 ] && ok "tokens: no PIN sent to any card" || bad "tokens sent a PIN"

# --reader picks the card: the 9A one needs one login, one VERIFY
b1=$(verifies ev1)
NESDOCTOR_PIN=$PIN run_nd "$W/a.json" sign-test --module "$M" --reader "$R_AUTH"
expect_rc 0 "9A card (--reader): verified"
expect "9A: the card's certificate, no context-specific login" ".inventory.sign_test | .reader == \"$R_AUTH\" and .subject_cn == \"AUTH KULLANICI\" and .always_authenticate == false and .context_login == null"
[ "$(verifies ev1 "$b1")" -eq 1 ] && ok "9A: exactly one VERIFY with the PIN" || bad "9A: $(verifies ev1 "$b1") VERIFYs"
grep -q "^sign 9A" "$W/ev1" && ok "9A: the card signed" || bad "9A: the card did not sign"

# the 9C card: the PIN once for the login, once for the signature
b0=$(verifies ev0)
NESDOCTOR_PIN=$PIN run_nd "$W/c.json" sign-test --module "$M" --reader "$R_SIG"
expect_rc 0 "9C card: verified"
expect "9C: CKA_ALWAYS_AUTHENTICATE handled with a context-specific login" '.inventory.sign_test | .always_authenticate == true and .context_login == "CKR_OK" and .login == "CKR_OK" and .mechanism == "CKM_SHA256_RSA_PKCS"'
[ "$(verifies ev0 "$b0")" -eq 2 ] && ok "9C: one login + one context-specific login, no retry" || bad "9C: $(verifies ev0 "$b0") VERIFYs"
grep -c "APDU: 00 20 00 80 08" "$W/pcscd.log" > /dev/null && ok "pcscd's APDU log shows the VERIFY commands" || bad "no VERIFY in pcscd's log"

# wrong PIN: exactly one VERIFY, never retried; 2 tries left
b0=$(verifies ev0)
NESDOCTOR_PIN=111111 run_nd "$W/w1.json" sign-test --module "$M" --reader "$R_SIG"
expect_rc 2 "wrong PIN: not verified"
[ "$(verifies ev0 "$b0")" -eq 1 ] && ok "wrong PIN: exactly one VERIFY" || bad "wrong PIN: $(verifies ev0 "$b0") VERIFYs"
expect "wrong PIN: reported, flags after" '.inventory.sign_test | .reason == "pin_incorrect" and .login == "CKR_PIN_INCORRECT" and (.flags_after | type == "object")'

# second wrong PIN: 1 try left -> the token says final try
NESDOCTOR_PIN=111111 run_nd "$W/w2.json" sign-test --module "$M" --reader "$R_SIG"
expect "second wrong PIN: the token now says final try" '.inventory.sign_test.flags_after.user_pin_final_try == true'
expect "and the person reads it" '[.checks[] | select(.id == "sign.test")][0].message | test("one try is left")'

run_nd "$W/t2.json" tokens --module "$M" --reader "$R_SIG"
expect "final try: p11.pin warns loudly" "$(st p11.pin warn) and ([.checks[] | select(.id == \"p11.pin\")][0].message | test(\"FINAL TRY\"))"

# final try: refused without --force, nothing sent to the card
b0=$(verifies ev0)
NESDOCTOR_PIN=$PIN run_nd "$W/f.json" sign-test --module "$M" --reader "$R_SIG"
expect_rc 2 "final try without --force: refused"
expect "final try: refused, remedy names --force" '.inventory.sign_test.status == "refused" and .inventory.sign_test.reason == "final_try" and ([.checks[] | select(.id == "sign.test")][0].remedy | test("--force"))'
[ "$(verifies ev0 "$b0")" -eq 0 ] && ok "final try: no VERIFY sent" || bad "final try: $(verifies ev0 "$b0") VERIFYs"

# --force with a wrong PIN: the last try is spent, the PIN locks
b0=$(verifies ev0)
NESDOCTOR_PIN=111111 run_nd "$W/l.json" sign-test --module "$M" --reader "$R_SIG" --force
[ "$(verifies ev0 "$b0")" -eq 1 ] && ok "--force: exactly one VERIFY" || bad "--force: $(verifies ev0 "$b0") VERIFYs"
expect "--force, wrong PIN: locked now" '.inventory.sign_test.forced == true and .inventory.sign_test.flags_after.user_pin_locked == true'

run_nd "$W/t3.json" tokens --module "$M" --reader "$R_SIG"
expect_rc 2 "locked: not ready"
expect "locked: p11.pin fails and is the primary cause" "$(st p11.pin fail) and .primary_cause == \"p11.pin\""
expect "locked: remedy is Kamu SM's unblock" '[.checks[] | select(.id == "p11.pin")][0].remedy | test("Kilit Çözme")'

# locked: even the right PIN is not sent
b0=$(verifies ev0)
NESDOCTOR_PIN=$PIN run_nd "$W/rl.json" sign-test --module "$M" --reader "$R_SIG"
expect "locked: sign-test refuses" '.inventory.sign_test.status == "refused" and .inventory.sign_test.reason == "locked"'
[ "$(verifies ev0 "$b0")" -eq 0 ] && ok "locked: no VERIFY sent" || bad "locked: $(verifies ev0 "$b0") VERIFYs"
finish
