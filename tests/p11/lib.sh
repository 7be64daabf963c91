# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the p11 integration tests: assertions over nesdoctor's JSON
# document, and the pieces of a test world (a healthy PC/SC world in the
# rig, a SoftHSM2 token with keys and certificates made here).
#
#   run_nd OUT.json [nesdoctor args...]   run, keep the JSON and the exit code ($RC)
#   expect NAME JQ-EXPR [OUT.json]        the jq expression must give true
#   finish                                print the summary, exit 0 when all passed

: "${ND_BIN:?}" "${ND_SRC:?}"
T_PASS=0
T_FAIL=0
T_LAST=""

ok() { echo "ok   - $*"; T_PASS=$((T_PASS + 1)); }
bad() { echo "FAIL - $*"; T_FAIL=$((T_FAIL + 1)); }

run_nd() {
	local out=$1; shift
	T_LAST=$out
	set +e
	"$ND_BIN" "$@" --json > "$out" 2> "$out.err"
	RC=$?
	set -e
	if ! jq -e . "$out" > /dev/null 2>&1; then
		bad "nesdoctor $* did not print a JSON document (exit $RC)"
		sed 's/^/      /' "$out.err" | head -20
	fi
}

expect() {
	local name=$1 expr=$2 file=${3:-$T_LAST}
	if [ "$(jq -r "$expr" "$file" 2>/dev/null)" = "true" ]; then
		ok "$name"
	else
		bad "$name"
		echo "      expected: $expr"
		jq -c '{exit_code, primary_cause, checks: [.checks[] | select(.layer == "p11" or .layer == "sign") | {id, status, message, remedy}]}' "$file" 2>/dev/null | head -c 3000 | sed 's/^/      /'
		echo
	fi
}

expect_rc() {
	if [ "$RC" = "$1" ]; then ok "$2 (exit $RC)"; else bad "$2: exit $RC, expected $1"; fi
}

# "check ID has STATUS": a jq expression for expect
st() { echo "([.checks[] | select(.id == \"$1\")][0].status == \"$2\")"; }

finish() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ] && [ "$T_PASS" -gt 0 ]   # nothing asserted is a failure too
}

# A PC/SC world with one reader and an AKIS card in it (the rig's vcard
# with its default AKIS v1.2 ATR): the layer below p11 is healthy, so the
# primary cause a test sees is the p11 layer's own.
healthy_pcsc() {
	rig_pcscd 1
	rig_bg "$RIG_WORK/vcard.log" "$ND_VCARD" -t 100
	wait_card
}

# Wait until pcscd shows a card (at most 5 s).
wait_card() {
	local i
	for ((i = 0; i < 50; i++)); do
		grep -q "Card inserted\|ATR:" "$RIG_WORK/pcscd.log" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.2
}

# mkcert DIR NAME KEYSPEC SUBJ: a key and a certificate signed by DIR/ca
# (the CA is made on first use). KEYSPEC: rsa:2048 or ec:P-256.
mkcert() {
	local d=$1 n=$2 spec=$3 subj=$4
	if [ ! -f "$d/ca.pem" ]; then
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout "$d/ca.key" \
			-out "$d/ca.pem" -days 30 -subj "/C=TR/O=nesdoctor tests/CN=Test NES CA" 2>/dev/null
	fi
	case $spec in
	rsa:*) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"${spec#rsa:}" -out "$d/$n.key" 2>/dev/null ;;
	ec:*) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"${spec#ec:}" -out "$d/$n.key" 2>/dev/null ;;
	esac
	openssl req -new -utf8 -key "$d/$n.key" -subj "$subj" -out "$d/$n.csr" 2>/dev/null
	printf 'keyUsage=critical,nonRepudiation\nbasicConstraints=critical,CA:FALSE\n' > "$d/$n.ext"
	openssl x509 -req -in "$d/$n.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
		-days 30 -extfile "$d/$n.ext" -out "$d/$n.pem" 2>/dev/null
	openssl x509 -in "$d/$n.pem" -outform DER -out "$d/$n.der"
	openssl pkcs8 -topk8 -nocrypt -in "$d/$n.key" -out "$d/$n.p8"
}
