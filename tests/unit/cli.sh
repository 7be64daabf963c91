#!/bin/bash
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
expect 0 "help" help
grep -q "^Usage: nesdoctor" "$t/out" && { echo "ok   - help prints the usage"; pass=$((pass + 1)); } || { echo "FAIL - help output"; fail=$((fail + 1)); }
expect 0 "--help in Turkish" --help --lang tr
grep -q "^Kullanım: nesdoctor" "$t/out" && { echo "ok   - Turkish usage"; pass=$((pass + 1)); } || { echo "FAIL - Turkish usage"; fail=$((fail + 1)); }
expect 0 "--version" --version
grep -qE "^nesdoctor [0-9]+\.[0-9]+\.[0-9]+$" "$t/out" && { echo "ok   - version line"; pass=$((pass + 1)); } || { echo "FAIL - version line"; fail=$((fail + 1)); }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
