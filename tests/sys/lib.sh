# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the sys shell tests: the rig's private namespaces (no system
# pcscd is reached), and jq helpers as in tests/usb/lib.sh.
set -u
: "${ND_BIN:?}" "${ND_SRC:?}"
. "$ND_SRC/tests/rig/rig.sh"
RIG_TIMEOUT=${RIG_TIMEOUT:-90}
rig_enter_ns "$@"
W=$RIG_WORK
export ASAN_OPTIONS="verify_asan_link_order=0:detect_leaks=1" NO_COLOR=1
pass=0 fail=0
ok() { echo "ok   - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
check() {
	if jq -e "$2" "$W/$1.json" > /dev/null 2>&1; then ok "$1: $3"; else
		bad "$1: $3"
		jq -c '[(.checks[] | select(.layer=="sys") | [.id, .status, .message, .remedy]), .inventory.system.browsers, .inventory.system.java]' "$W/$1.json" 2>&1 | head -c 3000; echo
	fi
}
st() { echo "((.checks[] | select(.id==\"$1\") | .status) == \"$2\")"; }
msg() { echo "((.checks[] | select(.id==\"$1\") | .message // \"\") | test(\"$2\"))"; }
rem() { echo "((.checks[] | select(.id==\"$1\") | .remedy // \"\") | test(\"$2\"))"; }
