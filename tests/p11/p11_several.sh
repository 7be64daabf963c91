#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Several tokens and readers (issue 13): two SoftHSM2 tokens, each with a
# qualified certificate of the test PKI (tests/x509/mkpki.sh), warn and
# name both, the one a signing program usually takes and the one nesdoctor
# judged, with each token's certificates kept apart; OpenSC with an empty
# reader first and the PIV card in the second warns and names the order.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$ND_SRC/tests/rig/rig.sh"
. "$HERE/lib.sh"
: "${ND_PIV:?}"
rig_enter_ns "$@"
W=$RIG_WORK
M=$(rig_module softhsm)
PIN=739184
SO=55667788
export HOME=$W
bash "$ND_SRC/tests/x509/mkpki.sh" "$W/pki" 18081 18082 18083 18084 > "$W/mkpki.log" 2>&1 ||
	{ cat "$W/mkpki.log"; exit 1; }

# --- two qualified tokens in one SoftHSM2 (its spare empty slot comes last)
mkdir -p "$W/hsm/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' "$W/hsm" > "$W/hsm/softhsm2.conf"
export SOFTHSM2_CONF=$W/hsm/softhsm2.conf
token() {   # LABEL CERT
	openssl pkcs8 -topk8 -nocrypt -in "$W/pki/$2.key" -out "$W/$2.p8"
	softhsm2-util --init-token --free --label "$1" --so-pin $SO --pin $PIN > /dev/null
	softhsm2-util --import "$W/$2.p8" --token "$1" --label "$2" --id 01 --pin $PIN > /dev/null
	pkcs11-tool --module "$M" --token-label "$1" --login --pin $PIN \
		--write-object "$W/pki/$2.der" --type cert --id 01 --label "$2" > /dev/null 2>&1
}
token AKIS_00000000000000A1 good-rsa
token AKIS_00000000000000B2 good-ec
run_nd "$W/two.json" tokens --module "$M"
expect "two qualified tokens: p11.token warns" "$(st p11.token warn)"
MSG=$(jq -r '[.checks[] | select(.id == "p11.token")][0].message' "$W/two.json")
FIRST=$(jq -r '[.inventory.tokens[] | select(.flags.token_initialized)][0].label' "$W/two.json")
CHOSEN=$(jq -r '.inventory.certificates[[.checks[] | select(.id == "p11.objects")][0].details.certificate].token' "$W/two.json")
case $MSG in
*"2 tokens with a qualified signing certificate"*AKIS_00000000000000A1*AKIS_00000000000000B2*|\
*"2 tokens with a qualified signing certificate"*AKIS_00000000000000B2*AKIS_00000000000000A1*)
	ok "the message names both tokens" ;;
*) bad "the message: $MSG" ;;
esac
case $MSG in
*"first slot with a token"*"$FIRST"*) ok "the message names the first token, $FIRST" ;;
*) bad "the first token $FIRST not named: $MSG" ;;
esac
if [ "$FIRST" = "$CHOSEN" ]; then
	case $MSG in *"$FIRST"*"the one nesdoctor judged"*) ok "the first token is the one judged, said so" ;; *) bad "judged: $MSG" ;; esac
else
	case $MSG in *"nesdoctor judged $CHOSEN"*) ok "the judged token ($CHOSEN) is the chosen certificate's" ;; *) bad "judged: $MSG" ;; esac
fi
expect "each token with its own qualified certificate" '[.checks[] | select(.id == "p11.token")][0].details.tokens | map(select(.qualified_certificates == 1)) | length == 2'
expect "certificates kept apart: one per token, each on its token's slot" '.inventory as $i | ($i.certificates | length == 2) and ([$i.certificates[].token] | unique | length == 2) and all($i.certificates[]; . as $c | any($i.tokens[]; .label == $c.token and .slot == $c.slot))'
expect "the RSA certificate on A, the EC one on B" '([.inventory.certificates[] | select(.token == "AKIS_00000000000000A1")][0].key_type == "RSA") and ([.inventory.certificates[] | select(.token == "AKIS_00000000000000B2")][0].key_type == "EC")'
if grep -q "pcscd lists" <<< "$MSG"; then bad "no pcscd here, yet an order"; else ok "no pcscd: no reader order"; fi

# --- OpenSC: an empty reader first, the PIV card in the second
export OPENSC_CONF=$W/opensc.conf
printf 'app default {\n  reader_drivers = pcsc;\n  framework pkcs15 { use_file_caching = false; }\n}\n' > "$OPENSC_CONF"
O=$(rig_module opensc)
mkdir -p "$W/piv"
mkcert "$W/piv" sig rsa:2048 "/C=TR/CN=PIV KULLANICI/serialNumber=10000000146"
openssl pkey -in "$W/piv/sig.key" -out "$W/piv/sig.pem"
rig_pcscd 1
rig_bg "$W/piv1.log" "$ND_PIV" -c "$W/piv/sig.der" -k "$W/piv/sig.pem" -p 246810 -r 3 -s 9c -n ND-PIV-SIG \
	-l "$W/ev1" -P 35964 -t 110
for ((i = 0; i < 50; i++)); do
	run_nd "$W/r.json" readers
	[ "$(jq '[.inventory.readers[] | select(.card.atr != null)] | length' "$W/r.json")" -ge 1 ] && break
	sleep 0.1
done
R0=$(jq -r '.inventory.readers[0].name' "$W/r.json")
R1=$(jq -r '[.inventory.readers[] | select(.card.atr != null)][0].name' "$W/r.json")
[ "$R0" != "$R1" ] && ok "pcscd: the first reader ($R0) is empty, the card is in $R1" || bad "readers: $R0 $R1"
run_nd "$W/e.json" tokens --module "$O"
expect "empty reader first: p11.token warns" "$(st p11.token warn)"
MSG=$(jq -r '[.checks[] | select(.id == "p11.token")][0].message' "$W/e.json")
REM=$(jq -r '[.checks[] | select(.id == "p11.token")][0].remedy' "$W/e.json")
case $MSG in
*"The first slot, $R0, holds no usable token"*"The slots in order: 1. $R0 (no token), 2. $R1 ("*) ok "the slots named in order" ;;
*) bad "the slot order: $MSG" ;;
esac
case $MSG in *"pcscd lists the readers in this order: 1. $R0 (no card), 2. $R1"*) ok "pcscd's order named" ;; *) bad "pcscd order: $MSG" ;; esac
case $REM in *'slot 0 fail with "no token"'*"($R0)"*) ok "the remedy names slot 0's trouble and the first reader" ;; *) bad "remedy: $REM" ;; esac
expect "the PIV certificate on the token in the second reader" "[.inventory.certificates[] | select(.subject_cn == \"PIV KULLANICI\")][0].reader == \"$R1\""
finish
