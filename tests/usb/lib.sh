# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the usb shell tests: the rig's private namespaces, and small
# helpers that read nesdoctor's JSON with jq.
#   check NAME JQ-EXPR WHAT   $W/NAME.json must satisfy JQ-EXPR; on failure
#                             the usb and sys checks (ND_SHOW, and NAME.pcscd.log) show
#   st ID STATUS, msg ID RE, rem ID RE   jq pieces for check's expression
set -u
: "${ND_BIN:?}" "${ND_SRC:?}"
. "$ND_SRC/tests/rig/rig.sh"
RIG_TIMEOUT=${RIG_TIMEOUT:-90}
rig_enter_ns "$@"
W=$RIG_WORK
HERE=$ND_SRC/tests/usb
export ASAN_OPTIONS="verify_asan_link_order=0:detect_leaks=1" NO_COLOR=1
# what a failed check shows of the document (tests/sys/lib.sh shows its own)
ND_SHOW=${ND_SHOW:-'[.primary_cause, (.checks[] | select(.layer=="usb" or .layer=="sys") | [.id, .status, .message, .remedy]), .inventory.usb, .inventory.ifd_drivers]'}
pass=0 fail=0
ok() { echo "ok   - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
check() {
	if jq -e "$2" "$W/$1.json" > /dev/null 2>&1; then ok "$1: $3"; else
		bad "$1: $3"
		jq -c "$ND_SHOW" "$W/$1.json" 2>&1 | head -c 3000; echo
		[ -f "$W/$1.pcscd.log" ] && tail -5 "$W/$1.pcscd.log"
	fi
}
st() { echo "((.checks[] | select(.id==\"$1\") | .status) == \"$2\")"; }
msg() { echo "((.checks[] | select(.id==\"$1\") | .message // \"\") | test(\"$2\"))"; }
rem() { echo "((.checks[] | select(.id==\"$1\") | .remedy // \"\") | test(\"$2\"))"; }
