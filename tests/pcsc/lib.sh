# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the pcsc integration tests, before rig_enter_ns. Each test runs
# the built nesdoctor against the rig (pcscd + vpcd + tests/rig/vcard in
# private namespaces) and checks what a person or a script would see: check
# ids, statuses, the primary cause, remedies, exit codes, Turkish text, and
# the JSON read back with a real JSON parser (python3).
set -u
: "${ND_BIN:?}" "${ND_BUILD:?}" "${ND_TESTS:?}"
. "$ND_TESTS/../rig/rig.sh"
export RIG_TIMEOUT=${RIG_TIMEOUT:-60}
# our own small list in smartcard_list.txt's format: results do not depend
# on whether pcsc-tools is installed
export NESDOCTOR_SMARTCARD_LIST="$ND_TESTS/data/smartcard_list.txt"
export NO_COLOR=1

T_PASS=0
T_FAIL=0
ok() { echo "ok   - $*"; T_PASS=$((T_PASS + 1)); }
bad() { echo "FAIL - $*"; T_FAIL=$((T_FAIL + 1)); }

# run NAME ARGS...: nesdoctor ARGS; output in $OUT (and $ERR), exit code in
# $RC, wall time in $MS.
run() {
	local name=$1 t0
	shift
	OUT="$RIG_WORK/$name.out"
	ERR="$RIG_WORK/$name.err"
	t0=$(date +%s%N)
	"$ND_BIN" "$@" >"$OUT" 2>"$ERR"
	RC=$?
	MS=$((($(date +%s%N) - t0) / 1000000))
}

show() { sed 's/^/    | /' "$@" | head -60; }

expect_rc() {
	if [ "$RC" -eq "$1" ]; then ok "$2: exit code $1"
	else bad "$2: exit code $RC, expected $1"; show "$OUT" "$ERR"; fi
}

# has FILE TEXT DESC / lacks FILE TEXT DESC
has() {
	if grep -qF -- "$2" "$1"; then ok "$3"
	else bad "$3: '$2' not in the output"; show "$1"; fi
}
lacks() {
	if ! grep -qF -- "$2" "$1"; then ok "$3"
	else bad "$3: '$2' in the output"; show "$1"; fi
}

# jcheck FILE DESC EXPR...: python expressions over the parsed document d;
# helpers check(id), reader(name), card(name), inv. --lines FILE: d is the
# list of JSON lines.
jcheck() {
	local mode=()
	if [ "$1" = --lines ]; then mode=(--lines); shift; fi
	local f=$1 desc=$2
	shift 2
	if python3 "$ND_TESTS/jcheck.py" "${mode[@]}" "$f" "$@"; then ok "$desc"; else bad "$desc"; fi
}

within() {   # within MS_LIMIT DESC: the last run took less than MS_LIMIT
	if [ "$MS" -lt "$1" ]; then ok "$2 (${MS} ms)"
	else bad "$2: took ${MS} ms, limit $1 ms"; fi
}

# wait_card READER [ATR]: until pcscd shows a card (with that ATR, upper-case
# hex without spaces) in READER; wait_empty READER: until it shows none.
# At most 5 s each. (pcscd polls vpcd's slots every 400 ms.)
reader_state() {
	"$ND_BIN" readers --json --reader "$1" --timeout 3 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = [r for r in d["inventory"]["readers"] if r.get("selected", True)]
print(r[0]["card"]["atr"] if r and r[0]["card"] else "-")' 2>/dev/null
}
wait_card() {
	local i s
	for ((i = 0; i < 50; i++)); do
		s=$(reader_state "$1")
		if [ -n "$s" ] && [ "$s" != "-" ] && { [ -z "${2:-}" ] || [ "$s" = "$2" ]; }; then return 0; fi
		sleep 0.1
	done
	bad "no card ${2:-} showed up in $1"
	return 1
}
wait_empty() {
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$(reader_state "$1")" = "-" ] && return 0
		sleep 0.1
	done
	bad "the card in $1 did not go away"
	return 1
}

finish() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ] || { [ -n "${RIG_WORK:-}" ] && echo "pcscd log tail:" && tail -20 "$RIG_WORK/pcscd.log" 2>/dev/null; }
	[ "$T_FAIL" -eq 0 ] && [ "$T_PASS" -gt 0 ]   # nothing asserted is a failure too
}
