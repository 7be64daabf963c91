#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The command line as a script sees it: usage errors exit 64 with a message
# on stderr and nothing on stdout; help and version exit 0.
set -u
: "${ND_BIN:?}"
pass=0 fail=0
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
# expect CODE DESC ARGS...
expect() {
	local code=$1 desc=$2; shift 2
	"$ND_BIN" "$@" >"$t/out" 2>"$t/err" </dev/null
	local rc=$?
	if [ "$rc" -ne "$code" ]; then echo "FAIL - $desc: exit $rc, expected $code"; fail=$((fail + 1)); return; fi
	if [ "$code" -eq 64 ] && { [ -s "$t/out" ] || ! grep -q "nesdoctor --help" "$t/err"; }; then
		echo "FAIL - $desc: a usage error must say so on stderr only"; fail=$((fail + 1)); return
	fi
	echo "ok   - $desc"; pass=$((pass + 1))
}
expect 64 "unknown command" bogus
expect 64 "unknown option" --bogus
expect 64 "unknown language" --lang de
expect 64 "--timeout 0" --timeout 0
expect 64 "--timeout not a number" --timeout 5s
expect 64 "--timeout too large" --timeout 99999
expect 64 "--count 0" watch --count 0
expect 64 "option without its value" readers --reader
expect 64 "readers takes no arguments" readers extra
expect 64 "a PIN on the command line is not an option" sign-test --pin 1234
expect 64 "verify without a file" verify
# usage errors name the option, never its value: it may be a PIN
noecho() {
	local desc=$1; shift
	expect 64 "$desc" "$@"
	if grep -q 739184 "$t/err"; then echo "FAIL - $desc: the value is echoed: $(cat "$t/err")"; fail=$((fail + 1))
	else echo "ok   - $desc: the value is not echoed"; pass=$((pass + 1)); fi
}
noecho "--pin=VALUE" sign-test --pin=739184
grep -q "'--pin'" "$t/err" && { echo "ok   - --pin=VALUE: the option is named"; pass=$((pass + 1)); } || { echo "FAIL - --pin=VALUE: option not named: $(cat "$t/err")"; fail=$((fail + 1)); }
noecho "--pinfd=VALUE (unknown, with a value)" sign-test --pinfd=739184
noecho "a value given to an option that takes none" sign-test --force=739184
noecho "a short option with a value glued to it" sign-test -p739184
noecho "a PIN as an argument" sign-test 739184
noecho "a PIN as the command" 739184
noecho "a PIN as the language" --lang 739184
# an option belongs to the commands that take it (src/cli/options.c); a
# tool that let them through would run: bounded, away from any real pcscd
export PCSCLITE_CSOCK_NAME="$t/no-pcscd" NESDOCTOR_SMARTCARD_LIST=""
names() {   # names DESC WORD...: stderr names each WORD
	local desc=$1 w; shift
	for w in "$@"; do
		if grep -qF -- "$w" "$t/err"; then echo "ok   - $desc: names $w"; pass=$((pass + 1))
		else echo "FAIL - $desc: does not name $w: $(cat "$t/err")"; fail=$((fail + 1)); fi
	done
}
expect 64 "verify --apply --count 5 --pin-fd 3" verify --apply --count 5 --pin-fd 3 x.pem
names "verify --apply" "'verify'" "'--apply'"
expect 64 "an option before its command" --count 5 verify x.pem
names "--count before verify" "'verify'" "'--count'"
expect 64 "check (the default command) takes no --count" --count 5 --timeout 1 --module "$t/none.so"
names "--count without a command" "'check'" "'--count'"
expect 64 "readers --apply" readers --apply --timeout 1
expect 64 "setup --offline" setup --offline
expect 64 "watch --module" watch --module /x.so --timeout 1
noecho "an option of another command, with its value" verify --pin-fd 739184 x.pem
noecho "an option of another command, value glued" verify --pin-fd=739184 x.pem
expect 0 "help verify" help verify
grep -q "^Usage: nesdoctor verify" "$t/out" && grep -q -- "--anchor" "$t/out" && ! grep -q -- "--apply" "$t/out" &&
	{ echo "ok   - help verify: its options only"; pass=$((pass + 1)); } || { echo "FAIL - help verify: $(cat "$t/out")"; fail=$((fail + 1)); }
expect 0 "setup --help" setup --help
grep -q -- "--polkit-group" "$t/out" && ! grep -q -- "--pin-fd" "$t/out" &&
	{ echo "ok   - setup --help: its options only"; pass=$((pass + 1)); } || { echo "FAIL - setup --help: $(cat "$t/out")"; fail=$((fail + 1)); }
expect 0 "help" help
grep -q "^Usage: nesdoctor" "$t/out" && { echo "ok   - help prints the usage"; pass=$((pass + 1)); } || { echo "FAIL - help output"; fail=$((fail + 1)); }
expect 0 "--help in Turkish" --help --lang tr
grep -q "^Kullanım: nesdoctor" "$t/out" && { echo "ok   - Turkish usage"; pass=$((pass + 1)); } || { echo "FAIL - Turkish usage"; fail=$((fail + 1)); }
expect 0 "--version" --version
grep -qE "^nesdoctor [0-9]+\.[0-9]+\.[0-9]+$" "$t/out" && { echo "ok   - version line"; pass=$((pass + 1)); } || { echo "FAIL - version line"; fail=$((fail + 1)); }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
