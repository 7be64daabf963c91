# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the end-to-end tests, before rig_enter_ns. Every layer is real:
#   pcscd + vpcd with a virtual card (tests/rig: rig.sh, vcard) carrying an
#     AKIS ATR (or another one),
#   SoftHSM2 (in a private SOFTHSM2_CONF, as tests/p11/p11_softhsm.sh does)
#     holding a certificate and its private key from the test PKI,
#   the Kamu SM-shaped test PKI (tests/x509/mkpki.sh), its root trusted with
#     --anchor, `openssl ocsp` as the responder and python's http.server for
#     AIA and the CRL, on loopback inside the rig's network namespace (as
#     tests/x509/verify.sh starts them),
# and the built `nesdoctor check` looks at all of it at once.
#
#   e2e_world               the PKI and its servers, pcscd with vpcd's two
#                           readers (no card yet)
#   e2e_token NAME CERT     a SoftHSM2 world NAME holding the PKI's CERT
#                           (good-rsa, good-ec, revoked, expired, noqc, ...)
#                           and its key; sets nothing (see e2e_use)
#   e2e_use NAME            SOFTHSM2_CONF of that world for the next runs
#   e2e_card ATR            (re)place the virtual card in "Virtual PCD 00 00"
#   e2e_nocard              take it out
#   nd_check NAME [ARGS]    nesdoctor check --json with the module, anchor,
#                           cache and timeout of this world: $OUT, $RC, $MS
#                           (CACHE=NAME, MODULE=PATH: see nd_opts)
#   nd_text NAME LANG [ARGS] the same as text (no colour): $OUT, $RC
#   expect DESC ASSERTION...  tests/x509/jcheck.py's assertions over $OUT
#   jcheck FILE DESC EXPR...  tests/pcsc/jcheck.py's Python expressions
#   expect_doc DESC         the report's shape, remedies, masking
#   expect_tr NAME VERDICT RC HEADLINE CAUSE -- TEXT...  the Turkish report
#   usb_sys_asserts DESC    the usb and sys layers in this environment
#   cert_sha256 NAME        the fingerprint of the PKI's certificate NAME
#
# Helpers (ok, bad, run, has, lacks, wait_card, wait_empty, finish) come
# from tests/pcsc/lib.sh.
set -u
: "${ND_BIN:?}" "${ND_BUILD:?}" "${ND_SRC:?}"
X509_DIR=$ND_SRC/tests/x509
# tests/pcsc/lib.sh finds its jcheck.py and its smartcard_list.txt (our
# own small list: results do not depend on whether pcsc-tools is installed)
# through ND_TESTS
ND_TESTS=$ND_SRC/tests/pcsc
export RIG_TIMEOUT=${RIG_TIMEOUT:-60}
. "$ND_TESTS/lib.sh"

UEKAE="3B 9F 96 81 31 FE 45 80 67 55 45 4B 41 45 12 12 31 80 73 B3 A1 80 EA"
TC="3B 9F 97 81 31 FE 45 80 65 54 43 D3 23 02 31 C0 73 F6 21 80 81 05 52"
BANK="3B 6E 00 00 80 31 80 66 B0 84 12 01 6E 01 83 00 90 00"
UEKAE_HEX=${UEKAE// /} TC_HEX=${TC// /} BANK_HEX=${BANK// /}
READER="Virtual PCD 00 00"

# the SoftHSM2 module
M=$(rig_module softhsm)
PIN=739184
SO_PIN=55667788
TCKN=10000000146       # the TCKN mkpki.sh puts in its certificates
HTTP=18081 OCSP=18082 SILENT=18083 GARBAGE=18084

e2e_world() {
	if [ ! -e "${M:-/nonexistent}" ]; then
		echo "e2e: no SoftHSM2 module (package softhsm2)" >&2
		exit 1
	fi
	P=$RIG_WORK/pki
	bash "$X509_DIR/mkpki.sh" "$P" $HTTP $OCSP $SILENT $GARBAGE > "$RIG_WORK/mkpki.log" 2>&1 ||
		{ echo "e2e: mkpki.sh failed"; cat "$RIG_WORK/mkpki.log"; exit 1; }
	rig_bg "$RIG_WORK/http.log" python3 -m http.server $HTTP --bind 127.0.0.1 --directory "$P/www"
	rig_bg "$RIG_WORK/ocsp.log" openssl ocsp -index "$P/int/index.txt" -port $OCSP \
		-rsigner "$P/ocsp.pem" -rkey "$P/ocsp.key" -CA "$P/int.pem" -ndays 1
	local i n p
	for ((i = 0; i < 100; i++)); do
		n=0
		for p in $HTTP $OCSP; do
			ss -ltn | grep -q "127.0.0.1:$p \|\*:$p \|0.0.0.0:$p " && n=$((n + 1))
		done
		[ $n -eq 2 ] && break
		sleep 0.1
	done
	[ $n -eq 2 ] || { echo "e2e: the HTTP and OCSP servers did not start"; ss -ltn; exit 1; }
	rig_pcscd 1
}

# e2e_token NAME CERT: a token labelled like an AKIS token, its certificate
# labelled <TCKN>NES0 as Kamu SM labels it, key and certificate paired by
# CKA_ID (as in tests/p11/p11_softhsm.sh)
e2e_token() {
	local d=$RIG_WORK/hsm-$1 c=$P/$2 label=AKIS_00112233445566AA
	mkdir -p "$d/tokens"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
		"$d" > "$d/softhsm2.conf"
	openssl pkcs8 -topk8 -nocrypt -in "$c.key" -out "$d/key.p8"
	(
		export SOFTHSM2_CONF=$d/softhsm2.conf
		softhsm2-util --init-token --free --label $label --so-pin $SO_PIN --pin $PIN > /dev/null &&
		softhsm2-util --import "$d/key.p8" --token $label --label "${TCKN}NES0" --id 01 --pin $PIN > /dev/null &&
		pkcs11-tool --module "$M" --token-label $label --login --pin $PIN \
			--write-object "$c.der" --type cert --id 01 --label "${TCKN}NES0" > /dev/null 2>&1
	) || { echo "e2e: could not make the SoftHSM2 token $1"; exit 1; }
	rm -f "$d/key.p8"
}

e2e_use() { export SOFTHSM2_CONF=$RIG_WORK/hsm-$1/softhsm2.conf; }

E2E_CARD_PID=""
e2e_nocard() {
	if [ -n "$E2E_CARD_PID" ]; then
		kill "$E2E_CARD_PID" 2>/dev/null
		wait "$E2E_CARD_PID" 2>/dev/null
		E2E_CARD_PID=""
		wait_empty "$READER"
	fi
}
e2e_card() {
	local hex=${1// /}
	e2e_nocard
	rig_vcard 35963 -a "$1"
	E2E_CARD_PID=$RIG_LAST_PID
	wait_card "$READER" "$hex"
}

# the options every run of this world uses: a cache of its own per run
# (CACHE=NAME shares one between runs), --timeout bounds each network
# request (a broken server must not eat the test's time); MODULE=PATH
# instead of SoftHSM2
nd_opts() {
	echo --module "${MODULE:-$M}" --anchor "$P/root.pem" --cache-dir "$RIG_WORK/cache-${CACHE:-$1}" --timeout 3
}

nd_check() {
	local name=$1; shift
	# shellcheck disable=SC2046
	run "$name" check --json --lang en $(nd_opts "$name") "$@"
}
nd_text() {
	local name=$1 lang=$2; shift 2
	# shellcheck disable=SC2046
	run "$name-$lang" check --lang "$lang" --no-color $(nd_opts "$name") "$@"
}

# expect DESC ASSERTION...: tests/x509/jcheck.py over the last JSON run;
# also checks that the JSON's exit_code is the process's exit code
expect() {
	local desc=$1; shift
	if python3 "$X509_DIR/jcheck.py" "$OUT" "exit=$RC" "$@" 2> "$OUT.why"; then
		ok "$desc"
	else
		bad "$desc (exit $RC)"
		sed 's/^/    /' "$OUT.why"
		show "$ERR"
	fi
}

# Every check `check` runs, in causal order (sign.test is sign-test's
# only). A check that disappears, is renamed or moves breaks the tests.
ALL_IDS="usb.device usb.policy usb.driver usb.access sys.os sys.pcscd sys.polkit sys.holders sys.sandbox
sys.browser sys.java
pcsc.service pcsc.reader pcsc.card pcsc.card_type p11.module p11.token p11.pin p11.objects
p11.mechanisms cert.qualified cert.validity cert.holder cert.key cert.chain cert.revocation dys.ready"
ALL_IDS=${ALL_IDS//$'\n'/ }

# expect_doc DESC: the document's shape: schema, command, language, the
# checks in causal order, a remedy on every check that fails or warns and
# on none that passes, no unmasked TCKN and no certificate DER anywhere
expect_doc() {
	jcheck "$OUT" "$1: report shape, remedies where needed, TCKN masked" \
		'd["schema"] == "nesdoctor.report/1" and d["command"] == "check" and d["lang"] == "en"' \
		"[c['id'] for c in d['checks']] == '$ALL_IDS'.split()" \
		'all(c["remedy"] for c in d["checks"] if c["status"] in ("fail", "warn"))' \
		'all(c["remedy"] is None for c in d["checks"] if c["status"] == "pass")' \
		'all(c["blocked_by"] is None for c in d["checks"] if c["status"] != "skip")' \
		"'$TCKN' not in open('$OUT', encoding='utf-8').read()" \
		"'12345678950' not in open('$OUT', encoding='utf-8').read()"
}

# expect_status DESC ID=STATUS...: exactly these statuses, for the ids given
expect_status() { local desc=$1; shift; expect "$desc: statuses" "$@"; }

# sha256 (upper-case hex) of the PKI's certificate NAME: what the token holds
cert_sha256() { openssl x509 -in "$P/$1.pem" -outform DER | sha256sum | cut -c1-64 | tr a-f A-F; }

# the Turkish text report of the same world: the headline, the cause and
# what to do (when not ready), the verdict line with the exit code, the
# process exit code; no English headline, no unmasked TCKN
#   expect_tr NAME VERDICT RC HEADLINE [CAUSE_ID] -- [TEXT...]
expect_tr() {
	local name=$1 verdict=$2 rc=$3 head=$4 cause=${5:-}
	shift 5
	[ "${1:-}" = -- ] && shift
	if [ "$RC" -eq "$rc" ]; then ok "$name, Turkish text: exit code $rc"
	else bad "$name, Turkish text: exit code $RC, expected $rc"; show "$OUT" "$ERR"; fi
	has "$OUT" "$head" "$name, Turkish text: the headline"
	local word
	case $verdict in
	ready) word="hazır" ;; warning) word="hazır, uyarılarla" ;;
	not_ready) word="hazır değil" ;; *) word="belirlenemedi" ;;
	esac
	has "$OUT" "Sonuç: $word ($verdict, çıkış kodu $rc)" "$name, Turkish text: the verdict line"
	if [ -n "$cause" ]; then
		if grep -q "^  Neden: .* \[$cause\]\$" "$OUT"; then ok "$name, Turkish text: the cause is $cause"
		else bad "$name, Turkish text: no 'Neden: ... [$cause]' line"; show "$OUT"; fi
		has "$OUT" "  Ne yapmalı:" "$name, Turkish text: what to do"
		has "$OUT" "✘ $cause " "$name, Turkish text: $cause marked failed"
	else
		lacks "$OUT" "Neden:" "$name, Turkish text: no cause"
		lacks "$OUT" "✘" "$name, Turkish text: nothing marked failed"
	fi
	lacks "$OUT" "READY" "$name, Turkish text: no English headline"
	lacks "$OUT" "$TCKN" "$name, Turkish text: TCKN masked"
	local t
	for t in "$@"; do has "$OUT" "$t" "$name, Turkish text: '$t'"; done
}

# The USB and system layers inside this rig, the same in every case. This
# environment (CI) is a docker container with no USB bus at all (no
# /dev/bus/usb, no /sys/bus/usb), pcscd started by the test as root from a
# private config, no polkit, no scdaemon. What the tool says there:
#   usb.device  info, "no USB bus is visible inside this docker container;
#               pcscd lists 2 reader(s), so USB is not needed to answer":
#               what is plugged in cannot be seen, and pcscd's readers
#               answer for it (not undetermined: the verdict stays decided)
#   usb.driver, usb.access  skip ("no USB device to check"), no blocked_by
#   sys.os  info; sys.sandbox info naming the container when one is
#           detected, else pass (a chroot, a VM without USB)
#   sys.pcscd, sys.polkit, sys.holders  pass
# On a machine with a USB bus (a developer's laptop, maybe with a real
# reader plugged in) these layers depend on the machine: not asserted.
E2E_NO_USB=""
[ ! -e /dev/bus/usb ] && [ ! -e /sys/bus/usb/devices ] && E2E_NO_USB=1
usb_sys_asserts() {
	local desc=$1
	if [ -z "$E2E_NO_USB" ]; then
		echo "note - $desc: this machine has a USB bus, the usb and sys layers are not asserted"
		return 0
	fi
	jcheck "$OUT" "$desc: usb and sys layers as they are in a container without USB" \
		'inv["usb"] == [] and inv["usb_scan"]["devices_seen"] == 0 and inv["usb_scan"]["error"] is None' \
		'check("usb.device")["status"] == "info" and "no USB bus is visible" in check("usb.device")["message"] and "pcscd lists 2 reader(s), so USB is not needed to answer" in check("usb.device")["message"]' \
		'check("usb.driver")["status"] == "skip" and check("usb.access")["status"] == "skip"' \
		'check("usb.driver")["message"] == "no USB device to check"' \
		'check("sys.os")["status"] == "info"' \
		'check("sys.pcscd")["status"] == "pass" and "is running as root" in check("sys.pcscd")["message"]' \
		'check("sys.polkit")["status"] == "pass" and check("sys.holders")["status"] == "pass"' \
		'(check("sys.sandbox")["status"] == "info" and inv["system"]["container"] in check("sys.sandbox")["message"]) if inv["system"].get("container") else check("sys.sandbox")["status"] == "pass"' \
		'not any(c.get("undetermined") for c in d["checks"] if c["layer"] in ("usb", "sys"))'
}
